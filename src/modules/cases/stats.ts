/**
 * The figures of case supervision for the caller's jurisdiction (GET /cases/stats): reads the cases open
 * now or closed within the period, their steps, the notices and reviews, computes every clock and hands
 * them to the pure domain/stats.ts.
 */
import { and, asc, avg, count, desc, gte, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import { caseEvents, cases } from './schema.js';
import { caseNotices, caseReviews } from './supervision-schema.js';
import { caseScope, clocksOf, type CaseDeps, type CaseEventRow } from './store.js';
import { stationScope } from './supervision.js';
import { computeStats, type StatsNotice } from './domain/stats.js';
import { AWAITING_ANSWER, type NoticeState, type ProblemType } from './domain/notices.js';

const H = 3_600_000;
const DAY = 24 * H;
/** The figures read at most this many cases (the most recently opened). */
export const STATS_CASES = 20_000;

/**
 * Where the linkage rate comes from: the media module's `linkageRate(...)` (issue 14 part 4). Media needs
 * cases, so cases cannot ask for it: the media module hands its source in at setup with
 * `provideCaseLinkage(kernel.api('cases'), …)`; until one is given the figure is null.
 */
export type LinkageSource = (p: Principal, from: Date, to: Date) => Promise<number | null>;

const linkageSources = new WeakMap<CaseDeps, LinkageSource>();

export function provideCaseLinkage(cases: CaseDeps, source: LinkageSource): void {
  linkageSources.set(cases, source);
}

export async function caseStats(deps: CaseDeps, p: Principal, q: { from?: string; to?: string; leadHours?: number }, now = new Date()) {
  const linkage = linkageSources.get(deps);
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY);
  const w = { from, to, now, leadMs: (q.leadHours ?? 24) * H };
  const { db } = deps;

  const caseWhere = and(caseScope(p), or(isNull(cases.closedAt), gte(cases.closedAt, from)), lt(cases.openedAt, to));
  const rows = await db.select().from(cases).where(caseWhere).orderBy(desc(cases.openedAt), asc(cases.id)).limit(STATS_CASES + 1);
  const truncated = rows.length > STATS_CASES;
  const kept = rows.slice(0, STATS_CASES);
  const byCase = new Map<string, CaseEventRow[]>();
  for (let i = 0; i < kept.length; i += 1000) {
    const ids = kept.slice(i, i + 1000).map((r) => r.id);
    for (const e of await db.select().from(caseEvents).where(inArray(caseEvents.caseId, ids)).orderBy(asc(caseEvents.seq))) (byCase.get(e.caseId) ?? byCase.set(e.caseId, []).get(e.caseId)!).push(e);
  }
  const statsCases = kept.map((r) => ({ stationId: r.stationId, officer: r.officer, closedAt: r.closedAt, clocks: clocksOf(deps, r, byCase.get(r.id) ?? [], 'zh', false) }));

  // The period's notices, and any still owing an answer (overdue ones count whenever they were issued).
  const awaiting: SQL = inArray(caseNotices.state, AWAITING_ANSWER as NoticeState[]);
  const noticeRows = await db
    .select({ stationId: caseNotices.stationId, officer: caseNotices.officer, state: caseNotices.state, issuedAt: caseNotices.issuedAt, answerDueAt: caseNotices.answerDueAt, firstAnsweredAt: caseNotices.firstAnsweredAt, late: caseNotices.late, problems: caseNotices.problemTypes })
    .from(caseNotices)
    .where(and(stationScope(p, caseNotices.stationId), or(and(gte(caseNotices.issuedAt, from), lt(caseNotices.issuedAt, to)), awaiting)))
    .limit(50_000);
  const notices: StatsNotice[] = noticeRows.map((n) => ({ ...n, state: n.state as NoticeState, problems: n.problems as ProblemType[] }));

  const [reviews] = await db
    .select({ n: count(), mean: avg(caseReviews.score) })
    .from(caseReviews)
    .where(and(stationScope(p, caseReviews.stationId), gte(caseReviews.reviewedAt, from), lt(caseReviews.reviewedAt, to)));
  const mean = reviews?.mean == null ? null : Math.round(Number(reviews.mean) * 10) / 10;

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    at: now.toISOString(),
    ...computeStats(statsCases, notices, w),
    linkageRate: linkage ? await linkage(p, from, to) : null,
    reviews: reviews?.n ?? 0,
    meanReviewScore: mean,
    truncated,
  };
}
