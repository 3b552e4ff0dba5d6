/**
 * The deadlines of a mediation (its clocks), each naming the rule it comes from. Computed only from the
 * recorded steps and the working-day calendar, never from the time now: `clockState` compares with now.
 *
 * - 治安调解: the first session within 3 working days of acceptance (or of the injury assessment, when
 *   one is needed); a second one, when the first brought no agreement, within 7 working days of the first
 *   (《公安机关治安调解工作规范》art. 9).
 * - 人民调解: concluded within one month of acceptance, to the same date of the next month (the last day
 *   of a shorter month); longer only by the parties' recorded consent, each extension adding its days.
 * - after an agreement with a performance deadline: a follow-up visit (回访) on its performance at the
 *   deadline, then 7 days after each visit, until performed. Only the next open visit is a clock.
 * - judicial confirmation (司法确认) of a mediation organisation's agreement may be requested within 30
 *   days of signing (人民调解法 art. 33).
 * A period whose last day is a day off ends on the next working day (民法典 art. 203, 民事诉讼法 on periods).
 * The numbers and texts are data (MEDIATION_CLOCK_RULES) a bureau corrects.
 */
import { addCalendarDays, addMonths, dayOf, dueAtEndOfDay, type Day, type WorkingDayCalendar } from '../../../core/working-days.js';
import type { MediationType } from './vocabulary.js';

export interface Clock {
  code: string;
  zh: string;
  en: string;
  /** The rule and article the deadline comes from, and how it was extended. */
  basis: string;
  dueAt: Date;
  /** When the step was done (or the clock stopped: the mediation ended); null while open. */
  doneAt: Date | null;
}

export type ClockState = 'done' | 'due' | 'soon' | 'overdue';

export interface MediationClockInput {
  mediationType: MediationType;
  acceptedAt?: Date;
  sessions: Date[];
  agreement?: { signedAt: Date; performanceDeadline?: Day; performedAt?: Date };
  /** People's mediation beyond its month: only extensions with the parties' recorded consent. */
  extensions: { consentedAt: Date; days: number }[];
  /** Follow-up visits on the agreement's performance. */
  followups: Date[];
  judicialConfirmationRequestedAt?: Date;
  /** Police mediation that waits for an injury assessment or valuation: its first session counts from here. */
  injuryAssessmentAt?: Date;
  /** The mediation ended without agreement (failed, withdrawn): open session clocks stop here. */
  concludedAt?: Date;
}

export const MEDIATION_CLOCK_RULES = {
  policeFirstSession: {
    workingDays: 3,
    basis: '《公安机关治安调解工作规范》第九条：受理案件后3个工作日内完成调解（需伤情鉴定或价值认定的，自鉴定文书出具后起算）',
  },
  policeSecondSession: {
    workingDays: 7,
    /** The regulation counts from the first session; a bureau counting from acceptance sets 'acceptance'. */
    from: 'first_session' as 'first_session' | 'acceptance',
    basis: '《公安机关治安调解工作规范》第九条：一次调解不成、有必要再次调解的，在第一次调解后7个工作日内完成',
  },
  peopleConclusion: {
    months: 1,
    basis: '《人民调解工作若干规定》第三十三条：一般在一个月内调结；经双方当事人同意方可延长',
  },
  followup: {
    everyDays: 7,
    basis: '《人民调解法》第三十一条：对调解协议的履行情况进行监督；履行期限届满回访，其后每7日回访一次，直至履行',
  },
  judicialConfirmation: {
    days: 30,
    /** Agreements of mediation organisations; a court's own mediation and police mediation need none. */
    types: ['people', 'lawyer'] as readonly MediationType[],
    basis: '《人民调解法》第三十三条：自调解协议生效之日起三十日内共同向人民法院申请司法确认',
  },
};

export type MediationClockRules = typeof MEDIATION_CLOCK_RULES;

const HOLIDAY_NOTE = '；期间最后一日为休息日的，顺延至其后第一个工作日';
const byTime = (a: Date, b: Date) => a.getTime() - b.getTime();

/** The last day of a period, moved to the next working day when it is a day off. */
function periodEnd(calendar: WorkingDayCalendar, lastDay: Day): { day: Day; moved: boolean } {
  const day = calendar.nextWorkingDay(lastDay);
  return { day, moved: day !== lastDay };
}

function policeClocks(input: MediationClockInput, sessions: Date[], calendar: WorkingDayCalendar, rules: MediationClockRules): Clock[] {
  if (!input.acceptedAt) return [];
  const clocks: Clock[] = [];
  const [first, second] = sessions;
  const anchor = input.injuryAssessmentAt ?? input.acceptedAt;
  const signedAt = input.agreement?.signedAt;
  clocks.push({
    code: 'police_first_session',
    zh: '治安调解：首次调解',
    en: 'Police mediation: first session',
    basis: rules.policeFirstSession.basis,
    dueAt: dueAtEndOfDay(calendar.addWorkingDays(dayOf(anchor), rules.policeFirstSession.workingDays)),
    doneAt: first ?? signedAt ?? input.concludedAt ?? null,
  });
  // A second session is due only when the first brought no agreement and the mediation goes on.
  const secondNeeded = second !== undefined || (first !== undefined && !signedAt && !input.concludedAt);
  const from = rules.policeSecondSession.from === 'acceptance' ? input.acceptedAt : first;
  if (secondNeeded && from) {
    clocks.push({
      code: 'police_second_session',
      zh: '治安调解：第二次调解',
      en: 'Police mediation: second session',
      basis: rules.policeSecondSession.basis,
      dueAt: dueAtEndOfDay(calendar.addWorkingDays(dayOf(from), rules.policeSecondSession.workingDays)),
      doneAt: second ?? null,
    });
  }
  return clocks;
}

function peopleClock(input: MediationClockInput, calendar: WorkingDayCalendar, rules: MediationClockRules): Clock[] {
  if (!input.acceptedAt) return [];
  let last = addMonths(dayOf(input.acceptedAt), rules.peopleConclusion.months);
  let due = periodEnd(calendar, last);
  const notes: string[] = [];
  // An extension counts when consented before the period ran out; each adds its days to the period.
  for (const e of [...input.extensions].sort((a, b) => byTime(a.consentedAt, b.consentedAt))) {
    if (!Number.isInteger(e.days) || e.days <= 0) continue;
    if (e.consentedAt.getTime() > dueAtEndOfDay(due.day).getTime()) continue;
    last = addCalendarDays(last, e.days);
    due = periodEnd(calendar, last);
    notes.push(`经双方同意延长${e.days}日（${dayOf(e.consentedAt)}）`);
  }
  return [
    {
      code: 'people_conclusion',
      zh: '人民调解：调结',
      en: 'People’s mediation concluded',
      basis: [rules.peopleConclusion.basis, ...notes].join('；') + (due.moved ? HOLIDAY_NOTE : ''),
      dueAt: dueAtEndOfDay(due.day),
      doneAt: input.agreement?.signedAt ?? input.concludedAt ?? null,
    },
  ];
}

/** Visits on performance: at the deadline, then `everyDays` after each visit, until performed. */
function followupClocks(input: MediationClockInput, calendar: WorkingDayCalendar, rules: MediationClockRules): Clock[] {
  const a = input.agreement;
  if (!a?.performanceDeadline) return [];
  // A visit before the deadline cannot find the agreement due, so it does not count.
  const from = dueAtEndOfDay(addCalendarDays(a.performanceDeadline, -1)).getTime();
  const visits = input.followups.filter((v) => v.getTime() > from).sort(byTime);
  const performed = a.performedAt;
  const clocks: Clock[] = [];
  let due = periodEnd(calendar, a.performanceDeadline);
  for (let n = 1; ; n++) {
    const visit = visits[n - 1];
    const done = performed && (!visit || performed.getTime() <= visit.getTime()) ? performed : (visit ?? null);
    clocks.push({
      code: `followup_${n}`,
      zh: `协议履行回访（第${n}次）`,
      en: `Follow-up visit ${n} on performance`,
      basis: rules.followup.basis + (due.moved ? HOLIDAY_NOTE : ''),
      dueAt: dueAtEndOfDay(due.day),
      doneAt: done,
    });
    if (!done || done === performed) return clocks;
    due = periodEnd(calendar, addCalendarDays(dayOf(done), rules.followup.everyDays));
  }
}

function judicialClock(input: MediationClockInput, calendar: WorkingDayCalendar, rules: MediationClockRules): Clock[] {
  const a = input.agreement;
  if (!a || !rules.judicialConfirmation.types.includes(input.mediationType)) return [];
  const due = periodEnd(calendar, addCalendarDays(dayOf(a.signedAt), rules.judicialConfirmation.days));
  return [
    {
      code: 'judicial_confirmation',
      zh: '申请司法确认',
      en: 'Judicial confirmation requested',
      basis: rules.judicialConfirmation.basis + (due.moved ? HOLIDAY_NOTE : ''),
      dueAt: dueAtEndOfDay(due.day),
      doneAt: input.judicialConfirmationRequestedAt ?? null,
    },
  ];
}

/** Every clock of a mediation, in the order its steps come. */
export function mediationClocks(input: MediationClockInput, calendar: WorkingDayCalendar, rules: MediationClockRules = MEDIATION_CLOCK_RULES): Clock[] {
  const sessions = [...input.sessions].sort(byTime);
  return [
    ...(input.mediationType === 'police' ? policeClocks(input, sessions, calendar, rules) : []),
    ...(input.mediationType === 'people' ? peopleClock(input, calendar, rules) : []),
    ...followupClocks(input, calendar, rules),
    ...judicialClock(input, calendar, rules),
  ];
}

/** Where a clock stands at `now`: done, overdue, soon (due within `leadMs`) or due. */
export function clockState(clock: Pick<Clock, 'dueAt' | 'doneAt'>, now: Date, leadMs: number): ClockState {
  if (clock.doneAt) return 'done';
  const left = clock.dueAt.getTime() - now.getTime();
  if (left < 0) return 'overdue';
  return left <= leadMs ? 'soon' : 'due';
}

/** True when the step was done after its deadline. */
export function doneLate(clock: Pick<Clock, 'dueAt' | 'doneAt'>): boolean {
  return clock.doneAt !== null && clock.doneAt.getTime() > clock.dueAt.getTime();
}
