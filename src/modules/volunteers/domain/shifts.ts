/**
 * The rules of a patrol shift, pure (no clock of their own: `now` is given):
 *  - sign-up window: opens `signupOpensHours` before the start (fair: an early bird cannot take the
 *    month's shifts on the first day) and closes at the start;
 *  - check-in window: from `graceMinutes` before the start to the end;
 *  - hours: from check-in to check-out, capped at the shift's end (and never before its start);
 *  - points: one per full half hour served, plus a bonus for a full shift.
 */

export const DEFAULT_SIGNUP_OPENS_HOURS = 72;
export const DEFAULT_CHECKIN_GRACE_MINUTES = 15;
/** Longest shift accepted (hours): a day. */
export const MAX_SHIFT_HOURS = 24;

const H = 3_600_000;
const MIN = 60_000;

export interface ShiftTimes {
  startsAt: Date;
  endsAt: Date;
  signupOpensHours: number;
}

export type WindowCheck = { ok: true } | { ok: false; reason: 'not_open_yet' | 'closed'; opensAt?: Date };

/** When sign-up opens for this shift. */
export function signupOpensAt(s: ShiftTimes): Date {
  return new Date(s.startsAt.getTime() - s.signupOpensHours * H);
}

/** May one sign up now? Opens N hours ahead; closes when the shift starts. */
export function signupWindow(s: ShiftTimes, now: Date): WindowCheck {
  const opens = signupOpensAt(s);
  if (now < opens) return { ok: false, reason: 'not_open_yet', opensAt: opens };
  if (now >= s.startsAt) return { ok: false, reason: 'closed' };
  return { ok: true };
}

export type CheckinWindow = { ok: true } | { ok: false; reason: 'too_early' | 'ended'; opensAt?: Date };

/** May one check in now? From `graceMinutes` before the start until the end. */
export function checkinWindow(s: Pick<ShiftTimes, 'startsAt' | 'endsAt'>, now: Date, graceMinutes = DEFAULT_CHECKIN_GRACE_MINUTES): CheckinWindow {
  const opens = new Date(s.startsAt.getTime() - graceMinutes * MIN);
  if (now < opens) return { ok: false, reason: 'too_early', opensAt: opens };
  if (now >= s.endsAt) return { ok: false, reason: 'ended' };
  return { ok: true };
}

/** Hours served: check-in → check-out, counted only inside [start, end]; two decimals. */
export function hoursServed(s: Pick<ShiftTimes, 'startsAt' | 'endsAt'>, checkedInAt: Date, checkedOutAt: Date): number {
  const from = Math.max(checkedInAt.getTime(), s.startsAt.getTime());
  const to = Math.min(checkedOutAt.getTime(), s.endsAt.getTime());
  return to > from ? Math.round(((to - from) / H) * 100) / 100 : 0;
}

/** Points: 1 per full half hour served, +2 for having served the whole shift (within 5 minutes). */
export function pointsFor(s: Pick<ShiftTimes, 'startsAt' | 'endsAt'>, hours: number): number {
  const full = (s.endsAt.getTime() - s.startsAt.getTime()) / H;
  return Math.floor(hours * 2) + (hours >= full - 5 / 60 ? 2 : 0);
}

/** Fill: confirmed sign-ups against the minimum; short = fewer than the minimum. */
export function isShort(taken: number, minPeople: number): boolean {
  return taken < minPeople;
}

/** A shift is short-staffed and due for the chief's alert: starts within `aheadHours` and has not started. */
export function shortageDue(s: { startsAt: Date; minPeople: number; taken: number; cancelled: boolean }, now: Date, aheadHours = 24): boolean {
  if (s.cancelled || !isShort(s.taken, s.minPeople)) return false;
  const until = s.startsAt.getTime() - now.getTime();
  return until > 0 && until <= aheadHours * H;
}

export interface ShiftInputProblem {
  field: string;
  zh: string;
  en: string;
}

/** Checks of a new shift's numbers and times (the area is checked by geometry). */
export function shiftProblems(i: { startsAt: Date; endsAt: Date; minPeople: number; maxPeople: number; signupOpensHours: number }): ShiftInputProblem | null {
  if (!(i.endsAt > i.startsAt)) return { field: 'endsAt', zh: '结束时间须晚于开始时间', en: 'must be after startsAt' };
  if (i.endsAt.getTime() - i.startsAt.getTime() > MAX_SHIFT_HOURS * H) return { field: 'endsAt', zh: `一个班次最长 ${MAX_SHIFT_HOURS} 小时`, en: `a shift lasts at most ${MAX_SHIFT_HOURS} hours` };
  if (i.maxPeople < i.minPeople) return { field: 'maxPeople', zh: '最多人数不能少于最少人数', en: 'must not be below minPeople' };
  return null;
}
