/**
 * One demo dispute lived from its registration up to `now`: the hand-offs to agencies (some declined
 * and sent elsewhere), acceptance, sessions on the statutory clocks (mostly in time, a few late), the
 * agreement with both parties' signatures, follow-up visits until performed, judicial confirmation,
 * the family protocol's steps, and closing with an outcome. Every step is a row the module would have
 * written (referral states as referral-machine.ts moves them, the timeline as the services record it).
 * A step falling after `now` does not happen, and neither does anything after it: that is how recent
 * disputes come out open at every stage. Pure: no I/O, randomness from the caller's seeded generator.
 */
import { addCalendarDays, addMonths, dayOf, dueAtEndOfDay, type Day, type WorkingDayCalendar } from '../core/working-days.js';
import { localDayStart } from '../core/clock.js';
import type { disputeAgreements, disputeEvents, disputeFollowups, disputeProtocolSteps, disputeReferrals, disputeSessions } from '../modules/disputes/schema.js';
import { protocolFor, stepDueAt } from '../modules/disputes/domain/protocols.js';
import type { ReferralState } from '../modules/disputes/domain/referral-machine.js';
import type { AgencyKind, MediationType, Outcome } from '../modules/disputes/domain/vocabulary.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DemoMediator {
  id: string;
  username: string;
  displayName: string;
}
export interface DemoAgencyRow {
  id: string;
  kind: AgencyKind;
  name: string;
  servesUnitId: string | null;
  mediators: DemoMediator[];
}

/** How a hand-off ends if time allows (`pending`, `accepted`, `in_mediation`: it stops there, today's work). */
export type HandOffEnd = 'declined' | 'pending' | 'accepted' | 'in_mediation' | 'agreement' | 'failed' | 'withdrawn';

export interface HandOff {
  agency: DemoAgencyRow;
  mediator: DemoMediator | null;
  mediationType: MediationType;
  end: HandOffEnd;
  sessions: number;
  /** Fixed times for today's scenarios; otherwise drawn. */
  referredAt?: Date;
  acceptedAt?: Date;
}

export interface LifePlan {
  handOffs: HandOff[];
  /** Days from signing to the performance deadline; 0: performed at signing. */
  deadlineDays: number;
  /** A fixed deadline (today's overdue visit). */
  deadline?: Day;
  /** Visits before the one that finds it performed (partly performed first). */
  partlyVisits: number;
  /** Agreements left with no visit yet (an overdue follow-up today). */
  noVisits?: boolean;
  judicialConfirmation: boolean;
  /** After the last hand-off failed. */
  afterFailure: Extract<Outcome, 'litigation' | 'no_agreement' | 'transferred'>;
  /** Family protocol: all steps done, or only the first (overdue steps today). */
  protocol: 'done' | 'first_only';
  /** Late steps: a session or visit after its deadline, now and then. */
  lateness: number;
}

export interface LifeRows {
  referrals: (typeof disputeReferrals.$inferInsert)[];
  sessions: (typeof disputeSessions.$inferInsert)[];
  agreements: (typeof disputeAgreements.$inferInsert)[];
  followups: (typeof disputeFollowups.$inferInsert)[];
  steps: (typeof disputeProtocolSteps.$inferInsert)[];
  events: (typeof disputeEvents.$inferInsert)[];
}

export interface LifeInput {
  disputeId: string;
  type: string;
  registeredAt: Date;
  registeredBy: string;
  partyIds: string[];
  now: Date;
  rand: () => number;
  id: () => string;
  calendar: WorkingDayCalendar;
  rows: LifeRows;
}

export interface LifeResult {
  referralStates: ReferralState[];
  hasAgreement: boolean;
  closedAt: Date | null;
  outcome: Outcome | null;
  failedAt: Date[];
  /** The last step taken. */
  lastAt: Date;
  outcomeNote: string | null;
}

const SESSION_NOTES = ['双方陈述各自诉求，调解员释法明理', '组织双方面对面协商，就赔偿金额交换意见', '当事人亲属到场协助，双方情绪平稳', '双方分歧较大，约定再次调解', '调解员分别做双方工作，初步达成意向'];
const DECLINE_REASONS = ['不属于本机构受理范围，请改派', '调解员外出培训，无法按期调解', '当事人住所不在本辖区，建议移交属地调委会', '案情需专业鉴定，建议由法庭调解'];
const FAIL_REASONS = ['双方分歧较大，调解不成', '被申请人拒绝继续调解', '赔偿金额差距过大，调解不成'];
const METHODS = ['一次性现金支付', '银行转账', '当场履行', '分两期支付', '按约定时间完成维修'];
const AGREEMENT_TEXT: Record<string, string> = {
  family: '双方自愿和好，互相尊重，男方保证不再酗酒滋事；今后如有矛盾，通过社区调解解决，不得采取过激行为。',
  neighbour: '责任方于履行期限内修复相关设施并赔偿对方损失，双方今后互谅互让、和睦相处。',
  debt: '债务人确认欠款，于履行期限内分期归还，债权人不再上门追讨。',
  labour: '用人单位于履行期限内一次性结清拖欠工资，劳动者不再就此事主张其他权利。',
  consumer: '商家退还多收款项并向顾客致歉，双方就此事再无争议。',
  tenancy: '双方确认租赁关系解除，出租方于履行期限内退还押金，承租方按时交还房屋。',
  property: '管理处按约定核减相关费用，业主按期缴纳管理费。',
  medical: '院方就诊疗沟通不足致歉并给予适当补偿，患方不再到院吵闹。',
  traffic: '过错方于履行期限内赔偿对方车辆维修费用，双方就本次事故再无争议。',
};
const AGREEMENT_OTHER = '双方自愿达成协议，按约定履行，就此事再无争议。';

const jitter = (rand: () => number, a: number, b: number) => a + rand() * (b - a);

/** A daytime moment of `day` (09:00–17:00 local), never before `notBefore`. */
function daytime(day: Day, rand: () => number, notBefore: Date): Date {
  const t = new Date(localDayStart(day).getTime() + jitter(rand, 9, 17) * HOUR);
  return t > notBefore ? t : new Date(notBefore.getTime() + jitter(rand, 0.5, 2) * HOUR);
}

export function liveDispute(input: LifeInput, plan: LifePlan): LifeResult {
  const { disputeId, now, rand, calendar, rows } = input;
  let stopped = false;
  let lastAt = input.registeredAt;
  /** Does the step at `at` happen? Only on or before now, and once one does not, no later one does. */
  const happens = (at: Date) => {
    if (at > now) stopped = true;
    if (stopped) return false;
    lastAt = at;
    return true;
  };
  const event = (at: Date, type: string, username: string | null, detail: Record<string, unknown>) => rows.events.push({ disputeId, at, type, username, detail });
  const result: LifeResult = { referralStates: [], hasAgreement: false, closedAt: null, outcome: null, failedAt: [], lastAt, outcomeNote: null };
  const closeWith = (at: Date, outcome: Outcome, note: string | null) => {
    event(at, 'closed', input.registeredBy, { outcome, resolved: outcome === 'agreement' || outcome === 'agreement_performed' });
    Object.assign(result, { closedAt: at, outcome, outcomeNote: note });
  };
  type Referral = (typeof rows.referrals)[number];
  const mine: Referral[] = [];

  // The family protocol runs beside the mediation: its steps are done (or not) whatever else happens.
  const protocol = protocolFor(input.type);
  for (const [i, s] of (protocol?.steps ?? []).entries()) {
    if (plan.protocol === 'first_only' && i > 0) break;
    const due = stepDueAt(s, input.registeredAt, calendar).getTime();
    const late = rand() < plan.lateness ? jitter(rand, 2, 40) * HOUR : 0;
    const at = new Date(input.registeredAt.getTime() + (due - input.registeredAt.getTime()) * jitter(rand, 0.2, 0.9) + late);
    if (at <= now) {
      rows.steps.push({ disputeId, code: s.code, doneAt: at, doneBy: input.registeredBy, note: null });
      event(at, 'protocol_step', input.registeredBy, { code: s.code });
    }
  }

  let t = input.registeredAt;
  let agreementRef: Referral | null = null;
  let agreement: (typeof rows.agreements)[number] | null = null;
  for (const h of plan.handOffs) {
    // A fixed time (today's scenarios) holds when it comes after what went before.
    const referredAt = h.referredAt && h.referredAt > t ? h.referredAt : new Date(t.getTime() + jitter(rand, 2, 30) * HOUR);
    if (!happens(referredAt)) break;
    const by = h.mediator?.username ?? 'demo';
    const ref: Referral = { id: input.id(), disputeId, mediationType: h.mediationType, agencyId: h.agency.id, mediatorId: h.mediator?.id ?? null, status: 'pending', reason: null, outcome: null, extensions: [], createdAt: referredAt, createdBy: input.registeredBy, acceptedAt: null, endedAt: null, version: 1 };
    rows.referrals.push(ref);
    mine.push(ref);
    event(referredAt, 'referred', input.registeredBy, { referralId: ref.id, mediationType: h.mediationType, agencyId: h.agency.id, mediatorId: ref.mediatorId });
    const move = (at: Date, action: string, to: ReferralState, extra: { reason?: string; outcome?: string } = {}) => {
      event(at, `referral_${action}`, action === 'close' || action === 'cancel' ? input.registeredBy : by, { referralId: ref.id, from: ref.status, to, reason: extra.reason ?? null, outcome: extra.outcome ?? null });
      ref.status = to;
      ref.version = (ref.version ?? 1) + 1;
      if (extra.reason) ref.reason = extra.reason;
      if (extra.outcome) ref.outcome = extra.outcome;
      if (['declined', 'failed', 'closed', 'cancelled'].includes(to)) ref.endedAt = at;
    };
    if (h.end === 'pending') break;
    if (h.end === 'declined') {
      const at = new Date(referredAt.getTime() + jitter(rand, 3, 30) * HOUR);
      if (!happens(at)) break;
      move(at, 'decline', 'declined', { reason: DECLINE_REASONS[Math.floor(rand() * DECLINE_REASONS.length)]! });
      t = at;
      continue;
    }
    const acceptedAt = h.acceptedAt && h.acceptedAt > referredAt ? h.acceptedAt : new Date(referredAt.getTime() + jitter(rand, 1, 26) * HOUR);
    if (!happens(acceptedAt)) break;
    move(acceptedAt, 'accept', 'accepted');
    ref.acceptedAt = acceptedAt;
    if (h.end === 'accepted') break;

    // Sessions on the clocks of the mediation type; now and then one is late.
    const held: Date[] = [];
    for (let k = 0; k < h.sessions; k++) {
      const from = held.at(-1) ?? acceptedAt;
      const late = rand() < plan.lateness;
      const at =
        h.mediationType === 'police'
          ? daytime(calendar.addWorkingDays(dayOf(from), k === 0 ? (late ? 4 + Math.floor(rand() * 3) : 1 + Math.floor(rand() * 3)) : 2 + Math.floor(rand() * (late ? 9 : 5))), rand, from)
          : daytime(addCalendarDays(dayOf(from), k === 0 ? 2 + Math.floor(rand() * 9) : 4 + Math.floor(rand() * (late ? 20 : 8))), rand, from);
      // People's mediation going past its month: the parties' consent, recorded in time.
      if (h.mediationType === 'people' && !(ref.extensions as unknown[]).length && at > dueAtEndOfDay(addMonths(dayOf(acceptedAt), 1))) {
        const consentedAt = new Date(dueAtEndOfDay(addCalendarDays(addMonths(dayOf(acceptedAt), 1), -3)).getTime() - 8 * HOUR);
        if (!happens(consentedAt)) break;
        const days = 15 + Math.floor(rand() * 16);
        ref.extensions = [{ consentedAt: consentedAt.toISOString(), days, note: '经双方当事人同意延长调解期限' }];
        event(consentedAt, 'extended', by, { referralId: ref.id, days });
      }
      if (!happens(at)) break;
      if (ref.status === 'accepted') ref.status = 'in_mediation';
      held.push(at);
      rows.sessions.push({ id: input.id(), disputeId, referralId: ref.id, heldAt: at, place: `${h.agency.name}`, attendees: 2 + Math.floor(rand() * 3), summary: SESSION_NOTES[Math.floor(rand() * SESSION_NOTES.length)]!, recordedBy: by });
      event(at, 'session', by, { sessionId: rows.sessions.at(-1)!.id, referralId: ref.id, heldAt: at.toISOString() });
    }
    if (stopped || h.end === 'in_mediation' || !held.length) break;
    const last = held.at(-1)!;
    if (h.end === 'agreement') {
      const signedAt = new Date(last.getTime() + jitter(rand, 0.5, 2) * HOUR);
      if (!happens(signedAt)) break;
      ref.status = 'mediated';
      const deadline = plan.deadline ?? addCalendarDays(dayOf(signedAt), plan.deadlineDays);
      agreement = {
        disputeId,
        referralId: ref.id,
        text: AGREEMENT_TEXT[input.type] ?? AGREEMENT_OTHER,
        performanceMethod: plan.deadlineDays === 0 && !plan.deadline ? '当场履行' : METHODS[Math.floor(rand() * METHODS.length)]!,
        performancePlace: h.agency.name,
        performanceDeadline: deadline,
        signatures: input.partyIds.slice(0, 2).map((partyId) => ({ partyId, method: rand() < 0.7 ? 'on_screen' : 'scan', at: signedAt.toISOString() })),
        mediatorId: h.mediator?.id ?? null,
        mediatorName: h.mediator?.displayName ?? null,
        agencyId: h.agency.id,
        signedAt,
        performedAt: null,
        judicialConfirmationAt: null,
      };
      rows.agreements.push(agreement);
      event(signedAt, 'agreement', by, { referralId: ref.id, performanceDeadline: deadline });
      result.hasAgreement = true;
      agreementRef = ref;
      t = signedAt;
      break;
    }
    if (h.end === 'withdrawn') {
      const at = new Date(last.getTime() + jitter(rand, 1, 5) * DAY);
      if (!happens(at)) break;
      move(at, 'cancel', 'cancelled', { reason: 'closed: withdrawn' });
      closeWith(at, 'withdrawn', '当事人自愿撤回调解申请');
      break;
    }
    // failed: the station takes it back and may hand it on (the next hand-off), or closes it.
    const failedAt = new Date(last.getTime() + jitter(rand, 2, 48) * HOUR);
    if (!happens(failedAt)) break;
    move(failedAt, 'fail', 'failed', { reason: FAIL_REASONS[Math.floor(rand() * FAIL_REASONS.length)]! });
    result.failedAt.push(failedAt);
    t = failedAt;
  }

  if (!stopped && agreementRef && agreement) {
    const signedAt = agreement.signedAt as Date;
    // Confirmation is asked for while the agreement awaits performance (within 30 days of signing).
    if (plan.judicialConfirmation && plan.deadlineDays >= 5) {
      const at = new Date(signedAt.getTime() + jitter(rand, 1, Math.min(25, plan.deadlineDays)) * DAY);
      if (at <= now) {
        agreement.judicialConfirmationAt = at;
        event(at, 'judicial_confirmation', input.registeredBy, {});
      }
    }
    // Visits from the deadline, 7 days apart, until one finds it performed.
    let visitAt = plan.deadlineDays === 0 && !plan.deadline ? new Date(signedAt.getTime() + jitter(rand, 4, 30) * HOUR) : daytime(calendar.nextWorkingDay(agreement.performanceDeadline!), rand, signedAt);
    if (rand() < plan.lateness) visitAt = new Date(visitAt.getTime() + jitter(rand, 2, 5) * DAY);
    for (let k = 0; !plan.noVisits && k <= plan.partlyVisits; k++) {
      if (!happens(visitAt)) break;
      const performed = k === plan.partlyVisits;
      rows.followups.push({ id: input.id(), disputeId, at: visitAt, method: rand() < 0.6 ? 'phone' : 'visit', performance: performed ? 'performed' : 'partly', note: performed ? '协议已履行完毕，双方无新的矛盾' : '已履行部分，余款约定下周付清', recordedBy: input.registeredBy });
      event(visitAt, 'followup', input.registeredBy, { followupId: rows.followups.at(-1)!.id, performance: performed ? 'performed' : 'partly' });
      if (performed) agreement.performedAt = visitAt;
      visitAt = daytime(addCalendarDays(dayOf(visitAt), 7), rand, visitAt);
    }
    const closeAt = new Date(lastAt.getTime() + jitter(rand, 2, 48) * HOUR);
    if (!plan.noVisits && !stopped && happens(closeAt)) {
      const outcome: Outcome = agreement.performedAt ? 'agreement_performed' : 'agreement';
      closeRef(agreementRef, closeAt, outcome);
      closeWith(closeAt, outcome, null);
    }
  } else if (!stopped && result.failedAt.length && !result.closedAt) {
    const at = new Date(lastAt.getTime() + jitter(rand, 1, 7) * DAY);
    if (happens(at)) closeWith(at, plan.afterFailure, plan.afterFailure === 'litigation' ? '已告知当事人可向人民法院起诉' : null);
  }

  function closeRef(ref: Referral, at: Date, outcome: Outcome) {
    event(at, 'referral_close', input.registeredBy, { referralId: ref.id, from: ref.status, to: 'closed', reason: null, outcome });
    Object.assign(ref, { status: 'closed', outcome, endedAt: at, version: (ref.version ?? 1) + 1 });
  }

  result.referralStates = mine.map((r) => r.status as ReferralState);
  result.lastAt = lastAt;
  return result;
}
