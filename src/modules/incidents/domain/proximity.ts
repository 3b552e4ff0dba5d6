/**
 * Duplicate detection (重复报警: same place, same kind, minutes apart → link, don't double-dispatch) and
 * repeat locations (重复警情地点: ≥ 3 incidents within 100 m in 30 days → treat at the root).
 * Boundaries are inclusive: exactly 300 m or exactly 30 min apart is still a candidate.
 */
import { categoryFamily } from './categories.js';
import { isOpenStatus } from './lifecycle.js';

export type LonLat = { lon: number; lat: number } | readonly [number, number];

const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

function lonLat(p: LonLat): [number, number] {
  return Array.isArray(p) ? [p[0], p[1]] : [(p as { lon: number }).lon, (p as { lat: number }).lat];
}

/** Great-circle distance in metres (haversine, mean Earth radius). */
export function distanceMeters(a: LonLat, b: LonLat): number {
  const [lon1, lat1] = lonLat(a);
  const [lon2, lat2] = lonLat(b);
  const dLat = (lat2 - lat1) * DEG;
  const dLon = (lon2 - lon1) * DEG;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface ProximityIncident {
  id?: string | number;
  categoryCode: string;
  lon: number | null;
  lat: number | null;
  /** When it was reported (call start or recorded time). */
  at: Date | number | string;
  /** Needed for the existing incidents; a candidate must be open. */
  status?: string;
}

export interface DuplicateOptions {
  radiusM: number;
  windowMin: number;
}

export const DEFAULT_DUPLICATE_OPTIONS: DuplicateOptions = { radiusM: 300, windowMin: 30 };
export const REPEAT_LOCATION_RADIUS_M = 100;
export const REPEAT_LOCATION_DAYS = 30;
export const REPEAT_LOCATION_MIN_COUNT = 3;

const ms = (t: Date | number | string) => (t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t));

function measure(a: ProximityIncident, b: ProximityIncident): { distanceM: number; minutesApart: number } | null {
  if (a.lon == null || a.lat == null || b.lon == null || b.lat == null) return null;
  const ta = ms(a.at);
  const tb = ms(b.at);
  if (!Number.isFinite(ta) || !Number.isFinite(tb)) return null;
  return { distanceM: distanceMeters([a.lon, a.lat], [b.lon, b.lat]), minutesApart: Math.abs(ta - tb) / 60_000 };
}

/**
 * True when `open` may be the same event as `newIncident`: same category family, `open` in an open
 * status, within radius and time window (both inclusive), and not the same record.
 */
export function isDuplicateCandidate(newIncident: ProximityIncident, open: ProximityIncident, opts: DuplicateOptions = DEFAULT_DUPLICATE_OPTIONS): boolean {
  if (newIncident.id !== undefined && newIncident.id === open.id) return false;
  if (!open.status || !isOpenStatus(open.status)) return false;
  const fa = categoryFamily(newIncident.categoryCode);
  if (!fa || fa !== categoryFamily(open.categoryCode)) return false;
  const m = measure(newIncident, open);
  return m !== null && m.distanceM <= opts.radiusM && m.minutesApart <= opts.windowMin;
}

/** ≥ 3 incidents within 100 m in the last 30 days (the count includes the new one). */
export function isRepeatLocation(countWithin100mLast30Days: number): boolean {
  return countWithin100mLast30Days >= REPEAT_LOCATION_MIN_COUNT;
}

export interface RankedDuplicate<T extends ProximityIncident> {
  incident: T;
  distanceM: number;
  minutesApart: number;
  /** distance/radius + minutes/window: 0 = same place same moment, 2 = both at the limit. */
  score: number;
}

/** The duplicate candidates among `open`, closest in space and time first (ties: nearer, then sooner). */
export function rankDuplicates<T extends ProximityIncident>(
  newIncident: ProximityIncident,
  open: readonly T[],
  opts: DuplicateOptions = DEFAULT_DUPLICATE_OPTIONS,
): RankedDuplicate<T>[] {
  const out: RankedDuplicate<T>[] = [];
  for (const o of open) {
    if (!isDuplicateCandidate(newIncident, o, opts)) continue;
    const m = measure(newIncident, o)!;
    const score = (opts.radiusM > 0 ? m.distanceM / opts.radiusM : 0) + (opts.windowMin > 0 ? m.minutesApart / opts.windowMin : 0);
    out.push({ incident: o, ...m, score });
  }
  return out.sort((a, b) => a.score - b.score || a.distanceM - b.distanceM || a.minutesApart - b.minutesApart);
}
