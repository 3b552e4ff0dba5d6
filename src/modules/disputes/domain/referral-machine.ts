/**
 * A referral is one hand-off of a dispute to an agency (and optionally one mediator), worked like a
 * service referral:
 *
 *   pending ─accept→ accepted ─start_session→ in_mediation ─mediated→ mediated ─close→ closed
 *      │ ↺reassign                                   │ ↺start_session      └─fail→ failed ─close→ closed
 *      └─decline→ declined ─reassign→ pending
 *   cancel (with a reason) from pending, accepted or in_mediation
 *
 * The transitions are data (REFERRAL_TRANSITIONS) so the web draws its buttons from the same table.
 * What each action must carry is checked here: a decline, failure or cancel needs a reason, `mediated`
 * an agreement, `close` an outcome that fits how the mediation ended.
 */
import { OUTCOMES, type DisputeStatus, type Label, type Outcome } from './vocabulary.js';

export const REFERRAL_STATES = ['pending', 'accepted', 'declined', 'in_mediation', 'mediated', 'failed', 'closed', 'cancelled'] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

/** States in which the receiving agency is still working the referral. */
export const OPEN_REFERRAL_STATES: readonly ReferralState[] = ['pending', 'accepted', 'in_mediation'];
/** States nothing leaves. */
export const FINAL_REFERRAL_STATES: readonly ReferralState[] = ['closed', 'cancelled'];

export const REFERRAL_STATE_LABELS: Record<ReferralState, Label> = {
  pending: { zh: '待接收', en: 'Pending' },
  accepted: { zh: '已接收', en: 'Accepted' },
  declined: { zh: '已退回', en: 'Declined' },
  in_mediation: { zh: '调解中', en: 'In mediation' },
  mediated: { zh: '调解成功', en: 'Mediated' },
  failed: { zh: '调解不成', en: 'Failed' },
  closed: { zh: '已办结', en: 'Closed' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
};

export type ReferralAction =
  | { type: 'accept' }
  | { type: 'decline'; reason: string }
  | { type: 'start_session' }
  | { type: 'mediated'; hasAgreement: boolean }
  | { type: 'fail'; reason: string }
  | { type: 'close'; outcome: Outcome | string }
  | { type: 'cancel'; reason: string }
  /** Back to pending with another agency or mediator (the service records which; the reason is optional). */
  | { type: 'reassign'; reason?: string; agencyId?: string; mediatorId?: string | null };
export type ReferralActionType = ReferralAction['type'];

export const REFERRAL_ACTIONS: readonly ReferralActionType[] = ['accept', 'decline', 'start_session', 'mediated', 'fail', 'close', 'cancel', 'reassign'];

export const REFERRAL_ACTION_LABELS: Record<ReferralActionType, Label> = {
  accept: { zh: '接收', en: 'Accept' },
  decline: { zh: '退回', en: 'Decline' },
  start_session: { zh: '开始调解', en: 'Hold a session' },
  mediated: { zh: '调解成功', en: 'Mediated' },
  fail: { zh: '调解不成', en: 'Mediation failed' },
  close: { zh: '办结', en: 'Close' },
  cancel: { zh: '撤销移交', en: 'Cancel' },
  reassign: { zh: '改派', en: 'Reassign' },
};

export interface ReferralTransition {
  from: ReferralState;
  action: ReferralActionType;
  to: ReferralState;
}

export const REFERRAL_TRANSITIONS: readonly ReferralTransition[] = [
  { from: 'pending', action: 'accept', to: 'accepted' },
  { from: 'pending', action: 'decline', to: 'declined' },
  { from: 'pending', action: 'reassign', to: 'pending' },
  { from: 'pending', action: 'cancel', to: 'cancelled' },
  { from: 'declined', action: 'reassign', to: 'pending' },
  { from: 'accepted', action: 'start_session', to: 'in_mediation' },
  { from: 'accepted', action: 'cancel', to: 'cancelled' },
  { from: 'in_mediation', action: 'start_session', to: 'in_mediation' },
  { from: 'in_mediation', action: 'mediated', to: 'mediated' },
  { from: 'in_mediation', action: 'fail', to: 'failed' },
  { from: 'in_mediation', action: 'cancel', to: 'cancelled' },
  { from: 'mediated', action: 'close', to: 'closed' },
  { from: 'failed', action: 'close', to: 'closed' },
];

/**
 * Outcomes a referral may close with, by how its mediation ended: an agreement cannot follow a failed
 * mediation, and "no agreement" cannot follow a successful one. After an agreement the parties may still
 * go to court (not performed) or be handed on.
 */
export const CLOSE_OUTCOMES_FROM: Partial<Record<ReferralState, readonly Outcome[]>> = {
  mediated: ['agreement_performed', 'agreement', 'litigation', 'transferred'],
  failed: ['no_agreement', 'withdrawn', 'litigation', 'transferred'],
};

/** Who acts on a referral: its receiving mediator (or agency), the referring station, anyone else. */
export type ReferralActor = 'mediator_of_referral' | 'station' | 'other';

/** The receiving side answers and works the referral; the station withdraws it, hands it on and closes it. */
export const REFERRAL_ACTORS: Record<ReferralActionType, ReferralActor> = {
  accept: 'mediator_of_referral',
  decline: 'mediator_of_referral',
  start_session: 'mediator_of_referral',
  mediated: 'mediator_of_referral',
  fail: 'mediator_of_referral',
  close: 'station',
  cancel: 'station',
  reassign: 'station',
};

export function mayActOnReferral(action: ReferralActionType | ReferralAction, actor: ReferralActor): boolean {
  const type = typeof action === 'string' ? action : action.type;
  return actor !== 'other' && REFERRAL_ACTORS[type] === actor;
}

export type ReferralStep = { ok: true; state: ReferralState } | { ok: false; code: string; zh: string; en: string };

const refuse = (code: string, zh: string, en: string): ReferralStep => ({ ok: false, code, zh, en });
const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';

/** The state after `action`, or why it is refused (a catalogue-style code, zh and en naming the field). */
export function nextReferralState(state: ReferralState, action: ReferralAction): ReferralStep {
  const t = REFERRAL_TRANSITIONS.find((x) => x.from === state && x.action === action.type);
  if (!t) {
    const [s, a] = [REFERRAL_STATE_LABELS[state], REFERRAL_ACTION_LABELS[action.type]];
    if (!s || !a) return refuse('referral_transition_not_allowed', '移交状态或操作无效', 'unknown referral state or action');
    return refuse('referral_transition_not_allowed', `移交当前为“${s.zh}”，不能${a.zh}`, `a referral that is ${s.en.toLowerCase()} cannot be given “${a.en.toLowerCase()}”`);
  }
  switch (action.type) {
    case 'decline':
    case 'fail':
    case 'cancel':
      if (blank(action.reason)) return refuse('reason_required', '原因（reason）不能为空', 'reason: a reason is required');
      break;
    case 'mediated':
      if (action.hasAgreement !== true) return refuse('agreement_required', '调解成功须有调解协议（agreement）', 'agreement: a mediated referral needs its agreement');
      break;
    case 'close': {
      if (blank(action.outcome)) return refuse('outcome_required', '办结须填写结果（outcome）', 'outcome: closing needs an outcome');
      if (!(OUTCOMES as readonly string[]).includes(action.outcome)) return refuse('outcome_unknown', `结果（outcome）“${action.outcome}”无效`, `outcome: unknown outcome “${action.outcome}”`);
      const allowed = CLOSE_OUTCOMES_FROM[state] ?? [];
      if (!(allowed as readonly string[]).includes(action.outcome)) {
        return refuse('outcome_not_allowed', `结果（outcome）与调解情况不符：${REFERRAL_STATE_LABELS[state].zh}后可为 ${allowed.join('、')}`, `outcome: a ${state} referral closes with one of ${allowed.join(', ')}`);
      }
      break;
    }
  }
  return { ok: true, state: t.to };
}

/** The actions this actor may take from a state (the web's buttons); what each needs is asked on taking it. */
export function allowedReferralActions(state: ReferralState, actor: ReferralActor): ReferralActionType[] {
  return REFERRAL_TRANSITIONS.filter((t) => t.from === state && mayActOnReferral(t.action, actor)).map((t) => t.action);
}

/**
 * The dispute's status from its referrals: closed when closed; agreed once there is an agreement (or a
 * referral mediated); in mediation while a referral holds sessions; referred while one waits or is
 * accepted; otherwise registered (none yet, or every hand-off declined, failed or cancelled: it is back
 * with the station).
 */
export function disputeStatusFrom(referralStates: readonly ReferralState[], closed: boolean, hasAgreement: boolean): DisputeStatus {
  if (closed) return 'closed';
  if (hasAgreement || referralStates.includes('mediated')) return 'agreed';
  if (referralStates.includes('in_mediation')) return 'in_mediation';
  if (referralStates.includes('pending') || referralStates.includes('accepted')) return 'referred';
  return 'registered';
}
