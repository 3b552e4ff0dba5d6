/**
 * Linking recordings to incidents and cases, and the linkage rate. Automatic: a stored recording is
 * linked to the incident of every assignment of its officer whose window (dispatched → cleared, ± the
 * margin) overlaps it (domain/linkage.ts); the cases opened from that incident see it through the
 * incident, also cases opened later. By hand: a case (optionally naming the step it records).
 */
import { and, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { unitScope, type Principal } from '../../core/access.js';
import type { Write } from '../../kernel/write.js';
import { caseStepsOfTypes, type CaseRef, type CaseScope, type CaseStep } from '../cases/index.js';
import { crewAssignments, onSceneAssignments } from '../dispatch/index.js';
import { media, mediaExemptions, mediaLinks } from './schema.js';
import { linkageFigure, matchingAssignments, REQUIRED_CASE_STEPS, stepCovered, type LinkageFigure } from './domain/linkage.js';
import type { MediaRow } from './upload.js';

/** Recordings sit at stations; a grid user sees those of the grid's station. */
export function mediaScope(p: CaseScope) {
  if (p.unitKind === 'station') return eq(media.stationId, p.unitId);
  if (p.unitKind === 'grid') return eq(media.stationId, p.unitPath.split('/').filter(Boolean).at(-2) ?? p.unitId);
  return unitScope(p as Principal, media.stationId);
}

export interface LinkView {
  kind: 'incident' | 'case';
  id: string;
  how: 'auto' | 'manual';
  assignmentId: string | null;
  eventId: string | null;
}

/** Links a freshly stored recording: its officer's assignments, and what was named at creation. */
export async function linkStoredIn(w: Write, row: MediaRow, marginMinutes: number, by: string, now = new Date()): Promise<LinkView[]> {
  const margin = marginMinutes * 60_000;
  const windows = await crewAssignments(w.tx, row.officerId, new Date(row.recordedFrom.getTime() - margin), new Date(row.recordedTo.getTime() + margin));
  const links: (typeof mediaLinks.$inferInsert)[] = [];
  for (const a of matchingAssignments({ from: row.recordedFrom, to: row.recordedTo }, windows, margin, now))
    if (!links.some((l) => l.targetId === a.incidentId)) links.push({ mediaId: row.id, targetKind: 'incident', targetId: a.incidentId, how: 'auto', assignmentId: a.id, linkedBy: 'system', linkedAt: now });
  for (const m of row.requestedLinks ?? [])
    if (!links.some((l) => l.targetKind === m.kind && l.targetId === m.id)) links.push({ mediaId: row.id, targetKind: m.kind, targetId: m.id, how: 'manual', linkedBy: by, linkedAt: now });
  if (links.length) await w.tx.insert(mediaLinks).values(links).onConflictDoNothing();
  return links.map((l) => ({ kind: l.targetKind as 'incident' | 'case', id: l.targetId, how: l.how as 'auto' | 'manual', assignmentId: l.assignmentId ?? null, eventId: null }));
}

export async function linksOf(db: Db, mediaIds: readonly string[]): Promise<Map<string, LinkView[]>> {
  const out = new Map<string, LinkView[]>();
  if (!mediaIds.length) return out;
  for (const l of await db.select().from(mediaLinks).where(inArray(mediaLinks.mediaId, [...mediaIds])))
    (out.get(l.mediaId) ?? out.set(l.mediaId, []).get(l.mediaId)!).push({ kind: l.targetKind as 'incident' | 'case', id: l.targetId, how: l.how as 'auto' | 'manual', assignmentId: l.assignmentId, eventId: l.eventId });
  return out;
}

/** Links that bring a recording to a case: to the case itself, or to one of its incidents. */
function caseLinkCondition(c: Pick<CaseRef, 'id' | 'incidentIds'>) {
  const toCase = and(eq(mediaLinks.targetKind, 'case'), eq(mediaLinks.targetId, c.id));
  return c.incidentIds.length ? or(toCase, and(eq(mediaLinks.targetKind, 'incident'), inArray(mediaLinks.targetId, c.incidentIds))) : toCase;
}

/** Recordings that count: stored, or stored then purged after their retention. */
const counted = and(ne(media.status, 'uploading'), ne(media.status, 'refused'));

/** The recordings of a case (directly or through its incidents) with the link that brings each. */
export async function recordingsOfCase(db: Db, c: Pick<CaseRef, 'id' | 'incidentIds'>): Promise<{ row: MediaRow; link: LinkView }[]> {
  const rows = await db.select({ m: media, l: mediaLinks }).from(mediaLinks).innerJoin(media, eq(media.id, mediaLinks.mediaId)).where(and(caseLinkCondition(c), counted)).orderBy(media.recordedFrom).limit(1000);
  const seen = new Map<string, { row: MediaRow; link: LinkView }>();
  for (const { m, l } of rows) {
    const link: LinkView = { kind: l.targetKind as 'incident' | 'case', id: l.targetId, how: l.how as 'auto' | 'manual', assignmentId: l.assignmentId, eventId: l.eventId };
    const prev = seen.get(m.id);
    // A direct link to the case says more (its step) than the one through the incident.
    if (!prev || (link.kind === 'case' && prev.link.kind !== 'case')) seen.set(m.id, { row: m, link });
  }
  return [...seen.values()];
}

export interface StepCoverage {
  step: CaseStep;
  mediaIds: string[];
  exemption: { reason: string; comment: string; recordedBy: string; recordedAt: Date } | null;
}

/** The required steps of one case, each with the recordings that cover it or the reason given. */
export async function caseCoverage(db: Db, c: Pick<CaseRef, 'id' | 'incidentIds'>, marginMinutes: number, recs?: { row: MediaRow; link: LinkView }[]): Promise<StepCoverage[]> {
  const steps = await caseStepsOfTypes(db, { caseId: c.id }, REQUIRED_CASE_STEPS);
  if (!steps.length) return [];
  const recordings = recs ?? (await recordingsOfCase(db, c));
  const exemptions = await db.select().from(mediaExemptions).where(and(eq(mediaExemptions.stepKind, 'case_event'), inArray(mediaExemptions.stepId, steps.map((s) => s.id))));
  const margin = marginMinutes * 60_000;
  return steps.map((step) => {
    const mediaIds = recordings.filter((r) => stepCovered(step, [{ from: r.row.recordedFrom, to: r.row.recordedTo, eventId: r.link.eventId }], margin)).map((r) => r.row.id);
    const e = exemptions.find((x) => x.stepId === step.id);
    return { step, mediaIds, exemption: e ? { reason: e.reason, comment: e.comment, recordedBy: e.recordedBy, recordedAt: e.recordedAt } : null };
  });
}

/**
 * Linkage rate of a jurisdiction over [from, to): the steps that require a recording — the on-scene
 * enforcement steps of its cases (domain/linkage.ts REQUIRED_CASE_STEPS) and every 110 response (an
 * assignment that reached the scene) — and how many have a linked recording (rate = linked ÷ required),
 * how many have a reason instead, how many neither. `scope`: a principal, or any unit as
 * `{ unitId, unitPath, unitKind }`.
 */
export async function linkageRate(db: Db, scope: CaseScope, from: Date, to: Date, marginMinutes = 5): Promise<LinkageFigure> {
  const margin = marginMinutes * 60_000;
  const steps = await caseStepsOfTypes(db, { scope, from, to }, REQUIRED_CASE_STEPS);
  let linked = 0;
  let justified = 0;
  // Recordings of the cases concerned, read once.
  const caseIds = [...new Set(steps.map((s) => s.caseId))];
  const incidentIds = [...new Set(steps.flatMap((s) => s.incidentIds))];
  const recs = caseIds.length
    ? await db
        .select({ from: media.recordedFrom, to: media.recordedTo, kind: mediaLinks.targetKind, target: mediaLinks.targetId, eventId: mediaLinks.eventId })
        .from(mediaLinks)
        .innerJoin(media, eq(media.id, mediaLinks.mediaId))
        .where(and(counted, or(and(eq(mediaLinks.targetKind, 'case'), inArray(mediaLinks.targetId, caseIds)), incidentIds.length ? and(eq(mediaLinks.targetKind, 'incident'), inArray(mediaLinks.targetId, incidentIds)) : sql`false`)))
    : [];
  const exempt = new Set<string>();
  const stepIds = steps.map((s) => s.id);
  const assignments = await onSceneAssignments(db, scope, from, to);
  const assignmentIds = assignments.map((a) => a.id);
  for (const kind of ['case_event', 'assignment'] as const) {
    const ids = kind === 'case_event' ? stepIds : assignmentIds;
    for (let i = 0; i < ids.length; i += 5000)
      for (const e of await db.select({ id: mediaExemptions.stepId }).from(mediaExemptions).where(and(eq(mediaExemptions.stepKind, kind), inArray(mediaExemptions.stepId, ids.slice(i, i + 5000))))) exempt.add(`${kind}:${e.id}`);
  }
  for (const s of steps) {
    const mine = recs.filter((r) => (r.kind === 'case' && r.target === s.caseId) || (r.kind === 'incident' && s.incidentIds.includes(r.target)));
    if (stepCovered(s, mine, margin)) linked++;
    else if (exempt.has(`case_event:${s.id}`)) justified++;
  }
  const filmed = new Set<string>();
  for (let i = 0; i < assignmentIds.length; i += 5000)
    for (const r of await db.selectDistinct({ a: mediaLinks.assignmentId }).from(mediaLinks).innerJoin(media, eq(media.id, mediaLinks.mediaId)).where(and(counted, inArray(mediaLinks.assignmentId, assignmentIds.slice(i, i + 5000))))) filmed.add(r.a!);
  for (const a of assignments) {
    if (filmed.has(a.id)) linked++;
    else if (exempt.has(`assignment:${a.id}`)) justified++;
  }
  return linkageFigure(steps.length + assignments.length, linked, justified);
}
