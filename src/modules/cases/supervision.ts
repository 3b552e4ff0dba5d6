/**
 * Supervision notices and case reviews as stored (issue 14 part 5). Each write is one transaction with
 * its audit row (routeWrite); a notice's state changes under its row lock (`for update`), so an answer
 * and a verification arriving together are taken one after the other and the second sees the first's
 * state. The rules are the pure domain/notices.ts and domain/review.ts.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../core/errors.js';
import { unitScope, type Principal } from '../../core/access.js';
import type { Write } from '../../kernel/write.js';
import { cases } from './schema.js';
import { caseNotices, caseReviews, type NoticeStepRecord } from './supervision-schema.js';
import { invalidField, refuse, scopedCase, type CaseDeps } from './store.js';
import { answeredLate, nextNoticeState, noticeErrors, type NoticeAction, type NoticeState, type ProblemItem } from './domain/notices.js';
import { reviewErrors, scoreReview, type ItemScore } from './domain/review.js';

export type NoticeRow = typeof caseNotices.$inferSelect;
export type ReviewRow = typeof caseReviews.$inferSelect;

/** Station-held rows (notices, reviews): the station's own, a grid user's station, or everything below the unit. */
export function stationScope(p: Principal, column: PgColumn): SQL | undefined {
  if (p.unitKind === 'station') return eq(column, p.unitId);
  if (p.unitKind === 'grid') return eq(column, p.unitPath.split('/').filter(Boolean).at(-2) ?? p.unitId);
  return unitScope(p, column);
}

export async function scopedNotice(db: Db, p: Principal, id: string, lock = false): Promise<NoticeRow> {
  const q = db.select().from(caseNotices).where(and(eq(caseNotices.id, id), stationScope(p, caseNotices.stationId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw notFound('notice');
  return row;
}

export interface IssueInput {
  items: ProblemItem[];
  answerDueAt: string;
}

/** Issues a notice on a case of the supervisor's jurisdiction; numbered after the case (AJ…-01, -02…). */
export async function issueNoticeIn(w: Write, deps: CaseDeps, p: Principal, caseId: string, input: IssueInput, now = new Date()): Promise<NoticeRow> {
  // The case's row lock also serialises two notices issued on it at once (their ranks).
  const kase = await scopedCase(w.tx, p, caseId, true);
  w.entity(kase.id);
  const answerDueAt = new Date(input.answerDueAt);
  const items = input.items.map((i) => ({ type: i.type, description: i.description.trim() }));
  const bad = noticeErrors({ items, answerDueAt }, now);
  if (bad) throw invalidField(bad.field, bad.zh, bad.en);
  const [last] = await w.tx.select({ n: sql<number>`coalesce(max(${caseNotices.seq}), 0)::int` }).from(caseNotices).where(eq(caseNotices.caseId, kase.id));
  const seq = (last?.n ?? 0) + 1;
  const [row] = await w.tx
    .insert(caseNotices)
    .values({ id: randomUUID(), number: `${kase.number}-${String(seq).padStart(2, '0')}`, caseId: kase.id, seq, stationId: kase.stationId, officer: kase.officer, state: 'issued', items, problemTypes: [...new Set(items.map((i) => i.type))], issuedAt: now, issuedBy: p.username, answerDueAt })
    .returning();
  return row!;
}

/** The station answers: its chief (or an administrator), or the case's officer in charge. */
function mayAnswer(p: Principal, notice: NoticeRow, caseOfficer: string): boolean {
  return p.roles.includes('chief') || p.roles.includes('admin') || p.username === caseOfficer || p.username === notice.officer;
}

async function step(w: Write, p: Principal, row: NoticeRow, action: NoticeAction, record: NoticeStepRecord, now: Date): Promise<NoticeRow> {
  const next = nextNoticeState(row.state as NoticeState, action, now);
  if (!next.ok) throw next.status === 409 ? refuse(next.zh, next.en) : invalidField(next.field, next.zh, next.en);
  const late = action.type === 'answer' && answeredLate(now, row.answerDueAt);
  const [u] = await w.tx
    .update(caseNotices)
    .set({
      state: next.state,
      steps: [...row.steps, { ...record, ...(action.type === 'answer' ? { late } : {}) }],
      ...(action.type === 'answer' && !row.firstAnsweredAt ? { firstAnsweredAt: now } : {}),
      ...(late ? { late: true } : {}),
      ...(action.type === 'return' ? { answerDueAt: action.answerDueAt } : {}),
      ...(next.state === 'accepted' ? { closedAt: now } : {}),
      version: sql`${caseNotices.version} + 1`,
    })
    // The lock makes this the only writer; the version check says so in the statement too.
    .where(and(eq(caseNotices.id, row.id), eq(caseNotices.version, row.version)))
    .returning();
  if (!u) throw new AppError(409, 'case_rule', { zh: '通知书已被他人更新，请刷新', en: 'the notice was changed meanwhile: reload it' });
  return u;
}

export async function answerNoticeIn(w: Write, p: Principal, id: string, input: { text: string }, now = new Date()): Promise<NoticeRow> {
  const row = await scopedNotice(w.tx, p, id, true);
  w.entity(row.id);
  const [kase] = await w.tx.select({ officer: cases.officer }).from(cases).where(eq(cases.id, row.caseId));
  if (!mayAnswer(p, row, kase?.officer ?? row.officer)) throw refuse('只有所长或主办民警可以回复', 'only the station chief or the officer in charge may answer', 403);
  const text = input.text.trim();
  return step(w, p, row, { type: 'answer', text }, { action: 'answer', at: now.toISOString(), by: p.username, text }, now);
}

export interface VerifyInput {
  result: 'accepted' | 'returned';
  comment?: string;
  answerDueAt?: string;
}

export async function verifyNoticeIn(w: Write, p: Principal, id: string, input: VerifyInput, now = new Date()): Promise<NoticeRow> {
  const row = await scopedNotice(w.tx, p, id, true);
  w.entity(row.id);
  const comment = input.comment?.trim();
  if (input.result === 'accepted') return step(w, p, row, { type: 'accept', comment }, { action: 'accept', at: now.toISOString(), by: p.username, ...(comment ? { comment } : {}) }, now);
  if (!input.answerDueAt) throw invalidField('answerDueAt', '退回须给出新的回复期限', 'a return needs a new answerDueAt');
  const due = new Date(input.answerDueAt);
  return step(w, p, row, { type: 'return', comment: comment ?? '', answerDueAt: due }, { action: 'return', at: now.toISOString(), by: p.username, comment, answerDueAt: due.toISOString() }, now);
}

export interface ReviewInput {
  items: ItemScore[];
  comment?: string;
}

/**
 * Reviews a closed case (一案一评). One review per case: a second is refused (409) — a review is the
 * record of what was found then, and a correction is a supervision notice, not a rewritten score.
 */
export async function reviewCaseIn(w: Write, _deps: CaseDeps, p: Principal, caseId: string, input: ReviewInput, now = new Date()): Promise<ReviewRow> {
  const kase = await scopedCase(w.tx, p, caseId, true);
  w.entity(kase.id);
  if (!kase.closedAt) throw refuse('只能评查已结案的案件', 'only a closed case can be reviewed');
  const [existing] = await w.tx.select({ id: caseReviews.id }).from(caseReviews).where(eq(caseReviews.caseId, kase.id));
  if (existing) throw refuse('该案件已评查，每案只评一次', 'the case has been reviewed: one review per case');
  const items = input.items.map((i) => ({ id: i.id, result: i.result, ...(i.note?.trim() ? { note: i.note.trim() } : {}) }));
  const bad = reviewErrors(items);
  if (bad) throw invalidField(bad.field, bad.zh, bad.en);
  const { score, grade } = scoreReview(items);
  const [row] = await w.tx
    .insert(caseReviews)
    .values({ id: randomUUID(), caseId: kase.id, stationId: kase.stationId, officer: kase.officer, items, score, grade, comment: input.comment?.trim() || null, reviewedAt: now, reviewedBy: p.username })
    .returning();
  return row!;
}

export async function reviewOf(db: Db, caseId: string): Promise<ReviewRow | null> {
  const [row] = await db.select().from(caseReviews).where(eq(caseReviews.caseId, caseId));
  return row ?? null;
}
