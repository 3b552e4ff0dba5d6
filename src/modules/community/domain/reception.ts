/**
 * Reception hours of a community police room (警务室): a weekly schedule of local-time intervals, e.g.
 * Monday–Friday 09:00–12:00 and 14:00–17:30. Pure: "is the room open at instant t" and "when does it
 * open next", in the city's local time (Asia/Shanghai by default; computed with Intl, no fixed offset).
 * An interval lies inside one day (opens < closes, 'HH:MM', closes may be '24:00').
 */

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export interface ReceptionInterval {
  day: Weekday;
  opens: string;
  closes: string;
}
export type WeeklyHours = ReceptionInterval[];

export const RECEPTION_ZONE = 'Asia/Shanghai';
export const MAX_INTERVALS = 21;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const MIN_MS = 60_000;
const DAY_MIN = 24 * 60;

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** The first problem of a schedule, naming the field ('hours.2.closes'), or null when it is valid. */
export function scheduleProblem(hours: WeeklyHours): { field: string; zh: string; en: string } | null {
  if (hours.length > MAX_INTERVALS) return { field: 'hours', zh: `最多 ${MAX_INTERVALS} 个时段`, en: `at most ${MAX_INTERVALS} intervals` };
  for (const [i, h] of hours.entries()) {
    if (!Number.isInteger(h.day) || h.day < 1 || h.day > 7) return { field: `hours.${i}.day`, zh: '星期须为 1（周一）到 7（周日）', en: 'day must be 1 (Monday) to 7 (Sunday)' };
    if (!TIME.test(h.opens) || h.opens === '24:00') return { field: `hours.${i}.opens`, zh: '时间格式须为 HH:MM', en: 'time must be HH:MM' };
    if (!TIME.test(h.closes)) return { field: `hours.${i}.closes`, zh: '时间格式须为 HH:MM', en: 'time must be HH:MM' };
    if (minutesOf(h.closes) <= minutesOf(h.opens)) return { field: `hours.${i}.closes`, zh: '结束时间须晚于开始时间', en: 'closes must be after opens' };
    for (const [j, o] of hours.entries()) {
      if (j >= i || o.day !== h.day) continue;
      if (minutesOf(h.opens) < minutesOf(o.closes) && minutesOf(o.opens) < minutesOf(h.closes)) return { field: `hours.${i}`, zh: `与第 ${j + 1} 个时段重叠`, en: `overlaps interval ${j}` };
    }
  }
  return null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** Local wall clock of an instant: the local date as a UTC-midnight day number, weekday and minute of the day. */
export function localClock(t: number, zone = RECEPTION_ZONE): { dayNumber: number; weekday: Weekday; minute: number; second: number } {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  const dayNumber = Math.floor(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / 86_400_000);
  const dow = (((dayNumber + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday: Monday 0 … Sunday 6
  return { dayNumber, weekday: (dow + 1) as Weekday, minute: Number(parts.hour) * 60 + Number(parts.minute), second: Number(parts.second) + (t % 1000) / 1000 };
}

/** The instant of a local day's minute (a wall time skipped by a clock change resolves to the later side). */
export function instantOf(dayNumber: number, minute: number, zone = RECEPTION_ZONE): number {
  const wall = dayNumber * 86_400_000 + minute * MIN_MS;
  let t = wall;
  for (let k = 0; k < 3; k++) {
    const c = localClock(t, zone);
    const seen = c.dayNumber * 86_400_000 + c.minute * MIN_MS + Math.floor(c.second) * 1000;
    if (seen === wall) return t;
    t += wall - seen;
  }
  return t;
}

/** Is the room receiving visitors at instant t? (opens inclusive, closes exclusive) */
export function isOpenAt(hours: WeeklyHours, t: number, zone = RECEPTION_ZONE): boolean {
  const c = localClock(t, zone);
  return hours.some((h) => h.day === c.weekday && minutesOf(h.opens) <= c.minute && c.minute < minutesOf(h.closes));
}

export interface ReceptionState {
  open: boolean;
  /** When the current opening ends (only when open); a following interval that starts at once joins it. */
  closesAt: number | null;
  /** The next instant after t when the room opens (a closed room opening now counts as open); null: no hours at all. */
  nextOpensAt: number | null;
}

/** Intervals of one local day, sorted, contiguous ones merged (12:00–14:00 then 14:00–17:00 is one). */
function dayIntervals(hours: WeeklyHours, weekday: Weekday): [number, number][] {
  const xs = hours.filter((h) => h.day === weekday).map((h) => [minutesOf(h.opens), minutesOf(h.closes)] as [number, number]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const x of xs) {
    const last = out.at(-1);
    if (last && x[0] <= last[1]) last[1] = Math.max(last[1], x[1]);
    else out.push([...x]);
  }
  return out;
}

/** Open now or not, when it closes, when it opens next — scanning at most 8 local days ahead. */
export function receptionAt(hours: WeeklyHours, t: number, zone = RECEPTION_ZONE): ReceptionState {
  const c = localClock(t, zone);
  const current = dayIntervals(hours, c.weekday).find(([o, cl]) => o <= c.minute && c.minute < cl);
  if (!current) return { open: false, closesAt: null, nextOpensAt: nextOpening(hours, t, zone) };
  // Open until midnight and the next day opens at 00:00: the opening goes on.
  const closesAt = current[1] === DAY_MIN ? closingAfterMidnight(hours, c.dayNumber + 1, c.weekday, zone) : instantOf(c.dayNumber, current[1], zone);
  if (!Number.isFinite(closesAt)) return { open: true, closesAt: null, nextOpensAt: null };
  return { open: true, closesAt, nextOpensAt: nextOpening(hours, closesAt, zone) };
}

/** The first instant after `from` when a closed room opens (an interval that only continues yesterday's 24:00 is no opening). */
export function nextOpening(hours: WeeklyHours, from: number, zone = RECEPTION_ZONE): number | null {
  const c = localClock(from, zone);
  for (let d = 0; d <= 8; d++) {
    const weekday = ((c.weekday - 1 + d) % 7) + 1;
    const prev = dayIntervals(hours, (((weekday + 5) % 7) + 1) as Weekday).at(-1);
    for (const [o] of dayIntervals(hours, weekday as Weekday)) {
      if (o === 0 && prev?.[1] === DAY_MIN) continue;
      const at = instantOf(c.dayNumber + d, o, zone);
      if (at > from) return at;
    }
  }
  return null;
}

function closingAfterMidnight(hours: WeeklyHours, dayNumber: number, prevWeekday: number, zone: string): number {
  for (let d = 0; d < 7; d++) {
    const weekday = (((prevWeekday + d) % 7) + 1) as Weekday;
    const first = dayIntervals(hours, weekday)[0];
    if (!first || first[0] !== 0) return instantOf(dayNumber + d, 0, zone);
    if (first[1] !== DAY_MIN) return instantOf(dayNumber + d, first[1], zone);
  }
  return Number.POSITIVE_INFINITY;
}

/** Mon–Fri 09:00–12:00 and 14:00–17:30, Saturday morning: the usual hours of a room (demo, defaults). */
export const USUAL_HOURS: WeeklyHours = [
  ...([1, 2, 3, 4, 5] as const).flatMap((day) => [
    { day, opens: '09:00', closes: '12:00' },
    { day, opens: '14:00', closes: '17:30' },
  ]),
  { day: 6, opens: '09:00', closes: '12:00' },
];
