/**
 * A visit's finding followed up in one tap, besides a dispute (visits.ts): a **12345 matter** — recorded
 * through the incidents module's transfer path as a non-police incident already transferred to the
 * 12345 hotline (as the citizen portal's 12345 reports are) — or a **task** of the station: owned by the
 * grid's community officer, due on a local day, listed on "my grid" and closed there. One follow-up per
 * finding (the link's primary key, asked under a lock first to answer a clear 409).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import { notFound } from '../../core/errors.js';
import type { Write } from '../../kernel/write.js';
import { localDay } from '../../core/clock.js';
import { stationScope } from './access.js';
import type { CommunityDeps } from './deps.js';
import { invalidField, refuse } from './errors.js';
import { addDays } from './domain/week.js';
import { FINDING_LABELS, type FindingCode } from './domain/vocabulary.js';
import { communityFindingLinks, communityGridOwners, communityTasks, communityVisits } from './schema.js';
import { scopedVisit } from './visits.js';

type VisitRow = typeof communityVisits.$inferSelect;
type TaskRow = typeof communityTasks.$inferSelect;

/** Municipal matters of the non-police family that go to 12345 (08 01 ……). */
export const HOTLINE_CATEGORY = /^0801\d{4}$/;
export const DEFAULT_HOTLINE_CATEGORY = '08010102';
/** How long 12345 has to answer a transfer made from a visit. */
const TRANSFER_DUE_HOURS = 72;
const DEFAULT_TASK_DAYS = 7;

function findingOf(visit: VisitRow, finding: number) {
  const f = (visit.findings as { code: FindingCode; note: string | null }[])[finding];
  if (!f) throw invalidField('finding', '该走访没有这个问题', 'this visit has no such finding');
  return f;
}

async function linkOf(db: CommunityDeps['db'], visitId: string, finding: number) {
  const [l] = await db.select().from(communityFindingLinks).where(and(eq(communityFindingLinks.visitId, visitId), eq(communityFindingLinks.finding, finding)));
  return l;
}

/** Takes the finding's lock in the write and refuses a second follow-up (409). */
async function claimFinding(w: Write, visit: VisitRow, finding: number) {
  w.entity(visit.id);
  await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'community-finding:' + visit.id}))`);
  if (await linkOf(w.tx, visit.id, finding)) throw refuse('该问题已转办', 'this finding has already been followed up');
}

export interface HotlineBody {
  categoryCode?: string;
  description?: string;
}

/**
 * Before the write (the incidents module writes on its own, as for the citizen portal): the finding is
 * recorded as a non-police incident transferred to 12345. Nothing is recorded when the finding already
 * went somewhere (the write then answers 409, or the stored answer of a retry).
 */
export async function prepareHotline(deps: CommunityDeps, p: Principal, visitId: string, finding: number, body: HotlineBody) {
  if (!deps.incidents) throw refuse('警情模块未启用', 'the incidents module is not part of this server', 404);
  const visit = await scopedVisit(deps, p, visitId);
  const f = findingOf(visit, finding);
  const categoryCode = body.categoryCode ?? DEFAULT_HOTLINE_CATEGORY;
  if (!HOTLINE_CATEGORY.test(categoryCode)) throw invalidField('categoryCode', '转 12345 须为市政民生类别（0801 开头的末级类别）', 'a 12345 matter needs a municipal-services leaf category (0801……)');
  if (await linkOf(deps.db, visit.id, finding)) return { visit, incident: null };
  const description = (body.description?.trim() || f.note || FINDING_LABELS[f.code].zh).slice(0, 1900);
  const made = await deps.incidents.create(p, {
    source: 'officer',
    categoryCode,
    description: `[入户走访发现] ${description}`,
    ...(visit.addressCode ? { addressCode: visit.addressCode } : { location: { lon: visit.lon, lat: visit.lat } }),
    transfer: { target: '12345', reason: '入户走访发现，非警务事项 / found on a home visit, not a police matter', dueHours: TRANSFER_DUE_HOURS },
  });
  return { visit, incident: { id: made.row.id, number: made.row.number } };
}

export async function hotlineFromFindingIn(w: Write, p: Principal, visit: VisitRow, finding: number, incident: { id: string; number: string } | null) {
  await claimFinding(w, visit, finding);
  if (!incident) throw refuse('该问题已转办', 'this finding has already been followed up');
  await w.tx.insert(communityFindingLinks).values({ visitId: visit.id, finding, kind: 'hotline12345', targetId: incident.id, targetNumber: incident.number, stationId: visit.stationId, by: p.username });
  return { visitId: visit.id, finding, followUp: { kind: 'hotline12345' as const, id: incident.id, number: incident.number } };
}

export interface TaskBody {
  title?: string;
  dueOn?: string;
}

/** Who owns a task: the first owner of the visit's grid, else the officer who made the visit. */
async function taskOwner(deps: CommunityDeps, visit: VisitRow): Promise<string> {
  if (!visit.gridId) return visit.officerId;
  const [o] = await deps.db.select({ userId: communityGridOwners.userId }).from(communityGridOwners).where(eq(communityGridOwners.gridId, visit.gridId)).orderBy(asc(communityGridOwners.assignedAt), asc(communityGridOwners.userId)).limit(1);
  return o?.userId ?? visit.officerId;
}

export async function prepareTask(deps: CommunityDeps, p: Principal, visitId: string, finding: number, body: TaskBody, now = new Date()) {
  const visit = await scopedVisit(deps, p, visitId);
  const f = findingOf(visit, finding);
  const today = localDay(now);
  const dueOn = body.dueOn ?? addDays(today, DEFAULT_TASK_DAYS);
  if (dueOn < today) throw invalidField('dueOn', '期限不能早于今天', 'dueOn cannot be before today');
  if (dueOn > addDays(today, 366)) throw invalidField('dueOn', '期限不能超过一年', 'dueOn cannot be more than a year ahead');
  const title = (body.title?.trim() || f.note || FINDING_LABELS[f.code].zh).slice(0, 200);
  return { visit, task: { title, dueOn, ownerId: await taskOwner(deps, visit) } };
}

export async function taskFromFindingIn(w: Write, p: Principal, visit: VisitRow, finding: number, t: { title: string; dueOn: string; ownerId: string }) {
  await claimFinding(w, visit, finding);
  const id = randomUUID();
  await w.tx.insert(communityTasks).values({ id, visitId: visit.id, finding, stationId: visit.stationId, gridId: visit.gridId, ownerId: t.ownerId, title: t.title, dueOn: t.dueOn, createdBy: p.username });
  await w.tx.insert(communityFindingLinks).values({ visitId: visit.id, finding, kind: 'task', targetId: id, targetNumber: null, stationId: visit.stationId, by: p.username });
  return { visitId: visit.id, finding, followUp: { kind: 'task' as const, id, number: null } };
}

export function taskView(r: TaskRow, today = localDay(new Date())) {
  return { id: r.id, visitId: r.visitId, finding: r.finding, gridId: r.gridId, ownerId: r.ownerId, title: r.title, dueOn: r.dueOn, overdue: r.status === 'open' && r.dueOn < today, status: r.status as 'open' | 'done', closingNote: r.closingNote, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy, closedAt: r.closedAt?.toISOString() ?? null };
}

/** My tasks: the open ones by due day, then those closed in the last 7 days. */
export async function myTasks(deps: CommunityDeps, p: Principal, now = new Date()) {
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const rows = await deps.db
    .select()
    .from(communityTasks)
    .where(and(eq(communityTasks.ownerId, p.id), sql`(${communityTasks.status} = 'open' or ${communityTasks.closedAt} >= ${since})`))
    .orderBy(sql`${communityTasks.status} = 'open' desc`, asc(communityTasks.dueOn), asc(communityTasks.id))
    .limit(200);
  const today = localDay(now);
  return { items: rows.map((r) => taskView(r, today)) };
}

/** Closes a task: its owner, or staff of the station with the follow-up permission. */
export async function closeTaskIn(w: Write, p: Principal, id: string, note: string | undefined, now = new Date()) {
  const [row] = await w.tx.select().from(communityTasks).where(and(eq(communityTasks.id, id), stationScope(p, communityTasks.stationId))).for('update');
  if (!row) throw notFound('task');
  if (row.status !== 'open') throw refuse('该任务已办结', 'this task is already done');
  w.entity(id);
  const [done] = await w.tx.update(communityTasks).set({ status: 'done', closingNote: note?.trim() || null, closedAt: now, closedBy: p.username }).where(eq(communityTasks.id, id)).returning();
  return taskView(done!, localDay(now));
}
