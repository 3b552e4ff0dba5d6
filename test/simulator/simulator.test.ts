/**
 * The city simulator against the real services (in-process target) with a stepped clock: one simulated
 * hour of a New Year's Eve evening (rate ×10) runs in seconds, no waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestApp, demoRoads, type TestApp } from '../helpers/app.js';
import { incidents } from '../../src/modules/incidents/schema.js';
import { CitySimulator, type SimPosition, type SimRecommendation, type SimRoute, type SimTarget } from '../../src/demo/simulator/engine.js';
import { bureauOf, inProcessTarget, simulatorPrincipal, SIMULATOR_USERNAME } from '../../src/demo/simulator/in-process.js';
import { CallGenerator, roadPointsFromGeoJSON } from '../../src/demo/simulator/calls.js';
import { Path } from '../../src/demo/simulator/motion.js';
import type { RoadService } from '../../src/modules/roads/service.js';
import type { IncidentsApi } from '../../src/modules/incidents/index.js';

interface Recorded {
  recs: Map<string, SimRecommendation[]>;
  assigned: { incidentId: string; unitId: string; recs: SimRecommendation[] }[];
  /** Per unit, the batches in order: [simulated second, position]. */
  positions: Map<string, SimPosition[]>;
  /** Per unit, status reports in order with the index of the next position. */
  statuses: Map<string, { status: string; at: number }[]>;
  routes: Map<string, SimRoute[]>;
}

/** Wraps a target to record what the simulator asked and was told. */
function recording(target: SimTarget, rec: Recorded, lastRouteUnit: { id: string | null }): SimTarget {
  return {
    ...target,
    username: target.username,
    async recommendations(id) {
      const r = await target.recommendations(id);
      rec.recs.set(id, r);
      return r;
    },
    async assign(id, unitIds) {
      const r = await target.assign(id, unitIds);
      for (const u of unitIds) rec.assigned.push({ incidentId: id, unitId: u, recs: rec.recs.get(id) ?? [] });
      return r;
    },
    async setUnitStatus(unitId, status, extra) {
      await target.setUnitStatus(unitId, status, extra);
      const list = rec.statuses.get(unitId) ?? [];
      list.push({ status, at: rec.positions.get(unitId)?.length ?? 0 });
      rec.statuses.set(unitId, list);
      if (status === 'en_route') lastRouteUnit.id = unitId;
    },
    async reportPositions(batch) {
      for (const p of batch) {
        const list = rec.positions.get(p.unitId) ?? [];
        list.push(p);
        rec.positions.set(p.unitId, list);
      }
      return target.reportPositions(batch);
    },
    async routeGeometry(from, to) {
      const r = await target.routeGeometry(from, to);
      // The route right after an en_route report is that unit's drive to the scene.
      if (lastRouteUnit.id && r) {
        const list = rec.routes.get(lastRouteUnit.id) ?? [];
        list.push(r);
        rec.routes.set(lastRouteUnit.id, list);
      }
      lastRouteUnit.id = null;
      return r;
    },
  };
}

/** Distance in metres from a point to a segment (local flat projection). */
function toSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const kx = 111_320 * Math.cos((p[1] * Math.PI) / 180);
  const ky = 110_574;
  const ax = (a[0] - p[0]) * kx,
    ay = (a[1] - p[1]) * ky,
    bx = (b[0] - p[0]) * kx,
    by = (b[1] - p[1]) * ky;
  const dx = bx - ax,
    dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
  return Math.hypot(ax + t * dx, ay + t * dy);
}

describe('city simulator', () => {
  let t: TestApp;
  let roads: RoadService;
  const rec: Recorded = { recs: new Map(), assigned: [], positions: new Map(), statuses: new Map(), routes: new Map() };
  let sim: CitySimulator;
  beforeAll(async () => {
    t = await createTestApp('pglite', { dispatch: true });
    roads = await demoRoads();
    const principal = simulatorPrincipal(await bureauOf(t.database.db));
    const target = recording(inProcessTarget({ dispatch: t.app.ctx.dispatch!, incidents: t.app.kernel.api<IncidentsApi>('incidents').incidents, roads, principal }), rec, { id: null });
    // 20:00 local (UTC+8) on a Saturday: the evening peak; ×10 for New Year's Eve.
    sim = new CitySimulator({ target, rate: 10, seed: 7, startAt: new Date('2025-12-27T20:00:00+08:00') });
    const started = performance.now();
    for (let s = 0; s < 3600; s++) await sim.step(1);
    console.log(`simulated hour in ${Math.round(performance.now() - started)} ms: ${sim.statusLine()}`);
  }, 120_000);
  afterAll(() => t?.close());

  it('creates calls at the evening rhythm ×10, dispatches, drives, arrives and clears', () => {
    const s = sim.stats;
    // ~90/day × 10 × the 20:00 share (~7 %) ≈ 60 calls in the hour.
    expect(s.created).toBeGreaterThan(35);
    expect(s.created).toBeLessThan(110);
    expect(s.assigned).toBeGreaterThan(25);
    expect(s.onScene).toBeGreaterThan(15);
    expect(s.cleared).toBeGreaterThan(5);
    expect(s.positions).toBeGreaterThan(20_000);
    expect(s.positionsRejected).toBe(0);
    expect(s.errors, s.lastError ?? '').toBe(0);
  });

  it('assigns the recommended unit', () => {
    expect(rec.assigned.length).toBe(sim.stats.assigned);
    let top = 0;
    for (const a of rec.assigned) {
      const recs = a.recs;
      expect(recs.map((r) => r.unitId)).toContain(a.unitId);
      if (recs[0].unitId === a.unitId) top++;
    }
    // The top recommendation unless it belongs to a real crew (the demo officer's unit) or is diverting.
    expect(top / rec.assigned.length).toBeGreaterThan(0.8);
  });

  it('reports positions on the road network, advancing along the route to the scene', () => {
    let checked = 0;
    for (const [unitId, positions] of rec.positions) {
      // On the road (home points and scenes may sit a few metres off the drawn centre line).
      for (const p of positions.filter((_, i) => i % 7 === 0)) {
        const snap = roads.nearestRoad(p.lon, p.lat, 200);
        expect(snap, `${unitId} off the road at ${p.lon},${p.lat}`).not.toBeNull();
        expect(snap!.distanceMeters, `${unitId} at ${p.lon},${p.lat}`).toBeLessThan(15);
      }
      const statuses = rec.statuses.get(unitId) ?? [];
      const routes = rec.routes.get(unitId) ?? [];
      let r = 0;
      for (let i = 0; i < statuses.length; i++) {
        if (statuses[i].status !== 'en_route') continue;
        const route = routes[r++];
        const arrive = statuses[i + 1];
        if (!route || arrive?.status !== 'on_scene') continue;
        const drive = positions.slice(statuses[i].at, arrive.at);
        // Every report lies on the route, each one at or beyond the previous one along it.
        let seg = 0;
        let lastAlong = -1;
        for (const p of drive) {
          const pt: [number, number] = [p.lon, p.lat];
          let k = seg;
          while (k < route.coordinates.length - 1 && toSegment(pt, route.coordinates[k], route.coordinates[k + 1]) > 1) k++;
          expect(k, `${unitId}: position left the route`).toBeLessThan(route.coordinates.length - 1);
          const along = new Path(route.coordinates.slice(0, k + 1), 1, 0).length + toSegment(route.coordinates[k], pt, pt);
          if (k === seg) expect(along).toBeGreaterThanOrEqual(lastAlong - 1);
          seg = k;
          lastAlong = along;
          checked++;
        }
        // The unit arrives at the end of its route.
        const end = route.coordinates[route.coordinates.length - 1];
        const final = positions[arrive.at] ?? drive[drive.length - 1];
        if (final) expect(toSegment([final.lon, final.lat], end, end)).toBeLessThan(5);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('leaves incidents with ordered lifecycle timestamps and a disposition', async () => {
    const rows = await t.database.db.select().from(incidents).where(eq(incidents.createdBy, SIMULATOR_USERNAME));
    expect(rows.length).toBe(sim.stats.created);
    const closed = rows.filter((r) => r.status === 'closed' && r.onSceneAt);
    expect(closed.length).toBe(sim.stats.cleared);
    for (const r of rows) {
      const chain = [r.callStartedAt, r.answeredAt, r.recordedAt, r.dispatchedAt, r.enRouteAt, r.onSceneAt, r.clearedAt, r.closedAt].filter((x): x is Date => x !== null).map((d) => d.getTime());
      for (let i = 1; i < chain.length; i++) expect(chain[i]).toBeGreaterThanOrEqual(chain[i - 1]);
    }
    for (const r of closed) {
      expect(r.dispatchedAt && r.enRouteAt && r.clearedAt && r.closedAt).toBeTruthy();
      expect(r.dispositionCode).toMatch(/^D\d\d$/);
    }
    // Some calls are closed at intake (invalid calls, advice on the phone), as in the demo history.
    expect(rows.filter((r) => r.status === 'closed' && !r.dispatchedAt).length).toBe(sim.stats.quickClosed);
  });

  it('follows the daily rhythm: quiet at 04:00, busy in the evening', () => {
    const gen = new CallGenerator({ seed: 1, roadPoints: roadPointsFromGeoJSON(roads.toGeoJSON()) }, () => 0.5);
    const at = (h: number) => gen.rateAt(new Date(`2025-12-27T${String(h).padStart(2, '0')}:30:00+08:00`).getTime()) * 3600;
    expect(at(20)).toBeGreaterThan(2.5 * at(4));
    let day = 0;
    for (let h = 0; h < 24; h++) day += at(h);
    expect(day).toBeGreaterThan(80);
    expect(day).toBeLessThan(110);
  });
});
