/**
 * The units in memory (row, roster, latest position, current assignment) and the helpers every part of
 * the dispatch service shares: who may see or act for a unit, station paths, events. Internal to the
 * module: DispatchService (service.ts) is its one public entry.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Write, Writes } from '../../kernel/write.js';
import { AppError, notFound } from '../../core/errors.js';
import { coversUnit, type Principal } from '../../core/access.js';
import type { Role } from '../../core/roles.js';
import type { BusEvent } from '../realtime/index.js';
import type { RoadService, SnapResult } from '../roads/index.js';
import type { CategoryStore, IncidentService } from '../incidents/index.js';
import type { JurisdictionIndex } from '../org/index.js';
import { assignments } from './schema.js';
import type { DispatchConfig } from './config.js';
import { ACTIVE_ASSIGNMENT_STATUSES, loadActiveAssignments, loadLatestPositions, loadShifts, loadUnits, shiftsOf, unitRow, type AssignmentRow, type UnitRow } from './store.js';
import type { Shift } from './domain/roster.js';
import type { TrackPoint } from './domain/track.js';

export interface LivePosition {
  lon: number;
  lat: number;
  at: number;
  speed: number | null;
  heading: number | null;
  snap: SnapResult | null;
}

export interface ActiveAssignment {
  id: string;
  incidentId: string;
  status: string;
  priority: string;
  assignedAt: Date;
}

export interface UnitState {
  row: UnitRow;
  stationPath: string;
  shifts: Shift[];
  homeSnap: SnapResult | null;
  pos: LivePosition | null;
  lastKept: TrackPoint | null;
  assignment: ActiveAssignment | null;
  /** Bumped on every local change of row/assignment: a refresh read that raced with one is redone. */
  gen: number;
}

/** What the state needs from outside (DispatchServiceOptions, resolved). */
export interface StateDeps {
  db: Db;
  roads: RoadService;
  incidents: IncidentService;
  /** The category tree (incidents' one source of truth): what each category asks of units. */
  categories: CategoryStore;
  /** The organisation tree (org's API): station paths. */
  org: JurisdictionIndex;
  publish: (e: BusEvent) => void;
  /** Writes with their events in one transaction (kernel/write.ts). */
  writes: Writes;
  config: DispatchConfig;
  now: () => Date;
  instanceId: string;
  log: (err: unknown, msg: string) => void;
}

const COMMAND_ROLES: Role[] = ['dispatcher', 'chief'];

export function toActive(a: AssignmentRow): ActiveAssignment {
  return { id: a.id, incidentId: a.incidentId, status: a.status, priority: a.priority, assignedAt: a.assignedAt };
}

export class DispatchState {
  readonly db: Db;
  readonly roads: RoadService;
  readonly incidents: IncidentService;
  readonly categories: CategoryStore;
  readonly org: JurisdictionIndex;
  readonly writes: Writes;
  readonly config: DispatchConfig;
  readonly now: () => Date;
  readonly instanceId: string;
  readonly log: (err: unknown, msg: string) => void;
  private readonly publish: (e: BusEvent) => void;
  readonly state = new Map<string, UnitState>();
  readonly byCallSign = new Map<string, string>();
  paths = new Map<string, string>();
  rootPath = '/';
  ready: Promise<void> | null = null;
  private readonly refreshChain = new Map<string, Promise<void>>();

  constructor(deps: StateDeps) {
    this.db = deps.db;
    this.roads = deps.roads;
    this.incidents = deps.incidents;
    this.categories = deps.categories;
    this.org = deps.org;
    this.publish = deps.publish;
    this.writes = deps.writes;
    this.config = deps.config;
    this.now = deps.now;
    this.instanceId = deps.instanceId;
    this.log = deps.log;
  }

  /** Loads units, roster, latest positions and open assignments into memory (idempotent). */
  init(): Promise<void> {
    this.ready ??= this.load();
    return this.ready;
  }

  /** Re-reads everything from the database (after seeding, or another instance's writes). */
  reload(): Promise<void> {
    this.ready = this.load();
    return this.ready;
  }

  private async load() {
    const now = this.now();
    const [org, rows, shifts, latest, active] = await Promise.all([this.org.paths(), loadUnits(this.db), loadShifts(this.db, now), loadLatestPositions(this.db), loadActiveAssignments(this.db)]);
    this.paths = org.paths;
    this.rootPath = org.rootPath;
    this.state.clear();
    this.byCallSign.clear();
    for (const row of rows) this.putUnit(row);
    for (const s of shifts) this.state.get(s.unitId)?.shifts.push({ startsAt: s.startsAt, endsAt: s.endsAt });
    for (const p of latest) {
      const st = this.state.get(p.unitId);
      if (!st) continue;
      st.pos = { lon: p.lon, lat: p.lat, at: p.at.getTime(), speed: p.speed, heading: p.heading, snap: this.roads.snap(p.lon, p.lat) };
      st.lastKept = { lon: p.lon, lat: p.lat, at: p.at.getTime() };
    }
    for (const a of active) {
      const st = this.state.get(a.unitId);
      if (st && st.row.currentAssignmentId === a.id) st.assignment = toActive(a);
    }
  }

  putUnit(row: UnitRow): UnitState {
    const old = this.state.get(row.id);
    if (old && old.row.callSign !== row.callSign) this.byCallSign.delete(old.row.callSign);
    const st: UnitState = old ?? { row, stationPath: '', shifts: [], homeSnap: null, pos: null, lastKept: null, assignment: null, gen: 0 };
    st.gen++;
    if (!old || old.row.homeLon !== row.homeLon || old.row.homeLat !== row.homeLat) st.homeSnap = this.roads.snap(row.homeLon, row.homeLat, 2000);
    st.row = row;
    st.stationPath = this.paths.get(row.stationId) ?? `${this.rootPath}${row.stationId}/`;
    this.state.set(row.id, st);
    this.byCallSign.set(row.callSign, row.id);
    return st;
  }

  /**
   * Re-reads one unit from the database (serialised per unit). Resolves when done; never rejects.
   * A local write to the unit while the read was in flight makes it read again.
   */
  refreshUnit(id: string): Promise<void> {
    const prev = this.refreshChain.get(id) ?? Promise.resolve();
    const next = prev.then(() => this.readUnit(this.db, id)).catch((err) => this.log(err, `dispatch: refreshing unit ${id} failed`));
    this.refreshChain.set(id, next);
    void next.then(() => {
      if (this.refreshChain.get(id) === next) this.refreshChain.delete(id);
    });
    return next;
  }

  /** Reads one unit into memory; `db` is the open transaction when called inside a write. */
  async readUnit(db: Db, id: string): Promise<void> {
    await this.ready;
    for (let attempt = 0; attempt < 5; attempt++) {
      const gen = this.state.get(id)?.gen ?? 0;
      const row = await unitRow(db, id);
      const [a] = row?.currentAssignmentId ? await db.select().from(assignments).where(eq(assignments.id, row.currentAssignmentId)) : [];
      const shifts = row ? await shiftsOf(db, id, new Date(this.now().getTime() - 86_400_000)) : [];
      if ((this.state.get(id)?.gen ?? 0) !== gen) continue;
      if (!row || !row.active) {
        const old = this.state.get(id);
        if (old) this.byCallSign.delete(old.row.callSign);
        this.state.delete(id);
        return;
      }
      if (!this.paths.has(row.stationId)) this.paths = (await this.org.paths()).paths;
      const st = this.putUnit(row);
      const active = a && (ACTIVE_ASSIGNMENT_STATUSES as readonly string[]).includes(a.status) ? toActive(a) : null;
      // Same assignment: update in place, so a local operation holding it keeps writing to the live object.
      if (active && st.assignment?.id === active.id) Object.assign(st.assignment, active);
      else st.assignment = active;
      st.shifts = shifts.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt }));
      return;
    }
  }

  systemPrincipal(username = 'system'): Principal {
    return { kind: 'token', id: 'system', username, displayName: '系统', roles: ['system'] as unknown as Role[], unitId: this.rootPath.split('/').filter(Boolean)[0] ?? 'system', unitPath: this.rootPath, unitKind: 'bureau', scopes: [] };
  }

  visible(p: Principal, id: string): UnitState {
    const st = this.state.get(id);
    if (!st || !coversUnit(p, st.stationPath)) throw notFound('unit');
    return st;
  }

  isMember(p: Principal, st: UnitState): boolean {
    return p.kind === 'user' && st.row.memberUserIds.includes(p.id);
  }

  /** The crew of the unit, or command roles whose jurisdiction covers it. */
  mayActFor(p: Principal, st: UnitState): boolean {
    if (this.isMember(p, st)) return true;
    return p.roles.some((r) => COMMAND_ROLES.includes(r)) && coversUnit(p, st.stationPath);
  }

  stationPath(stationId: string): string {
    return this.paths.get(stationId) ?? `${this.rootPath}${stationId}/`;
  }

  /**
   * Runs the checks of a command on the units in memory; when they refuse, the memory may be behind
   * another instance's write (its event not applied yet): re-read those units and check once more.
   */
  async validated<T>(db: Db, check: () => T, unitIds: string[]): Promise<T> {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      for (const id of unitIds) await this.readUnit(db, id);
      return check();
    }
  }

  /** Stages an event with the write (outbox): it goes out once the write has committed, or never. */
  emit(w: Write, type: BusEvent['type'], unitPath: string | null, key: string, data: object) {
    const event = 'event' in data && typeof data.event === 'string' ? data.event : type;
    w.emit({ topic: type, key, event, unitPath, data: { ...data, origin: this.instanceId } });
  }

  /** Positions are telemetry, not writes: superseded within seconds, they go straight to the bus. */
  emitPosition(unitPath: string, key: string, data: object) {
    try {
      this.publish({ type: 'unit_position', unitPath, key, at: this.now().toISOString(), data: { ...data, origin: this.instanceId } });
    } catch {
      // the bus must never break the position feed
    }
  }

  /** Memory changed inside a write that then rolled back: read the unit again from the database. */
  undoOnRollback(w: Write, unitId: string) {
    w.onRollback(() => {
      const st = this.state.get(unitId);
      if (st) st.gen++;
      void this.refreshUnit(unitId);
    });
  }
}
