/**
 * Civic grids (网格) from GeoJSON, pure: a FeatureCollection of Polygon / MultiPolygon features, each
 * with a standard code (`properties.code`: letters, digits and '-', 4–32) and a name. Errors name the
 * field (`features.3.properties.code`). A code already held by a current version whose polygon is the
 * same is unchanged; a different polygon makes the next version (the old one ends, never overwritten).
 */

export const CIVIC_CODE_PATTERN = /^[A-Za-z0-9-]{4,32}$/;
export const MAX_FEATURES = 10_000;
const MAX_POSITIONS = 20_000;

export type CivicGeometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface CivicFeature {
  code: string;
  name: string;
  geometry: CivicGeometry;
}

export interface FieldError {
  field: string;
  zh: string;
  en: string;
}

export type ReadResult = { ok: true; features: CivicFeature[] } | { ok: false; error: FieldError };

const fail = (field: string, zh: string, en: string): ReadResult => ({ ok: false, error: { field, zh, en } });

function ringError(ring: unknown, counted: { n: number }): string | null {
  if (!Array.isArray(ring) || ring.length < 4) return 'a ring needs at least 4 positions';
  for (const pos of ring) {
    if (++counted.n > MAX_POSITIONS) return `at most ${MAX_POSITIONS} positions per grid`;
    if (!Array.isArray(pos) || pos.length < 2 || typeof pos[0] !== 'number' || typeof pos[1] !== 'number' || !Number.isFinite(pos[0]) || !Number.isFinite(pos[1])) return 'a position is [lon, lat]';
    if (Math.abs(pos[0]) > 180 || Math.abs(pos[1]) > 90) return 'longitude within ±180, latitude within ±90';
  }
  const a = ring[0] as number[];
  const z = ring[ring.length - 1] as number[];
  return a[0] === z[0] && a[1] === z[1] ? null : 'a ring must be closed (first position = last)';
}

export function geometryError(g: unknown): string | null {
  const geom = g as { type?: unknown; coordinates?: unknown } | null;
  if (!geom || typeof geom !== 'object' || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) return 'a Polygon or MultiPolygon';
  if (!Array.isArray(geom.coordinates) || !geom.coordinates.length) return 'coordinates are missing';
  const polygons = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const counted = { n: 0 };
  for (const poly of polygons) {
    if (!Array.isArray(poly) || !poly.length) return 'a polygon needs at least one ring';
    for (const ring of poly) {
      const e = ringError(ring, counted);
      if (e) return e;
    }
  }
  return null;
}

/** Reads a GeoJSON FeatureCollection of civic grids; the first error names its field. */
export function readCivicGrids(input: unknown): ReadResult {
  const fc = input as { type?: unknown; features?: unknown } | null;
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection') return fail('type', '需要 GeoJSON FeatureCollection', 'a GeoJSON FeatureCollection is expected');
  if (!Array.isArray(fc.features) || !fc.features.length) return fail('features', '至少需要一个网格', 'at least one grid is needed');
  if (fc.features.length > MAX_FEATURES) return fail('features', `一次最多导入 ${MAX_FEATURES} 个网格`, `at most ${MAX_FEATURES} grids per import`);
  const seen = new Set<string>();
  const out: CivicFeature[] = [];
  for (const [i, f] of (fc.features as unknown[]).entries()) {
    const feat = f as { type?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown } | null;
    const at = `features.${i}`;
    if (!feat || typeof feat !== 'object' || feat.type !== 'Feature') return fail(`${at}.type`, '需要 Feature', 'a Feature is expected');
    const code = feat.properties?.code;
    if (typeof code !== 'string' || !CIVIC_CODE_PATTERN.test(code)) return fail(`${at}.properties.code`, '网格编码须为 4–32 位字母、数字或 -', 'the grid code is 4–32 letters, digits or -');
    if (seen.has(code)) return fail(`${at}.properties.code`, `网格编码 ${code} 重复`, `grid code ${code} appears twice`);
    seen.add(code);
    const rawName = feat.properties?.name;
    const name = typeof rawName === 'string' && rawName.trim() ? rawName.trim().slice(0, 100) : code;
    const ge = geometryError(feat.geometry);
    if (ge) return fail(`${at}.geometry`, `几何无效：${ge}`, `invalid geometry: ${ge}`);
    out.push({ code, name, geometry: feat.geometry as CivicGeometry });
  }
  return { ok: true, features: out };
}

export function polygonsOf(g: CivicGeometry): number[][][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

export function bboxOf(g: CivicGeometry): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of polygonsOf(g)) for (const [x, y] of p[0]!) [minX, minY, maxX, maxY] = [Math.min(minX, x!), Math.min(minY, y!), Math.max(maxX, x!), Math.max(maxY, y!)];
  return [minX, minY, maxX, maxY];
}

/** A representative point: the centre of the outer ring's box of the first polygon (the grid's station is found there). */
export function anchorOf(g: CivicGeometry): [number, number] {
  const [a, b, c, d] = bboxOf({ type: 'Polygon', coordinates: polygonsOf(g)[0]! });
  return [(a + c) / 2, (b + d) / 2];
}

/** Same shape whatever the key order: the stored geometry compared as canonical JSON. */
export function sameGeometry(a: unknown, b: unknown): boolean {
  const norm = (g: unknown) => {
    const x = g as CivicGeometry;
    return JSON.stringify({ type: x.type, coordinates: x.coordinates });
  };
  return norm(a) === norm(b);
}

export type ImportAction = { code: string; action: 'new' | 'changed' | 'unchanged'; version: number };

/** What an import does with each feature, given the current version of each known code. */
export function importPlan(features: readonly CivicFeature[], current: ReadonlyMap<string, { version: number; geometry: unknown; name: string }>): ImportAction[] {
  return features.map((f) => {
    const c = current.get(f.code);
    if (!c) return { code: f.code, action: 'new', version: 1 };
    if (sameGeometry(c.geometry, f.geometry) && c.name === f.name) return { code: f.code, action: 'unchanged', version: c.version };
    return { code: f.code, action: 'changed', version: c.version + 1 };
  });
}
