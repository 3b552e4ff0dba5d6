/**
 * The work on a referred dispute: disputeSessions, the agreement and its signatures, follow-up visits (回访)
 * on its performance, judicial confirmation, local protocol steps, linking later incidents, and closing
 * with an outcome. Each is one write with its timeline row and its event.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { forbidden } from '../../core/errors.js';
import { invalidField, refuse } from './errors.js';
import { assignedOnly, type Principal } from '../../core/access.js';
import type { Write } from '../../kernel/write.js';
import { disputeAgreements, disputeIncidents, disputeParties, disputeFollowups, disputeProtocolSteps, disputeReferrals, disputeSessions } from './schema.js';
import { addEvent, lockedDispute, touchDispute, type DisputeDeps } from './store.js';
import { actOnReferral, isReceiver, openReferral } from './referrals.js';
import type { DisputeRow, ReferralRow } from './views.js';
import { nextReferralState, type ReferralState } from './domain/referral-machine.js';
import { RESOLVED_OUTCOMES, type Outcome } from './domain/vocabulary.js';
import { protocolFor } from './domain/protocols.js';

/** The referral being worked, which `p` may work: its receiver, or the station's police staff. */
async function workedReferral(w: Write, p: Principal, dispute: DisputeRow, states: readonly ReferralState[]): Promise<ReferralRow> {
  const r = await openReferral(w.tx, dispute.id);
  if (!r || !states.includes(r.status as ReferralState)) throw refuse('没有处于可办理状态的移交（需先移交并由对方接收）', `no referral in state ${states.join('/')}`);
  if (assignedOnly(p) && !(await isReceiver(w.tx, p, r))) throw forbidden();
  return r;
}

export async function addSessionIn(w: Write, deps: DisputeDeps, p: Principal, disputeId: string, input: { heldAt?: Date; place?: string; attendees?: number; summary: string }, now = new Date()) {
  const dispute = await lockedDispute(w, p, disputeId);
  const r = await workedReferral(w, p, dispute, ['accepted', 'in_mediation']);
  const heldAt = input.heldAt ?? now;
  if (heldAt.getTime() > now.getTime() + 5 * 60_000) throw invalidField('heldAt', '调解时间不能晚于现在', 'a session is recorded after it was held');
  if (r.acceptedAt && heldAt < r.acceptedAt) throw invalidField('heldAt', '调解时间早于接收移交的时间', 'before the referral was accepted');
  if (r.status === 'accepted') {
    const next = nextReferralState('accepted', { type: 'start_session' });
    if (!next.ok) throw refuse(next.zh, next.en, 409, next.code);
    await w.tx.update(disputeReferrals).set({ status: next.state }).where(eq(disputeReferrals.id, r.id));
  }
  const [s] = await w.tx.insert(disputeSessions).values({ id: randomUUID(), disputeId, referralId: r.id, heldAt, place: input.place ?? null, attendees: input.attendees ?? null, summary: input.summary, recordedBy: p.username }).returning();
  await addEvent(w, disputeId, 'session', p.username, { sessionId: s!.id, referralId: r.id, heldAt: heldAt.toISOString() }, now);
  await touchDispute(w, deps, dispute, 'session');
  return s!;
}

export interface AgreementInput {
  text: string;
  performanceMethod?: string;
  performancePlace?: string;
  performanceDeadline?: string;
  signatures: { partyId: string; method: 'on_screen' | 'scan' }[];
}

export async function signAgreementIn(w: Write, deps: DisputeDeps, p: Principal, disputeId: string, input: AgreementInput, now = new Date()) {
  const dispute = await lockedDispute(w, p, disputeId);
  const r = await workedReferral(w, p, dispute, ['in_mediation']);
  const [existing] = await w.tx.select({ id: disputeAgreements.disputeId }).from(disputeAgreements).where(eq(disputeAgreements.disputeId, disputeId));
  if (existing) throw refuse('该纠纷已有调解协议', 'the dispute has its agreement already');
  const parties = new Set((await w.tx.select({ id: disputeParties.id }).from(disputeParties).where(eq(disputeParties.disputeId, disputeId))).map((x) => x.id));
  const unknown = input.signatures.find((s) => !parties.has(s.partyId));
  if (unknown) throw invalidField('signatures', `${unknown.partyId} 不是本纠纷的当事人`, `${unknown.partyId} is not a party of this dispute`);
  if (new Set(input.signatures.map((s) => s.partyId)).size < Math.min(2, parties.size)) throw invalidField('signatures', '协议需由双方当事人签字确认', 'both sides sign an agreement');
  const next = nextReferralState('in_mediation', { type: 'mediated', hasAgreement: true });
  if (!next.ok) throw refuse(next.zh, next.en, 409, next.code);
  await w.tx.update(disputeReferrals).set({ status: next.state }).where(eq(disputeReferrals.id, r.id));
  const [a] = await w.tx
    .insert(disputeAgreements)
    .values({
      disputeId,
      referralId: r.id,
      text: input.text,
      performanceMethod: input.performanceMethod ?? null,
      performancePlace: input.performancePlace ?? null,
      performanceDeadline: input.performanceDeadline ?? null,
      signatures: input.signatures.map((s) => ({ ...s, at: now.toISOString() })),
      mediatorId: p.id,
      mediatorName: p.displayName,
      agencyId: r.agencyId,
      signedAt: now,
    })
    .returning();
  await addEvent(w, disputeId, 'agreement', p.username, { referralId: r.id, performanceDeadline: input.performanceDeadline ?? null }, now);
  await touchDispute(w, deps, dispute, 'agreement');
  return a!;
}

export async function addFollowupIn(w: Write, deps: DisputeDeps, p: Principal, disputeId: string, input: { at?: Date; method: string; performance: string; note?: string }, now = new Date()) {
  const dispute = await lockedDispute(w, p, disputeId);
  const [a] = await w.tx.select().from(disputeAgreements).where(eq(disputeAgreements.disputeId, disputeId));
  if (!a) throw refuse('尚无调解协议，回访针对协议履行情况', 'follow-up visits check an agreement’s performance: there is no agreement');
  const at = input.at ?? now;
  if (at.getTime() > now.getTime() + 5 * 60_000) throw invalidField('at', '回访时间不能晚于现在', 'a visit is recorded after it happened');
  const [f] = await w.tx.insert(disputeFollowups).values({ id: randomUUID(), disputeId, at, method: input.method, performance: input.performance, note: input.note ?? null, recordedBy: p.username }).returning();
  if (input.performance === 'performed' && !a.performedAt) await w.tx.update(disputeAgreements).set({ performedAt: at }).where(eq(disputeAgreements.disputeId, disputeId));
  await addEvent(w, disputeId, 'followup', p.username, { followupId: f!.id, performance: input.performance }, now);
  await touchDispute(w, deps, dispute, 'followup');
  return f!;
}

export async function requestJudicialConfirmationIn(w: Write, deps: DisputeDeps, p: Principal, disputeId: string, now = new Date()) {
  const dispute = await lockedDispute(w, p, disputeId);
  const [a] = await w.tx.select().from(disputeAgreements).where(eq(disputeAgreements.disputeId, disputeId));
  if (!a) throw refuse('尚无调解协议', 'there is no agreement');
  if (a.judicialConfirmationAt) throw refuse('已申请司法确认', 'judicial confirmation was requested already');
  await w.tx.update(disputeAgreements).set({ judicialConfirmationAt: now }).where(eq(disputeAgreements.disputeId, disputeId));
  await addEvent(w, disputeId, 'judicial_confirmation', p.username, {}, now);
  return touchDispute(w, deps, dispute, 'judicial_confirmation');
}

export async function markStepIn(w: Write, deps: DisputeDeps, p: Principal, disputeId: string, code: string, note: string | undefined, now = new Date()) {
  const dispute = await lockedDispute(w, p, disputeId);
  const protocol = protocolFor(dispute.type);
  if (!protocol?.steps.some((s) => s.code === code)) throw invalidField('code', '不是此类纠纷工作规程中的步骤', 'not a step of this dispute type’s protocol');
  const inserted = await w.tx.insert(disputeProtocolSteps).values({ disputeId, code, doneAt: now, doneBy: p.username, note: note ?? null }).onConflictDoNothing().returning();
  if (!inserted.length) throw refuse('该步骤已完成', 'this step is done already');
  await addEvent(w, disputeId, 'protocol_step', p.username, { code }, now);
  return touchDispute(w, deps, dispute, 'protocol_step');
}

export async function linkIncidentIn(w: Write, deps: DisputeDeps, p: Principal, disputeId: string, incidentId: string, now = new Date()) {
  const dispute = await lockedDispute(w, p, disputeId);
  const inserted = await w.tx.insert(disputeIncidents).values({ disputeId, incidentId, kind: 'linked', linkedAt: now }).onConflictDoNothing().returning();
  if (!inserted.length) throw refuse('该警情已关联', 'the incident is linked already');
  await addEvent(w, disputeId, 'incident_linked', p.username, { incidentId }, now);
  return touchDispute(w, deps, dispute, 'incident_linked');
}

/** Closing needs an outcome; a referral still being worked ends with it (closed when mediated or failed, else cancelled). */
export async function closeIn(w: Write, deps: DisputeDeps, p: Principal, disputeId: string, input: { outcome: Outcome; note?: string }, now = new Date()) {
  const dispute = await lockedDispute(w, p, disputeId);
  if (dispute.closedAt) throw refuse('纠纷已结案', 'the dispute is closed');
  const [a] = await w.tx.select().from(disputeAgreements).where(eq(disputeAgreements.disputeId, disputeId));
  if ((input.outcome === 'agreement' || input.outcome === 'agreement_performed') && !a) throw invalidField('outcome', '尚无调解协议', 'there is no agreement');
  if (input.outcome === 'agreement_performed' && !a?.performedAt) throw invalidField('outcome', '尚无回访确认协议已履行', 'no follow-up visit found the agreement performed');
  const r = await openReferral(w.tx, disputeId);
  if (r) {
    const action = r.status === 'mediated' || r.status === 'failed' ? ({ type: 'close', outcome: input.outcome } as const) : ({ type: 'cancel', reason: `closed: ${input.outcome}` } as const);
    await actOnReferral(w, deps, p, r.id, action, now);
  }
  await addEvent(w, disputeId, 'closed', p.username, { outcome: input.outcome, resolved: (RESOLVED_OUTCOMES as readonly string[]).includes(input.outcome) }, now);
  const fresh = await lockedDispute(w, p, disputeId);
  return touchDispute(w, deps, fresh, 'closed', { closedAt: now, outcome: input.outcome, outcomeNote: input.note ?? null });
}

