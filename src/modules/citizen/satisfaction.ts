/**
 * Satisfaction online (issue 15): a citizen rates the outcome of their resolved report once (1–5 and an
 * optional comment), and a citizen whose verified phone called 110 answers the callback survey (回访)
 * of an incident closed within the last 7 days online — recorded by the incidents module the same way
 * the phone callback is (channel 'online'), so the callback satisfaction KPI includes it.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { AppError, notFound } from '../../core/errors.js';
import type { Write } from '../../kernel/write.js';
import { answerCallbackOnline, pendingCallbacksOf, type CallbackOutcome } from '../incidents/index.js';
import type { Citizen } from './identity.js';
import { citizenRatings } from './schema-more.js';
import { citizenReports } from './schema.js';
import { invalidField, refuse } from './errors.js';
import type { CitizenReports } from './reports.js';

export const SURVEY_DAYS = 7;
/** A rating of 4 or 5 counts as satisfied in the citizen satisfaction figure. */
export const SATISFIED_SCORE = 4;

export type RatingRow = typeof citizenRatings.$inferSelect;

export class CitizenSatisfaction {
  constructor(private readonly reports: CitizenReports) {}

  async rate(w: Write, citizenId: string, reportId: number, input: { score: number; comment?: string }, now = new Date()): Promise<RatingRow> {
    const [r] = await w.tx.select().from(citizenReports).where(and(eq(citizenReports.id, reportId), eq(citizenReports.citizenId, citizenId)));
    if (!r) throw notFound('report');
    if (r.status !== 'resolved') throw refuse('只能评价已办结的报事', 'Only a resolved report can be rated');
    if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) throw invalidField('score', '请选择 1–5 分', 'Choose 1 to 5');
    const [row] = await w.tx
      .insert(citizenRatings)
      .values({ reportId, citizenId, score: input.score, comment: input.comment?.trim() || null, unitId: r.unitId, at: now })
      .onConflictDoNothing()
      .returning();
    if (!row) throw refuse('该报事已评价过', 'This report has already been rated');
    w.entity(String(reportId));
    return row;
  }

  async ratingsOf(citizenId: string, reportIds: number[]): Promise<Map<number, RatingRow>> {
    if (!reportIds.length) return new Map();
    const rows = await this.reports.deps.db.select().from(citizenRatings).where(and(eq(citizenRatings.citizenId, citizenId), inArray(citizenRatings.reportId, reportIds)));
    return new Map(rows.map((r) => [r.reportId, r]));
  }

  /** The callback surveys waiting for this citizen's phone: incidents they called about, closed in the last 7 days. */
  async surveys(c: Citizen, now = new Date()) {
    return pendingCallbacksOf(this.reports.deps.db, c.phone, new Date(now.getTime() - SURVEY_DAYS * 86_400_000));
  }

  async answerSurvey(w: Write, c: Citizen, callbackId: string, answer: { outcome: CallbackOutcome; reason?: string }, now = new Date()) {
    const mine = (await pendingCallbacksOf(w.tx, c.phone, new Date(now.getTime() - SURVEY_DAYS * 86_400_000))).find((s) => s.id === callbackId);
    if (!mine) throw notFound('survey');
    if (answer.outcome === 'dissatisfied' && !answer.reason?.trim()) throw invalidField('reason', '请告诉我们不满意的原因', 'Tell us why you are not satisfied');
    const done = await answerCallbackOnline(w.tx, callbackId, { outcome: answer.outcome, reason: answer.reason?.trim() || null }, now);
    if (!done) throw new AppError(409, 'citizen_rule', { zh: '该回访已答复', en: 'This survey has already been answered' });
    w.entity(callbackId);
    return done;
  }
}
