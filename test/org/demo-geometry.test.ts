import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { loadDemoRoads, demoOrganisation } from '../../src/demo/city.js';
import {
  clipConvexByHalfPlane,
  convexHull,
  generateDemoOrg,
  mulberry32,
  pointInPolygon,
  polygonAreaM2,
  signedRingArea,
  type DemoUnit,
  type Pt,
} from '../../src/demo/geometry.js';

const roads = loadDemoRoads();
const units = generateDemoOrg(roads, 110);
const bureau = units.find((u) => u.kind === 'bureau')!;
const branches = units.filter((u) => u.kind === 'branch');
const stations = units.filter((u) => u.kind === 'station');
const grids = units.filter((u) => u.kind === 'grid');
const gridsOf = (s: DemoUnit) => grids.filter((g) => g.parentKey === s.key);

describe('generateDemoOrg (Macau, seed 110)', () => {
  it('is reproducible: same seed → byte-identical output; another seed differs', () => {
    const again = generateDemoOrg(roads, 110);
    expect(JSON.stringify(again)).toBe(JSON.stringify(units));
    expect(JSON.stringify(demoOrganisation())).toBe(JSON.stringify(units));
    expect(JSON.stringify(generateDemoOrg(roads, 7))).not.toBe(JSON.stringify(units));
  });

  it('has 1 bureau, 3 branches, 10 stations, 40 grids, parents before children', () => {
    expect(units.filter((u) => u.kind === 'bureau')).toHaveLength(1);
    expect(branches).toHaveLength(3);
    expect(stations).toHaveLength(10);
    expect(grids).toHaveLength(40);
    const seen = new Set<string>();
    for (const u of units) {
      expect(u.key).toBe(u.code);
      if (u.parentKey !== null) expect(seen.has(u.parentKey)).toBe(true);
      seen.add(u.key);
    }
    for (const s of stations) expect(gridsOf(s).length).toBe(4);
    for (const b of branches) expect(stations.some((s) => s.parentKey === b.key)).toBe(true);
  });

  it('names are unique and codes follow the pattern', () => {
    expect(new Set(units.map((u) => u.name)).size).toBe(units.length);
    expect(new Set(units.map((u) => u.code)).size).toBe(units.length);
    expect(bureau).toMatchObject({ code: 'MO', name: '澳门市公安局', parentKey: null });
    branches.forEach((b, i) => {
      expect(b.code).toBe(`MO0${i + 1}`);
      expect(b.name).toMatch(/^(半岛|氹仔|路环|离岛)(北|中|南)?分局$/);
    });
    for (const s of stations) {
      expect(s.code).toMatch(new RegExp(`^${s.parentKey}\\d{2}$`));
      expect(s.name).toMatch(/^.+派出所$/);
      const short = s.name.slice(0, -3);
      gridsOf(s).forEach((g, i) => {
        expect(g.code).toBe(`${s.code}${String(i + 1).padStart(2, '0')}`);
        expect(g.name).toBe(`${short}第${i + 1}警格`);
      });
    }
    // Branches are ordered north to south.
    const lat = (u: DemoUnit) => u.center![1];
    expect(lat(branches[0])).toBeGreaterThan(lat(branches[1]));
    expect(lat(branches[1])).toBeGreaterThan(lat(branches[2]));
    expect(branches.map((b) => b.name)).toEqual(['半岛分局', '氹仔分局', '路环分局']);
  });

  it('polygons are closed, counter-clockwise and rounded to 6 decimals; centres lie inside', () => {
    for (const u of units) {
      const poly = u.polygon!;
      expect(poly.type).toBe('Polygon');
      const outer = poly.coordinates[0];
      expect(outer.length).toBeGreaterThanOrEqual(4);
      expect(outer[0]).toEqual(outer[outer.length - 1]);
      expect(signedRingArea(outer)).toBeGreaterThan(0);
      for (const ring of poly.coordinates) for (const [lon, lat] of ring) {
        expect(Math.round(lon * 1e6) / 1e6).toBe(lon);
        expect(Math.round(lat * 1e6) / 1e6).toBe(lat);
      }
      expect(u.center).not.toBeNull();
    }
    for (const u of [...stations, ...grids]) expect(pointInPolygon(u.center![0], u.center![1], u.polygon!)).toBe(true);
  });

  it('station areas sum to the region area; grid areas sum to their station area', () => {
    const region = polygonAreaM2(bureau.polygon!);
    const sumStations = stations.reduce((a, s) => a + polygonAreaM2(s.polygon!), 0);
    expect(Math.abs(sumStations - region) / region).toBeLessThan(0.005);
    const sumBranches = branches.reduce((a, b) => a + polygonAreaM2(b.polygon!), 0);
    expect(Math.abs(sumBranches - region) / region).toBeLessThan(0.005);
    for (const s of stations) {
      const area = polygonAreaM2(s.polygon!);
      const sumGrids = gridsOf(s).reduce((a, g) => a + polygonAreaM2(g.polygon!), 0);
      expect(Math.abs(sumGrids - area) / area).toBeLessThan(0.005);
      expect(area).toBeGreaterThan(1e6); // no slivers: every station > 1 km²
    }
    for (const g of grids) expect(polygonAreaM2(g.polygon!)).toBeGreaterThan(0.2e6);
  });

  it('sampled points of the region lie in exactly one station, grid and branch', () => {
    const ring = bureau.polygon!.coordinates[0];
    const lons = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    const [minLon, maxLon, minLat, maxLat] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
    const rng = mulberry32(2024);
    let sampled = 0;
    for (let tries = 0; sampled < 3000 && tries < 20000; tries++) {
      const lon = minLon + rng() * (maxLon - minLon);
      const lat = minLat + rng() * (maxLat - minLat);
      if (!pointInPolygon(lon, lat, bureau.polygon!)) {
        expect(stations.filter((s) => pointInPolygon(lon, lat, s.polygon!))).toHaveLength(0);
        continue;
      }
      sampled++;
      const inStations = stations.filter((s) => pointInPolygon(lon, lat, s.polygon!));
      expect(inStations).toHaveLength(1);
      expect(gridsOf(inStations[0]).filter((g) => pointInPolygon(lon, lat, g.polygon!))).toHaveLength(1);
      expect(grids.filter((g) => pointInPolygon(lon, lat, g.polygon!))).toHaveLength(1);
      const inBranches = branches.filter((b) => pointInPolygon(lon, lat, b.polygon!));
      expect(inBranches.map((b) => b.key)).toEqual([inStations[0].parentKey]);
    }
    expect(sampled).toBe(3000);
  });

  it('every road vertex lies in exactly one station (and one grid)', () => {
    let n = 0;
    for (const f of roads.features) {
      for (const [lon, lat] of f.geometry.coordinates as number[][]) {
        n++;
        let hits = 0;
        let station: DemoUnit | undefined;
        for (const s of stations) {
          if (pointInPolygon(lon, lat, s.polygon!)) {
            hits++;
            station = s;
          }
        }
        if (hits !== 1) throw new Error(`road vertex ${lon},${lat} is in ${hits} stations`);
        const g = gridsOf(station!).filter((x) => pointInPolygon(lon, lat, x.polygon!)).length;
        if (g !== 1) throw new Error(`road vertex ${lon},${lat} is in ${g} grids of ${station!.code}`);
      }
    }
    expect(n).toBeGreaterThan(20000);
  });

  it('honours options', () => {
    const small = generateDemoOrg(roads, 5, { stations: 6, gridsPerStation: 3, branches: 2 });
    expect(small.filter((u) => u.kind === 'branch')).toHaveLength(2);
    expect(small.filter((u) => u.kind === 'station')).toHaveLength(6);
    expect(small.filter((u) => u.kind === 'grid')).toHaveLength(18);
    expect(new Set(small.map((u) => u.name)).size).toBe(small.length);
  });
});

/* ------------------------------------------------------------------------------------------------ */

const pointArb = fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }));
const hullArb = fc
  .array(pointArb, { minLength: 3, maxLength: 30 })
  .map((pts) => convexHull(pts))
  .filter((h) => h.length >= 3 && signedRingArea(h) > 1);
const halfPlaneArb = fc
  .tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: -60000, max: 60000 }))
  .filter(([a, b]) => a !== 0 || b !== 0);

const isConvexCCW = (ring: Pt[]) => {
  const n = ring.length;
  const scale = Math.max(1, ...ring.map(([x, y]) => Math.max(Math.abs(x), Math.abs(y))));
  for (let i = 0; i < n; i++) {
    const [o, a, b] = [ring[i], ring[(i + 1) % n], ring[(i + 2) % n]];
    const cross = (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    if (cross < -1e-9 * scale * scale) return false;
  }
  return true;
};

describe('clipConvexByHalfPlane', () => {
  it('keeps only the half-plane, stays convex and CCW, and the two halves partition the area', () => {
    fc.assert(
      fc.property(hullArb, halfPlaneArb, (hull, [a, b, c]) => {
        const norm = Math.hypot(a, b);
        const inside = clipConvexByHalfPlane(hull, a, b, c);
        const outside = clipConvexByHalfPlane(hull, -a, -b, -c);
        for (const [x, y] of inside) expect((a * x + b * y - c) / norm).toBeLessThan(1e-6);
        for (const [x, y] of outside) expect((a * x + b * y - c) / norm).toBeGreaterThan(-1e-6);
        if (inside.length) {
          expect(isConvexCCW(inside)).toBe(true);
          expect(signedRingArea(inside)).toBeGreaterThan(0);
        }
        const total = signedRingArea(hull);
        const parts = (inside.length ? signedRingArea(inside) : 0) + (outside.length ? signedRingArea(outside) : 0);
        expect(Math.abs(parts - total)).toBeLessThan(1e-6 * total + 1e-6);
      }),
      { seed: 110, numRuns: 300 },
    );
  });

  it('a point is in the clipped polygon iff it is in the polygon and in the half-plane', () => {
    fc.assert(
      fc.property(hullArb, halfPlaneArb, pointArb, (hull, [a, b, c], [px, py]) => {
        const clipped = clipConvexByHalfPlane(hull, a, b, c);
        const x = px + 0.37; // off the integer lattice: never exactly on an edge
        const y = py + 0.61;
        const d = (a * x + b * y - c) / Math.hypot(a, b);
        fc.pre(Math.abs(d) > 1e-6);
        const expected = pointInPolygon(x, y, [hull]) && d < 0;
        expect(clipped.length ? pointInPolygon(x, y, [clipped]) : false).toBe(expected);
      }),
      { seed: 111, numRuns: 500 },
    );
  });
});

describe('pointInPolygon', () => {
  it('convex combinations of hull vertices are inside; points beyond the bbox are outside', () => {
    fc.assert(
      fc.property(hullArb, fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }), (hull, w) => {
        // Interior point: positive weights on three hull vertices spread around the ring plus the centroid.
        const n = hull.length;
        const idx = [0, Math.floor(n / 3), Math.floor((2 * n) / 3)];
        const cx = hull.reduce((s, p) => s + p[0], 0) / n;
        const cy = hull.reduce((s, p) => s + p[1], 0) / n;
        const ws = w.reduce((s, v) => s + v, 0) + 1;
        const x = (idx.reduce((s, i, k) => s + w[k] * hull[i][0], 0) + cx) / ws;
        const y = (idx.reduce((s, i, k) => s + w[k] * hull[i][1], 0) + cy) / ws;
        // Only assert when clearly interior (away from every edge).
        const minEdgeDist = Math.min(
          ...hull.map((p, i) => {
            const q = hull[(i + 1) % n];
            return ((q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])) / Math.hypot(q[0] - p[0], q[1] - p[1]);
          }),
        );
        fc.pre(minEdgeDist > 1e-6);
        expect(pointInPolygon(x, y, [hull])).toBe(true);
        const closed = [...hull, hull[0]];
        expect(pointInPolygon(x, y, { type: 'Polygon', coordinates: [closed] })).toBe(true);
        const maxX = Math.max(...hull.map((p) => p[0]));
        expect(pointInPolygon(maxX + 1, y, [hull])).toBe(false);
      }),
      { seed: 112, numRuns: 300 },
    );
  });

  it('honours holes and is exclusive on a shared edge', () => {
    const outer = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]];
    const hole = [[3, 3], [3, 7], [7, 7], [7, 3], [3, 3]];
    const poly = { type: 'Polygon' as const, coordinates: [outer, hole] };
    expect(pointInPolygon(1, 1, poly)).toBe(true);
    expect(pointInPolygon(5, 5, poly)).toBe(false);
    expect(pointInPolygon(11, 5, poly)).toBe(false);
    // Two squares sharing the edge x = 10 (in opposite directions): a point on it is in exactly one.
    const right = [[[10, 0], [20, 0], [20, 10], [10, 10], [10, 0]]];
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 9.999, noNaN: true }), (y) => {
        const n = Number(pointInPolygon(10, y, [outer])) + Number(pointInPolygon(10, y, right));
        expect(n).toBe(1);
      }),
      { seed: 113 },
    );
  });
});
