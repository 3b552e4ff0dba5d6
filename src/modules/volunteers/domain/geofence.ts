/**
 * The shift's area as a geofence: is a check-in position inside the GeoJSON Polygon (holes honoured)?
 * A point on the boundary counts as inside — a volunteer standing on the street that borders the patrol
 * area is on duty. Pure; table-tested in test/volunteers/domain/geofence.test.ts.
 */

export interface GeoPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

/** Degrees: a point within this of an edge is on it (≈ 1 cm at the equator; absorbs float noise). */
const ON_EDGE = 1e-7;

/** Distance (degrees, planar) from p to the segment a–b. */
function toSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onRing(lon: number, lat: number, ring: number[][]): boolean {
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    if (toSegment(lon, lat, ring[j]![0]!, ring[j]![1]!, ring[i]![0]!, ring[i]![1]!) <= ON_EDGE) return true;
  }
  return false;
}

function crossings(lon: number, lat: number, ring: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export type Where = 'inside' | 'boundary' | 'outside';

/** Where the point lies: inside, on a ring (outer or hole: both border the area), or outside. */
export function whereInArea(lon: number, lat: number, area: GeoPolygon): Where {
  const rings = area.coordinates;
  if (rings.some((r) => onRing(lon, lat, r))) return 'boundary';
  const [outer, ...holes] = rings;
  if (!outer || !crossings(lon, lat, outer)) return 'outside';
  return holes.some((h) => crossings(lon, lat, h)) ? 'outside' : 'inside';
}

/** The geofence rule: inside or on the boundary. */
export function inArea(lon: number, lat: number, area: GeoPolygon): boolean {
  return whereInArea(lon, lat, area) !== 'outside';
}

/** Bounding box [minLon, minLat, maxLon, maxLat] of the outer ring. */
export function bbox(area: GeoPolygon): [number, number, number, number] {
  const ring = area.coordinates[0] ?? [];
  let [a, b, c, d] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring as [number, number][]) [a, b, c, d] = [Math.min(a, x), Math.min(b, y), Math.max(c, x), Math.max(d, y)];
  return [a, b, c, d];
}

/** Centre of the bounding box (for maps and the demo). */
export function centreOf(area: GeoPolygon): [number, number] {
  const [a, b, c, d] = bbox(area);
  return [(a + c) / 2, (b + d) / 2];
}

/** A shift's area ready for many tests: its bounding box (widened by the edge tolerance) rejects most outsiders at once. */
export interface PreparedFence {
  area: GeoPolygon;
  box: [number, number, number, number];
}

export function prepareFence(area: GeoPolygon): PreparedFence {
  const [a, b, c, d] = bbox(area);
  return { area, box: [a - ON_EDGE, b - ON_EDGE, c + ON_EDGE, d + ON_EDGE] };
}

/** The geofence rule on a prepared area (the same answer as inArea). */
export function inFence(f: PreparedFence, lon: number, lat: number): boolean {
  const [a, b, c, d] = f.box;
  if (lon < a || lon > c || lat < b || lat > d) return false;
  return inArea(lon, lat, f.area);
}
