/**
 * Referrals: each hand-off of a dispute to an agency (and optionally one of its mediators) is one
 * record that moves through domain/referral-machine.ts. One hand-off is live at a time; a declined,
 * failed or cancelled one sends the dispute back to its station, which may refer it again.
 *
 * Who may act: the receiving side (the named mediator, or any member of the agency when none is named)
 * accepts, declines, records disputeSessions and disputeAgreements, and reports failure; the station (police staff
 * whose jurisdiction holds the dispute) refers, cancels and reassigns.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { forbidden, notFound } from '../../core/errors.js';
import { invalidField, refuse } from './errors.js';
import { assignedOnly, type Principal } from '../../core/access.js';
import type { Write } from '../../kernel/write.js';
import type { Db } from '../../db/client.js';
import { disputeAgencies, disputeAgencyMembers, disputeIncidents, disputeReferrals } from './schema.js';
import { addEvent, lockedDispute, touchDispute, type DisputeDeps } from './store.js';
import { regradeIn } from './register.js';
import type { DisputeRow, ReferralRow } from './views.js';
import { nextReferralState, OPEN_REFERRAL_STATES, type ReferralAction, type ReferralState } from './domain/referral-machine.js';
import { policeMediationRefusal } from './domain/police-mediation.js';
import type { AgencyKind, MediationType } from './domain/vocabulary.js';

/** The disputeAgencies that may take each kind of mediation. */
export const AGENCY_KINDS_FOR: Record<MediationType, readonly AgencyKind[]> = {
  police: ['station'],
  people: ['committee', 'judicial'],
  court: ['court'],
  lawyer: ['law_firm', 'judicial'],
};


export interface ReferInput {
  mediationType: MediationType;
  agencyId: string;
  mediatorId?: string;
  /** Facts the station states for police mediation's eligibility (the linked incidents' categories are read). */
  hiredViolence?: boolean;
  repeatOffender?: boolean;
}

async function agencyOf(tx: Db, agencyId: string) {
  const [a] = await tx.select().from(disputeAgencies).where(eq(disputeAgencies.id, agencyId));
  return a;
}

async function isMember(tx: Db, agencyId: string, userId: string) {
  const [m] = await tx.select().from(disputeAgencyMembers).where(and(eq(disputeAgencyMembers.agencyId, agencyId), eq(disputeAgencyMembers.userId, userId)));
  return !!m;
}

async function checkTarget(tx: Db, input: { mediationType: MediationType; agencyId: string; mediatorId?: string }) {
  const agency = await agencyOf(tx, input.agencyId);
  if (!agency || !agency.active) throw invalidField('agencyId', '调解机构不存在或已停用', 'no such agency, or it is inactive');
  if (!AGENCY_KINDS_FOR[input.mediationType].includes(agency.kind as AgencyKind)) throw invalidField('agencyId', `${agency.name}不承担此类调解（${input.mediationType}）`, `${agency.name} does not do ${input.mediationType} mediation`);
  if (input.mediatorId && !(await isMember(tx, agency.id, input.mediatorId))) throw invalidField('mediatorId', '该调解员不属于所选机构', 'not a mediator of this agency');
  return agency;
}

/** Police mediation is refused at entry for the cases the rules exclude, naming the rule (422). */
async function checkPoliceMediation(w: Write, deps: DisputeDeps, dispute: DisputeRow, input: ReferInput) {
  if (input.mediationType !== 'police') return;
  const ids = (await w.tx.select({ id: disputeIncidents.incidentId }).from(disputeIncidents).where(eq(disputeIncidents.disputeId, dispute.id))).map((r) => r.id);
  const categoryCodes = ids.length ? await deps.incidents.categoriesOf(ids, w.tx) : [];
  const refusal = policeMediationRefusal({ categoryCodes, hiredViolence: input.hiredViolence, repeatOffender: input.repeatOffender, restartedDuringMediation: false });
  if (refusal) throw refuse(`不适用治安调解：${refusal.zh}`, `Police mediation is not allowed: ${refusal.en}`, 422, refusal.rule);
}

export async function referIn(w: Write, deps: DisputeDeps, p: Principal, disputeId: string, input: ReferInput, now = new Date()): Promise<ReferralRow> {
  const dispute = await lockedDispute(w, p, disputeId);
  if (dispute.closedAt) throw refuse('纠纷已结案', 'the dispute is closed');
  const open = await w.tx.select({ id: disputeReferrals.id }).from(disputeReferrals).where(and(eq(disputeReferrals.disputeId, disputeId), inArray(disputeReferrals.status, [...OPEN_REFERRAL_STATES])));
  if (open.length) throw refuse('该纠纷已有正在办理的移交，请先撤回或等待结果', 'the dispute already has a referral being worked');
  await checkTarget(w.tx, input);
  await checkPoliceMediation(w, deps, dispute, input);
  const [r] = await w.tx
    .insert(disputeReferrals)
    .values({ id: randomUUID(), disputeId, mediationType: input.mediationType, agencyId: input.agencyId, mediatorId: input.mediatorId ?? null, status: 'pending', createdAt: now, createdBy: p.username })
    .returning();
  await addEvent(w, disputeId, 'referred', p.username, { referralId: r!.id, mediationType: input.mediationType, agencyId: input.agencyId, mediatorId: input.mediatorId ?? null }, now);
  await touchDispute(w, deps, dispute, 'referred');
  return r!;
}

/** The referral, locked, with its dispute (also locked), if `p` may see the dispute; else 404. */
export async function lockedReferral(w: Write, p: Principal, referralId: string): Promise<{ referral: ReferralRow; dispute: DisputeRow }> {
  const [ref] = await w.tx.select().from(disputeReferrals).where(eq(disputeReferrals.id, referralId));
  if (!ref) throw notFound('referral');
  const dispute = await lockedDispute(w, p, ref.disputeId);
  const [referral] = await w.tx.select().from(disputeReferrals).where(eq(disputeReferrals.id, referralId)).for('update');
  return { referral: referral!, dispute };
}

/** The receiving side: the named mediator, or any member of the agency when the referral names none. */
export async function isReceiver(tx: Db, p: Principal, r: ReferralRow): Promise<boolean> {
  if (r.mediatorId) return r.mediatorId === p.id;
  return isMember(tx, r.agencyId, p.id);
}

type Side = 'receiver' | 'station';
const SIDE_OF: Record<ReferralAction['type'], Side> = {
  accept: 'receiver',
  decline: 'receiver',
  start_session: 'receiver',
  mediated: 'receiver',
  fail: 'receiver',
  close: 'station',
  cancel: 'station',
  reassign: 'station',
};

/** Applies an action to a referral: who may, whether the state allows it, then the change and its timeline. */
export async function actOnReferral(w: Write, deps: DisputeDeps, p: Principal, referralId: string, action: ReferralAction, now = new Date()): Promise<{ referral: ReferralRow; dispute: DisputeRow }> {
  const { referral, dispute } = await lockedReferral(w, p, referralId);
  const side = SIDE_OF[action.type];
  const receiver = await isReceiver(w.tx, p, referral);
  // A mediator with no police role acts only as a receiver; police staff of the station act as the station.
  const allowed = side === 'receiver' ? receiver : !assignedOnly(p);
  if (!allowed) throw side === 'receiver' ? refuse('只有接收移交的调解员或机构可以办理', 'only the receiving mediator or agency may do this', 403) : refuse('只有派出所可以办理', 'only the station may do this', 403);
  const next = nextReferralState(referral.status as ReferralState, action);
  if (!next.ok) throw refuse(next.zh, next.en, 409, next.code);
  const reason = 'reason' in action ? action.reason : null;
  const outcome = 'outcome' in action ? action.outcome : null;
  const ended = ['declined', 'failed', 'closed', 'cancelled'].includes(next.state);
  const [u] = await w.tx
    .update(disputeReferrals)
    .set({
      status: next.state,
      reason: reason ?? referral.reason,
      outcome: outcome ?? referral.outcome,
      acceptedAt: action.type === 'accept' ? now : referral.acceptedAt,
      endedAt: ended ? now : referral.endedAt,
      version: sql`${disputeReferrals.version} + 1`,
    })
    .where(eq(disputeReferrals.id, referralId))
    .returning();
  await addEvent(w, dispute.id, `referral_${action.type}`, p.username, { referralId, from: referral.status, to: next.state, reason, outcome }, now);
  let d = await touchDispute(w, deps, dispute, `referral_${action.type}`);
  if (action.type === 'fail') d = await regradeIn(w, deps, d, now); // an earlier failed mediation weighs on the grade
  return { referral: u!, dispute: d };
}

/** The station hands a pending or declined referral to another agency or mediator: the old one ends, a new one starts. */
export async function reassignIn(w: Write, deps: DisputeDeps, p: Principal, referralId: string, input: ReferInput & { reason: string }, now = new Date()) {
  const { referral } = await actOnReferral(w, deps, p, referralId, { type: 'reassign', reason: input.reason }, now);
  // The machine leaves a reassigned referral ended (cancelled); the hand-off continues as a new record.
  if (OPEN_REFERRAL_STATES.includes(referral.status as ReferralState)) {
    await w.tx.update(disputeReferrals).set({ status: 'cancelled', endedAt: now }).where(eq(disputeReferrals.id, referralId));
  }
  return referIn(w, deps, p, referral.disputeId, input, now);
}

/** People's mediation beyond its month: only with the parties' consent, recorded with the extension. */
export async function extendIn(w: Write, deps: DisputeDeps, p: Principal, referralId: string, input: { days: number; consentedAt: Date; note?: string }, now = new Date()) {
  const { referral, dispute } = await lockedReferral(w, p, referralId);
  if (!(await isReceiver(w.tx, p, referral)) && assignedOnly(p)) throw forbidden();
  if (referral.mediationType !== 'people') throw refuse('只有人民调解可经双方同意延长', 'only people’s mediation is extended by consent');
  if (!OPEN_REFERRAL_STATES.includes(referral.status as ReferralState)) throw refuse('该移交已结束', 'the referral is no longer being worked');
  const extensions = [...(referral.extensions as unknown[]), { consentedAt: input.consentedAt.toISOString(), days: input.days, note: input.note ?? null }];
  const [u] = await w.tx.update(disputeReferrals).set({ extensions, version: sql`${disputeReferrals.version} + 1` }).where(eq(disputeReferrals.id, referralId)).returning();
  await addEvent(w, dispute.id, 'extended', p.username, { referralId, days: input.days }, now);
  await touchDispute(w, deps, dispute, 'extended');
  return u!;
}

/** The dispute's referral being worked now, if any. */
export async function openReferral(tx: Db, disputeId: string): Promise<ReferralRow | undefined> {
  const [r] = await tx.select().from(disputeReferrals).where(and(eq(disputeReferrals.disputeId, disputeId), inArray(disputeReferrals.status, [...OPEN_REFERRAL_STATES, 'mediated'])));
  return r;
}

