/**
 * The working-day calendar: official days off (holidays) and the weekend days that are worked instead
 * (调休), per year, as data a bureau can correct (PRODUCT.md "Rules that are data, not code"). Statutory
 * clocks count in it: "within 3 working days", "the last day of a period is a holiday → the next working
 * day". Pure: days are 'YYYY-MM-DD' strings and calendar arithmetic needs no time zone; only
 * `dueAtEndOfDay` and `dayOf` turn days into instants, in the platform's zone (clock.ts).
 *
 * The shipped table `calendars/cn.json` holds the PRC calendars announced by the General Office of the
 * State Council (国务院办公厅关于2025年/2026年部分节假日安排的通知); each year names its notice in `_source`.
 * Outside the table's years the calendar falls back to Monday–Friday and says so (`covers` is false).
 */
import cn from './calendars/cn.json' with { type: 'json' };
import { localDay, localDayStart } from './clock.js';

/** A local calendar day, 'YYYY-MM-DD'. */
export type Day = string;

export interface CalendarYear {
  /** Where the year comes from (the notice and its date). */
  _source?: string;
  /** Official days off, weekends inside a holiday block included. */
  holidays: Day[];
  /** Saturdays and Sundays that are working days (调休). */
  workdays: Day[];
}

export interface CalendarTable {
  _source?: string;
  /** By year, 'YYYY'. */
  years: Record<string, CalendarYear>;
}

/** How a day counts: `adjusted_workday` is a weekend day worked (调休). */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday';

const DAY_MS = 86_400_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Far beyond any statutory clock; stops a runaway loop on absurd input. */
const MAX_STEPS = 366 * 200;

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * Days parsed and printed so far: a bulk recompute of the clocks (bench:cases, 200,000 cases) asks for
 * the same few thousand days millions of times. Bounded: cleared when it grows past CACHE_MAX.
 */
const parsed = new Map<string, number>();
const printed = new Map<number, Day>();
const CACHE_MAX = 100_000;

/** UTC midnight of a day (ms), or NaN when `day` is not a real 'YYYY-MM-DD' date. */
function dayMs(day: string): number {
  const known = parsed.get(day);
  if (known !== undefined) return known;
  const t = parseDayMs(day);
  if (parsed.size >= CACHE_MAX) parsed.clear();
  if (typeof day === 'string') parsed.set(day, t);
  return t;
}

function parseDayMs(day: string): number {
  const m = typeof day === 'string' ? DAY_RE.exec(day) : null;
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // Date.UTC takes 0099 as 1999 and 02-30 as 03-02: both are refused.
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? t : NaN;
}

function msDay(t: number): Day {
  const known = printed.get(t);
  if (known !== undefined) return known;
  const d = new Date(t);
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  if (printed.size >= CACHE_MAX) printed.clear();
  printed.set(t, day);
  return day;
}

function parseDay(day: Day): number {
  const t = dayMs(day);
  if (Number.isNaN(t)) throw new RangeError(`not a day (YYYY-MM-DD): ${String(day)}`);
  return t;
}

/** True for a real 'YYYY-MM-DD' date. */
export function isDay(day: unknown): day is Day {
  return typeof day === 'string' && !Number.isNaN(dayMs(day));
}

/** The day `n` calendar days after `day` (n may be negative). */
export function addCalendarDays(day: Day, n: number): Day {
  if (!Number.isInteger(n)) throw new RangeError(`days must be a whole number: ${n}`);
  return msDay(parseDay(day) + n * DAY_MS);
}

/**
 * The day `n` months after `day`, on the same date; when that month is shorter, its last day
 * (民法典 art. 203: a period in months ends on the corresponding date, else on the month's last day).
 */
export function addMonths(day: Day, n: number): Day {
  if (!Number.isInteger(n)) throw new RangeError(`months must be a whole number: ${n}`);
  const d = new Date(parseDay(day));
  const months = d.getUTCFullYear() * 12 + d.getUTCMonth() + n;
  const [y, m] = [Math.floor(months / 12), ((months % 12) + 12) % 12];
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return msDay(Date.UTC(y, m, Math.min(d.getUTCDate(), last)));
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: Day, to: Day): number {
  return Math.round((parseDay(to) - parseDay(from)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: Day): number {
  return new Date(parseDay(day)).getUTCDay();
}

/** The local day (platform time zone) of an instant. */
export function dayOf(at: Date | number): Day {
  return localDay(at);
}

/** The last instant of a local day, 23:59:59.999 in the platform's zone: when a deadline "within day X" expires. */
export function dueAtEndOfDay(day: Day): Date {
  return new Date(localDayStart(addCalendarDays(day, 1)).getTime() - 1);
}

/** What is wrong with a table, one sentence each (empty when it is sound). */
export function calendarTableErrors(table: unknown): string[] {
  const errors: string[] = [];
  const years = (table as CalendarTable | null)?.years;
  if (!years || typeof years !== 'object') return ['the table needs "years": { "YYYY": { "holidays": [...], "workdays": [...] } }'];
  for (const [year, entry] of Object.entries(years)) {
    if (!/^\d{4}$/.test(year)) errors.push(`year "${year}" is not YYYY`);
    if (!entry || !Array.isArray(entry.holidays) || !Array.isArray(entry.workdays)) {
      errors.push(`${year}: "holidays" and "workdays" must be lists of days`);
      continue;
    }
    const holidays = new Set<string>();
    for (const [list, days] of [['holidays', entry.holidays], ['workdays', entry.workdays]] as const) {
      for (const day of days) {
        if (!isDay(day)) errors.push(`${year} ${list}: "${String(day)}" is not a YYYY-MM-DD day`);
        else if (!day.startsWith(`${year}-`)) errors.push(`${year} ${list}: ${day} is not in ${year}`);
        else if (list === 'holidays') holidays.add(day);
        else if (holidays.has(day)) errors.push(`${year}: ${day} is both a holiday and a working day`);
        else if (weekdayOf(day) !== 0 && weekdayOf(day) !== 6) errors.push(`${year} workdays: ${day} is not a Saturday or Sunday (调休 days are weekend days)`);
      }
    }
  }
  return errors;
}

/** A bureau's table over the shipped one: each year it names replaces that year whole; other years stay. */
export function mergeCalendarTables(base: CalendarTable, override: Partial<CalendarTable>): CalendarTable {
  return { _source: override._source ?? base._source, years: { ...base.years, ...(override.years ?? {}) } };
}

export class WorkingDayCalendar {
  private readonly holidays = new Set<Day>();
  private readonly workdays = new Set<Day>();
  private readonly sources = new Map<string, string>();
  /** Each day's kind once computed (the table never changes after construction). */
  private readonly kinds = new Map<Day, DayKind>();

  constructor(table: CalendarTable) {
    const errors = calendarTableErrors(table);
    if (errors.length > 0) throw new RangeError(`working-day calendar: ${errors.join('; ')}`);
    for (const [year, entry] of Object.entries(table.years)) {
      this.sources.set(year, entry._source ?? table._source ?? '');
      for (const d of entry.holidays) this.holidays.add(d);
      for (const d of entry.workdays) this.workdays.add(d);
    }
  }

  /** Years the table describes, ascending. */
  years(): string[] {
    return [...this.sources.keys()].sort();
  }

  /** False outside the table's years: the answer there is plain Monday–Friday. */
  covers(day: Day): boolean {
    parseDay(day);
    return this.sources.has(day.slice(0, 4));
  }

  /** The notice a day's year comes from (null when the year is not covered). */
  sourceOf(day: Day): string | null {
    return this.covers(day) ? this.sources.get(day.slice(0, 4))! : null;
  }

  dayKind(day: Day): DayKind {
    const known = this.kinds.get(day);
    if (known !== undefined) return known;
    const wd = weekdayOf(day);
    const kind: DayKind = this.holidays.has(day) ? 'holiday' : this.workdays.has(day) ? 'adjusted_workday' : wd === 0 || wd === 6 ? 'weekend' : 'workday';
    if (this.kinds.size >= CACHE_MAX) this.kinds.clear();
    this.kinds.set(day, kind);
    return kind;
  }

  isWorkingDay(day: Day): boolean {
    const kind = this.dayKind(day);
    return kind === 'workday' || kind === 'adjusted_workday';
  }

  /** `day` itself when it is a working day, else the first working day after it. */
  nextWorkingDay(day: Day): Day {
    let t = parseDay(day);
    for (let i = 0; i < MAX_STEPS; i++, t += DAY_MS) if (this.isWorkingDay(msDay(t))) return msDay(t);
    throw new RangeError(`no working day within ${MAX_STEPS} days of ${day}`);
  }

  /** The nth working day after `day` (`day` itself not counted); n < 0 counts back, n = 0 is `day`. */
  addWorkingDays(day: Day, n: number): Day {
    if (!Number.isInteger(n) || Math.abs(n) > MAX_STEPS) throw new RangeError(`working days must be a whole number up to ${MAX_STEPS}: ${n}`);
    let t = parseDay(day);
    const step = n < 0 ? -DAY_MS : DAY_MS;
    for (let left = Math.abs(n); left > 0; ) {
      t += step;
      if (this.isWorkingDay(msDay(t))) left--;
    }
    return msDay(t);
  }

  /**
   * Working days from `from` to `to`, `from` not counted: those in (from, to]; when `to` is earlier,
   * minus those in [to, from). The inverse of addWorkingDays: workingDaysBetween(d, addWorkingDays(d, n)) === n.
   */
  workingDaysBetween(from: Day, to: Day): number {
    const [a, b] = [parseDay(from), parseDay(to)];
    if (Math.abs(b - a) / DAY_MS > MAX_STEPS) throw new RangeError(`span longer than ${MAX_STEPS} days: ${from} → ${to}`);
    let count = 0;
    if (a <= b) {
      for (let t = a + DAY_MS; t <= b; t += DAY_MS) if (this.isWorkingDay(msDay(t))) count++;
      return count;
    }
    for (let t = b; t < a; t += DAY_MS) if (this.isWorkingDay(msDay(t))) count++;
    return -count;
  }
}

/** The shipped table (PRC, from the State Council notices); a copy, so a caller's edits stay theirs. */
export function shippedCalendarTable(): CalendarTable {
  return structuredClone(cn as CalendarTable);
}

let shipped: WorkingDayCalendar | null = null;

/** The calendar from calendars/cn.json. */
export function defaultCalendar(): WorkingDayCalendar {
  shipped ??= new WorkingDayCalendar(cn as CalendarTable);
  return shipped;
}
