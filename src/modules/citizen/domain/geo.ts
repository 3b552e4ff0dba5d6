/** Distances for the duplicate rule: great-circle metres, and a bounding box to pre-filter in SQL. */
const R = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

export function metresBetween(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A box that holds every point within `m` metres of the centre (a little larger). */
export function boxAround(c: { lon: number; lat: number }, m: number): { minLon: number; maxLon: number; minLat: number; maxLat: number } {
  const dLat = (m / R) * (180 / Math.PI) * 1.01;
  const dLon = dLat / Math.max(0.01, Math.cos(rad(c.lat)));
  return { minLon: c.lon - dLon, maxLon: c.lon + dLon, minLat: c.lat - dLat, maxLat: c.lat + dLat };
}

export interface DuplicateCandidate {
  id: string;
  serviceCode: string;
  lon: number | null;
  lat: number | null;
  open: boolean;
}

/**
 * The open reports of the same category within `radiusM` of the place, nearest first: what the citizen
 * is offered to "add my voice" to instead of a new report.
 */
export function duplicatesOf<T extends DuplicateCandidate>(place: { lon: number; lat: number }, serviceCode: string, radiusM: number, candidates: readonly T[]): (T & { distanceM: number })[] {
  return candidates
    .filter((c) => c.open && c.serviceCode === serviceCode && c.lon !== null && c.lat !== null)
    .map((c) => ({ ...c, distanceM: Math.round(metresBetween(place, { lon: c.lon!, lat: c.lat! })) }))
    .filter((c) => c.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM);
}
