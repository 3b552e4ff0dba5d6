/**
 * Cases as stored: open one (from an incident or not), record a procedural step, read one with its
 * clocks. Every write is one transaction with its audit row (routeWrite); a step is checked together
 * with the case's whole event list (domain/events.ts `eventErrors`), so an extension without its start
 * or an examination end without its start is refused at entry, naming the field.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../core/errors.js';
import { unitScope, type Principal } from '../../core/access.js';
import { localDayCompact } from '../../core/clock.js';
import type { WorkingDayCalendar } from '../../core/working-days.js';
import type { Write, Writes } from '../../kernel/write.js';
import type { JurisdictionIndex } from '../org/index.js';
import type { IncidentService } from '../incidents/index.js';
import { caseCounters, caseEvents, cases } from './schema.js';
import { CLOCK_RULES, type CaseKind, type Rule } from './domain/rules.js';
import { eventErrors, type CaseEvent, type EventType } from './domain/events.js';
import { computeClocks, type ClockResult } from './domain/calculator.js';
import { nextDue } from './domain/board.js';

export type CaseRow = typeof cases.$inferSelect;
export type CaseEventRow = typeof caseEvents.$inferSelect;

export interface CaseDeps {
  db: Db;
  writes: Writes;
  jurisdiction: JurisdictionIndex;
  incidents: IncidentService;
  calendar: WorkingDayCalendar;
  rules: readonly Rule[];
  /** The users directory: who an officer id is (`db`: the open write, a second connection would wait on it). */
  accounts: (db: Db, ids: readonly string[]) => Promise<{ id: string; username: string; unitId: string | null; disabled: boolean }[]>;
}

export const CASE_MESSAGES = {
  case_invalid: { zh: '字段 {field}：{zh}', en: 'Field {field}: {en}' },
  case_rule: { zh: '{zh}', en: '{en}' },
} as const;

export function invalidField(field: string, zh: string, en: string): AppError {
  return new AppError(400, 'case_invalid', { field, zh, en }, field);
}

export function refuse(zh: string, en: string, status = 409): AppError {
  return new AppError(status, 'case_rule', { zh, en });
}

/** Cases sit at stations; a grid user works the cases of the grid's station. */
export function caseScope(p: Principal) {
  if (p.unitKind === 'station') return eq(cases.stationId, p.unitId);
  if (p.unitKind === 'grid') {
    const parts = p.unitPath.split('/').filter(Boolean);
    return eq(cases.stationId, parts.at(-2) ?? p.unitId);
  }
  return unitScope(p, cases.stationId);
}

export async function scopedCase(db: Db, p: Principal, id: string, lock = false): Promise<CaseRow> {
  const q = db.select().from(cases).where(and(eq(cases.id, id), caseScope(p)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('case');
  return row;
}

export async function eventsOf(db: Db, caseId: string): Promise<CaseEventRow[]> {
  return db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(asc(caseEvents.seq)).limit(5000);
}

/** A stored event as the calculator reads it. */
export function asCaseEvent(r: CaseEventRow): CaseEvent {
  return { ...(r.detail as Omit<CaseEvent, 'id' | 'type' | 'at'>), id: r.id, type: r.type as EventType, at: r.at };
}

export function clocksOf(deps: CaseDeps, row: CaseRow, events: readonly CaseEventRow[], lang: 'zh' | 'en' = 'zh', explain = true): ClockResult[] {
  return computeClocks(events.map(asCaseEvent), deps.rules, deps.calendar, { caseKind: row.kind as CaseKind, lang, explain });
}

async function nextNumber(tx: Db, stationCode: string, at: Date): Promise<string> {
  const day = localDayCompact(at);
  const [c] = await tx
    .insert(caseCounters)
    .values({ stationCode, day, lastSeq: 1 })
    .onConflictDoUpdate({ target: [caseCounters.stationCode, caseCounters.day], set: { lastSeq: sql`${caseCounters.lastSeq} + 1` } })
    .returning();
  return `AJ${stationCode}${day}${String(c!.lastSeq).padStart(4, '0')}`;
}

export interface OpenCaseInput {
  kind: CaseKind;
  title?: string;
  incidentIds?: string[];
  stationId?: string;
  /** The officer in charge (a user id); the one who opens it when absent. */
  officerId?: string;
  /** When the case was accepted (受案); now when absent. Starts the filing-review clock. */
  acceptedAt?: string;
}

const MAX_PAST_MS = 5 * 366 * 86_400_000;

/** Opens a case with its 受案 event; from an incident the station and title come from the incident. */
export async function openCaseIn(w: Write, deps: CaseDeps, p: Principal, input: OpenCaseInput, now = new Date()): Promise<CaseRow> {
  // Each linked incident must be one the user may see (404 otherwise); the first gives station and title.
  const linked: Awaited<ReturnType<IncidentService["get"]>>[] = [];
  for (const id of (input.incidentIds ?? []).slice(0, 20)) linked.push(await deps.incidents.get(p, id, w.tx));
  const incident = linked[0];
  const acceptedAt = input.acceptedAt ? new Date(input.acceptedAt) : now;
  if (acceptedAt.getTime() > now.getTime() + 60_000) throw invalidField('acceptedAt', '受案时间不能晚于现在', 'acceptedAt cannot be in the future');
  if (now.getTime() - acceptedAt.getTime() > MAX_PAST_MS) throw invalidField('acceptedAt', '受案时间不能早于五年前', 'acceptedAt cannot be more than five years ago');
  let stationId: string | null = input.stationId ?? incident?.stationId ?? null;
  if (!stationId && p.unitKind === 'station') stationId = p.unitId;
  if (!stationId && p.unitKind === 'grid') stationId = p.unitPath.split('/').filter(Boolean).at(-2) ?? null;
  if (!stationId) throw invalidField('stationId', '需指明办案的派出所', 'name the station that handles the case');
  const station = await deps.jurisdiction.station(stationId);
  if (!station) throw invalidField('stationId', '没有这个派出所', 'no such station');
  if (!station.path.startsWith(p.unitPath) && !(p.unitKind === 'grid' && p.unitPath.startsWith(station.path))) throw refuse('该派出所不在您的辖区内', 'that station is outside your jurisdiction', 403);
  let officer = p.username;
  if (input.officerId) {
    const [who] = await deps.accounts(w.tx, [input.officerId]);
    if (!who || who.disabled) throw invalidField('officerId', '没有这个在用的账号', 'no active account has this id');
    const unit = who.unitId ? await deps.jurisdiction.unit(who.unitId) : null;
    if (!unit || !(unit.path.startsWith(station.path) || station.path.startsWith(unit.path))) throw invalidField('officerId', '承办民警须属于办案派出所', 'the officer in charge must belong to the handling station');
    officer = who.username;
  }
  const title = (input.title ?? (incident ? `${incident.number} ${incident.description ?? ''}` : '')).trim().slice(0, 200);
  if (!title) throw invalidField('title', '请填写案件名称', 'the case needs a title');
  const id = randomUUID();
  w.entity(id);
  const [row] = await w.tx
    .insert(cases)
    .values({ id, number: await nextNumber(w.tx, station.code, now), kind: input.kind, title, incidentId: incident?.id ?? null, incidentIds: linked.map((i) => i.id), stationId: station.id, officer, status: 'open', openedAt: now, openedBy: p.username })
    .returning();
  await w.tx.insert(caseEvents).values({ id: randomUUID(), caseId: id, type: 'accepted', at: acceptedAt, detail: {}, recordedBy: p.username });
  return refreshDue(w, deps, row!, now);
}

export interface StepInput extends Omit<CaseEvent, 'at' | 'id'> {
  at: string;
}

/** Records one procedural step after checking it with every step before it. */
export async function recordStepIn(w: Write, deps: CaseDeps, p: Principal, caseId: string, input: StepInput, now = new Date()): Promise<{ row: CaseRow; event: CaseEventRow }> {
  const row = await scopedCase(w.tx, p, caseId, true);
  w.entity(row.id);
  if (row.closedAt && input.type !== 'voided') throw refuse('案件已结案，只能作废错误记录', 'the case is closed: only a wrong record may be voided');
  const at = new Date(input.at);
  if (at.getTime() > now.getTime() + 60_000) throw invalidField('at', '事件时间不能晚于现在', 'at cannot be in the future');
  const before = await eventsOf(w.tx, row.id);
  const id = randomUUID();
  const { type, at: _at, ...detail } = input;
  const candidate: CaseEvent = { ...detail, type, at, id };
  const errors = eventErrors([...before.map(asCaseEvent), candidate], deps.rules);
  const mine = errors.find((e) => e.field.startsWith(`events[${before.length}]`)) ?? errors[0];
  if (mine) throw invalidField(mine.field.replace(/^events\[\d+\]\.?/, '') || 'type', mine.zh, mine.en);
  const [event] = await w.tx.insert(caseEvents).values({ id, caseId: row.id, type, at, detail, recordedBy: p.username }).returning();
  const closing = type === 'closed' || type === 'not_filed' || type === 'transferred_for_prosecution';
  const updated = closing && !row.closedAt ? (await w.tx.update(cases).set({ status: 'closed', closedAt: at }).where(eq(cases.id, row.id)).returning())[0]! : row;
  return { row: await refreshDue(w, deps, updated, now), event: event! };
}

/**
 * Recomputes the board's copy of the next due time after a write, and bumps the version: every write of a
 * case's row or steps must come through here, the clock cache (clock-cache.ts) trusts the version.
 */
async function refreshDue(w: Write, deps: CaseDeps, row: CaseRow, now: Date): Promise<CaseRow> {
  const due = nextDue(clocksOf(deps, row, await eventsOf(w.tx, row.id), 'zh', false), now);
  const [u] = await w.tx.update(cases).set({ ...due, version: sql`${cases.version} + 1` }).where(eq(cases.id, row.id)).returning();
  return u!;
}

export const DEFAULT_RULES = CLOCK_RULES;
