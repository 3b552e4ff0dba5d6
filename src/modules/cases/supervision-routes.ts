/**
 * The supervision API (issue 14 parts 5–6): notices on a case (issue, answer, verify, list), the review
 * of a closed case, and the figures. Writes are one transaction with their audit row and Idempotency-Key.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { and, asc, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import { routeWrite } from '../../kernel/http-write.js';
import { cases } from './schema.js';
import { caseNotices } from './supervision-schema.js';
import { invalidField, scopedCase, type CaseDeps } from './store.js';
import { answerNoticeIn, issueNoticeIn, reviewCaseIn, reviewOf, scopedNotice, stationScope, verifyNoticeIn, type NoticeRow, type ReviewRow } from './supervision.js';
import { caseStats } from './stats.js';
import { AWAITING_ANSWER, isOverdue, type NoticeState, type ProblemType } from './domain/notices.js';
import type { Grade, ItemResult } from './domain/review.js';
import * as C from './supervision-contract.js';

const TAGS = ['cases'];
const iso = (d: Date | null) => (d ? d.toISOString() : null);

function noticeView(n: NoticeRow, kase: { number: string; title: string }, now = new Date()) {
  return {
    id: n.id,
    number: n.number,
    caseId: n.caseId,
    caseNumber: kase.number,
    caseTitle: kase.title,
    stationId: n.stationId,
    officer: n.officer,
    state: n.state as NoticeState,
    items: n.items.map((i) => ({ type: i.type as ProblemType, description: i.description })),
    issuedAt: n.issuedAt.toISOString(),
    issuedBy: n.issuedBy,
    answerDueAt: n.answerDueAt.toISOString(),
    overdue: isOverdue({ state: n.state as NoticeState, answerDueAt: n.answerDueAt }, now),
    firstAnsweredAt: iso(n.firstAnsweredAt),
    late: n.late,
    steps: n.steps,
    closedAt: iso(n.closedAt),
    version: n.version,
  };
}

function reviewView(r: ReviewRow) {
  return { id: r.id, caseId: r.caseId, stationId: r.stationId, officer: r.officer, items: r.items.map((i) => ({ id: i.id, result: i.result as ItemResult, ...(i.note ? { note: i.note } : {}) })), score: r.score, grade: r.grade as Grade, comment: r.comment, reviewedAt: r.reviewedAt.toISOString(), reviewedBy: r.reviewedBy };
}

export default async function supervisionRoutes(fastify: FastifyInstance, opts: { deps: CaseDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const { db, writes } = deps;
  const write = (entity: string, action: string) => ({ audit: { entity, action }, idempotency: 'in-write' as const });
  const caseOf = async (tx: typeof db, id: string) => (await tx.select({ number: cases.number, title: cases.title }).from(cases).where(eq(cases.id, id)))[0] ?? { number: '', title: '' };

  app.post(
    '/cases/:id/notices',
    { config: { permission: 'case.notice', ...write('case_notice', 'case.notice.issue') }, schema: { tags: TAGS, summary: 'Issue a supervision notice (执法监督通知书) on a case: the problems found, by type, and a due date for the station’s answer', params: IdParams, body: C.IssueBody, response: { 201: C.Notice, ...ErrorAnswers } } },
    async (req, reply) => {
      req.auditDetail = { caseId: req.params.id, problems: req.body.items.map((i) => i.type) };
      return routeWrite(writes, req, reply, 201, async (w) => {
        const n = await issueNoticeIn(w, deps, req.principal!, req.params.id, req.body);
        return noticeView(n, await caseOf(w.tx, n.caseId));
      });
    },
  );

  app.get(
    '/notices',
    { config: { permission: 'case.read' }, schema: { tags: TAGS, summary: 'Supervision notices in my jurisdiction: those owing an answer first, by due date', querystring: C.NoticeQuery, response: { 200: C.NoticeList, ...ErrorAnswers } } },
    async (req) => {
      const q = req.query;
      const now = new Date();
      const where = and(
        stationScope(req.principal!, caseNotices.stationId),
        q.state?.length ? inArray(caseNotices.state, q.state) : undefined,
        q.overdue === true ? and(inArray(caseNotices.state, AWAITING_ANSWER as NoticeState[]), lt(caseNotices.answerDueAt, now)) : undefined,
        q.overdue === false ? sql`not (${caseNotices.state} in ('issued', 'returned') and ${caseNotices.answerDueAt} < ${now.toISOString()})` : undefined,
        q.caseId ? eq(caseNotices.caseId, q.caseId) : undefined,
      );
      const owing = sql`case when ${caseNotices.state} in ('issued', 'returned') then 0 when ${caseNotices.state} = 'answered' then 1 else 2 end`;
      const [rows, [total]] = await Promise.all([
        db
          .select({ n: caseNotices, number: cases.number, title: cases.title })
          .from(caseNotices)
          .innerJoin(cases, eq(cases.id, caseNotices.caseId))
          .where(where)
          .orderBy(owing, asc(caseNotices.answerDueAt), desc(caseNotices.issuedAt))
          .limit(q.limit ?? 50)
          .offset(q.offset ?? 0),
        db.select({ n: count() }).from(caseNotices).where(where),
      ]);
      return { items: rows.map((r) => noticeView(r.n, r, now)), total: total?.n ?? 0 };
    },
  );

  app.get(
    '/notices/:id',
    { config: { permission: 'case.read' }, schema: { tags: TAGS, summary: 'One supervision notice with its answers and verifications', params: IdParams, response: { 200: C.Notice, ...ErrorAnswers } } },
    async (req) => {
      const n = await scopedNotice(db, req.principal!, req.params.id);
      return noticeView(n, await caseOf(db, n.caseId));
    },
  );

  app.post(
    '/notices/:id/answer',
    { config: { permission: 'case.answer', ...write('case_notice', 'case.notice.answer') }, schema: { tags: TAGS, summary: 'The station’s answer to a notice (the chief or the officer in charge): what was rectified', params: IdParams, body: C.AnswerBody, response: { 200: C.Notice, ...ErrorAnswers } } },
    async (req, reply) =>
      routeWrite(writes, req, reply, 200, async (w) => {
        const n = await answerNoticeIn(w, req.principal!, req.params.id, req.body);
        return noticeView(n, await caseOf(w.tx, n.caseId));
      }),
  );

  app.post(
    '/notices/:id/verify',
    { config: { permission: 'case.notice', ...write('case_notice', 'case.notice.verify') }, schema: { tags: TAGS, summary: 'The supervisor verifies an answer: accepted, or returned for rework with a reason and a new due date', params: IdParams, body: C.VerifyBody, response: { 200: C.Notice, ...ErrorAnswers } } },
    async (req, reply) => {
      req.auditDetail = { result: req.body.result };
      return routeWrite(writes, req, reply, 200, async (w) => {
        const n = await verifyNoticeIn(w, req.principal!, req.params.id, req.body);
        return noticeView(n, await caseOf(w.tx, n.caseId));
      });
    },
  );

  app.post(
    '/cases/:id/review',
    { config: { permission: 'case.review', ...write('case', 'case.review') }, schema: { tags: TAGS, summary: 'Review a closed case (一案一评): every checklist item met, partly met, not met or not applicable; scored out of 100. One review per case', params: IdParams, body: C.ReviewBody, response: { 201: C.Review, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 201, async (w) => reviewView(await reviewCaseIn(w, deps, req.principal!, req.params.id, req.body))),
  );

  app.get(
    '/cases/:id/review',
    { config: { permission: 'case.read' }, schema: { tags: TAGS, summary: 'The review of a case (null until reviewed)', params: IdParams, response: { 200: C.ReviewAnswer, ...ErrorAnswers } } },
    async (req) => {
      const kase = await scopedCase(db, req.principal!, req.params.id);
      const r = await reviewOf(db, kase.id);
      return { review: r ? reviewView(r) : null };
    },
  );

  app.get(
    '/cases/stats',
    { config: { permission: 'case.supervise' }, schema: { tags: TAGS, summary: 'The figures of my jurisdiction for a period (default the last 30 days): overdue cases, yellow clocks, median time left at completion, notices answered on time, problems by type, linkage rate; by station and officer', querystring: C.StatsQuery, response: { 200: C.Stats, ...ErrorAnswers } } },
    async (req) => {
      const { from, to } = req.query;
      if (from && to && new Date(from).getTime() >= new Date(to).getTime()) throw invalidField('from', '开始时间须早于结束时间', 'from must be before to');
      if (from && !to && new Date(from).getTime() >= Date.now()) throw invalidField('from', '开始时间须早于现在', 'from must be in the past');
      return caseStats(deps, req.principal!, req.query);
    },
  );
}
