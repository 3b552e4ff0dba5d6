/**
 * Fair periods to compare (issue 16, PRODUCT.md "Measures"): a figure of this year is set against the
 * same span of last year, never a whole year against part of one. Pure: days are local 'YYYY-MM-DD'
 * strings, spans are inclusive of both ends.
 *
 * - to date: 1 January → today against 1 January → the same date last year (29 February → 28 February);
 * - ISO weeks: Monday–Sunday against the same ISO week number last year, so weekdays line up; a week 53
 *   (a year with 53 ISO weeks) is set against last year's week 52 and says so;
 * - months: the calendar month against the same month last year (to date when it is the current month);
 * - any other span: the span shifted by 364 days (52 weeks: the same weekdays) — the choice of most
 *   police statistics offices, since weekday mix weighs more than the calendar date.
 */
import { addCalendarDays, addMonths, calendarDaysBetween, isDay, weekdayOf, type Day } from '../../../core/working-days.js';

export interface Span {
  from: Day;
  to: Day;
}

export interface Comparison {
  current: Span;
  previous: Span;
  /** How the previous span was chosen, for the figure's explanation. */
  rule: 'to_date' | 'iso_week' | 'iso_week_53' | 'month' | 'shift_52_weeks' | 'festival';
  /** Days in each span: a leap day makes them differ by one, and counts are compared per day then. */
  days: { current: number; previous: number };
  /**
   * A span that holds today ends now, not at midnight: both spans end at the same local time of day
   * (`ms` into their `day`), last year's on the day matching today (runningCut). Absent: whole days.
   */
  cut?: { current: { day: Day; ms: number }; previous: { day: Day; ms: number } };
}

const DAY_MS = 86_400_000;

/**
 * A comparison whose current span holds `today`, cut at `ms` into today (1 Jan → now against 1 Jan → the
 * same instant of last year's same date): last year's span ends on the day matching today — the same
 * date for a year or a month to date (29 February → 28 February), the same place in the span (the same
 * weekday) for weeks, festivals and 52-week shifts — at the same time of day. Days count in fractions,
 * so counts compare per day as before. Unchanged when today is outside the span or nothing of it has
 * passed yet (ms 0 on its first day).
 *
 * `grain`: what last year's side can be cut at (the rollups count whole hours). Last year's span then ends
 * at the end of the running hour (07:40 → 08:00), and its days count to there, this year's to now: the
 * per-day comparison stays fair, and every figure of last year is a whole-hour figure.
 */
export function runningCut(c: Comparison, today: Day, ms: number, grain = 1): Comparison {
  if (!(ms >= 0 && ms < DAY_MS)) throw new RangeError(`not a time of day in milliseconds: ${ms}`);
  if (today < c.current.from || today > c.current.to) return c;
  const offset = calendarDaysBetween(c.current.from, today);
  if (offset === 0 && ms === 0) return c;
  const sameDate = c.rule === 'to_date' || c.rule === 'month';
  let previousDay = sameDate ? sameDateLastYear(today) : addCalendarDays(c.previous.from, offset);
  if (previousDay > c.previous.to) previousDay = c.previous.to;
  if (previousDay < c.previous.from) previousDay = c.previous.from;
  const before = Math.min(DAY_MS, Math.ceil(ms / grain) * grain);
  return {
    ...c,
    days: { current: offset + ms / DAY_MS, previous: calendarDaysBetween(c.previous.from, previousDay) + before / DAY_MS },
    cut: { current: { day: today, ms }, previous: { day: previousDay, ms: before } },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function spanDays(s: Span): number {
  return calendarDaysBetween(s.from, s.to) + 1;
}

export function checkSpan(s: Span): Span {
  if (!isDay(s.from) || !isDay(s.to)) throw new RangeError(`not a span of days: ${s.from} → ${s.to}`);
  if (s.to < s.from) throw new RangeError(`span ends before it starts: ${s.from} → ${s.to}`);
  return s;
}

function compared(current: Span, previous: Span, rule: Comparison['rule']): Comparison {
  return { current, previous, rule, days: { current: spanDays(current), previous: spanDays(previous) } };
}

/** The same date one year earlier; 29 February becomes 28 February. */
export function sameDateLastYear(day: Day): Day {
  return addMonths(day, -12);
}

/** 1 January → `today` against 1 January → the same date last year. */
export function yearToDate(today: Day): Comparison {
  const year = Number(today.slice(0, 4));
  return compared(checkSpan({ from: `${year}-01-01`, to: today }), { from: `${year - 1}-01-01`, to: sameDateLastYear(today) }, 'to_date');
}

/** ISO 8601 week of a day: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeekOf(day: Day): { year: number; week: number } {
  const dow = (weekdayOf(day) + 6) % 7; // Monday 0 … Sunday 6
  const thursday = addCalendarDays(day, 3 - dow);
  const year = Number(thursday.slice(0, 4));
  return { year, week: Math.floor(calendarDaysBetween(`${year}-01-01`, thursday) / 7) + 1 };
}

/** The Monday of ISO week 1 of a year. */
function week1Monday(year: number): Day {
  const jan4 = `${year}-01-04`;
  return addCalendarDays(jan4, -((weekdayOf(jan4) + 6) % 7));
}

/** 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a Wednesday. */
export function isoWeeksIn(year: number): 52 | 53 {
  return isoWeekOf(`${year}-12-28`).week as 52 | 53;
}

export function isoWeekSpan(year: number, week: number): Span {
  if (!Number.isInteger(week) || week < 1 || week > isoWeeksIn(year)) throw new RangeError(`${year} has no ISO week ${week}`);
  const monday = addCalendarDays(week1Monday(year), (week - 1) * 7);
  return { from: monday, to: addCalendarDays(monday, 6) };
}

/** '2026-W48' → the week; anything else → null. */
export function parseIsoWeek(text: string): { year: number; week: number } | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, week] = [Number(m[1]), Number(m[2])];
  return week >= 1 && week <= isoWeeksIn(year) ? { year, week } : null;
}

export function formatIsoWeek(w: { year: number; week: number }): string {
  return `${w.year}-W${pad(w.week)}`;
}

/** A Monday–Sunday week against the same ISO week of last year (week 53 → last year's week 52). */
export function weekOnWeek(year: number, week: number): Comparison {
  const current = isoWeekSpan(year, week);
  const prevWeek = Math.min(week, isoWeeksIn(year - 1));
  return compared(current, isoWeekSpan(year - 1, prevWeek), prevWeek === week ? 'iso_week' : 'iso_week_53');
}

/** A calendar month ('YYYY-MM') against the same month last year; up to `today` when the month is running. */
export function monthOnMonth(month: string, today?: Day): Comparison {
  if (!/^\d{4}-\d{2}$/.test(month) || !isDay(`${month}-01`)) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const from = `${month}-01`;
  const last = addCalendarDays(addMonths(from, 1), -1);
  const to = today && today >= from && today < last ? today : last;
  const prevFrom = addMonths(from, -12);
  const prevTo = to === last ? addCalendarDays(addMonths(prevFrom, 1), -1) : sameDateLastYear(to);
  return compared({ from, to }, { from: prevFrom, to: prevTo }, 'month');
}

/** Any span against the same weekdays 52 weeks earlier. */
export function shiftedSpan(span: Span): Comparison {
  checkSpan(span);
  return compared(span, { from: addCalendarDays(span.from, -364), to: addCalendarDays(span.to, -364) }, 'shift_52_weeks');
}

/** The fair comparison for a span: a whole ISO week, a whole (or running) month, a year to date, or else 52 weeks back. */
export function comparisonFor(span: Span, today?: Day): Comparison {
  checkSpan(span);
  const w = isoWeekOf(span.from);
  if (weekdayOf(span.from) === 1 && spanDays(span) === 7) return weekOnWeek(w.year, w.week);
  if (span.from.endsWith('-01-01') && span.from.slice(0, 4) === span.to.slice(0, 4)) return yearToDate(span.to);
  if (span.from.endsWith('-01') && span.from.slice(0, 7) === span.to.slice(0, 7)) {
    const m = monthOnMonth(span.from.slice(0, 7), today ?? span.to);
    if (m.current.to === span.to) return m;
  }
  return shiftedSpan(span);
}
