/**
 * The arithmetic of a statutory period after 刑事诉讼法第105条: the start hour or day is not counted;
 * months run to the same date (the month's last day when there is none); intervals that do not count
 * are merged before they are measured, so an overlap is excluded once. Pure: no clock, no I/O.
 */
import { localParts } from '../../../core/clock.js';
import { addCalendarDays, addMonths, calendarDaysBetween, dayOf, type Day, type WorkingDayCalendar } from '../../../core/working-days.js';
import type { LengthUnit } from './rules.js';

/**
 * How a period in months ends. 'same_date' (民法典第二百零二条): the same date, else the month's last
 * day. 'last_to_last' adds the convention of the SPC's 2012 interpretation of the CPL (art. 165): a
 * period starting on a month's last day ends on the last day of its final month.
 */
export type MonthEnd = 'same_date' | 'last_to_last';

const HOUR_MS = 3_600_000;
const EPOCH: Day = '1970-01-01';

/** The start of the local hour after the one `t` falls in: a period in hours counts from there. */
export function nextLocalHour(t: Date): Date {
  const p = localParts(t);
  const ms = ((t.getTime() % 1000) + 1000) % 1000;
  return new Date(t.getTime() - (p.minute * 60 + p.second) * 1000 - ms + HOUR_MS);
}

function lastOfMonth(day: Day): Day {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return `${day.slice(0, 8)}${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

export function addMonthsCounting(day: Day, n: number, monthEnd: MonthEnd): Day {
  const to = addMonths(day, n);
  return monthEnd === 'last_to_last' && day === lastOfMonth(day) ? lastOfMonth(to) : to;
}

/** The last day of a period of `n` units counted from the day after `day`. */
export function addUnits(day: Day, unit: Exclude<LengthUnit, 'hours'>, n: number, calendar: WorkingDayCalendar, monthEnd: MonthEnd): Day {
  if (unit === 'working_days') return calendar.addWorkingDays(day, n);
  if (unit === 'months') return addMonthsCounting(day, n, monthEnd);
  return addCalendarDays(day, n);
}

/** A half-open interval [from, to); `to` is Infinity while open. */
export interface Span {
  from: number;
  to: number;
}

/** The union of spans, sorted and disjoint: each instant (or day) once, however the spans overlap. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

export const dayIndex = (day: Day): number => calendarDaysBetween(EPOCH, day);
export const dayAt = (index: number): Day => addCalendarDays(EPOCH, index);

/**
 * A stop as whole days: those after the day it starts, up to the day it ends — the day counting
 * resumes from, like a period's own start day, is the day after. A stop within one day excludes none.
 */
export function stopDays(from: Date, to: Date | null): Span {
  return { from: dayIndex(dayOf(from)) + 1, to: to === null ? Infinity : dayIndex(dayOf(to)) + 1 };
}

/**
 * How much of the merged `union` lies in [lo, hi): Infinity when an open span reaches into it (the clock
 * is stopped). `weigh` counts a finite piece (default: its length).
 */
export function measure(union: readonly Span[], lo: number, hi: number, weigh: (from: number, to: number) => number = (a, b) => b - a): number {
  let total = 0;
  for (const s of union) {
    const [a, b] = [Math.max(s.from, lo), Math.min(s.to, hi)];
    if (b <= a) continue;
    if (s.to === Infinity) return Infinity;
    total += weigh(a, b);
  }
  return total;
}

/**
 * The end of a period once the excluded time inside it is added: the end moves by what is excluded, which
 * may reach more excluded time, until nothing new is reached. Null when an open stop reaches in.
 */
export function extendPast(baseEnd: number, excludedUpTo: (end: number) => number, shift: (excluded: number) => number): { end: number; excluded: number } | null {
  let [end, excluded] = [baseEnd, 0];
  // Each round reaches strictly more excluded time, bounded by the finite union: it ends.
  for (;;) {
    const m = excludedUpTo(end);
    if (m === Infinity) return null;
    if (m === excluded) return { end, excluded };
    excluded = m;
    end = shift(excluded);
  }
}
