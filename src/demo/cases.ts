/**
 * The demo's cases (issue 14), written with the incident history (history.ts, in the transaction that
 * marks it done): about one case for every 12 criminal (刑事) and every 25 public-order (治安) incidents of
 * the last 60 days, each with the steps such a case takes — filing review, detention and interrogation,
 * arrest request, summons and questioning, closing or transfer for prosecution — mostly on time, a few
 * late, and at the chief's station the clocks a supervisor should see today: one detention not yet
 * questioned after 26 hours (red), a filing review due within the day and a summons still running
 * (yellow). Suspects are named "某" style. Once per database: the `demo_cases` setting says it is written.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { orgUnits, settings } from '../db/schema.js';
import { incidents } from '../modules/incidents/index.js';
import { caseCounters, caseEvents, cases } from '../modules/cases/schema.js';
import { CLOCK_RULES, computeClocks, nextDue, type CaseKind, type EventType } from '../modules/cases/index.js';
import { defaultCalendar } from '../core/working-days.js';
import { localDayCompact } from '../core/clock.js';
import { mulberry32 } from '../core/random.js';

export const CASES_SETTING = 'demo_cases';
const H = 3_600_000;
const DAYS = 60;
const SURNAMES = ['陈', '李', '黄', '张', '梁', '何', '林', '吴', '郑', '刘', '罗', '周'];

interface Step {
  type: EventType;
  at: number;
  subject?: string;
}

export async function seedDemoCases(db: Db, opts: { now: Date; log?: (msg: string) => void }): Promise<number> {
  const [done] = await db.select().from(settings).where(eq(settings.key, CASES_SETTING));
  if (done) return 0;
  const now = opts.now.getTime();
  const rand = mulberry32(1414);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const suspect = () => `${pick(SURNAMES)}某${rand() < 0.5 ? '某' : ''}`;
  const stations = await db.select({ id: orgUnits.id, code: orgUnits.code }).from(orgUnits).where(eq(orgUnits.kind, 'station')).orderBy(asc(orgUnits.code));
  const codeOf = new Map(stations.map((s) => [s.id, s.code]));
  const source = await db
    .select({ id: incidents.id, number: incidents.number, family: incidents.categoryFamily, description: incidents.description, stationId: incidents.stationId, recordedAt: incidents.recordedAt })
    .from(incidents)
    .where(and(inArray(incidents.categoryFamily, ['01', '02']), gte(incidents.recordedAt, new Date(now - DAYS * 86_400_000)), eq(incidents.createdBy, 'demo')))
    .orderBy(asc(incidents.recordedAt), asc(incidents.number));
  const chosen = source.filter((i) => i.stationId && codeOf.has(i.stationId) && rand() < (i.family === '01' ? 1 / 12 : 1 / 25));
  const calendar = defaultCalendar();
  const seq = new Map<string, number>();
  const caseRows: (typeof cases.$inferInsert)[] = [];
  const eventRows: (typeof caseEvents.$inferInsert)[] = [];
  const firstStation = stations[0]?.id;

  const add = (kind: CaseKind, inc: (typeof source)[number] | null, stationId: string, acceptedAt: number, steps: Step[], title?: string) => {
    const id = randomUUID();
    const code = codeOf.get(stationId)!;
    const day = localDayCompact(acceptedAt);
    const n = (seq.get(`${code}:${day}`) ?? 0) + 1;
    seq.set(`${code}:${day}`, n);
    const all: Step[] = [{ type: 'accepted', at: acceptedAt }, ...steps.filter((s) => s.at <= now)];
    const closing = all.find((s) => s.type === 'closed' || s.type === 'transferred_for_prosecution' || s.type === 'not_filed');
    const events = all.map((s) => ({ id: randomUUID(), type: s.type, at: new Date(s.at), ...(s.subject ? { subject: s.subject } : {}) }));
    const due = nextDue(computeClocks(events, CLOCK_RULES, calendar, { caseKind: kind, explain: false }), new Date(now));
    caseRows.push({
      id,
      number: `AJ${code}${day}${String(n).padStart(4, '0')}`,
      kind,
      title: (title ?? `${inc!.number} ${inc!.description ?? ''}`).trim().slice(0, 200),
      incidentId: inc?.id ?? null,
      incidentIds: inc ? [inc.id] : [],
      stationId,
      officer: stationId === firstStation ? 'chief' : 'demo',
      status: closing ? 'closed' : 'open',
      openedAt: new Date(acceptedAt),
      openedBy: 'demo',
      closedAt: closing ? new Date(closing.at) : null,
      ...due,
    });
    for (const e of events) eventRows.push({ id: e.id, caseId: id, type: e.type, at: e.at, detail: e.subject ? { subject: e.subject } : {}, recordedAt: e.at, recordedBy: 'demo' });
  };

  for (const inc of chosen) {
    const accepted = inc.recordedAt.getTime() + (1 + rand() * 3) * H;
    if (accepted > now) continue;
    const steps: Step[] = [];
    if (inc.family === '01') {
      const late = rand() < 0.04;
      steps.push({ type: rand() < 0.85 ? 'filed' : 'not_filed', at: accepted + (late ? 4 : 0.3 + rand() * 2.2) * 86_400_000 });
      if (steps[0]!.type === 'filed' && rand() < 0.35) {
        const who = suspect();
        const detained = steps[0]!.at + rand() * 5 * 86_400_000;
        steps.push({ type: 'detention', at: detained, subject: who }, { type: 'questioning_started', at: detained + (2 + rand() * 18) * H, subject: who });
        if (rand() < 0.6) steps.push({ type: 'arrest_requested', at: detained + (1 + rand() * 2) * 86_400_000, subject: who }, { type: 'arrest_approved', at: detained + (4 + rand() * 2) * 86_400_000, subject: who });
        else steps.push({ type: 'released', at: detained + (1 + rand() * 2) * 86_400_000, subject: who });
      }
      if (steps[0]!.type === 'filed' && rand() < 0.5) steps.push({ type: 'closed', at: accepted + (10 + rand() * 40) * 86_400_000 });
    } else {
      if (rand() < 0.4) {
        const who = suspect();
        const summoned = accepted + rand() * 2 * 86_400_000;
        steps.push({ type: 'summons', at: summoned, subject: who }, { type: 'questioning_ended', at: summoned + (1 + rand() * 6) * H, subject: who });
      }
      steps.push({ type: 'closed', at: accepted + (rand() < 0.05 ? 32 : 2 + rand() * 25) * 86_400_000 });
    }
    add(inc.family === '01' ? 'criminal' : 'administrative', inc, inc.stationId!, accepted, steps.sort((a, b) => a.at - b.at));
  }
  if (firstStation) {
    const who = suspect();
    add('criminal', null, firstStation, now - 40 * H, [{ type: 'filed', at: now - 30 * H }, { type: 'detention', at: now - 26 * H, subject: who }], `故意伤害案（${who}）`);
    add('criminal', null, firstStation, now - 62 * H, [], '入室盗窃案（待立案审查）');
    add('administrative', null, firstStation, now - 6 * H, [{ type: 'summons', at: now - 5 * H, subject: suspect() }], '殴打他人案（传唤询问中）');
  }
  for (let i = 0; i < caseRows.length; i += 500) await db.insert(cases).values(caseRows.slice(i, i + 500));
  for (let i = 0; i < eventRows.length; i += 1000) await db.insert(caseEvents).values(eventRows.slice(i, i + 1000));
  for (const [key, lastSeq] of seq) {
    const [stationCode, day] = key.split(':') as [string, string];
    await db.insert(caseCounters).values({ stationCode, day, lastSeq }).onConflictDoUpdate({ target: [caseCounters.stationCode, caseCounters.day], set: { lastSeq: sql`greatest(${caseCounters.lastSeq}, ${lastSeq})` } });
  }
  await db.insert(settings).values({ key: CASES_SETTING, value: { cases: caseRows.length, seededAt: new Date().toISOString() } });
  opts.log?.(`demo cases: ${caseRows.length} cases, ${eventRows.length} steps`);
  return caseRows.length;
}
