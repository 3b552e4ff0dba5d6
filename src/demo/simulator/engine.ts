/**
 * The city simulator (城市模拟): calls arrive at the demo city's daily rhythm, a simulated dispatcher
 * assigns the recommended unit, the crew acknowledges, drives its road route reporting positions (AVL),
 * goes on scene, clears with a disposition, drives home and patrols around its station.
 *
 * Driven by a clock: `step(dtSeconds)` advances wall time by dt and simulated time by dt × speed (tests
 * step it without waiting); `start()` steps once a second. Everything it does goes through a `SimTarget`:
 * the services in-process (in-process.ts) or the REST API of a running server (http.ts). Seeded: the
 * same seed and the same answers from the target give the same run.
 */
import { mulberry32 } from '../../core/random.js';
import type { DemoRoadPoint } from '../history-generator.js';
import type { DispositionCode } from '../../modules/incidents/index.js';
import { CallGenerator, type SimCall } from './calls.js';
import { metres, Path, type LonLat, type SimRoute } from './motion.js';

export type { LonLat, SimRoute } from './motion.js';
export type { SimCall } from './calls.js';

/* ------------------------------------------------------------------------------------------------ */
/* The target                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

export interface SimIncidentInput {
  source: SimCall['source'];
  categoryCode: string;
  priority: SimCall['priority'];
  description: string;
  address: string;
  location: LonLat;
  caller?: { name?: string; phone?: string };
  callStartedAt: string;
  answeredAt: string;
}

export interface SimIncident {
  id: string;
  status: string;
  priority: string;
  location: LonLat | null;
  createdBy?: string | null;
  recordedAt?: string;
}

export interface SimRecommendation {
  unitId: string;
  etaSeconds: number | null;
  diverting: boolean;
}

export interface SimUnitView {
  id: string;
  callSign: string;
  status: string;
  home: [number, number];
  position: { lon: number; lat: number; at: string } | null;
  currentAssignment: { id: string; incidentId: string } | null;
  memberUserIds?: string[];
}

export interface SimPosition {
  unitId: string;
  lon: number;
  lat: number;
  at: string;
  speed: number;
  heading: number;
}

/** What the simulator needs from the platform. */
export interface SimTarget {
  /** Who the simulator acts as (incidents it recorded carry this name). */
  readonly username: string;
  createIncident(input: SimIncidentInput): Promise<SimIncident>;
  /** Closes an incident without dispatch (invalid call, advice on the phone). */
  closeIncident(incidentId: string, dispositionCode: DispositionCode, note: string): Promise<void>;
  recommendations(incidentId: string): Promise<SimRecommendation[]>;
  assign(incidentId: string, unitIds: string[]): Promise<{ id: string; unitId: string }[]>;
  ack(assignmentId: string): Promise<void>;
  setUnitStatus(unitId: string, status: 'en_route' | 'on_scene' | 'available', extra?: { dispositionCode?: string; note?: string }): Promise<void>;
  reportPositions(batch: SimPosition[]): Promise<{ accepted: number; rejected: number }>;
  listUnits(): Promise<SimUnitView[]>;
  /** Open incidents (new … on scene) that the simulator recorded. */
  openIncidents(): Promise<SimIncident[]>;
  incident(incidentId: string): Promise<SimIncident | null>;
  routeGeometry(from: LonLat, to: LonLat): Promise<SimRoute | null>;
  /** Points along the roads (with the road's name) to place calls and patrols on. */
  roadPoints(): Promise<DemoRoadPoint[]>;
}

/* ------------------------------------------------------------------------------------------------ */
/* Options and state                                                                                  */
/* ------------------------------------------------------------------------------------------------ */

export interface SimulatorOptions {
  target: SimTarget;
  /** Multiplier of the call rate (1 = ~90 calls a day in the demo city; 10 = New Year's Eve). */
  rate?: number;
  /** Time factor: simulated seconds per wall second (delays, driving and on-scene time shrink). */
  speed?: number;
  /** Wall seconds between position reports (one batch for all units). Default 5. */
  avlInterval?: number;
  seed?: number;
  /** Average calls per day at rate 1 (default 90). */
  perDay?: number;
  /** Wall clock in ms (timestamps sent to the server). Default Date.now. */
  now?: () => number;
  /** Origin of the simulated clock that drives the daily rhythm. Default: now(). */
  startAt?: Date;
  /** Wall seconds between re-reading the units (roster, assignments made by people). Default 30. */
  refreshEvery?: number;
  /** Also drive units crewed by real accounts (the demo officer's unit). Default false. */
  includeCrewed?: boolean;
  /** Drive units that people assigned (not the simulator) to their incidents too. Default true. */
  adoptAssignments?: boolean;
  /** Idle units patrol around their station. Default true. */
  patrol?: boolean;
  log?: { info?: (msg: string) => void; warn?: (msg: string) => void };
}

export interface SimStats {
  created: number;
  quickClosed: number;
  assigned: number;
  enRoute: number;
  onScene: number;
  cleared: number;
  positions: number;
  positionsRejected: number;
  errors: number;
  lastError: string | null;
  /** Incidents the simulator is still working on. */
  open: number;
  /** Calls waiting for a free unit. */
  waiting: number;
  simSeconds: number;
}

type Phase = 'new' | 'assigned' | 'en_route' | 'on_scene' | 'done';

interface Job {
  incidentId: string;
  priority: string;
  location: LonLat;
  call: Pick<SimCall, 'dispositionCode' | 'onSceneSeconds'>;
  phase: Phase;
  unitId: string | null;
  assignmentId: string | null;
  attempts: number;
}

type Mode = 'idle' | 'patrol' | 'returning' | 'assigned' | 'to_scene' | 'on_scene';

interface UnitSim {
  id: string;
  callSign: string;
  home: LonLat;
  status: string;
  pos: LonLat;
  heading: number;
  path: Path | null;
  mode: Mode;
  job: Job | null;
  excluded: boolean;
  nextPatrolAt: number;
  patrolPoints: LonLat[] | null;
  /** The last road route driven (to drive back along it when no route home is found). */
  lastRoute: SimRoute | null;
  /** Serialises the unit's calls to the target. */
  busy: boolean;
}

interface Scheduled {
  at: number;
  seq: number;
  run: () => Promise<void>;
}

const ACTIVE_UNIT = new Set(['available', 'dispatched', 'en_route', 'on_scene', 'busy']);
const PATROL_RADIUS_M = 900;
const PATROL_SLOWDOWN = 2.5;
const RETURN_SLOWDOWN = 1.3;
const MAX_ROUTES_PER_STEP = 6;

/* ------------------------------------------------------------------------------------------------ */
/* The simulator                                                                                      */
/* ------------------------------------------------------------------------------------------------ */

export class CitySimulator {
  readonly rate: number;
  readonly speed: number;
  readonly avlInterval: number;
  readonly stats: SimStats = { created: 0, quickClosed: 0, assigned: 0, enRoute: 0, onScene: 0, cleared: 0, positions: 0, positionsRejected: 0, errors: 0, lastError: null, open: 0, waiting: 0, simSeconds: 0 };
  private readonly target: SimTarget;
  private readonly rnd: () => number;
  private readonly now: () => number;
  private readonly opts: SimulatorOptions;
  private readonly units = new Map<string, UnitSim>();
  private readonly jobs = new Map<string, Job>();
  private queue: Scheduled[] = [];
  private seq = 0;
  private calls: CallGenerator | null = null;
  private roadPts: LonLat[] = [];
  private simT = 0;
  private simOrigin = 0;
  private sinceAvl = 0;
  private sinceRefresh = 0;
  private initialised: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stepping = false;
  private lastWall = 0;

  constructor(opts: SimulatorOptions) {
    this.opts = opts;
    this.target = opts.target;
    this.rate = opts.rate ?? 1;
    this.speed = opts.speed ?? 1;
    this.avlInterval = opts.avlInterval ?? 5;
    this.rnd = mulberry32(opts.seed ?? 110);
    this.now = opts.now ?? Date.now;
    if (!(this.rate >= 0) || !(this.speed > 0) || !(this.avlInterval > 0)) throw new RangeError('simulator: rate ≥ 0, speed > 0 and avl interval > 0');
  }

  /** Simulated time as an instant (drives the daily rhythm). */
  get simNow(): number {
    return this.simOrigin + this.simT * 1000;
  }

  /** Loads the road points, builds the call pool, reads the units and picks up its own open incidents. */
  init(): Promise<void> {
    this.initialised ??= this.load();
    return this.initialised;
  }

  private async load() {
    this.simOrigin = this.opts.startAt?.getTime() ?? this.now();
    const pts = await this.target.roadPoints();
    this.roadPts = pts.map((p) => ({ lon: p[0], lat: p[1] }));
    this.calls = new CallGenerator({ seed: (this.opts.seed ?? 110) + 1, roadPoints: pts, perDay: this.opts.perDay }, this.rnd);
    await this.refreshUnits();
    for (const inc of await this.target.openIncidents().catch((e) => (this.fail('open incidents', e), [] as SimIncident[]))) {
      if (inc.status !== 'new' || !inc.location || this.jobs.has(inc.id)) continue;
      if (inc.recordedAt && this.now() - Date.parse(inc.recordedAt) > 2 * 3_600_000) continue;
      const job = this.newJob(inc.id, inc.priority, inc.location, { dispositionCode: 'D04', onSceneSeconds: this.between(10, 40) * 60 });
      this.schedule(this.between(5, 30), () => this.dispatchJob(job));
    }
  }

  /** Steps the clock by wall seconds. Safe to await; do not call concurrently. */
  async step(dtSeconds: number): Promise<void> {
    await this.init();
    const simDt = dtSeconds * this.speed;
    const t0 = this.simT;
    this.simT += simDt;
    this.stats.simSeconds = this.simT;

    // Calls arriving in this step, spread over it.
    const n = this.calls!.arrivals(this.simOrigin + t0 * 1000, simDt, this.rate);
    for (let i = 0; i < n; i++) {
      const at = t0 + this.rnd() * simDt;
      this.schedule(at - this.simT, () => this.arrive());
    }

    // Scheduled work that is due, in order.
    while (this.queue.length && this.queue[0].at <= this.simT) {
      const next = this.queue.shift()!;
      try {
        await next.run();
      } catch (err) {
        this.fail('step', err);
      }
    }

    await this.move();

    this.sinceRefresh += dtSeconds;
    if (this.sinceRefresh >= (this.opts.refreshEvery ?? 30)) {
      this.sinceRefresh = 0;
      await this.refreshUnits();
    }
    this.sinceAvl += dtSeconds;
    if (this.sinceAvl >= this.avlInterval - 1e-9) {
      this.sinceAvl = 0;
      await this.reportPositions();
    }
    let waiting = 0;
    for (const j of this.jobs.values()) if (j.phase === 'new') waiting++;
    this.stats.open = this.jobs.size;
    this.stats.waiting = waiting;
  }

  /** Steps once a second on the wall clock until stop(). */
  start(tickMs = 1000): void {
    if (this.timer) return;
    this.lastWall = this.now();
    this.timer = setInterval(() => {
      if (this.stepping) return;
      this.stepping = true;
      const t = this.now();
      const dt = Math.min(10, Math.max(0, (t - this.lastWall) / 1000));
      this.lastWall = t;
      this.step(dt)
        .catch((err) => this.fail('tick', err))
        .finally(() => (this.stepping = false));
    }, tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One line for the terminal. */
  statusLine(): string {
    const s = this.stats;
    const h = Math.floor(s.simSeconds / 3600);
    const m = Math.floor((s.simSeconds % 3600) / 60);
    return `sim ${h}h${String(m).padStart(2, '0')}m  created ${s.created} (closed at intake ${s.quickClosed})  assigned ${s.assigned}  on scene ${s.onScene}  cleared ${s.cleared}  open ${s.open} (waiting ${s.waiting})  positions ${s.positions}${s.positionsRejected ? ` (rejected ${s.positionsRejected})` : ''}  errors ${s.errors}${s.lastError ? ` [${s.lastError}]` : ''}`;
  }

  /** The simulator's view of the units (for tests and debugging). */
  unitStates(): { id: string; mode: string; status: string; pos: LonLat; incidentId: string | null }[] {
    return [...this.units.values()].map((u) => ({ id: u.id, mode: u.mode, status: u.status, pos: { ...u.pos }, incidentId: u.job?.incidentId ?? null }));
  }

  // ------------------------------------------------------------------ helpers

  private between(a: number, b: number): number {
    return a + (b - a) * this.rnd();
  }

  /** Runs `run` after `delay` simulated seconds. */
  private schedule(delay: number, run: () => Promise<void>) {
    const item: Scheduled = { at: this.simT + Math.max(0, delay), seq: this.seq++, run };
    // Few items are pending at a time: insertion keeps the queue sorted by (at, seq).
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1].at > item.at || (this.queue[i - 1].at === item.at && this.queue[i - 1].seq > item.seq))) i--;
    this.queue.splice(i, 0, item);
  }

  private fail(what: string, err: unknown) {
    this.stats.errors++;
    const msg = err instanceof Error ? err.message : String(err);
    this.stats.lastError = `${what}: ${msg}`.slice(0, 160);
    this.opts.log?.warn?.(`simulator ${what}: ${msg}`);
  }

  private newJob(incidentId: string, priority: string, location: LonLat, call: Job['call']): Job {
    const job: Job = { incidentId, priority, location, call, phase: 'new', unitId: null, assignmentId: null, attempts: 0 };
    this.jobs.set(incidentId, job);
    return job;
  }

  private endJob(job: Job) {
    job.phase = 'done';
    this.jobs.delete(job.incidentId);
  }

  /** Freezes a moving unit where it is now. */
  private halt(u: UnitSim) {
    if (u.path) {
      const p = u.path.at(this.simT);
      u.pos = { lon: p.lon, lat: p.lat };
      u.heading = p.heading;
    }
    u.path = null;
  }

  private async route(from: LonLat, to: LonLat): Promise<SimRoute | null> {
    try {
      return await this.target.routeGeometry(from, to);
    } catch (err) {
      this.fail('route', err);
      return null;
    }
  }

  /**
   * Starts driving to `to` along the road route. Without a route (the road service finds none, e.g.
   * between two points a few metres apart on a one-way street) a unit on its way to a scene goes in a
   * straight line; otherwise it stays put and false is returned.
   */
  private async driveTo(u: UnitSim, to: LonLat, slowdown: number, straightIfNoRoute: boolean): Promise<boolean> {
    this.halt(u);
    const r = await this.route(u.pos, to);
    if (r && r.coordinates.length > 1) {
      u.path = Path.fromRoute(r, this.simT, slowdown);
      u.lastRoute = r;
      return true;
    }
    if (!straightIfNoRoute) return false;
    u.path = Path.straight(u.pos, to, this.simT, 20 / slowdown);
    return true;
  }

  // ------------------------------------------------------------------ calls and dispatch

  private async arrive() {
    const call = this.calls!.next(this.simNow);
    const wall = this.now();
    const recorded = wall;
    const answered = recorded - (call.intakeSeconds * 1000) / this.speed;
    const started = answered - (call.answerSeconds * 1000) / this.speed;
    let inc: SimIncident;
    try {
      inc = await this.target.createIncident({
        source: call.source,
        categoryCode: call.categoryCode,
        priority: call.priority,
        description: call.description,
        address: call.address,
        location: call.location,
        ...(call.caller ? { caller: call.caller } : {}),
        callStartedAt: new Date(started).toISOString(),
        answeredAt: new Date(answered).toISOString(),
      });
    } catch (err) {
      this.fail('create incident', err);
      return;
    }
    this.stats.created++;
    if (call.quickClose) {
      const code = call.quickClose;
      this.schedule(this.between(10, 60), async () => {
        try {
          await this.target.closeIncident(inc.id, code, code === 'D07' ? '无效警情（模拟）' : '电话解答（模拟）');
          this.stats.quickClosed++;
        } catch (err) {
          this.fail('close incident', err);
        }
      });
      return;
    }
    const job = this.newJob(inc.id, inc.priority, inc.location ?? call.location, call);
    this.schedule(this.dispatchDelay(inc.priority), () => this.dispatchJob(job));
  }

  /** Seconds the simulated dispatcher takes to assign: P1 ~20 s, others 30 s–3 min. */
  private dispatchDelay(priority: string): number {
    if (priority === 'P1') return this.between(12, 30);
    if (priority === 'P2') return this.between(30, 90);
    return this.between(30, 180);
  }

  private async dispatchJob(job: Job) {
    if (job.phase !== 'new' || !this.jobs.has(job.incidentId)) return;
    let recs: SimRecommendation[];
    try {
      recs = await this.target.recommendations(job.incidentId);
    } catch (err) {
      this.fail('recommend', err);
      return this.retryDispatch(job, 60);
    }
    const usable = (r: SimRecommendation) => {
      const u = this.units.get(r.unitId);
      return !!u && !u.excluded && !u.busy && (u.job === null || r.diverting) && r.etaSeconds !== null;
    };
    const pick = recs.find((r) => usable(r) && !r.diverting) ?? (job.priority === 'P1' ? recs.find((r) => usable(r) && r.diverting) : undefined);
    if (!pick) return this.retryDispatch(job, 30);
    const u = this.units.get(pick.unitId)!;
    u.busy = true;
    try {
      const [a] = await this.target.assign(job.incidentId, [u.id]);
      this.stats.assigned++;
      const old = u.job;
      if (old && old !== job) {
        // Diverted to a P1: the platform recalled the old incident; dispatch it again.
        old.phase = 'new';
        old.unitId = null;
        old.assignmentId = null;
        this.schedule(this.between(15, 45), () => this.dispatchJob(old));
      }
      this.halt(u);
      u.job = job;
      u.mode = 'assigned';
      u.status = 'dispatched';
      job.phase = 'assigned';
      job.unitId = u.id;
      job.assignmentId = a?.id ?? null;
      this.schedule(this.between(5, 20), () => this.ackAndGo(job));
    } catch (err) {
      this.fail('assign', err);
      this.sinceRefresh = Infinity; // re-read the units on this step
      this.retryDispatch(job, 15);
    } finally {
      u.busy = false;
    }
  }

  private retryDispatch(job: Job, seconds: number) {
    job.attempts++;
    if (job.attempts > 240) {
      this.jobs.delete(job.incidentId); // two hours without a free unit: leave it to people
      return;
    }
    this.schedule(seconds, () => this.dispatchJob(job));
  }

  private unitOf(job: Job): UnitSim | null {
    const u = job.unitId ? this.units.get(job.unitId) : undefined;
    return u && u.job === job ? u : null;
  }

  /** The crew acknowledges and sets off along the road route. */
  private async ackAndGo(job: Job) {
    const u = this.unitOf(job);
    if (!u || job.phase !== 'assigned') return;
    try {
      if (job.assignmentId) await this.target.ack(job.assignmentId);
      await this.target.setUnitStatus(u.id, 'en_route');
    } catch (err) {
      this.fail('en route', err);
      return this.lose(u);
    }
    this.stats.enRoute++;
    u.status = 'en_route';
    job.phase = 'en_route';
    u.mode = 'to_scene';
    await this.driveTo(u, job.location, 1, true);
  }

  private async onScene(u: UnitSim, job: Job) {
    try {
      await this.target.setUnitStatus(u.id, 'on_scene');
    } catch (err) {
      this.fail('on scene', err);
      return this.lose(u);
    }
    this.stats.onScene++;
    u.status = 'on_scene';
    u.mode = 'on_scene';
    job.phase = 'on_scene';
    this.schedule(job.call.onSceneSeconds, () => this.clear(job));
  }

  private async clear(job: Job) {
    const u = this.unitOf(job);
    if (!u || job.phase !== 'on_scene') return;
    try {
      await this.target.setUnitStatus(u.id, 'available', { dispositionCode: job.call.dispositionCode, note: '处置完毕（模拟）' });
    } catch (err) {
      this.fail('clear', err);
      return this.lose(u);
    }
    // The station reviews the crew's report and closes (where its rule left the incident cleared).
    const inc = await this.target.incident(job.incidentId).catch(() => null);
    if (inc?.status === 'cleared') await this.target.closeIncident(job.incidentId, job.call.dispositionCode, '所内审核结警（模拟）').catch((err: unknown) => this.fail('close after review', err));
    this.stats.cleared++;
    this.endJob(job);
    u.job = null;
    u.status = 'available';
    await this.goHome(u);
  }

  /** Something changed under us (a person cancelled or reassigned): forget the job, re-read soon. */
  private lose(u: UnitSim) {
    const job = u.job;
    if (job) this.jobs.delete(job.incidentId);
    u.job = null;
    u.mode = 'idle';
    this.halt(u);
    this.sinceRefresh = Infinity;
  }

  /** Back towards the station: by road, else back the way it came, else it patrols from where it is. */
  private async goHome(u: UnitSim): Promise<boolean> {
    u.mode = 'returning';
    if (await this.driveTo(u, u.home, RETURN_SLOWDOWN, false)) return true;
    const back = u.lastRoute;
    const start = back?.coordinates[back.coordinates.length - 1];
    if (back && start && metres(u.pos, { lon: start[0], lat: start[1] }) < 30) {
      u.path = Path.fromRoute({ ...back, coordinates: [...back.coordinates].reverse() }, this.simT, RETURN_SLOWDOWN);
      u.lastRoute = null;
      return true;
    }
    u.mode = 'idle';
    u.nextPatrolAt = this.simT + this.between(30, 120);
    return false;
  }

  // ------------------------------------------------------------------ movement

  private async move() {
    let routes = 0;
    for (const u of this.units.values()) {
      if (u.path && this.simT >= u.path.endAt) {
        u.pos = u.path.end;
        u.heading = u.path.at(u.path.endAt).heading;
        u.path = null;
        if (u.mode === 'to_scene' && u.job) {
          await this.onScene(u, u.job);
          continue;
        }
        if (u.mode === 'patrol' || u.mode === 'returning') {
          u.mode = 'idle';
          u.nextPatrolAt = this.simT + this.between(60, 360);
        }
      }
      if (this.opts.patrol === false || u.excluded || u.mode !== 'idle' || u.status !== 'available' || this.simT < u.nextPatrolAt || routes >= MAX_ROUTES_PER_STEP) continue;
      routes++;
      if (metres(u.pos, u.home) > PATROL_RADIUS_M * 1.8 && (await this.goHome(u))) continue;
      const pts = this.patrolPoints(u);
      if (!pts.length) {
        u.nextPatrolAt = Infinity;
        continue;
      }
      const i = Math.floor(this.rnd() * pts.length);
      this.halt(u);
      const r = await this.route(u.pos, pts[i]);
      if (!r || r.coordinates.length < 2) {
        // Not reachable by road from here (a footpath, the wrong side of a one-way pair): drop it.
        pts.splice(i, 1);
        u.nextPatrolAt = this.simT + 30;
        continue;
      }
      u.mode = 'patrol';
      u.path = Path.fromRoute(r, this.simT, PATROL_SLOWDOWN);
      u.lastRoute = r;
    }
  }

  private patrolPoints(u: UnitSim): LonLat[] {
    if (!u.patrolPoints) {
      const near: LonLat[] = [];
      for (let i = 0; i < this.roadPts.length; i += 2) {
        const p = this.roadPts[i];
        const d = metres(p, u.home);
        if (d <= PATROL_RADIUS_M && d >= 150) near.push(p);
      }
      u.patrolPoints = near;
    }
    return u.patrolPoints;
  }

  private async reportPositions() {
    const at = new Date(this.now()).toISOString();
    const batch: { unitId: string; lon: number; lat: number; at: string; speed: number; heading: number }[] = [];
    for (const u of this.units.values()) {
      if (u.excluded || !ACTIVE_UNIT.has(u.status)) continue;
      const p = u.path ? u.path.at(this.simT) : null;
      const lon = p ? p.lon : u.pos.lon;
      const lat = p ? p.lat : u.pos.lat;
      batch.push({ unitId: u.id, lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7, at, speed: p && !p.done ? Math.min(200, p.speed * this.speed) : 0, heading: p ? p.heading : u.heading });
    }
    if (!batch.length) return;
    try {
      const r = await this.target.reportPositions(batch);
      this.stats.positions += r.accepted;
      this.stats.positionsRejected += r.rejected;
    } catch (err) {
      this.fail('positions', err);
    }
  }

  // ------------------------------------------------------------------ units

  /** Re-reads the units: roster changes, assignments made or cancelled by people. */
  private async refreshUnits() {
    let list: SimUnitView[];
    try {
      list = await this.target.listUnits();
    } catch (err) {
      this.fail('units', err);
      return;
    }
    const seen = new Set<string>();
    for (const v of list) {
      seen.add(v.id);
      let u = this.units.get(v.id);
      if (!u) {
        const home = { lon: v.home[0], lat: v.home[1] };
        const fresh = v.position && this.now() - Date.parse(v.position.at) < 3_600_000 && metres(v.position, home) < 5000;
        u = { id: v.id, callSign: v.callSign, home, status: v.status, pos: fresh ? { lon: v.position!.lon, lat: v.position!.lat } : home, heading: 0, path: null, mode: 'idle', job: null, excluded: !this.opts.includeCrewed && (v.memberUserIds?.length ?? 0) > 0, nextPatrolAt: this.simT + this.between(0, 120), patrolPoints: null, lastRoute: null, busy: false };
        this.units.set(v.id, u);
      }
      u.home = { lon: v.home[0], lat: v.home[1] };
      if (u.busy) continue;
      const serverAssignment = v.currentAssignment?.id ?? null;
      if (u.job && u.job.assignmentId !== serverAssignment) {
        // Our assignment was cancelled or replaced by a person.
        this.lose(u);
      }
      u.status = v.status;
      if (!u.job && serverAssignment && !u.excluded && this.opts.adoptAssignments !== false && ['dispatched', 'en_route', 'on_scene'].includes(v.status)) {
        await this.adopt(u, v.currentAssignment!, v.status);
      }
      if (!u.job && u.mode !== 'patrol' && u.mode !== 'returning' && u.mode !== 'idle') u.mode = 'idle';
      if (u.status !== 'available' && !u.job && u.path) this.halt(u);
    }
    for (const id of [...this.units.keys()]) if (!seen.has(id)) this.units.delete(id);
  }

  /** Drives a unit that a person assigned, from the status it is in. */
  private async adopt(u: UnitSim, a: { id: string; incidentId: string }, status: string) {
    let inc: SimIncident | null;
    try {
      inc = await this.target.incident(a.incidentId);
    } catch (err) {
      this.fail('incident', err);
      return;
    }
    if (!inc?.location) return;
    const job = this.jobs.get(inc.id) ?? this.newJob(inc.id, inc.priority, inc.location, { dispositionCode: 'D04', onSceneSeconds: this.between(10, 30) * 60 });
    this.halt(u);
    job.unitId = u.id;
    job.assignmentId = a.id;
    u.job = job;
    if (status === 'dispatched') {
      job.phase = 'assigned';
      u.mode = 'assigned';
      this.schedule(this.between(5, 20), () => this.ackAndGo(job));
    } else if (status === 'en_route') {
      job.phase = 'en_route';
      u.mode = 'to_scene';
      await this.driveTo(u, job.location, 1, true);
    } else {
      job.phase = 'on_scene';
      u.mode = 'on_scene';
      this.schedule(job.call.onSceneSeconds, () => this.clear(job));
    }
  }
}
