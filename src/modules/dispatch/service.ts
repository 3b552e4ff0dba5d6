/**
 * Dispatch: units and their roster, positions (AVL), recommendation by road ETA, assignments that move
 * the incident's lifecycle, and alert timers. Pure rules live in ./domain; this file is the I/O.
 *
 * The latest position and status of every unit are held in memory (one Map) so a recommendation is one
 * many-to-one road search over positions snapped when they were reported.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Write, Writes } from '../../kernel/write.js';
import { AppError, notFound } from '../../core/errors.js';
import { coversUnit, seesEverything, unitScope, type Principal } from '../../core/access.js';
import type { Role } from '../../core/roles.js';
import type { BusEvent, SequencedEvent } from '../realtime/index.js';
import type { RoadService, SnapResult } from '../roads/index.js';
import type { IncidentRow, IncidentService } from '../incidents/index.js';
import type { CategoryStore } from '../incidents/index.js';
import type { JurisdictionIndex } from '../org/index.js';
import { firstOutsider } from '../users/index.js';
import { canTransition, type IncidentStatus } from '../incidents/index.js';
import { localDay } from '../incidents/index.js';
import { assignments, dispatchAlerts, units, unitShifts, unitStatusEvents } from './schema.js';
import { closeRuleOf, parseCloseRules, type CloseRules } from './domain/close-rule.js';
import { ACTIVE_ASSIGNMENT_STATUSES, insertTrack, loadActiveAssignments, loadLatestPositions, loadShifts, loadUnits, purgeTrack, shiftsOf, unitRow, type AssignmentRow, type ShiftRow, type TrackRow, type UnitRow } from './store.js';
import { ASSIGNED_STATUSES, canUnitTransition, rosterStatus, type UnitStatus } from './domain/unit-status.js';
import { onDuty, type Shift } from './domain/roster.js';
import { isStale, keepInTrack, type TrackPoint } from './domain/track.js';
import { eligibility, matchedCapabilities, rankRecommendations, type RankInput, type Recommendation } from './domain/recommend.js';
import { dueAlerts, type AlertKind } from './domain/alerts.js';

/** The token scope of AVL gateways and vehicle terminals: report unit positions (declared in index.ts). */
export const AVL_SCOPE = 'avl:write';

export const UNIT_KINDS = ['patrol_car', 'motorcycle', 'foot', 'traffic', 'min_combat_unit', 'community'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface DispatchConfig {
  /** An assignment not acknowledged within this many seconds raises an alert (default 60). */
  ackTimeoutS: number;
  /** A P1 incident without any unit this long after it was recorded raises an alert (default 60). */
  p1UnassignedS: number;
  /** An alert nobody acknowledged for this long is escalated to the commander (default 60). */
  escalateAfterS: number;
  /** A position older than this is stale: recommend from the home point (default 120). */
  staleAfterS: number;
  /** Days the thinned track is kept (default 90). */
  trackRetentionDays: number;
  /** A station-based ETA (no recent position) is ranked this many seconds slower (default 180). */
  stationEstimatePenaltyS?: number;
  /** Whether the crew's clearing closes the incident, per station (SHOUWANG_CLOSE_ON_CLEAR; default: the station reviews). */
  closeOnClear?: CloseRules;
}

export const DEFAULT_DISPATCH_CONFIG: DispatchConfig = { ackTimeoutS: 60, p1UnassignedS: 60, escalateAfterS: 60, staleAfterS: 120, trackRetentionDays: 90 };

/** Reads the dispatch settings from the environment (SHOUWANG_DISPATCH_*). */
export function dispatchConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DispatchConfig {
  const n = (name: string, dflt: number) => {
    const v = Number(env[name]);
    return env[name] !== undefined && Number.isFinite(v) && v > 0 ? v : dflt;
  };
  return {
    ackTimeoutS: n('SHOUWANG_DISPATCH_ACK_TIMEOUT_S', 60),
    p1UnassignedS: n('SHOUWANG_DISPATCH_P1_UNASSIGNED_S', 60),
    escalateAfterS: n('SHOUWANG_DISPATCH_ESCALATE_AFTER_S', 60),
    staleAfterS: n('SHOUWANG_DISPATCH_STALE_AFTER_S', 120),
    trackRetentionDays: n('SHOUWANG_TRACK_RETENTION_DAYS', 90),
    stationEstimatePenaltyS: n('SHOUWANG_DISPATCH_STATION_ESTIMATE_PENALTY_S', 180),
    closeOnClear: parseCloseRules(env.SHOUWANG_CLOSE_ON_CLEAR),
  };
}

export interface DispatchServiceOptions {
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
  /** The clock (tests drive it). */
  now?: () => Date;
  /**
   * The bus's `subscribe` (events of every instance, ours included). With it the service applies the
   * unit_status, unit_position and assignment events of other instances to its memory, so several
   * instances serving one city converge. Without it the service sees only its own writes.
   */
  subscribe?: (handler: (e: SequencedEvent) => void) => () => void;
  /** Tags our events (`data.origin`) so that we skip them when they come back (default: a random id). */
  instanceId?: string;
  /** Where a failed refresh from the bus is reported. */
  log?: (err: unknown, msg: string) => void;
}

/**
 * The mark of the MQTT subscriber (mqtt.ts), the one trusted AVL feed (the broker's ACL decides who
 * publishes). Trust is this explicit value, never a missing principal: nothing on HTTP can hold it.
 */
export const MQTT_FEED: unique symbol = Symbol('shouwang.avl.mqtt-feed');

export interface PositionReport {
  unitId: string;
  lon: number;
  lat: number;
  at?: string | number | Date;
  speed?: number;
  heading?: number;
}

export interface UnitInput {
  id?: string;
  callSign: string;
  kind: UnitKind;
  stationId: string;
  members?: string[];
  memberUserIds?: string[];
  capabilities?: string[];
  home: [number, number];
  active?: boolean;
}

interface LivePosition {
  lon: number;
  lat: number;
  at: number;
  speed: number | null;
  heading: number | null;
  snap: SnapResult | null;
}

interface ActiveAssignment {
  id: string;
  incidentId: string;
  status: string;
  priority: string;
  assignedAt: Date;
}

interface UnitState {
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

/** What a recommendation needs of an incident, kept in memory (refreshed on change, on miss, after a minute). */
interface CachedIncident {
  row: IncidentRow;
  at: number;
}

const INCIDENT_CACHE_MS = 60_000;
const INCIDENT_CACHE_MAX = 5_000;
const CATEGORY_CACHE_MS = 60_000;

/** Roles that need the crew's names; everyone else sees them masked (张**). */
const NAME_ROLES: Role[] = ['dispatcher', 'chief', 'officer', 'admin'];
const COMMAND_ROLES: Role[] = ['dispatcher', 'chief'];
const INCIDENT_ORDER: IncidentStatus[] = ['new', 'dispatched', 'en_route', 'on_scene', 'cleared', 'closed'];

export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}

const FUTURE_TOLERANCE_MS = 60_000;

export class DispatchService {
  readonly config: DispatchConfig;
  private readonly db: Db;
  private readonly roads: RoadService;
  private readonly incidents: IncidentService;
  private readonly categories: CategoryStore;
  private readonly org: JurisdictionIndex;
  private readonly publish: (e: BusEvent) => void;
  private readonly writes: Writes;
  private readonly now: () => Date;
  private readonly state = new Map<string, UnitState>();
  private readonly byCallSign = new Map<string, string>();
  private paths = new Map<string, string>();
  private rootPath = '/';
  private pendingTrack: TrackRow[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private capsCache: { at: number; map: Map<string, string[]> } | null = null;
  private capsLoading: Promise<void> | null = null;
  private readonly incidentCache = new Map<string, CachedIncident>();
  /** Bumped on every incident invalidation: a lookup that raced with one does not fill the cache. */
  private incidentGen = 0;
  readonly instanceId: string;
  private readonly log: (err: unknown, msg: string) => void;
  private unsubscribe: (() => void) | null = null;
  private readonly refreshChain = new Map<string, Promise<void>>();
  private incidentSnaps = new Map<string, { lon: number; lat: number; snap: SnapResult | null }>();
  private timers: NodeJS.Timeout[] = [];
  private ready: Promise<void> | null = null;
  private ticking = false;

  constructor(opts: DispatchServiceOptions) {
    this.db = opts.db;
    this.roads = opts.roads;
    this.incidents = opts.incidents;
    this.categories = opts.categories;
    this.org = opts.org;
    this.publish = opts.publish;
    this.writes = opts.writes;
    this.config = { ...DEFAULT_DISPATCH_CONFIG, ...opts.config };
    this.now = opts.now ?? (() => new Date());
    this.instanceId = opts.instanceId ?? randomUUID();
    this.log = opts.log ?? (() => {});
    if (opts.subscribe) this.unsubscribe = opts.subscribe((e) => this.onBusEvent(e));
  }

  // ------------------------------------------------------------------ state

  /** Loads units, roster, latest positions and open assignments into memory (idempotent). */
  init(): Promise<void> {
    this.ready ??= this.load();
    return this.ready;
  }

  /** Re-reads everything from the database (after seeding, or another instance's writes). */
  async reload(): Promise<void> {
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

  private putUnit(row: UnitRow): UnitState {
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

  /** A unit by id or call sign (MQTT topics may use either). */
  resolveUnitId(idOrCallSign: string): string | undefined {
    return this.state.has(idOrCallSign) ? idOrCallSign : this.byCallSign.get(idOrCallSign);
  }

  // ------------------------------------------------------------------ several instances (bus)

  /**
   * An event from the bus. Our own (data.origin) are skipped. Unit status and assignment changes of
   * another instance reload the unit (row, current assignment, shifts) from the shared database — the
   * committed truth, whatever order the events arrive in; positions are applied from the event itself.
   * Incident events (any instance) invalidate the incident cache of the recommendation.
   */
  private onBusEvent(e: SequencedEvent) {
    const data = (e.data ?? {}) as { origin?: string; unitId?: string; lon?: number; lat?: number; at?: string; speed?: number | null; heading?: number | null; incident?: { version?: number } };
    if (e.type === 'incident') {
      this.invalidateIncident(e.key, data.incident?.version);
      return;
    }
    if (data.origin === this.instanceId || !this.ready) return; // not loaded yet: load() reads everything
    if (e.type === 'unit_position') {
      if (data.unitId && typeof data.lon === 'number' && typeof data.lat === 'number' && data.at) this.applyPeerPosition(data.unitId, data.lon, data.lat, Date.parse(data.at), data.speed ?? null, data.heading ?? null);
    } else if (e.type === 'unit_status') {
      void this.refreshUnit(e.key);
    } else if (e.type === 'assignment' && data.unitId) {
      void this.refreshUnit(data.unitId);
    }
  }

  private applyPeerPosition(unitId: string, lon: number, lat: number, at: number, speed: number | null, heading: number | null) {
    const st = this.state.get(unitId);
    if (!st || !Number.isFinite(at)) return;
    // The peer wrote the point to the track if the rule kept it; following the same rule here keeps
    // thinning the same when one unit's reports arrive at different instances.
    const point = { lon, lat, at };
    if (keepInTrack(st.lastKept ?? undefined, point)) st.lastKept = point;
    if (st.pos && at <= st.pos.at) return;
    st.pos = { lon, lat, at, speed, heading, snap: this.roads.snap(lon, lat) };
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
  private async readUnit(db: Db, id: string): Promise<void> {
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

  get unitCount(): number {
    return this.state.size;
  }

  private systemPrincipal(username = 'system'): Principal {
    return { kind: 'token', id: 'system', username, displayName: '系统', roles: ['system'] as unknown as Role[], unitId: this.rootPath.split('/').filter(Boolean)[0] ?? 'system', unitPath: this.rootPath, unitKind: 'bureau', scopes: [] };
  }

  private visible(p: Principal, id: string): UnitState {
    const st = this.state.get(id);
    if (!st || !coversUnit(p, st.stationPath)) throw notFound('unit');
    return st;
  }

  private isMember(p: Principal, st: UnitState): boolean {
    return p.kind === 'user' && st.row.memberUserIds.includes(p.id);
  }

  /** The crew of the unit, or command roles whose jurisdiction covers it. */
  private mayActFor(p: Principal, st: UnitState): boolean {
    if (this.isMember(p, st)) return true;
    return p.roles.some((r) => COMMAND_ROLES.includes(r)) && coversUnit(p, st.stationPath);
  }

  private stationPath(stationId: string): string {
    return this.paths.get(stationId) ?? `${this.rootPath}${stationId}/`;
  }

  /**
   * Runs the checks of a command on the units in memory; when they refuse, the memory may be behind
   * another instance's write (its event not applied yet): re-read those units and check once more.
   */
  private async validated<T>(db: Db, check: () => T, unitIds: string[]): Promise<T> {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      for (const id of unitIds) await this.readUnit(db, id);
      return check();
    }
  }

  // ------------------------------------------------------------------ views

  unitView(st: UnitState, p: Principal | null) {
    const now = this.now().getTime();
    const r = st.row;
    const names = p && NAME_ROLES.some((x) => p.roles.includes(x));
    const stale = isStale(st.pos?.at, now, this.config.staleAfterS);
    return {
      id: r.id,
      callSign: r.callSign,
      kind: r.kind,
      stationId: r.stationId,
      members: names ? r.members : r.members.map(maskName),
      memberUserIds: r.memberUserIds,
      capabilities: r.capabilities,
      home: [r.homeLon, r.homeLat] as [number, number],
      status: r.status,
      statusAt: r.statusAt.toISOString(),
      onDuty: onDuty(st.shifts, new Date(now)),
      position: st.pos ? { lon: st.pos.lon, lat: st.pos.lat, at: new Date(st.pos.at).toISOString(), speed: st.pos.speed, heading: st.pos.heading, snapped: st.pos.snap ? { lon: st.pos.snap.lon, lat: st.pos.snap.lat } : null } : null,
      positionAgeSeconds: st.pos ? Math.max(0, Math.round((now - st.pos.at) / 1000)) : null,
      stale,
      currentAssignment: st.assignment ? { id: st.assignment.id, incidentId: st.assignment.incidentId, status: st.assignment.status, priority: st.assignment.priority, assignedAt: st.assignment.assignedAt.toISOString() } : null,
      active: r.active,
    };
  }

  /** What goes on the bus: the unit without the crew's names. */
  private publicUnit(st: UnitState) {
    const { members: _members, memberUserIds: _ids, ...rest } = this.unitView(st, null);
    return rest;
  }

  assignmentView(a: AssignmentRow) {
    const st = this.state.get(a.unitId);
    return {
      id: a.id,
      incidentId: a.incidentId,
      unitId: a.unitId,
      callSign: st?.row.callSign ?? null,
      stationId: a.stationId,
      priority: a.priority,
      status: a.status,
      etaSeconds: a.etaSeconds,
      assignedAt: a.assignedAt.toISOString(),
      assignedBy: a.assignedBy,
      ackAt: a.ackAt?.toISOString() ?? null,
      enRouteAt: a.enRouteAt?.toISOString() ?? null,
      onSceneAt: a.onSceneAt?.toISOString() ?? null,
      clearedAt: a.clearedAt?.toISOString() ?? null,
      cancelledAt: a.cancelledAt?.toISOString() ?? null,
      cancelReason: a.cancelReason,
    };
  }

  alertView(a: typeof dispatchAlerts.$inferSelect) {
    return {
      id: a.id,
      kind: a.kind,
      level: a.level,
      status: a.status,
      message: a.message,
      incidentId: a.incidentId,
      assignmentId: a.assignmentId,
      unitId: a.unitId,
      stationId: a.stationId,
      raisedAt: a.raisedAt.toISOString(),
      escalatedAt: a.escalatedAt?.toISOString() ?? null,
      ackedAt: a.ackedAt?.toISOString() ?? null,
      ackedBy: a.ackedBy,
    };
  }

  /** Stages an event with the write (outbox): it goes out once the write has committed, or never. */
  private emit(w: Write, type: BusEvent['type'], unitPath: string | null, key: string, data: object) {
    const event = 'event' in data && typeof data.event === 'string' ? data.event : type;
    w.emit({ topic: type, key, event, unitPath, data: { ...data, origin: this.instanceId } });
  }

  /** Positions are telemetry, not writes: superseded within seconds, they go straight to the bus. */
  private emitPosition(unitPath: string, key: string, data: object) {
    try {
      this.publish({ type: 'unit_position', unitPath, key, at: this.now().toISOString(), data: { ...data, origin: this.instanceId } });
    } catch {
      // the bus must never break the position feed
    }
  }

  // ------------------------------------------------------------------ units

  async list(p: Principal, q: { stationId?: string; status?: string[]; kind?: string } = {}) {
    await this.init();
    const items = [...this.state.values()]
      .filter((st) => coversUnit(p, st.stationPath))
      .filter((st) => !q.stationId || st.row.stationId === q.stationId)
      .filter((st) => !q.status?.length || q.status.includes(st.row.status))
      .filter((st) => !q.kind || st.row.kind === q.kind)
      .sort((a, b) => (a.row.stationId === b.row.stationId ? (a.row.callSign < b.row.callSign ? -1 : 1) : a.row.stationId < b.row.stationId ? -1 : 1))
      .map((st) => this.unitView(st, p));
    return { items, total: items.length };
  }

  async get(p: Principal, id: string) {
    await this.init();
    if (!this.state.has(id)) await this.refreshUnit(id); // created on another instance, event not applied yet
    return this.unitView(this.visible(p, id), p);
  }

  create(p: Principal, input: UnitInput, write?: Write) {
    return this.init().then(() => this.writes.within(write, (w) => this.createIn(w, p, input)));
  }

  private async createIn(w: Write, p: Principal, input: UnitInput) {
        const stationPath = this.paths.get(input.stationId) ?? (await this.org.paths()).paths.get(input.stationId);
    if (!stationPath || !coversUnit(p, stationPath)) throw new AppError(400, 'invalid_value', { field: 'stationId', detail: 'no such station in your jurisdiction' }, 'stationId');
    await this.checkCrew(w.tx, stationPath, input.memberUserIds);
    if (this.byCallSign.has(input.callSign)) throw new AppError(409, 'duplicate', { field: 'callSign' }, 'callSign');
    const id = input.id ?? randomUUID();
    if (this.state.has(id)) throw new AppError(409, 'duplicate', { field: 'id' }, 'id');
    this.paths.set(input.stationId, stationPath);
    const now = this.now();
    const [row] = await w.tx
      .insert(units)
      .values({ id, callSign: input.callSign, kind: input.kind, stationId: input.stationId, members: input.members ?? [], memberUserIds: input.memberUserIds ?? [], capabilities: input.capabilities ?? [], homeLon: input.home[0], homeLat: input.home[1], status: 'off_duty', statusAt: now, active: input.active ?? true })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new AppError(409, 'duplicate', { field: 'callSign' }, 'callSign');
    await w.tx.insert(unitStatusEvents).values({ unitId: id, at: now, fromStatus: null, toStatus: 'off_duty', userId: p.kind === 'user' ? p.id : null, username: p.username, note: 'created' });
    const st = this.putUnit(row);
    this.emit(w, 'unit_status', st.stationPath, id, this.publicUnit(st));
    return this.unitView(st, p);
  }

  update(p: Principal, id: string, patch: Partial<Omit<UnitInput, 'id'>>, write?: Write) {
    return this.init().then(() => this.writes.within(write, (w) => this.updateIn(w, p, id, patch)));
  }

  private async updateIn(w: Write, p: Principal, id: string, patch: Partial<Omit<UnitInput, 'id'>>) {
        const st = this.visible(p, id);
    const set: Partial<typeof units.$inferInsert> = { updatedAt: this.now() };
    if (patch.callSign !== undefined && patch.callSign !== st.row.callSign) {
      if (this.byCallSign.has(patch.callSign)) throw new AppError(409, 'duplicate', { field: 'callSign' }, 'callSign');
      set.callSign = patch.callSign;
    }
    if (patch.stationId !== undefined && patch.stationId !== st.row.stationId) {
      const path = this.paths.get(patch.stationId) ?? (await this.org.paths()).paths.get(patch.stationId);
      if (!path || !coversUnit(p, path)) throw new AppError(400, 'invalid_value', { field: 'stationId', detail: 'no such station in your jurisdiction' }, 'stationId');
      this.paths.set(patch.stationId, path);
      set.stationId = patch.stationId;
    }
    if (patch.memberUserIds !== undefined || set.stationId) await this.checkCrew(w.tx, this.stationPath(set.stationId ?? st.row.stationId), patch.memberUserIds ?? st.row.memberUserIds);
    if (patch.kind !== undefined) set.kind = patch.kind;
    if (patch.members !== undefined) set.members = patch.members;
    if (patch.memberUserIds !== undefined) set.memberUserIds = patch.memberUserIds;
    if (patch.capabilities !== undefined) set.capabilities = patch.capabilities;
    if (patch.home !== undefined) [set.homeLon, set.homeLat] = patch.home;
    if (patch.active !== undefined) set.active = patch.active;
    const [row] = await w.tx.update(units).set(set).where(eq(units.id, id)).returning();
    if (!row.active) {
      this.state.delete(id);
      this.byCallSign.delete(row.callSign);
      return { ...this.unitView({ ...st, row }, p) };
    }
    const next = this.putUnit(row);
    this.emit(w, 'unit_status', next.stationPath, id, this.publicUnit(next));
    return this.unitView(next, p);
  }

  /** A crew signs in as the unit (mayActFor): only existing accounts of the unit's own station. */
  private async checkCrew(db: Db, stationPath: string, userIds: readonly string[] | undefined) {
    const outsider = userIds && (await firstOutsider(db, stationPath, userIds));
    if (outsider) throw new AppError(400, 'invalid_value', { field: 'memberUserIds', detail: `${outsider} is no user of the unit’s station` }, 'memberUserIds');
  }

  // ------------------------------------------------------------------ roster

  async shifts(p: Principal, id: string, from?: Date) {
    await this.init();
    this.visible(p, id);
    const rows = await shiftsOf(this.db, id, from ?? new Date(this.now().getTime() - 86_400_000));
    return { items: rows.map(shiftView) };
  }

  addShift(p: Principal, id: string, s: { startsAt: Date; endsAt: Date; note?: string }, write?: Write) {
    return this.init().then(() => this.writes.within(write, (w) => this.addShiftIn(w, p, id, s)));
  }

  private async addShiftIn(w: Write, p: Principal, id: string, s: { startsAt: Date; endsAt: Date; note?: string }) {
        const st = this.visible(p, id);
    if (s.endsAt.getTime() <= s.startsAt.getTime()) throw new AppError(400, 'invalid_value', { field: 'end', detail: 'the shift must end after it starts' }, 'end');
    if (s.endsAt.getTime() - s.startsAt.getTime() > 24 * 3_600_000) throw new AppError(400, 'out_of_range', { field: 'end', detail: 'a shift lasts at most 24 hours' }, 'end');
    const overlap = st.shifts.some((x) => x.startsAt < s.endsAt && s.startsAt < x.endsAt);
    if (overlap) throw new AppError(409, 'conflict', { detail: 'the shift overlaps another shift of this unit' }, 'start');
    const [row] = await w.tx
      .insert(unitShifts)
      .values({ id: randomUUID(), unitId: id, day: localDay(s.startsAt), startsAt: s.startsAt, endsAt: s.endsAt, note: s.note ?? null, createdBy: p.username })
      .returning();
    st.shifts.push({ startsAt: row.startsAt, endsAt: row.endsAt });
    const before = st.row.status;
    await this.applyRoster(w, st, this.now());
    // onDuty changed even when the status did not: other instances re-read the unit and its shifts.
    if (st.row.status === before) this.emit(w, 'unit_status', st.stationPath, st.row.id, this.publicUnit(st));
    return shiftView(row);
  }

  /** Moves idle units on or off duty as their shifts start and end. */
  async applyRosterAll(now = this.now()) {
    for (const st of this.state.values()) {
      try {
        if (rosterStatus(st.row.status as UnitStatus, onDuty(st.shifts, now))) await this.writes.run((w) => this.applyRoster(w, st, now));
        else st.shifts = st.shifts.filter((s) => s.endsAt.getTime() > now.getTime() - 86_400_000);
      } catch (err) {
        // Another instance moved the unit first (every instance runs the roster): changeStatus has
        // re-read it; go on with the other units.
        if (!(err instanceof AppError && err.status === 409)) throw err;
      }
    }
  }

  private async applyRoster(w: Write, st: UnitState, now: Date) {
    const to = rosterStatus(st.row.status as UnitStatus, onDuty(st.shifts, now));
    if (to) await this.changeStatus(w, st, to, this.systemPrincipal('roster'), { note: to === 'available' ? '上班（排班）' : '下班（排班）' });
    st.shifts = st.shifts.filter((s) => s.endsAt.getTime() > now.getTime() - 86_400_000);
  }

  /** Writes a status change (conditional on the status we saw) with its event row, and publishes it. */
  /**
   * Writes a status change (conditional on the status we saw) with its event row, as part of `w`; the
   * unit in memory follows at once and is read again should the write roll back.
   */
  private async changeStatus(w: Write, st: UnitState, to: UnitStatus, p: Principal, opts: { note?: string; assignmentId?: string | null; incidentId?: string | null; currentAssignmentId?: string | null } = {}) {
    const now = this.now();
    const from = st.row.status;
    const set: Partial<typeof units.$inferInsert> = { status: to, statusAt: now, updatedAt: now };
    if (opts.currentAssignmentId !== undefined) set.currentAssignmentId = opts.currentAssignmentId;
    const [row] = await w.tx.update(units).set(set).where(and(eq(units.id, st.row.id), eq(units.status, from))).returning();
    if (!row) {
      const [fresh] = await w.tx.select().from(units).where(eq(units.id, st.row.id));
      if (fresh) st.row = fresh;
      st.gen++;
      throw new AppError(409, 'conflict', { detail: `unit status changed meanwhile (now ${st.row.status})` }, 'status');
    }
    await w.tx.insert(unitStatusEvents).values({ unitId: st.row.id, at: now, fromStatus: from, toStatus: to, incidentId: opts.incidentId ?? null, assignmentId: opts.assignmentId ?? null, userId: p.kind === 'user' ? p.id : null, username: p.username, note: opts.note ?? null });
    st.row = row;
    st.gen++;
    this.undoOnRollback(w, st.row.id);
    this.emit(w, 'unit_status', st.stationPath, st.row.id, this.publicUnit(st));
  }

  /** Memory changed inside a write that then rolled back: read the unit again from the database. */
  private undoOnRollback(w: Write, unitId: string) {
    w.onRollback(() => {
      const st = this.state.get(unitId);
      if (st) st.gen++;
      void this.refreshUnit(unitId);
    });
  }

  async statusEvents(p: Principal, id: string, limit = 50) {
    await this.init();
    this.visible(p, id);
    const rows = await this.db.select().from(unitStatusEvents).where(eq(unitStatusEvents.unitId, id)).orderBy(desc(unitStatusEvents.at), desc(unitStatusEvents.id)).limit(limit);
    return { items: rows.map((e) => ({ at: e.at.toISOString(), fromStatus: e.fromStatus, toStatus: e.toStatus, incidentId: e.incidentId, assignmentId: e.assignmentId, username: e.username, note: e.note })) };
  }

  // ------------------------------------------------------------------ positions (AVL)

  /**
   * Accepts position reports: the latest per unit in memory (snapped once here), a thinned track queued
   * for a batched insert, a unit_position event per accepted report. From a principal (HTTP), only for
   * units it may report for; from MQTT_FEED, for any unit. Returns what was accepted and why the rest was not.
   */
  async reportPositions(source: Principal | typeof MQTT_FEED, reports: readonly PositionReport[]) {
    if (source !== MQTT_FEED && !source) throw new AppError(401, 'unauthenticated');
    const p = source === MQTT_FEED ? null : source;
    await this.init();
    const now = this.now().getTime();
    const oldest = now - this.config.trackRetentionDays * 86_400_000;
    const rejected: { index: number; unitId: string; code: string }[] = [];
    let accepted = 0;
    for (let i = 0; i < reports.length; i++) {
      const r = reports[i];
      const st = this.state.get(r.unitId);
      if (!st || (p && !this.mayReportFor(p, st) && !coversUnit(p, st.stationPath))) {
        rejected.push({ index: i, unitId: r.unitId, code: 'unknown_unit' });
        continue;
      }
      if (p && !this.mayReportFor(p, st)) {
        rejected.push({ index: i, unitId: r.unitId, code: 'forbidden' });
        continue;
      }
      const at = r.at === undefined ? now : r.at instanceof Date ? r.at.getTime() : typeof r.at === 'number' ? r.at : Date.parse(r.at);
      if (!Number.isFinite(at) || at > now + FUTURE_TOLERANCE_MS || at < oldest) {
        rejected.push({ index: i, unitId: r.unitId, code: 'bad_time' });
        continue;
      }
      if (!(Math.abs(r.lon) <= 180 && Math.abs(r.lat) <= 90)) {
        rejected.push({ index: i, unitId: r.unitId, code: 'bad_position' });
        continue;
      }
      accepted++;
      const point = { lon: r.lon, lat: r.lat, at };
      if (keepInTrack(st.lastKept ?? undefined, point)) {
        st.lastKept = point;
        this.pendingTrack.push({ unitId: st.row.id, at: new Date(at), lon: r.lon, lat: r.lat, speed: r.speed ?? null, heading: r.heading ?? null });
      }
      // A late report (older than the latest we hold) goes to the track only.
      if (st.pos && at < st.pos.at) continue;
      const snap = this.roads.snap(r.lon, r.lat);
      st.pos = { lon: r.lon, lat: r.lat, at, speed: r.speed ?? null, heading: r.heading ?? null, snap };
      this.emitPosition(st.stationPath, st.row.id, { unitId: st.row.id, callSign: st.row.callSign, status: st.row.status, lon: r.lon, lat: r.lat, at: new Date(at).toISOString(), speed: r.speed ?? null, heading: r.heading ?? null });
    }
    return { accepted, rejected };
  }

  private mayReportFor(p: Principal, st: UnitState): boolean {
    if (p.kind === 'token') return p.scopes.includes(AVL_SCOPE) && coversUnit(p, st.stationPath);
    return this.mayActFor(p, st);
  }

  /** Writes the queued track rows (called after a batch request and every few seconds). */
  flushTrack(): Promise<void> {
    const next = this.flushing.then(async () => {
      if (!this.pendingTrack.length) return;
      const rows = this.pendingTrack;
      this.pendingTrack = [];
      await insertTrack(this.db, rows);
    });
    this.flushing = next.catch(() => {});
    return next;
  }

  /** Deletes track rows older than the retention. */
  purgeTrack(now = this.now()): Promise<number> {
    return purgeTrack(this.db, new Date(now.getTime() - this.config.trackRetentionDays * 86_400_000));
  }

  // ------------------------------------------------------------------ recommendation

  /**
   * Capabilities a category asks for. Read once, then refreshed in the background every minute (a
   * recommendation never waits for it), and at once for a category we do not know yet.
   */
  private async categoryCapabilities(code: string): Promise<string[]> {
    const t = Date.now();
    const c = this.capsCache;
    if (!c || (!c.map.has(code) && t - c.at > 1_000)) await this.loadCategories();
    else if (t - c.at > CATEGORY_CACHE_MS) void this.loadCategories().catch((err) => this.log(err, 'dispatch: reading categories failed'));
    return this.capsCache?.map.get(code) ?? [];
  }

  private loadCategories(): Promise<void> {
    this.capsLoading ??= (async () => {
      try {
        const all = await this.categories.all();
        this.capsCache = { at: Date.now(), map: new Map([...all.values()].map((r) => [r.code, r.capabilities])) };
      } finally {
        this.capsLoading = null;
      }
    })();
    return this.capsLoading;
  }

  /**
   * The incident for a recommendation or a route: from memory when we hold it (kept fresh by
   * onIncidentChange and by incident events from the bus, at most a minute old) and the caller's
   * jurisdiction covers it; otherwise from the database (which also answers 404 out of jurisdiction).
   */
  private async cachedIncident(p: Principal, id: string): Promise<IncidentRow> {
    const c = this.incidentCache.get(id);
    if (c && Date.now() - c.at < INCIDENT_CACHE_MS && this.mayReadIncident(p, c.row)) return c.row;
    const gen = this.incidentGen;
    const row = await this.incidents.get(p, id);
    if (gen === this.incidentGen) this.cacheIncident(row);
    return row;
  }

  /** Same rule as the incidents' SQL scope (station or grid inside the caller's unit); unknown org units → no. */
  private mayReadIncident(p: Principal, row: IncidentRow): boolean {
    if (seesEverything(p)) return true;
    const station = this.paths.get(row.stationId);
    if (station && coversUnit(p, station)) return true;
    const grid = row.gridId ? this.paths.get(row.gridId) : undefined;
    return grid !== undefined && coversUnit(p, grid);
  }

  private cacheIncident(row: IncidentRow) {
    const c = this.incidentCache.get(row.id);
    if (c && c.row.version > row.version) return;
    if (!c && this.incidentCache.size >= INCIDENT_CACHE_MAX) this.incidentCache.clear();
    this.incidentCache.set(row.id, { row, at: Date.now() });
  }

  /** An incident changed (event from any instance): drop our copy unless it is already that version. */
  private invalidateIncident(id: string, version?: number) {
    const c = this.incidentCache.get(id);
    if (c && version !== undefined && c.row.version >= version) return;
    this.incidentGen++;
    this.incidentCache.delete(id);
  }

  private incidentSnap(inc: IncidentRow): SnapResult | null {
    if (inc.lon === null || inc.lat === null) return null;
    const c = this.incidentSnaps.get(inc.id);
    if (c && c.lon === inc.lon && c.lat === inc.lat) return c.snap;
    const snap = this.roads.snap(inc.lon, inc.lat);
    if (this.incidentSnaps.size > 5000) this.incidentSnaps.clear();
    this.incidentSnaps.set(inc.id, { lon: inc.lon, lat: inc.lat, snap });
    return snap;
  }

  /** Units to send, quickest by road first (one many-to-one search over pre-snapped positions). */
  async recommend(p: Principal, incidentId: string, opts: { limit?: number } = {}): Promise<Recommendation[]> {
    await this.init();
    const inc = await this.cachedIncident(p, incidentId);
    return this.recommendFor(p, inc, opts);
  }

  async recommendFor(p: Principal, inc: IncidentRow, opts: { limit?: number } = {}): Promise<Recommendation[]> {
    const target = this.incidentSnap(inc);
    if (!target) throw new AppError(409, 'conflict', { detail: 'the incident has no location on the road network' }, 'location');
    const required = await this.categoryCapabilities(inc.categoryCode);
    const now = this.now();
    const nowMs = now.getTime();
    type Cand = { st: UnitState; diverting: boolean; stale: boolean; matched: string[]; capOk: boolean };
    const cands: Cand[] = [];
    for (const st of this.state.values()) {
      if (!coversUnit(p, st.stationPath)) continue;
      const el = eligibility({ status: st.row.status, onDuty: onDuty(st.shifts, now), capabilities: st.row.capabilities, currentIncidentPriority: st.assignment?.priority }, inc.priority);
      if (!el) continue;
      if (st.assignment?.incidentId === inc.id) continue;
      const m = matchedCapabilities(st.row.capabilities, required);
      cands.push({ st, diverting: el === 'divertible', stale: isStale(st.pos?.at, nowMs, this.config.staleAfterS) || !st.pos?.snap, matched: m.matched, capOk: m.ok });
    }
    // Every candidate: the response plan needs general units too (domain/recommend.ts decides who matches).
    const chosen = cands;
    const sources = chosen.map((c) => (c.stale ? c.st.homeSnap : c.st.pos!.snap));
    const eta = this.roads.etaFromSnapped(target, sources);
    const items: RankInput[] = chosen.map((c, i) => ({
      unitId: c.st.row.id,
      callSign: c.st.row.callSign,
      kind: c.st.row.kind,
      status: c.st.row.status,
      etaSeconds: eta.seconds[i],
      distanceMeters: eta.distanceMeters[i],
      positionAgeSeconds: c.st.pos ? Math.max(0, Math.round((nowMs - c.st.pos.at) / 1000)) : null,
      stale: c.stale,
      diverting: c.diverting,
      divertingFromPriority: c.st.assignment?.priority ?? null,
      capabilities: c.st.row.capabilities,
    }));
    return rankRecommendations(items, { limit: opts.limit ?? 20, required, stationEstimatePenaltyS: this.config.stationEstimatePenaltyS });
  }

  /** The road route of one unit to the incident as a GeoJSON Feature (LineString). */
  async route(p: Principal, incidentId: string, unitId: string) {
    await this.init();
    const inc = await this.cachedIncident(p, incidentId);
    const st = this.state.get(unitId);
    if (!st || (!coversUnit(p, st.stationPath) && !this.isMember(p, st))) throw new AppError(404, 'not_found', { entity: 'unit' }, 'unitId');
    const target = this.incidentSnap(inc);
    if (!target) throw new AppError(409, 'conflict', { detail: 'the incident has no location on the road network' }, 'location');
    const stale = isStale(st.pos?.at, this.now().getTime(), this.config.staleAfterS) || !st.pos?.snap;
    const from = stale ? st.homeSnap : st.pos!.snap;
    const r = this.roads.etaFromSnapped(target, [from], { routeFor: 0 });
    if (!r.route) throw new AppError(409, 'conflict', { detail: 'no road route from the unit to the incident' }, 'unitId');
    return {
      type: 'Feature' as const,
      properties: { incidentId, unitId, callSign: st.row.callSign, seconds: Math.round(r.route.seconds), meters: Math.round(r.route.meters), stale },
      geometry: { type: 'LineString' as const, coordinates: r.route.coordinates },
    };
  }

  // ------------------------------------------------------------------ assignments

  /** Incident transitions caused by unit work: only forward; by the actor when allowed, else the platform. */
  private async advanceIncident(w: Write, actor: Principal, incidentId: string, to: IncidentStatus, extra: { dispositionCode?: string; dispositionNote?: string; reason?: string } = {}) {
    const sys = this.systemPrincipal();
    const inc = await this.incidents.get(sys, incidentId, w.tx);
    const from = inc.status as IncidentStatus;
    const iFrom = INCIDENT_ORDER.indexOf(from);
    if (iFrom < 0 || iFrom >= INCIDENT_ORDER.indexOf(to)) return inc;
    // The actor keeps their identity; the assignment gives them the incident, wherever it lies.
    const acting = canTransition(from, to, actor.roles, extra).ok ? { ...actor, unitPath: this.rootPath } : canTransition(from, to, ['system'], extra).ok ? sys : null;
    if (!acting) return inc;
    return this.incidents.transition(acting, incidentId, { to, ...extra }, w);
  }

  private async activeOfIncident(w: Write, incidentId: string): Promise<AssignmentRow[]> {
    return w.tx.select().from(assignments).where(and(eq(assignments.incidentId, incidentId), inArray(assignments.status, [...ACTIVE_ASSIGNMENT_STATUSES])));
  }

  assign(p: Principal, incidentId: string, unitIds: string[], write?: Write) {
    return this.init().then(() => this.writes.within(write, (w) => this.assignIn(w, p, incidentId, unitIds)));
  }

  private async assignIn(w: Write, p: Principal, incidentId: string, unitIds: string[]) {
        const inc = await this.incidents.get(p, incidentId, w.tx);
    if (!['new', 'dispatched', 'en_route', 'on_scene'].includes(inc.status)) throw new AppError(409, 'illegal_transition', { from: inc.status, to: 'dispatched' }, 'incidentId');
    const unique = [...new Set(unitIds)];
    const states = await this.validated(w.tx, () => unique.map((id) => this.assignable(p, inc, id, 'unitIds')), unique);
    const created: AssignmentRow[] = [];
    for (const st of states) {
      if (st.assignment) await this.cancelAssignmentIn(w, this.systemPrincipal(p.username), st.assignment.id, `改派至P1警情 ${inc.number}`, { keepUnit: true });
      const now = this.now();
      const etaS = this.etaOf(st, inc);
      const [a] = await w.tx
        .insert(assignments)
        .values({ id: randomUUID(), incidentId, unitId: st.row.id, stationId: inc.stationId, priority: inc.priority, status: 'assigned', etaSeconds: etaS, assignedAt: now, assignedBy: p.username })
        .returning();
      try {
        await this.changeStatus(w, st, 'dispatched', p, { assignmentId: a.id, incidentId, currentAssignmentId: a.id, note: `派警 ${inc.number}` });
      } catch (err) {
        await w.tx.update(assignments).set({ status: 'cancelled', cancelledAt: now, cancelReason: 'unit status changed meanwhile' }).where(eq(assignments.id, a.id));
        throw err;
      }
      st.assignment = toActive(a);
      st.gen++;
      created.push(a);
      this.emit(w, 'assignment', this.stationPath(inc.stationId), incidentId, { event: 'assigned', ...this.assignmentView(a) });
    }
    await this.advanceIncident(w, p, incidentId, 'dispatched');
    await this.resolveAlerts(w, 'p1_unassigned', incidentId);
    return { items: created.map((a) => this.assignmentView(a)) };
  }

  /** The unit, when it may be sent to the incident now; else the refusal, naming `field`. */
  private assignable(p: Principal, inc: IncidentRow, id: string, field: string): UnitState {
    const st = this.state.get(id);
    if (!st || !coversUnit(p, st.stationPath)) throw new AppError(400, 'invalid_value', { field, detail: `no unit ${id} in your jurisdiction` }, field);
    if (st.assignment?.incidentId === inc.id) throw new AppError(409, 'conflict', { detail: `${st.row.callSign} is already assigned to this incident` }, field);
    const divert = inc.priority === 'P1' && st.row.status === 'en_route' && st.assignment && st.assignment.priority !== 'P1';
    if (st.row.status !== 'available' && st.row.status !== 'busy' && !divert) throw new AppError(409, 'conflict', { detail: `${st.row.callSign} is ${st.row.status}` }, field);
    return st;
  }

  private etaOf(st: UnitState, inc: IncidentRow): number | null {
    const target = this.incidentSnap(inc);
    if (!target) return null;
    const stale = isStale(st.pos?.at, this.now().getTime(), this.config.staleAfterS) || !st.pos?.snap;
    const s = this.roads.etaFromSnapped(target, [stale ? st.homeSnap : st.pos!.snap]).seconds[0];
    return s === null ? null : Math.round(s);
  }

  private async assignmentRow(db: Db, p: Principal, id: string): Promise<AssignmentRow> {
    const [a] = await db.select().from(assignments).where(and(eq(assignments.id, id), unitScope(p, assignments.stationId) ?? sql`true`));
    if (a) return a;
    // The crew of the unit sees its own assignments wherever the incident lies.
    const [own] = await db.select().from(assignments).where(eq(assignments.id, id));
    const st = own ? this.state.get(own.unitId) : undefined;
    if (own && st && (this.isMember(p, st) || coversUnit(p, st.stationPath))) return own;
    throw notFound('assignment');
  }

  /** Cancels an assignment; the unit becomes available; an incident left without units is recalled. */
  cancelAssignment(p: Principal, id: string, reason: string, opts: { keepUnit?: boolean } = {}, write?: Write) {
    return this.init().then(() => this.writes.within(write, (w) => this.cancelAssignmentIn(w, p, id, reason, opts)));
  }

  private async cancelAssignmentIn(w: Write, p: Principal, id: string, reason: string, opts: { keepUnit?: boolean } = {}) {
        if (!reason.trim()) throw new AppError(400, 'reason_required', { field: 'reason' }, 'reason');
    const a = await this.assignmentRow(w.tx, p, id);
    if (!(ACTIVE_ASSIGNMENT_STATUSES as readonly string[]).includes(a.status)) throw new AppError(409, 'conflict', { detail: `the assignment is ${a.status}` }, 'id');
    // Made on another instance a moment ago: make sure we hold it, or the unit would not be released.
    if (this.state.get(a.unitId)?.assignment?.id !== id) await this.readUnit(w.tx, a.unitId);
    const now = this.now();
    const [u] = await w.tx
      .update(assignments)
      .set({ status: 'cancelled', cancelledAt: now, cancelReason: reason, cancelledBy: p.username })
      // from any active status: an acknowledgement or a move meanwhile does not make a cancel fail
      .where(and(eq(assignments.id, id), inArray(assignments.status, [...ACTIVE_ASSIGNMENT_STATUSES])))
      .returning();
    if (!u) throw new AppError(409, 'conflict', { detail: 'the assignment changed meanwhile' }, 'id');
    const st = this.state.get(a.unitId);
    if (st?.assignment?.id === id) {
      st.assignment = null;
      st.gen++;
      if (!opts.keepUnit && (ASSIGNED_STATUSES as readonly string[]).includes(st.row.status)) {
        await this.changeStatus(w, st, 'available', this.systemPrincipal(p.username), { assignmentId: id, incidentId: a.incidentId, currentAssignmentId: null, note: `取消派警：${reason}` });
      } else {
        await w.tx.update(units).set({ currentAssignmentId: null }).where(eq(units.id, st.row.id));
        st.row = { ...st.row, currentAssignmentId: null };
        st.gen++;
      }
    }
    this.emit(w, 'assignment', this.stationPath(a.stationId), a.incidentId, { event: 'cancelled', ...this.assignmentView(u) });
    await this.resolveAlerts(w, 'ack_timeout', id);
    if ((await this.activeOfIncident(w, a.incidentId)).length === 0) {
      const inc = await this.incidents.get(this.systemPrincipal(), a.incidentId, w.tx);
      if (inc.status === 'dispatched' || inc.status === 'en_route') await this.incidents.transition(this.systemPrincipal(p.username), a.incidentId, { to: 'new', reason: `所有警力已撤回：${reason}` }, w);
    }
    return this.assignmentView(u);
  }

  /**
   * Replaces the unit of an assignment by another one (cancel + assign). Everything assign() would
   * refuse is refused first, so a refused reassign changes nothing.
   */
  reassign(p: Principal, id: string, unitId: string, reason: string, write?: Write) {
    return this.init().then(() => this.writes.within(write, (w) => this.reassignIn(w, p, id, unitId, reason)));
  }

  private async reassignIn(w: Write, p: Principal, id: string, unitId: string, reason: string) {
        if (!reason.trim()) throw new AppError(400, 'reason_required', { field: 'reason' }, 'reason');
    const a = await this.assignmentRow(w.tx, p, id);
    if (!(ACTIVE_ASSIGNMENT_STATUSES as readonly string[]).includes(a.status)) throw new AppError(409, 'conflict', { detail: `the assignment is ${a.status}` }, 'id');
    const inc = await this.incidents.get(p, a.incidentId, w.tx);
    if (!['new', 'dispatched', 'en_route', 'on_scene'].includes(inc.status)) throw new AppError(409, 'illegal_transition', { from: inc.status, to: 'dispatched' }, 'unitId');
    await this.validated(w.tx, () => this.assignable(p, inc, unitId, 'unitId'), [unitId]);
    await this.cancelAssignmentIn(w, p, id, reason);
    return this.assignIn(w, p, a.incidentId, [unitId]);
  }

  ack(p: Principal, id: string, write?: Write) {
    return this.init().then(() => this.writes.within(write, (w) => this.ackIn(w, p, id)));
  }

  private async ackIn(w: Write, p: Principal, id: string) {
        const a = await this.assignmentRow(w.tx, p, id);
    const st = await this.validated(w.tx, () => {
      const s = this.state.get(a.unitId);
      if (!s || !this.mayActFor(p, s)) throw new AppError(403, 'forbidden');
      return s;
    }, [a.unitId]);
    if (!(ACTIVE_ASSIGNMENT_STATUSES as readonly string[]).includes(a.status)) throw new AppError(409, 'conflict', { detail: `the assignment is ${a.status}` }, 'id');
    if (a.ackAt) return this.assignmentView(a);
    const [u] = await w.tx
      .update(assignments)
      .set({ ackAt: this.now(), status: a.status === 'assigned' ? 'acknowledged' : a.status })
      .where(and(eq(assignments.id, id), eq(assignments.status, a.status))) // a cancel meanwhile wins
      .returning();
    if (!u) throw new AppError(409, 'conflict', { detail: 'the assignment changed meanwhile' }, 'id');
    if (st.assignment?.id === id) st.assignment.status = u.status;
    st.gen++;
    this.emit(w, 'assignment', this.stationPath(a.stationId), a.incidentId, { event: 'acknowledged', ...this.assignmentView(u) });
    await this.resolveAlerts(w, 'ack_timeout', id);
    return this.assignmentView(u);
  }

  async incidentAssignments(p: Principal, incidentId: string) {
    await this.init();
    await this.incidents.get(p, incidentId);
    const rows = await this.db.select().from(assignments).where(eq(assignments.incidentId, incidentId)).orderBy(assignments.assignedAt, assignments.id);
    return { items: rows.map((a) => this.assignmentView(a)) };
  }

  /**
   * A status reported by the crew (or set by command). With an assignment, en_route / on_scene /
   * available move the assignment and the incident; available after on_scene clears it (and closes
   * the incident when a disposition code is given and no other unit is still working it).
   */
  setStatus(p: Principal, unitId: string, input: { status: UnitStatus; dispositionCode?: string; note?: string }, write?: Write) {
    return this.init().then(() => this.writes.within(write, (w) => this.setStatusIn(w, p, unitId, input)));
  }

  private async setStatusIn(w: Write, p: Principal, unitId: string, input: { status: UnitStatus; dispositionCode?: string; note?: string }) {
        const to = input.status;
    if (to === 'dispatched') throw new AppError(400, 'invalid_value', { field: 'status', detail: 'units are dispatched through assignments' }, 'status');
    const validate = () => {
      const st = this.visible(p, unitId);
      if (!this.mayActFor(p, st)) throw new AppError(403, 'forbidden');
      const check = canUnitTransition(st.row.status as UnitStatus, to, p.roles);
      if (!check.ok) throw new AppError(check.reason === 'forbidden' ? 403 : 409, check.reason === 'forbidden' ? 'forbidden' : 'conflict', { detail: check.message }, 'status');
      if ((to === 'en_route' || to === 'on_scene') && !st.assignment) throw new AppError(409, 'conflict', { detail: 'the unit has no assignment' }, 'status');
      if ((to === 'off_duty' || to === 'out_of_service') && st.assignment) throw new AppError(409, 'conflict', { detail: 'cancel the unit’s assignment first' }, 'status');
      return st;
    };
    const st = await this.validated(w.tx, validate, [unitId]);
    const from = st.row.status as UnitStatus;
    const a = st.assignment;
    if (a && to === 'available' && from !== 'on_scene') {
      if (!input.note?.trim()) throw new AppError(400, 'reason_required', { field: 'note' }, 'note');
      await this.cancelAssignmentIn(w, p, a.id, input.note);
      return this.unitView(st, p);
    }
    const now = this.now();
    if (a && (to === 'en_route' || to === 'on_scene')) {
      const set: Partial<typeof assignments.$inferInsert> = { status: to };
      const [cur] = await w.tx.select().from(assignments).where(eq(assignments.id, a.id));
      if (!cur?.ackAt) set.ackAt = now;
      if (to === 'en_route' && !cur?.enRouteAt) set.enRouteAt = now;
      if (to === 'on_scene' && !cur?.onSceneAt) set.onSceneAt = now;
      await this.changeStatus(w, st, to, p, { assignmentId: a.id, incidentId: a.incidentId, note: input.note });
      const [u] = await w.tx.update(assignments).set(set).where(eq(assignments.id, a.id)).returning();
      a.status = to;
      st.gen++;
      this.emit(w, 'assignment', this.stationPath(u.stationId), u.incidentId, { event: to, ...this.assignmentView(u) });
      await this.resolveAlerts(w, 'ack_timeout', a.id);
      await this.advanceIncident(w, p, a.incidentId, to);
      return this.unitView(st, p);
    }
    if (a && from === 'on_scene' && (to === 'available' || to === 'busy')) {
      await this.changeStatus(w, st, to, p, { assignmentId: a.id, incidentId: a.incidentId, currentAssignmentId: null, note: input.note });
      const [u] = await w.tx.update(assignments).set({ status: 'cleared', clearedAt: now }).where(eq(assignments.id, a.id)).returning();
      st.assignment = null;
      st.gen++;
      this.emit(w, 'assignment', this.stationPath(u.stationId), u.incidentId, { event: 'cleared', ...this.assignmentView(u) });
      if ((await this.activeOfIncident(w, a.incidentId)).length === 0) {
        // The crew's report (code and note) is kept on the incident; closing follows the station's rule.
        const report = { dispositionCode: input.dispositionCode, dispositionNote: input.note?.trim() || undefined };
        const inc = await this.advanceIncident(w, p, a.incidentId, 'cleared', report);
        if (input.dispositionCode && inc.status === 'cleared' && closeRuleOf(this.config.closeOnClear, u.stationId) === 'officer') await this.advanceIncident(w, p, a.incidentId, 'closed', report);
      }
      return this.unitView(st, p);
    }
    await this.changeStatus(w, st, to, p, { note: input.note });
    return this.unitView(st, p);
  }

  /** Releases units when their incident ends elsewhere (cancelled, merged, transferred, closed). */
  async onIncidentChange(row: IncidentRow): Promise<void> {
    this.incidentGen++;
    this.cacheIncident(row);
    if (!['cancelled', 'merged', 'transferred', 'closed'].includes(row.status)) return;
    for (const a of await this.db.select().from(assignments).where(and(eq(assignments.incidentId, row.id), inArray(assignments.status, [...ACTIVE_ASSIGNMENT_STATUSES])))) {
      await this.cancelAssignment(this.systemPrincipal(), a.id, `警情已${row.status === 'closed' ? '结警' : row.status === 'merged' ? '合并' : row.status === 'transferred' ? '转办' : '撤警'}`).catch(() => {});
    }
  }

  /** The officer's current assignment (of the unit they crew), with the incident. */
  async myAssignment(p: Principal) {
    await this.init();
    for (const st of this.state.values()) {
      if (!this.isMember(p, st)) continue;
      if (!st.assignment) return { unit: this.unitView(st, p), assignment: null, incident: null };
      const [a] = await this.db.select().from(assignments).where(eq(assignments.id, st.assignment.id));
      const inc = await this.incidents.get(this.systemPrincipal(), st.assignment.incidentId).catch(() => null);
      return { unit: this.unitView(st, p), assignment: a ? this.assignmentView(a) : null, incident: inc ? this.incidents.view(inc, p) : null };
    }
    return { unit: null, assignment: null, incident: null };
  }

  async myAssignments(p: Principal, limit = 20) {
    await this.init();
    const mine = [...this.state.values()].filter((st) => this.isMember(p, st)).map((st) => st.row.id);
    if (!mine.length) return { items: [] };
    const rows = await this.db.select().from(assignments).where(inArray(assignments.unitId, mine)).orderBy(desc(assignments.assignedAt), desc(assignments.id)).limit(limit);
    return { items: rows.map((a) => this.assignmentView(a)) };
  }

  // ------------------------------------------------------------------ alerts and timers

  async alerts(p: Principal) {
    const rows = await this.db
      .select()
      .from(dispatchAlerts)
      .where(and(eq(dispatchAlerts.status, 'open'), unitScope(p, dispatchAlerts.stationId)))
      .orderBy(desc(dispatchAlerts.raisedAt), desc(dispatchAlerts.id))
      .limit(500);
    return { items: rows.map((a) => this.alertView(a)) };
  }

  ackAlert(p: Principal, id: string, write?: Write) {
    return this.init().then(() => this.writes.within(write, (w) => this.ackAlertIn(w, p, id)));
  }

  private async ackAlertIn(w: Write, p: Principal, id: string) {
    const [a] = await w.tx.select().from(dispatchAlerts).where(and(eq(dispatchAlerts.id, id), unitScope(p, dispatchAlerts.stationId)));
    if (!a) throw notFound('alert');
    if (a.status !== 'open') return this.alertView(a);
    const [u] = await w.tx.update(dispatchAlerts).set({ status: 'acked', ackedAt: this.now(), ackedBy: p.username }).where(eq(dispatchAlerts.id, id)).returning();
    this.emit(w, 'alert', this.alertPath(u), u.subjectId, { event: 'acked', ...this.alertView(u) });
    return this.alertView(u);
  }

  private alertPath(a: typeof dispatchAlerts.$inferSelect): string {
    return a.level === 'escalated' ? this.rootPath : this.stationPath(a.stationId);
  }

  private async resolveAlerts(w: Write, kind: AlertKind, subjectId: string) {
    const rows = await w.tx
      .update(dispatchAlerts)
      .set({ status: 'resolved', resolvedAt: this.now() })
      .where(and(eq(dispatchAlerts.kind, kind), eq(dispatchAlerts.subjectId, subjectId), eq(dispatchAlerts.status, 'open')))
      .returning();
    for (const a of rows) this.emit(w, 'alert', this.alertPath(a), a.subjectId, { event: 'resolved', ...this.alertView(a) });
  }

  /** One clock tick of the timers: raises due alerts and escalates ignored ones. Returns what it did. */
  async tick(now = this.now()): Promise<{ raised: number; escalated: number }> {
    await this.init();
    const since = new Date(now.getTime() - 86_400_000);
    const [pending, unassigned, open] = await Promise.all([
      this.db.select().from(assignments).where(eq(assignments.status, 'assigned')),
      this.incidents.waiting('P1', since),
      this.db.select().from(dispatchAlerts).where(eq(dispatchAlerts.status, 'open')),
    ]);
    const known = new Set(open.map((a) => `${a.kind}:${a.subjectId}`));
    const due = dueAlerts(now.getTime(), this.config, {
      assignments: pending.map((a) => ({ id: a.id, assignedAt: a.assignedAt.getTime(), acknowledged: a.ackAt !== null })),
      incidents: unassigned.map((i) => ({ id: i.id, priority: i.priority, recordedAt: i.recordedAt.getTime() })),
      alerts: open.map((a) => ({ id: a.id, kind: a.kind as AlertKind, subjectId: a.subjectId, level: a.level as 'alert' | 'escalated', raisedAt: a.raisedAt.getTime() })),
      known,
    });
    let raised = 0;
    for (const r of due.raise) {
      let values: typeof dispatchAlerts.$inferInsert;
      if (r.kind === 'ack_timeout') {
        const a = pending.find((x) => x.id === r.subjectId)!;
        const cs = this.state.get(a.unitId)?.row.callSign ?? a.unitId;
        const inc = await this.incidents.get(this.systemPrincipal(), a.incidentId).catch(() => null);
        values = { id: randomUUID(), kind: r.kind, subjectId: a.id, incidentId: a.incidentId, assignmentId: a.id, unitId: a.unitId, stationId: a.stationId, level: 'alert', status: 'open', raisedAt: now, message: `${cs} 超过${this.config.ackTimeoutS}秒未确认派警（警情 ${inc?.number ?? a.incidentId}）` };
      } else {
        const i = unassigned.find((x) => x.id === r.subjectId)!;
        values = { id: randomUUID(), kind: r.kind, subjectId: i.id, incidentId: i.id, stationId: i.stationId, level: 'alert', status: 'open', raisedAt: now, message: `P1警情 ${i.number} 超过${this.config.p1UnassignedS}秒未派警` };
      }
      const row = await this.writes.run(async (w) => {
        const [r] = await w.tx.insert(dispatchAlerts).values(values).onConflictDoNothing().returning();
        if (r) this.emit(w, 'alert', this.alertPath(r), r.subjectId, { event: 'raised', ...this.alertView(r) });
        return r;
      });
      if (row) raised++;
    }
    let escalated = 0;
    for (const id of due.escalate) {
      const row = await this.writes.run(async (w) => {
        const [r] = await w.tx
          .update(dispatchAlerts)
          .set({ level: 'escalated', escalatedAt: now, message: sql`${dispatchAlerts.message} || '，已上报指挥长'` })
          .where(and(eq(dispatchAlerts.id, id), eq(dispatchAlerts.status, 'open'), eq(dispatchAlerts.level, 'alert')))
          .returning();
        if (r) this.emit(w, 'alert', this.rootPath, r.subjectId, { event: 'escalated', ...this.alertView(r) });
        return r;
      });
      if (row) escalated++;
    }
    return { raised, escalated };
  }

  /** Starts the timers: alerts every 5 s, roster every 60 s, track flush every 2 s, purge hourly. */
  start(log?: { error: (o: object, msg: string) => void }) {
    const guard = (name: string, f: () => Promise<unknown>) => () => {
      f().catch((err) => log?.error({ err }, `dispatch ${name} failed`));
    };
    const tick = guard('timers', async () => {
      if (this.ticking) return;
      this.ticking = true;
      try {
        await this.tick();
      } finally {
        this.ticking = false;
      }
    });
    this.timers.push(setInterval(tick, 5_000), setInterval(guard('roster', () => this.applyRosterAll()), 60_000), setInterval(guard('track', () => this.flushTrack()), 2_000), setInterval(guard('purge', () => this.purgeTrack()), 3_600_000));
    for (const t of this.timers) t.unref();
    void guard('roster', () => this.init().then(() => this.applyRosterAll()))();
  }

  async stop() {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.flushTrack().catch(() => {});
  }
}

function toActive(a: AssignmentRow): ActiveAssignment {
  return { id: a.id, incidentId: a.incidentId, status: a.status, priority: a.priority, assignedAt: a.assignedAt };
}

function shiftView(s: ShiftRow) {
  return { id: s.id, unitId: s.unitId, day: s.day, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), note: s.note };
}
