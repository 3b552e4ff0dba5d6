/**
 * Recommendation and routes: units to send by road ETA (one many-to-one search over positions snapped
 * when reported), the road route of one unit, and the caches they read (categories, incidents, snaps).
 */
import { AppError } from '../../core/errors.js';
import { coversUnit, seesEverything, type Principal } from '../../core/access.js';
import type { SnapResult } from '../roads/index.js';
import type { IncidentRow } from '../incidents/index.js';
import { onDuty } from './domain/roster.js';
import { isStale } from './domain/track.js';
import { eligibility, matchedCapabilities, rankRecommendations, type RankInput, type Recommendation } from './domain/recommend.js';
import type { DispatchState, UnitState } from './state.js';

/** What a recommendation needs of an incident, kept in memory (refreshed on change, on miss, after a minute). */
interface CachedIncident {
  row: IncidentRow;
  at: number;
}

const INCIDENT_CACHE_MS = 60_000;
const INCIDENT_CACHE_MAX = 5_000;
const CATEGORY_CACHE_MS = 60_000;

export class Recommender {
  private capsCache: { at: number; map: Map<string, string[]> } | null = null;
  private capsLoading: Promise<void> | null = null;
  private readonly incidentCache = new Map<string, CachedIncident>();
  /** Bumped on every incident invalidation: a lookup that raced with one does not fill the cache. */
  private incidentGen = 0;
  private incidentSnaps = new Map<string, { lon: number; lat: number; snap: SnapResult | null }>();

  constructor(private readonly s: DispatchState) {}

  /**
   * Capabilities a category asks for. Read once, then refreshed in the background every minute (a
   * recommendation never waits for it), and at once for a category we do not know yet.
   */
  private async categoryCapabilities(code: string): Promise<string[]> {
    const t = Date.now();
    const c = this.capsCache;
    if (!c || (!c.map.has(code) && t - c.at > 1_000)) await this.loadCategories();
    else if (t - c.at > CATEGORY_CACHE_MS) void this.loadCategories().catch((err) => this.s.log(err, 'dispatch: reading categories failed'));
    return this.capsCache?.map.get(code) ?? [];
  }

  private loadCategories(): Promise<void> {
    this.capsLoading ??= (async () => {
      try {
        const all = await this.s.categories.all();
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
    const row = await this.s.incidents.get(p, id);
    if (gen === this.incidentGen) this.cacheIncident(row);
    return row;
  }

  /** Same rule as the incidents' SQL scope (station or grid inside the caller's unit); unknown org units → no. */
  private mayReadIncident(p: Principal, row: IncidentRow): boolean {
    if (seesEverything(p)) return true;
    const station = this.s.paths.get(row.stationId);
    if (station && coversUnit(p, station)) return true;
    const grid = row.gridId ? this.s.paths.get(row.gridId) : undefined;
    return grid !== undefined && coversUnit(p, grid);
  }

  private cacheIncident(row: IncidentRow) {
    const c = this.incidentCache.get(row.id);
    if (c && c.row.version > row.version) return;
    if (!c && this.incidentCache.size >= INCIDENT_CACHE_MAX) this.incidentCache.clear();
    this.incidentCache.set(row.id, { row, at: Date.now() });
  }

  /** The incident changed here (outbox handler): keep the new row. */
  incidentChanged(row: IncidentRow) {
    this.incidentGen++;
    this.cacheIncident(row);
  }

  /** An incident changed (event from any instance): drop our copy unless it is already that version. */
  invalidateIncident(id: string, version?: number) {
    const c = this.incidentCache.get(id);
    if (c && version !== undefined && c.row.version >= version) return;
    this.incidentGen++;
    this.incidentCache.delete(id);
  }

  private incidentSnap(inc: IncidentRow): SnapResult | null {
    if (inc.lon === null || inc.lat === null) return null;
    const c = this.incidentSnaps.get(inc.id);
    if (c && c.lon === inc.lon && c.lat === inc.lat) return c.snap;
    const snap = this.s.roads.snap(inc.lon, inc.lat);
    if (this.incidentSnaps.size > 5000) this.incidentSnaps.clear();
    this.incidentSnaps.set(inc.id, { lon: inc.lon, lat: inc.lat, snap });
    return snap;
  }

  /** Units to send, quickest by road first (one many-to-one search over pre-snapped positions). */
  async recommend(p: Principal, incidentId: string, opts: { limit?: number } = {}): Promise<Recommendation[]> {
    await this.s.init();
    const inc = await this.cachedIncident(p, incidentId);
    return this.recommendFor(p, inc, opts);
  }

  async recommendFor(p: Principal, inc: IncidentRow, opts: { limit?: number } = {}): Promise<Recommendation[]> {
    const s = this.s;
    const target = this.incidentSnap(inc);
    if (!target) throw new AppError(409, 'conflict', { detail: 'the incident has no location on the road network' }, 'location');
    const required = await this.categoryCapabilities(inc.categoryCode);
    const now = s.now();
    const nowMs = now.getTime();
    type Cand = { st: UnitState; diverting: boolean; stale: boolean; matched: string[]; capOk: boolean };
    const cands: Cand[] = [];
    for (const st of s.state.values()) {
      if (!coversUnit(p, st.stationPath)) continue;
      const el = eligibility({ status: st.row.status, onDuty: onDuty(st.shifts, now), capabilities: st.row.capabilities, currentIncidentPriority: st.assignment?.priority }, inc.priority);
      if (!el) continue;
      if (st.assignment?.incidentId === inc.id) continue;
      const m = matchedCapabilities(st.row.capabilities, required);
      cands.push({ st, diverting: el === 'divertible', stale: isStale(st.pos?.at, nowMs, s.config.staleAfterS) || !st.pos?.snap, matched: m.matched, capOk: m.ok });
    }
    // Every candidate: the response plan needs general units too (domain/recommend.ts decides who matches).
    const chosen = cands;
    const sources = chosen.map((c) => (c.stale ? c.st.homeSnap : c.st.pos!.snap));
    const eta = s.roads.etaFromSnapped(target, sources);
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
    return rankRecommendations(items, { limit: opts.limit ?? 20, required, stationEstimatePenaltyS: s.config.stationEstimatePenaltyS });
  }

  /** The road route of one unit to the incident as a GeoJSON Feature (LineString). */
  async route(p: Principal, incidentId: string, unitId: string) {
    const s = this.s;
    await s.init();
    const inc = await this.cachedIncident(p, incidentId);
    const st = s.state.get(unitId);
    if (!st || (!coversUnit(p, st.stationPath) && !s.isMember(p, st))) throw new AppError(404, 'not_found', { entity: 'unit' }, 'unitId');
    const target = this.incidentSnap(inc);
    if (!target) throw new AppError(409, 'conflict', { detail: 'the incident has no location on the road network' }, 'location');
    const stale = isStale(st.pos?.at, s.now().getTime(), s.config.staleAfterS) || !st.pos?.snap;
    const from = stale ? st.homeSnap : st.pos!.snap;
    const r = s.roads.etaFromSnapped(target, [from], { routeFor: 0 });
    if (!r.route) throw new AppError(409, 'conflict', { detail: 'no road route from the unit to the incident' }, 'unitId');
    return {
      type: 'Feature' as const,
      properties: { incidentId, unitId, callSign: st.row.callSign, seconds: Math.round(r.route.seconds), meters: Math.round(r.route.meters), stale },
      geometry: { type: 'LineString' as const, coordinates: r.route.coordinates },
    };
  }

  /** The unit's road ETA to the incident in whole seconds (null: no location or no route). */
  etaOf(st: UnitState, inc: IncidentRow): number | null {
    const target = this.incidentSnap(inc);
    if (!target) return null;
    const stale = isStale(st.pos?.at, this.s.now().getTime(), this.s.config.staleAfterS) || !st.pos?.snap;
    const s = this.s.roads.etaFromSnapped(target, [stale ? st.homeSnap : st.pos!.snap]).seconds[0];
    return s === null ? null : Math.round(s);
  }
}
