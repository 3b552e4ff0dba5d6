/**
 * Warnings before a statutory clock falls due, and the daily digest (issue 14 part 3). A tick on an
 * interval (and `tick(now)` from tests) reads a bounded batch of open cases through the `next_due_at`
 * index — those whose earliest running clock is within the longest lead time — plus the cases with a
 * warning still open, recomputes their clocks and applies domain/warnings.ts `planWarnings`. A warning
 * row is unique per clock, level and due time: two instances ticking at once insert it once, and only
 * the one whose insert took it publishes the event, in the same write (outbox). Resolved warnings
 * (clock done, stopped, due moved, case closed) leave the tray.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { dayOf, type WorkingDayCalendar } from '../../core/working-days.js';
import type { Write } from '../../kernel/write.js';
import { caseEvents, cases } from './schema.js';
import { caseDigests, caseWarnings } from './warning-schema.js';
import type { CaseDeps, CaseEventRow, CaseRow } from './store.js';
import { clocksOfRows } from './clock-cache.js';
import { digestDay, digestOf, planWarnings, type WarnLead, type WarningConfig, type WarningLevel } from './domain/warnings.js';
import type { ClockResult } from './domain/calculator.js';

export type WarningRow = typeof caseWarnings.$inferSelect;

/** What a warning's row keeps beside its keys, so the tray needs no recomputation. */
export interface WarningDetail {
  number: string;
  title: string;
  zh: string;
  en: string;
  custody: boolean;
}

export interface TickResult {
  checked: number;
  raised: number;
  resolved: number;
  digests: number;
}

const DAY = 86_400_000;

/** How far ahead of now a due time can already be yellow under this lead (working days: over a holiday week). */
export function leadHorizonMs(now: Date, lead: WarnLead, calendar: WorkingDayCalendar): number {
  if ('hours' in lead) return lead.hours * 3_600_000;
  const today = dayOf(now);
  let k = 0;
  while (k < 60 && calendar.addWorkingDays(dayOf(now.getTime() + (k + 1) * DAY), -lead.workingDays) <= today) k++;
  return (k + 1) * DAY;
}

export function warningView(w: WarningRow, ackedBy?: ReadonlySet<string>) {
  const d = w.detail as WarningDetail;
  return { id: w.id, caseId: w.caseId, number: d.number, title: d.title, stationId: w.stationId, officer: w.officer, rule: w.rule, name: { zh: d.zh, en: d.en }, subject: w.subject || null, custody: d.custody, level: w.level as WarningLevel, dueAt: w.dueAt.toISOString(), raisedAt: w.raisedAt.toISOString(), resolvedAt: w.resolvedAt?.toISOString() ?? null, resolution: w.resolution, acked: ackedBy?.has(w.id) ?? false };
}

/** One digest line as stored and answered: the clock's names in both languages. */
export function digestLine(row: CaseRow, c: ClockResult, overdue: boolean) {
  return { caseId: row.id, number: row.number, title: row.title, stationId: row.stationId, officer: row.officer, rule: c.rule, name: { zh: c.zh, en: c.en }, subject: c.subject, custody: c.custody, dueAt: c.dueAt!.toISOString(), overdue };
}

/** Every step of these cases, grouped, in recording order (one read). */
export async function eventsByCase(db: Db, ids: readonly string[]): Promise<Map<string, CaseEventRow[]>> {
  const by = new Map<string, CaseEventRow[]>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.select().from(caseEvents).where(inArray(caseEvents.caseId, ids.slice(i, i + 1000))).orderBy(asc(caseEvents.seq));
    for (const e of rows) (by.get(e.caseId) ?? by.set(e.caseId, []).get(e.caseId)!).push(e);
  }
  return by;
}

export class CaseWarnings {
  private timer: NodeJS.Timeout | null = null;
  private first: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  /** Where the last batch stopped in the due order: the next tick goes on from there, then wraps. */
  private cursor: { due: Date; id: string } | null = null;

  constructor(
    private readonly deps: CaseDeps,
    readonly config: WarningConfig,
    private readonly log: (err: unknown, msg: string) => void = () => {},
    /** Open cases read per tick. */
    private readonly batch = 500,
  ) {}

  start(intervalMs = 60_000) {
    const run = () => {
      this.running = this.tick().catch((err: unknown) => this.log(err, 'case warnings tick failed'));
    };
    // A first pass soon after start (what fired before a restart is stored: it does not fire again).
    this.first ??= setTimeout(run, Math.min(intervalMs, 5_000));
    this.first.unref();
    this.timer ??= setInterval(run, intervalMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    this.timer = this.first = null;
    await this.running.catch(() => undefined);
  }

  private horizonMs(now: Date): number {
    const { calendar } = this.deps;
    return Math.max(...[this.config.lead, ...Object.values(this.config.perRule)].map((l) => leadHorizonMs(now, l, calendar)));
  }

  /** One pass: the warnings of a batch of cases, then the daily digests when their hour has come. */
  async tick(now = new Date()): Promise<TickResult> {
    const { db } = this.deps;
    const until = new Date(now.getTime() + this.horizonMs(now));
    const c = this.cursor;
    const due = await db
      .select()
      .from(cases)
      .where(and(isNull(cases.closedAt), isNotNull(cases.nextDueAt), lte(cases.nextDueAt, until), c ? or(gt(cases.nextDueAt, c.due), and(eq(cases.nextDueAt, c.due), gt(cases.id, c.id))) : undefined))
      .orderBy(asc(cases.nextDueAt), asc(cases.id))
      .limit(this.batch);
    const last = due.at(-1);
    this.cursor = due.length === this.batch && last ? { due: last.nextDueAt!, id: last.id } : null;
    // Cases with a warning still open: their clock may be done, stopped or moved, or the case closed.
    const openIds = (await db.selectDistinct({ id: caseWarnings.caseId }).from(caseWarnings).where(isNull(caseWarnings.resolvedAt)).limit(this.batch)).map((r) => r.id);
    const seen = new Set(due.map((r) => r.id));
    const more = openIds.filter((id) => !seen.has(id));
    const rows = more.length ? [...due, ...(await db.select().from(cases).where(inArray(cases.id, more)))] : due;
    const result: TickResult = { checked: rows.length, raised: 0, resolved: 0, digests: 0 };
    if (rows.length) {
      const ids = rows.map((r) => r.id);
      const [clocksBy, stored] = await Promise.all([clocksOfRows(this.deps, rows), db.select().from(caseWarnings).where(inArray(caseWarnings.caseId, ids))]);
      const warningsOf = new Map<string, WarningRow[]>();
      for (const w of stored) (warningsOf.get(w.caseId) ?? warningsOf.set(w.caseId, []).get(w.caseId)!).push(w);
      for (const row of rows) {
        const clocks = clocksBy.get(row.id) ?? [];
        const plan = planWarnings(clocks, (warningsOf.get(row.id) ?? []).map((w) => ({ ...w, level: w.level as WarningLevel })), now, this.config, this.deps.calendar, row.closedAt !== null);
        if (!plan.raise.length && !plan.resolve.length && !plan.reopen.length) continue;
        const done = await this.deps.writes.run((w) => this.applyIn(w, row, plan, now));
        result.raised += done.raised;
        result.resolved += done.resolved;
      }
    }
    result.digests = await this.sendDigests(now);
    return result;
  }

  private async applyIn(w: Write, row: CaseRow, plan: ReturnType<typeof planWarnings>, now: Date) {
    const path = (await this.deps.jurisdiction.station(row.stationId))?.path ?? null;
    const emit = (event: string, r: WarningRow) => w.emit({ topic: 'case_warning', key: r.caseId, event, unitPath: path, data: { event, warning: warningView(r) } });
    let raised = 0;
    for (const { clock, level, dueAt } of plan.raise) {
      const detail: WarningDetail = { number: row.number, title: row.title, zh: clock.zh, en: clock.en, custody: clock.custody };
      const [r] = await w.tx
        .insert(caseWarnings)
        .values({ id: randomUUID(), caseId: row.id, stationId: row.stationId, officer: row.officer, rule: clock.rule, subject: clock.subject ?? '', level, dueAt, raisedAt: now, detail })
        .onConflictDoNothing()
        .returning();
      // Another instance (or tick) took it first: it publishes, not us.
      if (r) {
        raised++;
        emit('raised', r);
      }
    }
    let resolved = 0;
    for (const { id, resolution } of plan.resolve) {
      const [r] = await w.tx.update(caseWarnings).set({ resolvedAt: now, resolution }).where(and(eq(caseWarnings.id, id), isNull(caseWarnings.resolvedAt))).returning();
      if (r) {
        resolved++;
        emit('resolved', r);
      }
    }
    if (plan.reopen.length) await w.tx.update(caseWarnings).set({ resolvedAt: null, resolution: null }).where(and(inArray(caseWarnings.id, plan.reopen), isNotNull(caseWarnings.resolvedAt)));
    return { raised, resolved };
  }

  /** Lines of the digest for some stations' open cases at `now` (bounded: the most urgent cases first). */
  async digestLines(stationIds: readonly string[] | null, now: Date, extra?: ReturnType<typeof and>) {
    const until = new Date(now.getTime() + this.config.digestHorizonHours * 3_600_000);
    const rows = await this.deps.db
      .select()
      .from(cases)
      .where(and(isNull(cases.closedAt), lte(cases.nextDueAt, until), stationIds ? inArray(cases.stationId, [...stationIds]) : undefined, extra))
      .orderBy(asc(cases.nextDueAt), asc(cases.id))
      .limit(2000);
    const clocksBy = await clocksOfRows(this.deps, rows);
    const entries = rows.map((item) => ({ item, clocks: clocksBy.get(item.id) ?? [] }));
    return digestOf(entries, now, this.config.digestHorizonHours).map((l) => digestLine(l.item, l.clock, l.overdue));
  }

  /** Once a day from the configured hour: each station with something overdue or due soon gets its digest. */
  async sendDigests(now: Date): Promise<number> {
    const day = digestDay(now, this.config.digestHour);
    if (!day) return 0;
    const { db } = this.deps;
    const until = new Date(now.getTime() + this.config.digestHorizonHours * 3_600_000);
    const stations = (await db.selectDistinct({ id: cases.stationId }).from(cases).where(and(isNull(cases.closedAt), lte(cases.nextDueAt, until)))).map((r) => r.id);
    const sent = new Set((await db.select({ id: caseDigests.stationId }).from(caseDigests).where(eq(caseDigests.day, day))).map((r) => r.id));
    let n = 0;
    for (const stationId of stations.filter((s) => !sent.has(s))) {
      const items = await this.digestLines([stationId], now);
      if (!items.length) continue;
      const content = { day, stationId, at: now.toISOString(), overdue: items.filter((i) => i.overdue).length, dueSoon: items.filter((i) => !i.overdue).length, items };
      const path = (await this.deps.jurisdiction.station(stationId))?.path ?? null;
      const ok = await this.deps.writes.run(async (w) => {
        const [r] = await w.tx.insert(caseDigests).values({ stationId, day, sentAt: now, content }).onConflictDoNothing().returning();
        if (r) w.emit({ topic: 'case_warning', key: stationId, event: 'digest', unitPath: path, data: { event: 'digest', digest: content } });
        return Boolean(r);
      });
      if (ok) n++;
    }
    return n;
  }
}

/** The stored digest of a station and day, if it went out. */
export async function storedDigest(db: Db, stationId: string, day: string) {
  const [r] = await db.select().from(caseDigests).where(and(eq(caseDigests.stationId, stationId), eq(caseDigests.day, day)));
  return r ?? null;
}

export const openWarningsOrder = [sql`case ${caseWarnings.level} when 'red' then 0 else 1 end`, asc(caseWarnings.dueAt), asc(caseWarnings.id)];

/**
 * The warnings' settings from the environment: SHOUWANG_CASE_WARN_LEAD ("24h" or "1wd": hours or working
 * days, every rule), SHOUWANG_CASE_WARN_LEAD_<RULE> for one rule, SHOUWANG_CASE_DIGEST_HOUR (local hour,
 * Beijing time). Bad values keep the defaults: a typo must not silence the warnings.
 */
export function warningConfigFromEnv(base: WarningConfig, env: NodeJS.ProcessEnv = process.env): WarningConfig {
  const lead = (v: string | undefined): WarnLead | null => {
    const m = /^\s*(\d{1,3})\s*(h|wd)\s*$/i.exec(v ?? '');
    if (!m) return null;
    return m[2]!.toLowerCase() === 'h' ? { hours: Number(m[1]) } : { workingDays: Math.max(1, Math.min(10, Number(m[1]))) };
  };
  const perRule: Record<string, WarnLead> = { ...base.perRule };
  for (const [k, v] of Object.entries(env)) {
    const m = /^SHOUWANG_CASE_WARN_LEAD_([A-Z_]+)$/.exec(k);
    const l = m ? lead(v) : null;
    if (m && l) perRule[m[1]!.toLowerCase()] = l;
  }
  const hour = Number(env.SHOUWANG_CASE_DIGEST_HOUR);
  return { ...base, lead: lead(env.SHOUWANG_CASE_WARN_LEAD) ?? base.lead, perRule, digestHour: Number.isInteger(hour) && hour >= 0 && hour <= 23 ? hour : base.digestHour };
}
