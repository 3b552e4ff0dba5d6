/**
 * Dispatch: units and their roster, positions (AVL), recommendation by road ETA, assignments that move
 * the incident's lifecycle, and alert timers. DispatchService is the module's one entry; the work is
 * done by area: state.ts (the units in memory), units.ts (units, roster, status changes), positions.ts
 * (AVL and the track), recommendation.ts (ETA ranking, routes), assignments.ts (assignment writes),
 * alerts.ts (alerts and their timer), views.ts (what the routes answer). Pure rules live in ./domain.
 *
 * The latest position and status of every unit are held in memory (one Map) so a recommendation is one
 * many-to-one road search over positions snapped when they were reported.
 */
import { randomUUID } from 'node:crypto';
import type { Write } from '../../kernel/write.js';
import type { Principal } from '../../core/access.js';
import type { SequencedEvent } from '../realtime/index.js';
import type { IncidentRow, IncidentService } from '../incidents/index.js';
import type { AssignmentRow } from './store.js';
import type { UnitStatus } from './domain/unit-status.js';
import type { Recommendation } from './domain/recommend.js';
import type { dispatchAlerts } from './schema.js';
import { DEFAULT_DISPATCH_CONFIG, type DispatchConfig } from './config.js';
import { DispatchState, type StateDeps, type UnitState } from './state.js';
import { PositionFeed, type MQTT_FEED, type PositionReport } from './positions.js';
import { Recommender } from './recommendation.js';
import { ackAlertIn, openAlerts, resolveAlerts, tick } from './alerts.js';
import { addShiftIn, applyRosterAll, createUnitIn, getUnit, listUnits, statusEvents, unitShiftList, updateUnitIn, type UnitInput } from './units.js';
import { ackIn, activeAssignmentsOf, assignIn, cancelAssignmentIn, incidentAssignments, myAssignment, myAssignments, reassignIn, setStatusIn } from './assignments.js';
import { alertView, assignmentView, unitView } from './views.js';

export { AVL_SCOPE, UNIT_KINDS, DEFAULT_DISPATCH_CONFIG, dispatchConfigFromEnv, type DispatchConfig, type UnitKind } from './config.js';
export { MQTT_FEED, type PositionReport } from './positions.js';
export type { UnitInput } from './units.js';
export { maskName } from './views.js';

/** The state's dependencies (state.ts StateDeps), with the clock, instance id and log optional. */
export interface DispatchServiceOptions extends Omit<StateDeps, 'now' | 'instanceId' | 'log'> {
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

export class DispatchService {
  readonly config: DispatchConfig;
  readonly instanceId: string;
  /** The incident service it was built with (the in-process simulator reads it). */
  private readonly incidents: IncidentService;
  private readonly s: DispatchState;
  private readonly rec: Recommender;
  private readonly positions: PositionFeed;
  private unsubscribe: (() => void) | null = null;
  private timers: NodeJS.Timeout[] = [];
  private ticking = false;

  constructor(opts: DispatchServiceOptions) {
    this.config = { ...DEFAULT_DISPATCH_CONFIG, ...opts.config };
    this.instanceId = opts.instanceId ?? randomUUID();
    this.incidents = opts.incidents;
    this.s = new DispatchState({
      db: opts.db,
      roads: opts.roads,
      incidents: opts.incidents,
      categories: opts.categories,
      org: opts.org,
      publish: opts.publish,
      writes: opts.writes,
      config: this.config,
      now: opts.now ?? (() => new Date()),
      instanceId: this.instanceId,
      log: opts.log ?? (() => {}),
    });
    this.rec = new Recommender(this.s);
    this.positions = new PositionFeed(this.s);
    if (opts.subscribe) this.unsubscribe = opts.subscribe((e) => this.onBusEvent(e));
  }

  // ------------------------------------------------------------------ state

  /** Loads units, roster, latest positions and open assignments into memory (idempotent). */
  init(): Promise<void> {
    return this.s.init();
  }

  /** Re-reads everything from the database (after seeding, or another instance's writes). */
  reload(): Promise<void> {
    return this.s.reload();
  }

  /** A unit by id or call sign (MQTT topics may use either). */
  resolveUnitId(idOrCallSign: string): string | undefined {
    return this.s.state.has(idOrCallSign) ? idOrCallSign : this.s.byCallSign.get(idOrCallSign);
  }

  /** Re-reads one unit from the database (serialised per unit). Resolves when done; never rejects. */
  refreshUnit(id: string): Promise<void> {
    return this.s.refreshUnit(id);
  }

  get unitCount(): number {
    return this.s.state.size;
  }

  /**
   * An event from the bus. Our own (data.origin) are skipped. Unit status and assignment changes of
   * another instance reload the unit (row, current assignment, shifts) from the shared database — the
   * committed truth, whatever order the events arrive in; positions are applied from the event itself.
   * Incident events (any instance) invalidate the incident cache of the recommendation.
   */
  private onBusEvent(e: SequencedEvent) {
    const data = (e.data ?? {}) as { origin?: string; unitId?: string; lon?: number; lat?: number; at?: string; speed?: number | null; heading?: number | null; incident?: { version?: number } };
    if (e.type === 'incident') {
      this.rec.invalidateIncident(e.key, data.incident?.version);
      return;
    }
    if (data.origin === this.instanceId || !this.s.ready) return; // not loaded yet: load() reads everything
    if (e.type === 'unit_position') {
      if (data.unitId && typeof data.lon === 'number' && typeof data.lat === 'number' && data.at) this.positions.applyPeer(data.unitId, data.lon, data.lat, Date.parse(data.at), data.speed ?? null, data.heading ?? null);
    } else if (e.type === 'unit_status') {
      void this.s.refreshUnit(e.key);
    } else if (e.type === 'assignment' && data.unitId) {
      void this.s.refreshUnit(data.unitId);
    }
  }

  // ------------------------------------------------------------------ views

  unitView(st: UnitState, p: Principal | null) {
    return unitView(this.s, st, p);
  }

  assignmentView(a: AssignmentRow) {
    return assignmentView(this.s, a);
  }

  alertView(a: typeof dispatchAlerts.$inferSelect) {
    return alertView(a);
  }

  // ------------------------------------------------------------------ units and roster

  list(p: Principal, q: { stationId?: string; status?: string[]; kind?: string } = {}) {
    return listUnits(this.s, p, q);
  }

  get(p: Principal, id: string) {
    return getUnit(this.s, p, id);
  }

  create(p: Principal, input: UnitInput, write?: Write) {
    return this.write(write, (w) => createUnitIn(this.s, w, p, input));
  }

  update(p: Principal, id: string, patch: Partial<Omit<UnitInput, 'id'>>, write?: Write) {
    return this.write(write, (w) => updateUnitIn(this.s, w, p, id, patch));
  }

  shifts(p: Principal, id: string, from?: Date) {
    return unitShiftList(this.s, p, id, from);
  }

  addShift(p: Principal, id: string, s: { startsAt: Date; endsAt: Date; note?: string }, write?: Write) {
    return this.write(write, (w) => addShiftIn(this.s, w, p, id, s));
  }

  /** Moves idle units on or off duty as their shifts start and end. */
  applyRosterAll(now = this.s.now()) {
    return applyRosterAll(this.s, now);
  }

  statusEvents(p: Principal, id: string, limit = 50) {
    return statusEvents(this.s, p, id, limit);
  }

  /**
   * A status reported by the crew (or set by command). With an assignment, en_route / on_scene /
   * available move the assignment and the incident; available after on_scene clears it.
   */
  setStatus(p: Principal, unitId: string, input: { status: UnitStatus; dispositionCode?: string; note?: string }, write?: Write) {
    return this.write(write, (w) => setStatusIn(this.s, w, p, unitId, input));
  }

  // ------------------------------------------------------------------ positions (AVL)

  /**
   * Accepts position reports (see positions.ts). From a principal (HTTP), only for units it may report
   * for; from MQTT_FEED, for any unit. Returns what was accepted and why the rest was not.
   */
  reportPositions(source: Principal | typeof MQTT_FEED, reports: readonly PositionReport[]) {
    return this.positions.report(source, reports);
  }

  /** Writes the queued track rows (called after a batch request and every few seconds). */
  flushTrack(): Promise<void> {
    return this.positions.flushTrack();
  }

  /** Deletes track rows older than the retention. */
  purgeTrack(now = this.s.now()): Promise<number> {
    return this.positions.purgeTrack(now);
  }

  // ------------------------------------------------------------------ recommendation

  /** Units to send, quickest by road first (one many-to-one search over pre-snapped positions). */
  recommend(p: Principal, incidentId: string, opts: { limit?: number } = {}): Promise<Recommendation[]> {
    return this.rec.recommend(p, incidentId, opts);
  }

  recommendFor(p: Principal, inc: IncidentRow, opts: { limit?: number } = {}): Promise<Recommendation[]> {
    return this.rec.recommendFor(p, inc, opts);
  }

  /** The road route of one unit to the incident as a GeoJSON Feature (LineString). */
  route(p: Principal, incidentId: string, unitId: string) {
    return this.rec.route(p, incidentId, unitId);
  }

  // ------------------------------------------------------------------ assignments

  assign(p: Principal, incidentId: string, unitIds: string[], write?: Write) {
    return this.write(write, (w) => assignIn(this.s, this.rec, w, p, incidentId, unitIds));
  }

  /** Cancels an assignment; the unit becomes available; an incident left without units is recalled. */
  cancelAssignment(p: Principal, id: string, reason: string, opts: { keepUnit?: boolean } = {}, write?: Write) {
    return this.write(write, (w) => cancelAssignmentIn(this.s, w, p, id, reason, opts));
  }

  /** Replaces the unit of an assignment by another one; a refused reassign changes nothing. */
  reassign(p: Principal, id: string, unitId: string, reason: string, write?: Write) {
    return this.write(write, (w) => reassignIn(this.s, this.rec, w, p, id, unitId, reason));
  }

  ack(p: Principal, id: string, write?: Write) {
    return this.write(write, (w) => ackIn(this.s, w, p, id));
  }

  incidentAssignments(p: Principal, incidentId: string) {
    return incidentAssignments(this.s, p, incidentId);
  }

  /**
   * In the write that ends an incident (merged, cancelled, transferred, closed): its P1-unassigned alert
   * is resolved with it — a merged duplicate leaves one alert, its master's.
   */
  incidentEndedIn(w: Write, row: IncidentRow): Promise<void> {
    return resolveAlerts(this.s, w, 'p1_unassigned', row.id);
  }

  /** Releases units when their incident ends elsewhere (cancelled, merged, transferred, closed). */
  async onIncidentChange(row: IncidentRow): Promise<void> {
    this.rec.incidentChanged(row);
    if (!['cancelled', 'merged', 'transferred', 'closed'].includes(row.status)) return;
    for (const a of await activeAssignmentsOf(this.s, row.id)) {
      await this.cancelAssignment(this.s.systemPrincipal(), a.id, `警情已${row.status === 'closed' ? '结警' : row.status === 'merged' ? '合并' : row.status === 'transferred' ? '转办' : '撤警'}`).catch(() => {});
    }
  }

  /** The officer's current assignment (of the unit they crew), with the incident. */
  myAssignment(p: Principal) {
    return myAssignment(this.s, p);
  }

  myAssignments(p: Principal, limit = 20) {
    return myAssignments(this.s, p, limit);
  }

  // ------------------------------------------------------------------ alerts and timers

  alerts(p: Principal) {
    return openAlerts(this.s, p);
  }

  ackAlert(p: Principal, id: string, write?: Write) {
    return this.write(write, (w) => ackAlertIn(this.s, w, p, id));
  }

  /** One clock tick of the timers: raises due alerts and escalates ignored ones. Returns what it did. */
  tick(now = this.s.now()): Promise<{ raised: number; escalated: number }> {
    return tick(this.s, now);
  }

  /** Starts the timers: alerts every 5 s, roster every 60 s, track flush every 2 s, purge hourly. */
  start(log?: { error: (o: object, msg: string) => void }) {
    const guard = (name: string, f: () => Promise<unknown>) => () => {
      f().catch((err) => log?.error({ err }, `dispatch ${name} failed`));
    };
    const tickOnce = guard('timers', async () => {
      if (this.ticking) return;
      this.ticking = true;
      try {
        await this.tick();
      } finally {
        this.ticking = false;
      }
    });
    this.timers.push(setInterval(tickOnce, 5_000), setInterval(guard('roster', () => this.applyRosterAll()), 60_000), setInterval(guard('track', () => this.flushTrack()), 2_000), setInterval(guard('purge', () => this.purgeTrack()), 3_600_000));
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

  /** A write of the service: part of the caller's write when given one, else its own transaction. */
  private write<T>(write: Write | undefined, fn: (w: Write) => Promise<T>): Promise<T> {
    return this.s.init().then(() => this.s.writes.within(write, fn));
  }
}
