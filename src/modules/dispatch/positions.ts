/**
 * Positions (AVL): the latest per unit in memory, snapped once when reported; a thinned track queued for
 * batched inserts; positions of other instances applied from the bus.
 */
import { AppError } from '../../core/errors.js';
import { coversUnit, type Principal } from '../../core/access.js';
import { AVL_SCOPE } from './config.js';
import { insertTrack, purgeTrack, type TrackRow } from './store.js';
import { keepInTrack } from './domain/track.js';
import type { DispatchState, UnitState } from './state.js';

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

const FUTURE_TOLERANCE_MS = 60_000;

export class PositionFeed {
  private pendingTrack: TrackRow[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly s: DispatchState) {}

  /**
   * Accepts position reports: the latest per unit in memory (snapped once here), a thinned track queued
   * for a batched insert, a unit_position event per accepted report. From a principal (HTTP), only for
   * units it may report for; from MQTT_FEED, for any unit. Returns what was accepted and why the rest was not.
   */
  async report(source: Principal | typeof MQTT_FEED, reports: readonly PositionReport[]) {
    const s = this.s;
    if (source !== MQTT_FEED && !source) throw new AppError(401, 'unauthenticated');
    const p = source === MQTT_FEED ? null : source;
    await s.init();
    const now = s.now().getTime();
    const oldest = now - s.config.trackRetentionDays * 86_400_000;
    const rejected: { index: number; unitId: string; code: string }[] = [];
    let accepted = 0;
    for (let i = 0; i < reports.length; i++) {
      const r = reports[i];
      const st = s.state.get(r.unitId);
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
      const snap = s.roads.snap(r.lon, r.lat);
      st.pos = { lon: r.lon, lat: r.lat, at, speed: r.speed ?? null, heading: r.heading ?? null, snap };
      s.emitPosition(st.stationPath, st.row.id, { unitId: st.row.id, callSign: st.row.callSign, status: st.row.status, lon: r.lon, lat: r.lat, at: new Date(at).toISOString(), speed: r.speed ?? null, heading: r.heading ?? null });
    }
    return { accepted, rejected };
  }

  private mayReportFor(p: Principal, st: UnitState): boolean {
    if (p.kind === 'token') return p.scopes.includes(AVL_SCOPE) && coversUnit(p, st.stationPath);
    return this.s.mayActFor(p, st);
  }

  /** A position reported at another instance (from the bus event). */
  applyPeer(unitId: string, lon: number, lat: number, at: number, speed: number | null, heading: number | null) {
    const st = this.s.state.get(unitId);
    if (!st || !Number.isFinite(at)) return;
    // The peer wrote the point to the track if the rule kept it; following the same rule here keeps
    // thinning the same when one unit's reports arrive at different instances.
    const point = { lon, lat, at };
    if (keepInTrack(st.lastKept ?? undefined, point)) st.lastKept = point;
    if (st.pos && at <= st.pos.at) return;
    st.pos = { lon, lat, at, speed, heading, snap: this.s.roads.snap(lon, lat) };
  }

  /** Writes the queued track rows (called after a batch request and every few seconds). */
  flushTrack(): Promise<void> {
    const next = this.flushing.then(async () => {
      if (!this.pendingTrack.length) return;
      const rows = this.pendingTrack;
      this.pendingTrack = [];
      await insertTrack(this.s.db, rows);
    });
    this.flushing = next.catch(() => {});
    return next;
  }

  /** Deletes track rows older than the retention. */
  purgeTrack(now: Date): Promise<number> {
    return purgeTrack(this.s.db, new Date(now.getTime() - this.s.config.trackRetentionDays * 86_400_000));
  }
}
