/**
 * Reproducible generation of the demo city's organisation (市局 → 分局 → 派出所 → 警格) from a road
 * network. Pure code: no I/O, no Math.random, no dependencies. Same roads + seed → identical output.
 *
 * Method:
 *  1. Project every road vertex into a local equirectangular metric frame around the bbox centre.
 *  2. City region = convex hull of all road vertices, buffered outward by ~150 m.
 *  3. Station seeds = seeded weighted k-means (weight = road length around the vertex) over the road
 *     vertices; station polygon = Voronoi cell of its seed clipped to the region (the region polygon
 *     clipped by the perpendicular-bisector half-planes against every other seed).
 *  4. Grid seeds = seeded weighted k-means of the road vertices inside each station cell; grid
 *     polygon = Voronoi cell among those seeds clipped to the station polygon.
 *  5. All polygon vertices go through one vertex pool (snapping within 1 mm), every ring is "noded"
 *     (pool vertices lying on an edge are inserted into it) and coordinates are rounded once per
 *     pooled vertex, so neighbouring polygons share byte-identical boundaries: an exact tiling.
 *  6. Branches = seeded k-means of station seeds (then made contiguous); branch and bureau polygons
 *     are unions of station polygons (edge cancellation on the shared boundaries).
 */

import { pointInPolygon, ringsOf, type PolygonLike } from '../core/geometry.js';
import { mulberry32 } from '../core/random.js';

// Their home is src/core/ (production code uses them); re-exported for the demo code that imports them here.
export { mulberry32, pointInPolygon };

export type Pt = [number, number];

export interface DemoPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export type DemoUnitKind = 'bureau' | 'branch' | 'station' | 'grid';

export interface DemoUnit {
  key: string;
  parentKey: string | null;
  kind: DemoUnitKind;
  code: string;
  name: string;
  polygon: DemoPolygon | null;
  center: [number, number] | null;
}

export interface RoadsFC {
  features: Array<{ geometry: { type: string; coordinates: any }; properties: Record<string, unknown> }>;
}

export interface DemoOrgOptions {
  /** Number of 派出所 (default 10). */
  stations?: number;
  /** Number of 警格 per 派出所 (default 4). */
  gridsPerStation?: number;
  /** Number of 分局 (default 3). */
  branches?: number;
  /** Outward buffer of the city region around the road hull, metres (default 150). */
  bufferM?: number;
}

export const DEFAULT_DEMO_SEED = 110;

const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;

/* ------------------------------------------------------------------------------------------------ */
/* PRNG                                                                                              */
/* ------------------------------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------------------------------ */
/* Planar helpers (rings are open: the first vertex is not repeated at the end)                      */
/* ------------------------------------------------------------------------------------------------ */

/** Signed shoelace area of an open or closed ring; positive = counter-clockwise. */
export function signedRingArea(ring: ReadonlyArray<readonly number[]>): number {
  let s = 0;
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % n];
    s += p[0] * q[1] - q[0] * p[1];
  }
  return s / 2;
}

/**
 * Convex hull (Andrew's monotone chain). Returns an open, counter-clockwise ring without collinear
 * points. Fewer than 3 distinct input points give the distinct points themselves.
 */
export function convexHull(points: ReadonlyArray<readonly number[]>): Pt[] {
  const pts: Pt[] = points.map((p) => [p[0], p[1]] as Pt).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const uniq: Pt[] = [];
  for (const p of pts) {
    const last = uniq[uniq.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) uniq.push(p);
  }
  if (uniq.length < 3) return uniq;
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const p of uniq) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt[] = [];
  for (let i = uniq.length - 1; i >= 0; i--) {
    const p = uniq[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * Sutherland–Hodgman clip of a (convex) open ring by the half-plane a·x + b·y <= c.
 * Returns an open ring (possibly empty); a convex input stays convex and keeps its orientation.
 */
export function clipConvexByHalfPlane(ring: ReadonlyArray<readonly number[]>, a: number, b: number, c: number): Pt[] {
  const out: Pt[] = [];
  const n = ring.length;
  if (n === 0) return out;
  for (let i = 0; i < n; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % n];
    const dp = a * p[0] + b * p[1] - c;
    const dq = a * q[0] + b * q[1] - c;
    const pIn = dp <= 0;
    const qIn = dq <= 0;
    if (pIn) out.push([p[0], p[1]]);
    if (pIn !== qIn) {
      const t = dp / (dp - dq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  // Drop consecutive duplicates produced by vertices lying exactly on the line.
  const res: Pt[] = [];
  for (const p of out) {
    const last = res[res.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) res.push(p);
  }
  while (res.length > 1 && res[0][0] === res[res.length - 1][0] && res[0][1] === res[res.length - 1][1]) res.pop();
  return res.length >= 3 ? res : [];
}

/** Voronoi cell of seeds[i] inside a convex open ring (perpendicular-bisector half-planes). */
function voronoiCell(region: Pt[], seeds: Pt[], i: number): Pt[] {
  let cell: Pt[] = region;
  const [sx, sy] = seeds[i];
  for (let j = 0; j < seeds.length && cell.length > 0; j++) {
    if (j === i) continue;
    const [tx, ty] = seeds[j];
    // |p - s|² <= |p - t|²  ⇔  2(t - s)·p <= |t|² - |s|²
    cell = clipConvexByHalfPlane(cell, 2 * (tx - sx), 2 * (ty - sy), tx * tx + ty * ty - sx * sx - sy * sy);
  }
  return cell;
}

/* ------------------------------------------------------------------------------------------------ */
/* Geographic helpers on GeoJSON polygons                                                            */
/* ------------------------------------------------------------------------------------------------ */


/** Area of a lon/lat ring on the sphere (m², signed: positive = counter-clockwise). */
function ringAreaM2(ring: number[][]): number {
  const n = ring.length;
  if (n < 3) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % n];
    s += (q[0] - p[0]) * DEG * (2 + Math.sin(p[1] * DEG) + Math.sin(q[1] * DEG));
  }
  return (s * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2;
}

/** Area of a GeoJSON polygon in m² (outer ring minus holes). */
export function polygonAreaM2(polygon: PolygonLike): number {
  const rings = ringsOf(polygon);
  if (rings.length === 0) return 0;
  let area = Math.abs(ringAreaM2(rings[0]));
  for (let i = 1; i < rings.length; i++) area -= Math.abs(ringAreaM2(rings[i]));
  return area;
}

/* ------------------------------------------------------------------------------------------------ */
/* Local projection                                                                                  */
/* ------------------------------------------------------------------------------------------------ */

interface Projection {
  fwd(lon: number, lat: number): Pt;
  inv(x: number, y: number): Pt;
}

function makeProjection(lon0: number, lat0: number): Projection {
  const ky = EARTH_RADIUS_M * DEG;
  const kx = ky * Math.cos(lat0 * DEG);
  return {
    fwd: (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * ky],
    inv: (x, y) => [lon0 + x / kx, lat0 + y / ky],
  };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/* ------------------------------------------------------------------------------------------------ */
/* Road vertices                                                                                     */
/* ------------------------------------------------------------------------------------------------ */

interface RoadData {
  proj: Projection;
  /** Projected vertex coordinates and weights (half the length of the adjacent segments). */
  xs: Float64Array;
  ys: Float64Array;
  ws: Float64Array;
  lonlat: Pt[];
  /** Segment midpoints (projected), lengths and road names, for naming. */
  segX: Float64Array;
  segY: Float64Array;
  segLen: Float64Array;
  segName: string[];
}

function lineStringsOf(geometry: { type: string; coordinates: any }): number[][][] {
  if (geometry.type === 'LineString') return [geometry.coordinates as number[][]];
  if (geometry.type === 'MultiLineString') return geometry.coordinates as number[][][];
  return [];
}

function readRoads(roads: RoadsFC): RoadData {
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const f of roads.features) {
    for (const line of lineStringsOf(f.geometry)) {
      for (const c of line) {
        if (c[0] < minLon) minLon = c[0];
        if (c[0] > maxLon) maxLon = c[0];
        if (c[1] < minLat) minLat = c[1];
        if (c[1] > maxLat) maxLat = c[1];
      }
    }
  }
  if (!Number.isFinite(minLon)) throw new Error('generateDemoOrg: road network has no vertices');
  const proj = makeProjection((minLon + maxLon) / 2, (minLat + maxLat) / 2);

  // Deduplicate vertices (roads share nodes); accumulate weights per distinct vertex.
  const index = new Map<string, number>();
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  const lonlat: Pt[] = [];
  const segX: number[] = [];
  const segY: number[] = [];
  const segLen: number[] = [];
  const segName: string[] = [];
  const vid = (c: number[]): number => {
    const key = `${c[0]},${c[1]}`;
    let id = index.get(key);
    if (id === undefined) {
      id = xs.length;
      index.set(key, id);
      const [x, y] = proj.fwd(c[0], c[1]);
      xs.push(x);
      ys.push(y);
      ws.push(0);
      lonlat.push([c[0], c[1]]);
    }
    return id;
  };
  for (const f of roads.features) {
    const nameZh = typeof f.properties.name_zh === 'string' ? f.properties.name_zh.trim() : '';
    for (const line of lineStringsOf(f.geometry)) {
      let prev = -1;
      for (const c of line) {
        const id = vid(c);
        if (prev >= 0 && prev !== id) {
          const len = Math.hypot(xs[id] - xs[prev], ys[id] - ys[prev]);
          ws[id] += len / 2;
          ws[prev] += len / 2;
          segX.push((xs[id] + xs[prev]) / 2);
          segY.push((ys[id] + ys[prev]) / 2);
          segLen.push(len);
          segName.push(nameZh);
        }
        prev = id;
      }
    }
  }
  // Isolated vertices still count a little, so every vertex participates.
  for (let i = 0; i < ws.length; i++) if (ws[i] <= 0) ws[i] = 1e-3;
  return {
    proj,
    xs: Float64Array.from(xs),
    ys: Float64Array.from(ys),
    ws: Float64Array.from(ws),
    lonlat,
    segX: Float64Array.from(segX),
    segY: Float64Array.from(segY),
    segLen: Float64Array.from(segLen),
    segName,
  };
}

/* ------------------------------------------------------------------------------------------------ */
/* Weighted k-means (k-means++ initialisation, Lloyd iterations, best of several restarts)           */
/* ------------------------------------------------------------------------------------------------ */

interface KMeansResult {
  centers: Pt[];
  assign: Int32Array;
}

function nearest(centers: Pt[], x: number, y: number): number {
  let best = 0;
  let bd = Infinity;
  for (let c = 0; c < centers.length; c++) {
    const dx = x - centers[c][0];
    const dy = y - centers[c][1];
    const d = dx * dx + dy * dy;
    if (d < bd) {
      bd = d;
      best = c;
    }
  }
  return best;
}

function weightedPick(weights: Float64Array, total: number, rng: () => number): number {
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return 0;
}

function kmeans(xs: ArrayLike<number>, ys: ArrayLike<number>, ws: ArrayLike<number>, k: number, rng: () => number, restarts = 4, maxIter = 100): KMeansResult {
  const n = xs.length;
  // Cap k at the number of distinct points.
  const distinct = new Set<string>();
  for (let i = 0; i < n && distinct.size <= k; i++) distinct.add(`${xs[i]},${ys[i]}`);
  k = Math.min(k, distinct.size);
  let best: KMeansResult | null = null;
  let bestCost = Infinity;
  const d2 = new Float64Array(n);
  for (let r = 0; r < restarts; r++) {
    // k-means++
    const centers: Pt[] = [];
    let total = 0;
    for (let i = 0; i < n; i++) total += ws[i];
    const first = weightedPick(Float64Array.from(ws), total, rng);
    centers.push([xs[first], ys[first]]);
    while (centers.length < k) {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const c = centers[nearest(centers, xs[i], ys[i])];
        const dx = xs[i] - c[0];
        const dy = ys[i] - c[1];
        d2[i] = ws[i] * (dx * dx + dy * dy);
        sum += d2[i];
      }
      if (sum <= 0) break;
      const pick = weightedPick(d2, sum, rng);
      centers.push([xs[pick], ys[pick]]);
    }
    // Lloyd
    const assign = new Int32Array(n).fill(-1);
    for (let it = 0; it < maxIter; it++) {
      let changed = false;
      for (let i = 0; i < n; i++) {
        const a = nearest(centers, xs[i], ys[i]);
        if (a !== assign[i]) {
          assign[i] = a;
          changed = true;
        }
      }
      if (!changed && it > 0) break;
      const sx = new Float64Array(centers.length);
      const sy = new Float64Array(centers.length);
      const sw = new Float64Array(centers.length);
      for (let i = 0; i < n; i++) {
        const a = assign[i];
        sx[a] += ws[i] * xs[i];
        sy[a] += ws[i] * ys[i];
        sw[a] += ws[i];
      }
      for (let c = 0; c < centers.length; c++) {
        if (sw[c] > 0) {
          centers[c] = [sx[c] / sw[c], sy[c] / sw[c]];
        } else {
          // Empty cluster: move it onto the worst-served point.
          let worst = 0;
          let wd = -1;
          for (let i = 0; i < n; i++) {
            const cc = centers[assign[i]];
            const d = ws[i] * ((xs[i] - cc[0]) ** 2 + (ys[i] - cc[1]) ** 2);
            if (d > wd) {
              wd = d;
              worst = i;
            }
          }
          centers[c] = [xs[worst], ys[worst]];
        }
      }
    }
    let cost = 0;
    for (let i = 0; i < n; i++) {
      assign[i] = nearest(centers, xs[i], ys[i]);
      const c = centers[assign[i]];
      cost += ws[i] * ((xs[i] - c[0]) ** 2 + (ys[i] - c[1]) ** 2);
    }
    if (cost < bestCost) {
      bestCost = cost;
      best = { centers: centers.map((c) => [c[0], c[1]] as Pt), assign };
    }
  }
  return best!;
}

/* ------------------------------------------------------------------------------------------------ */
/* Vertex pool, noding and union                                                                     */
/* ------------------------------------------------------------------------------------------------ */

const SNAP_M = 1e-3;
const NODE_TOL_M = 3e-3;

class VertexPool {
  readonly pts: Pt[] = [];
  private readonly grid = new Map<string, number[]>();
  id(p: Pt): number {
    const gx = Math.floor(p[0]);
    const gy = Math.floor(p[1]);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const bucket = this.grid.get(`${gx + dx},${gy + dy}`);
        if (!bucket) continue;
        for (const id of bucket) {
          const q = this.pts[id];
          if (Math.abs(q[0] - p[0]) <= SNAP_M && Math.abs(q[1] - p[1]) <= SNAP_M) return id;
        }
      }
    }
    const id = this.pts.length;
    this.pts.push([p[0], p[1]]);
    const key = `${gx},${gy}`;
    const bucket = this.grid.get(key);
    if (bucket) bucket.push(id);
    else this.grid.set(key, [id]);
    return id;
  }
}

function dedupeRing(ids: number[]): number[] {
  const out: number[] = [];
  for (const id of ids) if (out[out.length - 1] !== id) out.push(id);
  while (out.length > 1 && out[0] === out[out.length - 1]) out.pop();
  return out;
}

/** Inserts every pool vertex that lies on an edge of the ring (within NODE_TOL_M) into that edge. */
function nodeRing(ring: number[], pts: Pt[]): number[] {
  const out: number[] = [];
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % n];
    out.push(a);
    const [ax, ay] = pts[a];
    const [bx, by] = pts[b];
    const ex = bx - ax;
    const ey = by - ay;
    const len2 = ex * ex + ey * ey;
    if (len2 === 0) continue;
    const len = Math.sqrt(len2);
    const hits: Array<[number, number]> = [];
    for (let v = 0; v < pts.length; v++) {
      if (v === a || v === b) continue;
      const [px, py] = pts[v];
      const t = ((px - ax) * ex + (py - ay) * ey) / len2;
      if (t * len <= NODE_TOL_M || (1 - t) * len <= NODE_TOL_M) continue;
      const dist = Math.abs((px - ax) * ey - (py - ay) * ex) / len;
      if (dist <= NODE_TOL_M) hits.push([t, v]);
    }
    hits.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    for (const [, v] of hits) out.push(v);
  }
  return dedupeRing(out);
}

/**
 * Union of rings that share exact (pooled, noded) boundaries: directed edges that appear in both
 * directions cancel; the rest is chained into rings. Returns rings of ids, outer rings CCW.
 */
function unionRings(rings: number[][]): number[][] {
  const edges = new Map<string, number>();
  const key = (a: number, b: number) => `${a}>${b}`;
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % ring.length];
      const rev = key(b, a);
      const c = edges.get(rev);
      if (c) {
        if (c === 1) edges.delete(rev);
        else edges.set(rev, c - 1);
      } else {
        edges.set(key(a, b), (edges.get(key(a, b)) ?? 0) + 1);
      }
    }
  }
  const out = new Map<number, number[]>();
  const remaining: Array<[number, number]> = [];
  for (const [k, c] of edges) {
    const [a, b] = k.split('>').map(Number);
    for (let i = 0; i < c; i++) remaining.push([a, b]);
  }
  remaining.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  for (const [a, b] of remaining) {
    const list = out.get(a);
    if (list) list.push(b);
    else out.set(a, [b]);
  }
  const result: number[][] = [];
  for (const [start] of remaining) {
    const firstList = out.get(start);
    if (!firstList || firstList.length === 0) continue;
    const ring: number[] = [start];
    let cur = firstList.shift()!;
    let guard = remaining.length + 1;
    while (cur !== start && guard-- > 0) {
      ring.push(cur);
      const list = out.get(cur);
      if (!list || list.length === 0) break;
      cur = list.shift()!;
    }
    if (ring.length >= 3) result.push(ring);
  }
  return result;
}

/* ------------------------------------------------------------------------------------------------ */
/* Region                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

/** Convex hull of the points buffered outward by `bufferM` (hull of 32-gon discs around hull vertices). */
function bufferedHull(xs: ArrayLike<number>, ys: ArrayLike<number>, bufferM: number): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i < xs.length; i++) pts.push([xs[i], ys[i]]);
  const hull = convexHull(pts);
  if (bufferM <= 0) return hull;
  const disc: Pt[] = [];
  const steps = 32;
  for (const [x, y] of hull) {
    for (let s = 0; s < steps; s++) {
      const a = (2 * Math.PI * s) / steps;
      disc.push([x + bufferM * Math.cos(a), y + bufferM * Math.sin(a)]);
    }
  }
  return convexHull(disc);
}

/* ------------------------------------------------------------------------------------------------ */
/* Naming                                                                                            */
/* ------------------------------------------------------------------------------------------------ */

export const PENINSULA_MIN_LAT = 22.175;
export const COLOANE_MAX_LAT = 22.145;

type Zone = 'peninsula' | 'taipa' | 'coloane';
const zoneOf = (lat: number): Zone => (lat > PENINSULA_MIN_LAT ? 'peninsula' : lat >= COLOANE_MAX_LAT ? 'taipa' : 'coloane');
const ZONE_NAME: Record<Zone, string> = { peninsula: '半岛', taipa: '氹仔', coloane: '路环' };

/** Base geographic name of a branch from the zones of its stations (weighted by station count). */
function branchBaseName(stationLats: number[], meanLat: number): string {
  const zones = new Set(stationLats.map(zoneOf));
  if (zones.size === 1) return ZONE_NAME[[...zones][0]];
  if (!zones.has('peninsula')) return '离岛';
  return ZONE_NAME[zoneOf(meanLat)];
}

const DIRECTION_SUFFIXES: Record<number, string[]> = { 2: ['北', '南'], 3: ['北', '中', '南'] };

/** Roads that make poor station names (bridges, motorcycle lanes). */
const isPoorName = (name: string) => name === '' || /橋|桥|專道|专道|隧道/.test(name);

/* ------------------------------------------------------------------------------------------------ */
/* Main                                                                                              */
/* ------------------------------------------------------------------------------------------------ */

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Generates the demo organisation: 1 bureau, `branches` branches, `stations` stations and
 * `stations × gridsPerStation` grids whose polygons tile the city region. Units are returned parents
 * before children (bureau, branches, stations, grids; each level sorted by code); key = code.
 */
export function generateDemoOrg(roads: RoadsFC, seed: number = DEFAULT_DEMO_SEED, opts: DemoOrgOptions = {}): DemoUnit[] {
  const nStations = Math.max(1, Math.floor(opts.stations ?? 10));
  const nGrids = Math.max(1, Math.floor(opts.gridsPerStation ?? 4));
  const nBranches = Math.max(1, Math.floor(opts.branches ?? 3));
  const bufferM = opts.bufferM ?? 150;
  const rng = mulberry32(seed);

  const road = readRoads(roads);
  const { proj, xs, ys, ws } = road;
  const nv = xs.length;

  // 1. Region.
  const region = bufferedHull(xs, ys, bufferM);

  // 2. Station seeds and cells.
  const stationKm = kmeans(xs, ys, ws, nStations, rng);
  const stationSeeds = stationKm.centers;
  const pool = new VertexPool();
  for (const p of region) pool.id(p);
  const stationCells: number[][] = [];
  for (let s = 0; s < stationSeeds.length; s++) {
    const cell = voronoiCell(region, stationSeeds, s);
    stationCells.push(dedupeRing(cell.map((p) => pool.id(p))));
  }
  const stationMembers: number[][] = stationSeeds.map(() => []);
  for (let i = 0; i < nv; i++) stationMembers[stationKm.assign[i]].push(i);

  // 3. Grid seeds and cells per station.
  const gridSeeds: Pt[][] = [];
  const gridCells: number[][][] = [];
  const gridMembers: number[][][] = [];
  for (let s = 0; s < stationSeeds.length; s++) {
    const cellPts: Pt[] = stationCells[s].map((id) => pool.pts[id]);
    const members = stationMembers[s];
    let gx: number[];
    let gy: number[];
    let gw: number[];
    if (new Set(members.map((i) => `${xs[i]},${ys[i]}`)).size >= 3 * nGrids) {
      gx = members.map((i) => xs[i]);
      gy = members.map((i) => ys[i]);
      gw = members.map((i) => ws[i]);
    } else {
      // Too few roads: seed the grids from uniform samples of the cell instead.
      gx = [];
      gy = [];
      gw = [];
      let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity; // prettier-ignore
      for (const [x, y] of cellPts) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
      for (let tries = 0; gx.length < 50 * nGrids && tries < 5000 * nGrids; tries++) {
        const x = minX + rng() * (maxX - minX);
        const y = minY + rng() * (maxY - minY);
        if (pointInPolygon(x, y, [cellPts])) {
          gx.push(x);
          gy.push(y);
          gw.push(1);
        }
      }
    }
    const km = gx.length > 0 ? kmeans(gx, gy, gw, nGrids, rng) : { centers: [stationSeeds[s]], assign: new Int32Array(0) };
    const seeds = km.centers;
    gridSeeds.push(seeds);
    const cells: number[][] = [];
    for (let g = 0; g < seeds.length; g++) cells.push(dedupeRing(voronoiCell(cellPts, seeds, g).map((p) => pool.id(p))));
    gridCells.push(cells);
    const gm: number[][] = seeds.map(() => []);
    for (const i of members) gm[nearest(seeds, xs[i], ys[i])].push(i);
    gridMembers.push(gm);
  }

  // 4. Node every ring against the pool, then merge pool vertices that round to the same lon/lat.
  const pts = pool.pts;
  const nodedStations = stationCells.map((r) => nodeRing(r, pts));
  const nodedGrids = gridCells.map((cells) => cells.map((r) => nodeRing(r, pts)));
  const rounded: Pt[] = pts.map(([x, y]) => {
    const [lon, lat] = proj.inv(x, y);
    return [round6(lon), round6(lat)];
  });
  const canon = new Map<string, number>();
  const canonOf = rounded.map((p, id) => {
    const k = `${p[0]},${p[1]}`;
    const c = canon.get(k);
    if (c !== undefined) return c;
    canon.set(k, id);
    return id;
  });
  const finalRing = (r: number[]) => dedupeRing(r.map((id) => canonOf[id]));
  const stationRings = nodedStations.map(finalRing);
  const gridRings = nodedGrids.map((cells) => cells.map(finalRing));
  const toPolygon = (rings: number[][]): DemoPolygon => ({
    type: 'Polygon',
    coordinates: rings.map((r) => {
      const coords = r.map((id) => [rounded[id][0], rounded[id][1]]);
      coords.push([coords[0][0], coords[0][1]]);
      return coords;
    }),
  });
  /** Union rings as a polygon: largest CCW ring first, then holes (CW). */
  const unionPolygon = (rings: number[][]): { polygon: DemoPolygon; outers: number } => {
    const u = unionRings(rings);
    const area = (r: number[]) => signedRingArea(r.map((id) => rounded[id]));
    const outers = u.filter((r) => area(r) > 0).sort((a, b) => area(b) - area(a));
    const holes = u.filter((r) => area(r) < 0);
    return { polygon: toPolygon([...outers.slice(0, 1), ...holes]), outers: outers.length };
  };

  // Station centre = road vertex of the cluster nearest its seed (the station building).
  const lonLatOfXY = (x: number, y: number): [number, number] => {
    const [lon, lat] = proj.inv(x, y);
    return [round6(lon), round6(lat)];
  };
  const nearestMember = (members: number[], sx: number, sy: number): number => {
    let best = -1;
    let bd = Infinity;
    for (const i of members) {
      const d = (xs[i] - sx) ** 2 + (ys[i] - sy) ** 2;
      if (d < bd) {
        bd = d;
        best = i;
      }
    }
    return best;
  };
  const centroidOf = (ring: number[]): Pt => {
    const p = ring.map((id) => pts[id]);
    let a = 0, cx = 0, cy = 0; // prettier-ignore
    for (let i = 0; i < p.length; i++) {
      const q = p[i];
      const r = p[(i + 1) % p.length];
      const c = q[0] * r[1] - r[0] * q[1];
      a += c;
      cx += (q[0] + r[0]) * c;
      cy += (q[1] + r[1]) * c;
    }
    return a === 0 ? p[0] : [cx / (3 * a), cy / (3 * a)];
  };
  const stationCenters: Array<[number, number]> = stationSeeds.map((sd, s) => {
    const i = nearestMember(stationMembers[s], sd[0], sd[1]);
    if (i >= 0) return [round6(road.lonlat[i][0]), round6(road.lonlat[i][1])];
    const c = centroidOf(stationCells[s]);
    return lonLatOfXY(c[0], c[1]);
  });

  // 5. Branches: k-means of station seeds, then made contiguous.
  const nS = stationSeeds.length;
  const branchKm = kmeans(
    stationSeeds.map((p) => p[0]),
    stationSeeds.map((p) => p[1]),
    stationSeeds.map(() => 1),
    Math.min(nBranches, nS),
    rng,
    8,
  );
  const branchOf = Array.from(branchKm.assign);
  const nB = branchKm.centers.length;
  // Adjacency between stations: shared boundary length.
  const shared: number[][] = Array.from({ length: nS }, () => new Array<number>(nS).fill(0));
  {
    const owner = new Map<string, number>();
    stationRings.forEach((ring, s) => {
      for (let i = 0; i < ring.length; i++) owner.set(`${ring[i]}>${ring[(i + 1) % ring.length]}`, s);
    });
    stationRings.forEach((ring, s) => {
      for (let i = 0; i < ring.length; i++) {
        const a = ring[i];
        const b = ring[(i + 1) % ring.length];
        const t = owner.get(`${b}>${a}`);
        if (t !== undefined && t !== s) shared[s][t] += Math.hypot(pts[a][0] - pts[b][0], pts[a][1] - pts[b][1]);
      }
    });
  }
  for (let pass = 0; pass < nS * nB; pass++) {
    let moved = false;
    for (let b = 0; b < nB && !moved; b++) {
      const members = branchOf.map((x, s) => (x === b ? s : -1)).filter((s) => s >= 0);
      if (members.length <= 1) continue;
      // Components of the branch's stations.
      const comp = new Map<number, number>();
      let nc = 0;
      for (const s of members) {
        if (comp.has(s)) continue;
        const stack = [s];
        comp.set(s, nc);
        while (stack.length) {
          const u = stack.pop()!;
          for (const v of members) {
            if (!comp.has(v) && shared[u][v] > 0) {
              comp.set(v, nc);
              stack.push(v);
            }
          }
        }
        nc++;
      }
      if (nc <= 1) continue;
      const sizes = new Array<number>(nc).fill(0);
      for (const s of members) sizes[comp.get(s)!]++;
      const keep = sizes.indexOf(Math.max(...sizes));
      // Move the first station of another component to the neighbouring branch it shares most with.
      for (const s of members) {
        if (comp.get(s) === keep) continue;
        const score = new Array<number>(nB).fill(0);
        for (let t = 0; t < nS; t++) if (branchOf[t] !== b) score[branchOf[t]] += shared[s][t];
        const target = score.indexOf(Math.max(...score));
        if (score[target] > 0) {
          branchOf[s] = target;
          moved = true;
          break;
        }
      }
    }
    if (!moved) break;
  }

  // 6. Order and name.
  const byNorthThenWest = (a: [number, number], b: [number, number]) => b[1] - a[1] || a[0] - b[0];
  const branchIds = [...new Set(branchOf)];
  const branchInfo = branchIds.map((b) => {
    const stations = branchOf.map((x, s) => (x === b ? s : -1)).filter((s) => s >= 0);
    const lats = stations.map((s) => stationCenters[s][1]);
    const meanLat = lats.reduce((p, q) => p + q, 0) / lats.length;
    const meanLon = stations.reduce((p, s) => p + stationCenters[s][0], 0) / stations.length;
    return { b, stations, meanLat, meanLon, base: branchBaseName(lats, meanLat), name: '' };
  });
  branchInfo.sort((p, q) => byNorthThenWest([p.meanLon, p.meanLat], [q.meanLon, q.meanLat]));
  const byBase = new Map<string, typeof branchInfo>();
  for (const bi of branchInfo) {
    const list = byBase.get(bi.base);
    if (list) list.push(bi);
    else byBase.set(bi.base, [bi]);
  }
  for (const [base, list] of byBase) {
    const suffixes = DIRECTION_SUFFIXES[list.length];
    list.forEach((bi, i) => {
      bi.name = list.length === 1 ? `${base}分局` : suffixes ? `${base}${suffixes[i]}分局` : `${base}第${i + 1}分局`;
    });
  }

  // Road length per name in each station (segment midpoints assigned to the nearest station seed).
  const nameLen: Array<Map<string, number>> = stationSeeds.map(() => new Map());
  for (let i = 0; i < road.segLen.length; i++) {
    const name = road.segName[i];
    if (!name) continue;
    const s = nearest(stationSeeds, road.segX[i], road.segY[i]);
    nameLen[s].set(name, (nameLen[s].get(name) ?? 0) + road.segLen[i]);
  }
  const usedNames = new Set<string>();
  const pickStationName = (s: number): string => {
    const ranked = [...nameLen[s].entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const good = ranked.filter(([n]) => !isPoorName(n));
    for (const [n] of [...good, ...ranked]) {
      if (n && !usedNames.has(n)) {
        usedNames.add(n);
        return n;
      }
    }
    for (let k = 1; ; k++) {
      const n = `第${k}`;
      if (!usedNames.has(n)) {
        usedNames.add(n);
        return n;
      }
    }
  };

  const BUREAU_CODE = 'MO';
  const bureauUnion = unionPolygon(stationRings);
  // Bureau seat: the station centre nearest the road-weighted centroid of the city.
  let wx = 0, wy = 0, wsum = 0; // prettier-ignore
  for (let i = 0; i < nv; i++) {
    wx += ws[i] * xs[i];
    wy += ws[i] * ys[i];
    wsum += ws[i];
  }
  const bureauSeat = nearest(stationSeeds, wx / wsum, wy / wsum);

  const units: DemoUnit[] = [
    { key: BUREAU_CODE, parentKey: null, kind: 'bureau', code: BUREAU_CODE, name: '澳门市公安局', polygon: bureauUnion.polygon, center: stationCenters[bureauSeat] },
  ];
  const stationUnits: DemoUnit[] = [];
  const gridUnits: DemoUnit[] = [];
  branchInfo.forEach((bi, bIdx) => {
    const bCode = `${BUREAU_CODE}${pad2(bIdx + 1)}`;
    const stations = [...bi.stations].sort((p, q) => byNorthThenWest(stationCenters[p], stationCenters[q]));
    // Branch seat: its station centre nearest the branch's mean position.
    const seat = stations.reduce((best, s) =>
      (stationCenters[s][0] - bi.meanLon) ** 2 + (stationCenters[s][1] - bi.meanLat) ** 2 <
      (stationCenters[best][0] - bi.meanLon) ** 2 + (stationCenters[best][1] - bi.meanLat) ** 2
        ? s
        : best,
    );
    units.push({
      key: bCode,
      parentKey: BUREAU_CODE,
      kind: 'branch',
      code: bCode,
      name: bi.name,
      polygon: unionPolygon(stations.map((s) => stationRings[s])).polygon,
      center: stationCenters[seat],
    });
    stations.forEach((s, sIdx) => {
      const sCode = `${bCode}${pad2(sIdx + 1)}`;
      const short = pickStationName(s);
      stationUnits.push({ key: sCode, parentKey: bCode, kind: 'station', code: sCode, name: `${short}派出所`, polygon: toPolygon([stationRings[s]]), center: stationCenters[s] });
      const grids = gridSeeds[s].map((sd, g) => {
        const i = nearestMember(gridMembers[s][g], sd[0], sd[1]);
        let center: [number, number];
        if (i >= 0) center = [round6(road.lonlat[i][0]), round6(road.lonlat[i][1])];
        else {
          const c = centroidOf(gridCells[s][g]);
          center = lonLatOfXY(c[0], c[1]);
        }
        return { g, center };
      });
      grids.sort((p, q) => byNorthThenWest(p.center, q.center));
      grids.forEach(({ g, center }, gIdx) => {
        const gCode = `${sCode}${pad2(gIdx + 1)}`;
        gridUnits.push({ key: gCode, parentKey: sCode, kind: 'grid', code: gCode, name: `${short}第${gIdx + 1}警格`, polygon: toPolygon([gridRings[s][g]]), center });
      });
    });
  });
  return [...units, ...stationUnits, ...gridUnits];
}
