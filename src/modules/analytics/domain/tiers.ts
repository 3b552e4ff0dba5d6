/**
 * Which rollup tier answers which part of a span (issue 16, speed). The hour rows hardly aggregate in a
 * busy city (a year of 8 million incidents is millions of hour rows), so whole local days are also kept
 * per unit, and whole local months too; a span is read as
 *
 *   [from … first whole day)  hours  |  whole days up to the first month start  |  whole months  |
 *   whole days after the last whole month  |  [last whole day … to)  hours
 *
 * and each instant of [from, to) falls in exactly one part. Pure: the local calendar comes in as two
 * functions (the time zone's day of an instant and a day's first instant).
 */
import { addCalendarDays, addMonths, type Day } from '../../../core/working-days.js';

export interface LocalCalendar {
  dayOf(at: Date): Day;
  dayStart(day: Day): Date;
}

/** [from, to) of instants, of days ('YYYY-MM-DD', to exclusive) or of months (their first days, to exclusive). */
export interface InstantRange {
  from: Date;
  to: Date;
}
export interface DayRange {
  from: Day;
  to: Day;
}

export interface TierPlan {
  hours: InstantRange[];
  days: DayRange[];
  months: DayRange | null;
}

const monthStart = (d: Day): Day => `${d.slice(0, 8)}01`;

/** The parts of [from, to) each tier answers. Hour parts are whole UTC hours when from and to are (a local day always is). */
export function tierPlan(from: Date, to: Date, cal: LocalCalendar): TierPlan {
  if (!(from < to)) return { hours: [], days: [], months: null };
  // The first whole day starts at or after `from`; the whole days end at the start of `to`'s day.
  let firstDay = cal.dayOf(from);
  if (cal.dayStart(firstDay) < from) firstDay = addCalendarDays(firstDay, 1);
  const endDay = cal.dayOf(to);
  if (!(firstDay < endDay)) return { hours: [{ from, to }], days: [], months: null };
  const hours: InstantRange[] = [];
  const headEnd = cal.dayStart(firstDay);
  if (from < headEnd) hours.push({ from, to: headEnd });
  const tailStart = cal.dayStart(endDay);
  if (tailStart < to) hours.push({ from: tailStart, to });
  // Whole months inside the whole days.
  const firstMonth = monthStart(firstDay) === firstDay ? firstDay : addMonths(monthStart(firstDay), 1);
  const endMonth = monthStart(endDay);
  if (!(firstMonth < endMonth)) return { hours, days: [{ from: firstDay, to: endDay }], months: null };
  const days: DayRange[] = [];
  if (firstDay < firstMonth) days.push({ from: firstDay, to: firstMonth });
  if (endMonth < endDay) days.push({ from: endMonth, to: endDay });
  return { hours, days, months: { from: firstMonth, to: endMonth } };
}

/** The local days that hold the given instants (hour starts a rollup round recounted), and their months. */
export function touchedDays(hours: readonly Date[], cal: LocalCalendar): { days: Day[]; months: Day[] } {
  const days = [...new Set(hours.map((h) => cal.dayOf(h)))].sort();
  const months = [...new Set(days.map(monthStart))].sort();
  return { days, months };
}

export { monthStart };

/**
 * The parts of [from, to) for a tier kept per month only (the hot-spot cells: a cell × family seldom repeats
 * within a day, so day rows would be as many as hour rows): whole months from the month rows, the rest —
 * whole days included — from the hour rows, merged into as few ranges as possible.
 */
export function monthPlan(from: Date, to: Date, cal: LocalCalendar): { hours: InstantRange[]; months: DayRange | null } {
  const p = tierPlan(from, to, cal);
  const parts = [...p.hours, ...p.days.map((d) => ({ from: cal.dayStart(d.from), to: cal.dayStart(d.to) }))].sort((a, b) => a.from.getTime() - b.from.getTime());
  const hours: InstantRange[] = [];
  for (const r of parts) {
    const last = hours.at(-1);
    if (last && last.to.getTime() === r.from.getTime()) last.to = r.to;
    else hours.push({ ...r });
  }
  return { hours, months: p.months };
}

/** A local month as a rebuild counts it: its instants [from, to) and its days [first, next). */
export interface LocalMonth {
  from: Date;
  to: Date;
  first: Day;
  next: Day;
}

/** The local months holding the instants [first, last], in order (a rebuild's units of work). */
export function localMonths(first: Date, last: Date, cal: LocalCalendar): LocalMonth[] {
  const out: LocalMonth[] = [];
  const end = monthStart(cal.dayOf(last));
  for (let m = monthStart(cal.dayOf(first)); m <= end; m = addMonths(m, 1)) {
    const next = addMonths(m, 1);
    out.push({ from: cal.dayStart(m), to: cal.dayStart(next), first: m, next });
  }
  return out;
}
