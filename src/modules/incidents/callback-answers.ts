/**
 * Callbacks (回访) answered by the caller online (issue 15: the citizen portal): the pending callbacks of
 * the incidents a phone number called about, closed within the last days, and the answer recorded the
 * same way the phone callback records it (callbacks row done, an incident event 'callback'), so the
 * callback satisfaction KPI counts it. The channel is kept: done_by 'online' and the event's detail.
 */
import { and, desc, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { callbacks, incidentEvents, incidents } from './schema.js';

export const ONLINE_CALLBACK_BY = 'online';
export type CallbackOutcome = 'satisfied' | 'basically_satisfied' | 'dissatisfied';

/** The forms a caller's number may have been recorded in (with or without the country code). */
export function callerPhoneForms(phone: string): string[] {
  if (/^1\d{10}$/.test(phone)) return [phone, `86${phone}`, `+86${phone}`];
  const m = /^(853|852)(\d{8})$/.exec(phone);
  if (m) return [phone, m[2], `+${phone}`];
  return [phone];
}

export async function pendingCallbacksOf(db: Db, phone: string, closedSince: Date) {
  return db
    .select({ id: callbacks.id, incidentId: incidents.id, number: incidents.number, categoryCode: incidents.categoryCode, closedAt: incidents.closedAt })
    .from(callbacks)
    .innerJoin(incidents, eq(incidents.id, callbacks.incidentId))
    .where(and(eq(callbacks.status, 'pending'), inArray(incidents.callerPhone, callerPhoneForms(phone)), isNotNull(incidents.closedAt), gte(incidents.closedAt, closedSince)))
    .orderBy(desc(incidents.closedAt))
    .limit(20);
}

/** Records the caller's own answer; null when the callback is not pending (already answered by phone or online). */
export async function answerCallbackOnline(db: Db, id: string, answer: { outcome: CallbackOutcome; reason?: string | null }, now = new Date()) {
  const [u] = await db
    .update(callbacks)
    .set({ status: 'done', outcome: answer.outcome, reason: answer.reason ?? null, doneAt: now, doneBy: ONLINE_CALLBACK_BY, reviewStatus: answer.outcome === 'dissatisfied' ? 'pending' : null })
    .where(and(eq(callbacks.id, id), eq(callbacks.status, 'pending')))
    .returning();
  if (!u) return null;
  await db.insert(incidentEvents).values({ incidentId: u.incidentId, type: 'callback', username: ONLINE_CALLBACK_BY, detail: { outcome: answer.outcome, reason: answer.reason ?? undefined, channel: 'online' }, at: now });
  return u;
}
