/**
 * Local time of the city the platform serves: the one home of the time zone (issue 10 step 6). The zone
 * is configured (`SHOUWANG_TIME_ZONE`, an IANA name; default `Asia/Macau`) and read once at start. Local
 * days number incidents, bound shifts and count figures; they follow the zone's rules, daylight saving
 * included (computed with Intl, no fixed offset).
 */

const DAY_MS = 86_400_000;
export const DEFAULT_TIME_ZONE = 'Asia/Macau';

function validZone(tz: string | undefined): string {
  if (!tz) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz;
  } catch {
    throw new RangeError(`SHOUWANG_TIME_ZONE: unknown time zone ${tz}`);
  }
}

let zone = validZone(process.env.SHOUWANG_TIME_ZONE);
let format = formatter(zone);
/** Offsets per UTC hour already computed: the local-day hot path (every create) asks Intl once an hour. */
const offsets = new Map<number, number>();

function formatter(tz: string) {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
}

/** The configured zone (for display and for tests). */
export function timeZone(): string {
  return zone;
}

/** Sets the zone (tests; the server reads SHOUWANG_TIME_ZONE). */
export function setTimeZone(tz: string) {
  zone = validZone(tz);
  format = formatter(zone);
  offsets.clear();
  dayStarts.clear();
}

/** Minutes the zone is ahead of UTC at the instant `t` (ms). */
export function utcOffsetMinutes(t: number): number {
  const hour = Math.floor(t / 3_600_000);
  const known = offsets.get(hour);
  if (known !== undefined) return known;
  const p = Object.fromEntries(format.formatToParts(new Date(hour * 3_600_000)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const minutes = Math.round((asUtc - hour * 3_600_000) / 60_000);
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(hour, minutes);
  return minutes;
}

function instant(at: Date | number): number {
  const t = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid date');
  return t;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Local calendar parts of an instant. `weekday`: 0 = Sunday … 6 = Saturday. */
export function localParts(at: Date | number): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } {
  const t = instant(at);
  const d = new Date(t + utcOffsetMinutes(t) * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
}

/** Local day 'YYYY-MM-DD'. */
export function localDay(at: Date | number): string {
  const p = localParts(at);
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
}

/** Local day 'YYYYMMDD'. */
export function localDayCompact(at: Date | number): string {
  return localDay(at).replaceAll('-', '');
}

/** The instant local midnight starts the day 'YYYY-MM-DD' (the first instant of the day where a DST change skips midnight). */
export function localDayStart(day: string): Date {
  const known = dayStarts.get(day);
  if (known !== undefined) return new Date(known);
  const t = computeDayStart(day);
  if (dayStarts.size > 50_000) dayStarts.clear();
  dayStarts.set(day, t.getTime());
  return t;
}

/** Day starts already computed (bulk clock recomputes ask for the same days again and again). */
const dayStarts = new Map<string, number>();

function computeDayStart(day: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Two rounds settle the offset on either side of a change.
  let t = wall - utcOffsetMinutes(wall) * 60_000;
  t = wall - utcOffsetMinutes(t) * 60_000;
  return new Date(localDay(t) === day ? t : t + 3_600_000);
}

/** The local day `n` days after `day` (n may be negative). */
export function addLocalDays(day: string, n: number): string {
  // Noon is never skipped by a DST change: step from there.
  return localDay(localDayStart(day).getTime() + n * DAY_MS + 12 * 3_600_000);
}
