/**
 * What the media module (body-cam linkage, issue 14 part 4) reads of cases, through the cases index:
 * the cases opened from incidents, one case in a user's scope, the steps in force of given types, and
 * which cases are major (a recording linked to one is kept for good). Reads only.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import { caseEvents, cases } from './schema.js';
import { asCaseEvent, caseScope, scopedCase } from './store.js';
import { effectiveEvents, type EventType } from './domain/events.js';

/** The part of a principal that scoping reads (a station's or branch's stats may pass a unit of its own). */
export type CaseScope = Pick<Principal, 'unitId' | 'unitPath' | 'unitKind'>;

export interface CaseRef {
  id: string;
  number: string;
  stationId: string;
  incidentIds: string[];
}

const ref = (r: typeof cases.$inferSelect): CaseRef => ({ id: r.id, number: r.number, stationId: r.stationId, incidentIds: r.incidentIds?.length ? r.incidentIds : r.incidentId ? [r.incidentId] : [] });

/** Every case opened from (or later linked to) one of these incidents. */
export async function casesOfIncidents(db: Db, incidentIds: readonly string[]): Promise<CaseRef[]> {
  if (!incidentIds.length) return [];
  const ids = sql`array[${sql.join([...incidentIds].map((i) => sql`${i}`), sql`, `)}]::text[]`;
  const rows = await db.select().from(cases).where(sql`(${cases.incidentId} = any(${ids}) or ${cases.incidentIds} ?| ${ids})`).limit(1000);
  return rows.map(ref);
}

/** One case the user may see (404 otherwise). */
export async function caseInScope(db: Db, p: CaseScope, id: string): Promise<CaseRef> {
  return ref(await scopedCase(db, p as Principal, id));
}

export interface CaseStep {
  caseId: string;
  caseNumber: string;
  stationId: string;
  incidentIds: string[];
  officer: string;
  id: string;
  type: EventType;
  at: Date;
  subject: string | null;
}

/**
 * The steps in force (a replaced or voided record does not count) of the given types, of one case or of
 * every case in scope, done in [from, to).
 */
export async function caseStepsOfTypes(db: Db, where: { caseId: string } | { scope: CaseScope; from: Date; to: Date }, types: readonly EventType[]): Promise<CaseStep[]> {
  const caseRows =
    'caseId' in where
      ? await db.select().from(cases).where(eq(cases.id, where.caseId))
      : await db
          .select()
          .from(cases)
          .where(and(caseScope(where.scope as Principal), sql`exists (select 1 from ${caseEvents} e where e.case_id = ${cases.id} and e.type in ${sql`(${sql.join(types.map((t) => sql`${t}`), sql`, `)})`} and e.at >= ${where.from} and e.at < ${where.to})`))
          .limit(20_000);
  if (!caseRows.length) return [];
  const byId = new Map(caseRows.map((r) => [r.id, r]));
  const events = await db.select().from(caseEvents).where(inArray(caseEvents.caseId, [...byId.keys()])).orderBy(asc(caseEvents.seq));
  const perCase = new Map<string, (typeof events)[number][]>();
  for (const e of events) (perCase.get(e.caseId) ?? perCase.set(e.caseId, []).get(e.caseId)!).push(e);
  const wanted = new Set<string>(types);
  const out: CaseStep[] = [];
  for (const [caseId, rows] of perCase) {
    const c = byId.get(caseId)!;
    for (const e of effectiveEvents(rows.map(asCaseEvent))) {
      if (!wanted.has(e.type)) continue;
      if (!('caseId' in where) && (e.at < where.from || e.at >= where.to)) continue;
      out.push({ caseId, caseNumber: c.number, stationId: c.stationId, incidentIds: ref(c).incidentIds, officer: c.officer, id: e.id!, type: e.type, at: e.at, subject: e.subject ?? null });
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The cases among these that are major: granted an extension only a major case gets. */
export async function majorCaseIds(db: Db, caseIds: readonly string[], extensions: readonly string[]): Promise<Set<string>> {
  if (!caseIds.length) return new Set();
  const rows = await db
    .selectDistinct({ caseId: caseEvents.caseId })
    .from(caseEvents)
    .where(and(inArray(caseEvents.caseId, [...caseIds]), eq(caseEvents.type, 'extension'), inArray(sql<string>`${caseEvents.detail}->>'extension'`, [...extensions])));
  return new Set(rows.map((r) => r.caseId));
}

