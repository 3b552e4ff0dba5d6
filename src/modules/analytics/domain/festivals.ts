/**
 * Holiday-aware windows (issue 16): the Spring Festival falls in January one year and February the next,
 * so "this January against last January" compares a festival month with an ordinary one. A festival is
 * compared with the same festival of last year instead: its window is the block of official days off
 * around it in the working-day calendar (src/core/working-days.ts), or, for a year the calendar does not
 * cover, the festival day ± 3 days (7 days, the usual length of the 春节 and 国庆 breaks).
 *
 * Lunar festivals move: their Gregorian dates are data (紫金山天文台 / 中国天文年历); a year missing from
 * the table is refused rather than guessed.
 */
import { addCalendarDays, type Day, type WorkingDayCalendar } from '../../../core/working-days.js';
import { spanDays, type Comparison, type Span } from './periods.js';

export const FESTIVALS = {
  spring: { zh: '春节', en: 'Spring Festival' },
  qingming: { zh: '清明节', en: 'Qingming Festival' },
  labour: { zh: '劳动节', en: 'Labour Day' },
  dragon_boat: { zh: '端午节', en: 'Dragon Boat Festival' },
  mid_autumn: { zh: '中秋节', en: 'Mid-Autumn Festival' },
  national: { zh: '国庆节', en: 'National Day' },
} as const;
export type Festival = keyof typeof FESTIVALS;

/** The festival's own day by year (lunar and solar-term festivals); 劳动节 and 国庆节 are fixed. */
const MOVING: Record<'spring' | 'qingming' | 'dragon_boat' | 'mid_autumn', Record<number, Day>> = {
  spring: { 2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10', 2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26' },
  qingming: { 2023: '2023-04-05', 2024: '2024-04-04', 2025: '2025-04-04', 2026: '2026-04-05', 2027: '2027-04-05' },
  dragon_boat: { 2023: '2023-06-22', 2024: '2024-06-10', 2025: '2025-05-31', 2026: '2026-06-19', 2027: '2027-06-09' },
  mid_autumn: { 2023: '2023-09-29', 2024: '2024-09-17', 2025: '2025-10-06', 2026: '2026-09-25', 2027: '2027-09-15' },
};

export function festivalDay(festival: Festival, year: number): Day {
  if (festival === 'labour') return `${year}-05-01`;
  if (festival === 'national') return `${year}-10-01`;
  const day = MOVING[festival][year];
  if (!day) throw new RangeError(`${FESTIVALS[festival].en} ${year} is not in the festival table`);
  return day;
}

/**
 * The festival's window in a year: the run of official days off holding the festival day (weekends
 * inside the break included, as the calendar lists them), or ± 3 days where the calendar has no such run.
 */
export function festivalWindow(festival: Festival, year: number, calendar: WorkingDayCalendar): Span & { fromCalendar: boolean } {
  const day = festivalDay(festival, year);
  if (calendar.covers(day) && calendar.dayKind(day) === 'holiday') {
    let [from, to] = [day, day];
    // Bounded: no holiday block is longer than a few weeks.
    for (let i = 0; i < 30 && calendar.dayKind(addCalendarDays(from, -1)) === 'holiday'; i++) from = addCalendarDays(from, -1);
    for (let i = 0; i < 30 && calendar.dayKind(addCalendarDays(to, 1)) === 'holiday'; i++) to = addCalendarDays(to, 1);
    return { from, to, fromCalendar: true };
  }
  return { from: addCalendarDays(day, -3), to: addCalendarDays(day, 3), fromCalendar: false };
}

/** This year's festival window against last year's. */
export function festivalOnFestival(festival: Festival, year: number, calendar: WorkingDayCalendar): Comparison {
  const c = festivalWindow(festival, year, calendar);
  const p = festivalWindow(festival, year - 1, calendar);
  const current = { from: c.from, to: c.to };
  const previous = { from: p.from, to: p.to };
  return { current, previous, rule: 'festival', days: { current: spanDays(current), previous: spanDays(previous) } };
}

/** The festivals whose window overlaps a span (a dashboard warns that a plain comparison mixes them in). */
export function festivalsIn(span: Span, calendar: WorkingDayCalendar): { festival: Festival; window: Span }[] {
  const out: { festival: Festival; window: Span }[] = [];
  const years = new Set([Number(span.from.slice(0, 4)), Number(span.to.slice(0, 4))]);
  for (const year of years)
    for (const festival of Object.keys(FESTIVALS) as Festival[]) {
      let w: Span;
      try {
        w = festivalWindow(festival, year, calendar);
      } catch {
        continue; // a year outside the table: nothing to warn about
      }
      if (w.from <= span.to && w.to >= span.from) out.push({ festival, window: { from: w.from, to: w.to } });
    }
  return out;
}
