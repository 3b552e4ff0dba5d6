/**
 * The simulator inside the server (demo mode): a SimTarget calling the dispatch, incident and road
 * services directly, acting as a system account `simulator` with the roles of a call-taker, a
 * dispatcher and a crew at the bureau (it covers every station and may act for every unit).
 */
import { isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUnits } from '../../db/schema.js';
import type { Principal } from '../../core/access.js';
import type { Role } from '../../core/roles.js';
import type { DispatchService } from '../../modules/dispatch/index.js';
import type { IncidentService } from '../../modules/incidents/index.js';
import type { RoadService } from '../../modules/roads/index.js';
import { roadPointsFromGeoJSON } from './calls.js';
import { CitySimulator, type SimIncident, type SimTarget } from './engine.js';

export const SIMULATOR_USERNAME = 'simulator';

/** The principal the in-process simulator acts as; `unitPath` is the bureau's path ('/MO/'). */
export function simulatorPrincipal(bureau: { id: string; path: string }): Principal {
  return { kind: 'user', id: SIMULATOR_USERNAME, username: SIMULATOR_USERNAME, displayName: '模拟器', roles: ['dispatcher', 'calltaker', 'officer'] as Role[], unitId: bureau.id, unitPath: bureau.path, unitKind: 'bureau', scopes: [] };
}

/** The bureau (root of the organisation tree), or '/' (every path) when there is no database handle. */
export async function bureauOf(db?: Db): Promise<{ id: string; path: string }> {
  if (!db) return { id: 'system', path: '/' };
  const [root] = await db.select({ id: orgUnits.id, path: orgUnits.path }).from(orgUnits).where(isNull(orgUnits.parentId)).limit(1);
  return root ? { id: root.id, path: root.path } : { id: 'system', path: '/' };
}

function rowView(r: { id: string; status: string; priority: string; lon: number | null; lat: number | null; createdBy: string | null; recordedAt: Date }): SimIncident {
  return { id: r.id, status: r.status, priority: r.priority, location: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null, createdBy: r.createdBy, recordedAt: r.recordedAt.toISOString() };
}

/** `incidents`: the app's own IncidentService (the kernel's `incidents` API), whose writes feed the stream. */
export function inProcessTarget(opts: { dispatch: DispatchService; incidents: IncidentService; roads: RoadService; principal: Principal }): SimTarget {
  const { dispatch, incidents, roads, principal: p } = opts;
  return {
    username: p.username,
    async createIncident(input) {
      const { row } = await incidents.create(p, input);
      return rowView(row);
    },
    async closeIncident(id, dispositionCode, note) {
      await incidents.transition(p, id, { to: 'closed', dispositionCode, dispositionNote: note });
    },
    async recommendations(id) {
      return dispatch.recommend(p, id, { limit: 10 });
    },
    async assign(id, unitIds) {
      return (await dispatch.assign(p, id, unitIds)).items;
    },
    async ack(id) {
      await dispatch.ack(p, id);
    },
    async setUnitStatus(unitId, status, extra = {}) {
      await dispatch.setStatus(p, unitId, { status, ...extra });
    },
    async reportPositions(batch) {
      // The service stamps the time itself: the simulator's clock may run ahead of the server's.
      const r = await dispatch.reportPositions(
        p,
        batch.map(({ at: _at, ...rest }) => rest),
      );
      return { accepted: r.accepted, rejected: r.rejected.length };
    },
    async listUnits() {
      return (await dispatch.list(p)).items;
    },
    async openIncidents() {
      const r = await incidents.list(p, { status: ['new', 'dispatched', 'en_route', 'on_scene'], createdByMe: true, limit: 500, offset: 0 });
      return r.items.map((v) => ({ id: v.id, status: v.status, priority: v.priority, location: v.location ? { lon: v.location.lon, lat: v.location.lat } : null, createdBy: v.createdBy, recordedAt: v.times.recordedAt }));
    },
    async incident(id) {
      return rowView(await incidents.get(p, id));
    },
    async routeGeometry(from, to) {
      return roads.route(from, to);
    },
    async roadPoints() {
      return roadPointsFromGeoJSON(roads.toGeoJSON());
    },
  };
}

export interface InProcessSimulatorOptions {
  dispatch: DispatchService;
  /** The app's own IncidentService (the kernel's `incidents` API), whose writes feed the stream. */
  incidents: IncidentService;
  roads: RoadService;
  /** To find the bureau the simulator acts at (default: every path). */
  db?: Db;
  log?: { info?: (msg: string) => void; warn?: (msg: string) => void } | ((msg: string) => void);
  rate?: number;
  speed?: number;
  avlInterval?: number;
  seed?: number;
  /** Status line every this many seconds through log.info (0 = never; default 300). */
  reportEvery?: number;
}

/**
 * Starts the city simulator inside the server (demo mode): ~90 calls a day × rate at the demo city's
 * daily rhythm, dispatched, driven and cleared. Returns a handle to stop it.
 */
export function startInProcessSimulator(opts: InProcessSimulatorOptions): { stop(): void; simulator: Promise<CitySimulator> } {
  const log = typeof opts.log === 'function' ? { info: opts.log, warn: opts.log } : (opts.log ?? {});
  let stopped = false;
  let sim: CitySimulator | null = null;
  let report: NodeJS.Timeout | null = null;
  const ready = (async () => {
    const principal = simulatorPrincipal(await bureauOf(opts.db));
    sim = new CitySimulator({ target: inProcessTarget({ dispatch: opts.dispatch, incidents: opts.incidents, roads: opts.roads, principal }), rate: opts.rate, speed: opts.speed, avlInterval: opts.avlInterval, seed: opts.seed ?? (Date.now() & 0x7fffffff), log });
    await sim.init();
    if (!stopped) {
      sim.start();
      const every = opts.reportEvery ?? 300;
      if (every > 0) {
        report = setInterval(() => log.info?.(`simulator: ${sim!.statusLine()}`), every * 1000);
        report.unref();
      }
      log.info?.(`simulator: running (rate ×${sim.rate}, speed ×${sim.speed}, AVL every ${sim.avlInterval} s)`);
    }
    return sim;
  })();
  ready.catch((err) => log.warn?.(`simulator failed to start: ${err instanceof Error ? err.message : err}`));
  return {
    simulator: ready,
    stop() {
      stopped = true;
      sim?.stop();
      if (report) clearInterval(report);
    },
  };
}

/**
 * Settings of the in-process simulator from the environment: SHOUWANG_SIMULATOR=0 turns it off (tests,
 * benchmarks, a real deployment), SHOUWANG_SIMULATOR_RATE and SHOUWANG_SIMULATOR_SPEED set the knobs.
 */
export function simulatorSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): { enabled: boolean; rate: number; speed: number } {
  const n = (name: string, dflt: number, allowZero: boolean) => {
    const v = Number(env[name]);
    return env[name] !== undefined && Number.isFinite(v) && (v > 0 || (allowZero && v === 0)) ? v : dflt;
  };
  return { enabled: env.SHOUWANG_SIMULATOR !== '0', rate: n('SHOUWANG_SIMULATOR_RATE', 1, true), speed: n('SHOUWANG_SIMULATOR_SPEED', 1, false) };
}
