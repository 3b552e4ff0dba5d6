/** AVL rules (pure): when a report is kept in the stored track, when a position is stale. */

export interface TrackPoint {
  at: number; // epoch ms
  lon: number;
  lat: number;
}

export const TRACK_MIN_INTERVAL_MS = 30_000;
export const TRACK_MIN_DISTANCE_M = 100;

/** Metres between two points (equirectangular; exact enough within a city). */
export function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const k = Math.PI / 180;
  const x = (b.lon - a.lon) * k * Math.cos(((a.lat + b.lat) / 2) * k);
  const y = (b.lat - a.lat) * k;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

/** Thinning: keep a report when it is the unit's first, or 30 s or 100 m away from the last one kept. */
export function keepInTrack(lastKept: TrackPoint | undefined, p: TrackPoint): boolean {
  if (!lastKept) return true;
  if (p.at <= lastKept.at) return false;
  return p.at - lastKept.at >= TRACK_MIN_INTERVAL_MS || metresBetween(lastKept, p) >= TRACK_MIN_DISTANCE_M;
}

/** A position older than `staleAfterS` (or none at all) is stale: recommend from the home point instead. */
export function isStale(positionAt: number | undefined, now: number, staleAfterS: number): boolean {
  return positionAt === undefined || now - positionAt > staleAfterS * 1000;
}
