/**
 * The live layers of the dispatcher console, drawn imperatively on the MapLibre map: open incidents
 * (colour by priority, a halo growing with the waiting time), units (colour by status, hollow when the
 * position is stale or missing) moving smoothly as positions arrive, the selected route and the
 * coverage layer. React never re-renders per unit. Call signs beside units and numbers beside
 * incidents from street zoom on; incidents closer than a marker's width (duplicates at one address)
 * are drawn as one cluster with their count, coloured by the most urgent priority in it.
 *
 * Units: every map frame costs the whole map (without a GPU, each frame is drawn in software and read
 * back: 100–250 ms of a blocked main thread), so the unit source is updated in **steps**, not per
 * animation frame. A position only records the unit's target; a step (a timer) moves every unit that is
 * under way to where its 1 s linear interpolation is at that instant and sends only the changed units to
 * MapLibre with `updateData` (feature ids by `promoteId: 'id'`; the worker re-tiles only the tiles
 * those units touch). The step interval adapts to what a map frame costs: from 100 ms (10 Hz, a GPU
 * draws a frame within the display's refresh) up to 1 s (one update per position report: units jump
 * instead of gliding) so that drawing units takes at most about a quarter of the main thread. Nothing
 * is sent while nothing moves. The incidents' age halos are redrawn every 15 s.
 */
import { Popup, type GeoJSONSource, type Map as MlMap, type MapLayerMouseEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { PRIORITY_COLOR, type Priority } from '../incidents/model';
import { addLiveLayers } from './liveLayerStyle';
import { UNIT_STATUS_COLOR, unitPoint, type CoverageCollection, type DispatchUnit, type RouteFeature } from './model';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
/** A new position is reached in this time (linear: a unit reporting every second moves steadily). */
const MOVE_MS = 1000;
/** Bounds of the step interval of the unit source: 10 Hz at most, one step per second at least. */
const STEP_MIN_MS = 100;
const STEP_MAX_MS = 1000;
/** Map frames may take this share of the main thread for moving units. */
const FRAME_BUDGET = 0.25;
/** From this interval on, units jump to their position (gliding in a few coarse steps only lags). */
const SNAP_FROM_MS = 500;
/** A frame within this time fits the display's refresh (60 Hz, with some slack). */
const FRAME_MS = 18;
const AGE_REDRAW_MS = 15_000;
const RANK: Record<string, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

export interface LiveIncident {
  id: string;
  number: string;
  lon: number;
  lat: number;
  priority: Priority;
  recordedAt: string;
  label: string;
}

type UnitProps = { id: string; callSign: string; status: string; color: string; hollow: number; label: string };
interface UnitState {
  props: UnitProps;
  /** Where the map shows it (the source's coordinates). */
  shown: [number, number];
  from: [number, number];
  to: [number, number];
  /** Start of the current move (performance.now()), 0 when at rest. */
  t0: number;
  /** Properties changed since the last step. */
  propsDirty: boolean;
  /** Time of the position held (ms since the epoch, 0 unknown): an older report does not move the unit back. */
  at: number;
}

export interface LiveLayerHandlers {
  onIncidentClick?: (id: string) => void;
  onUnitClick?: (id: string) => void;
}

const sameProps = (a: UnitProps, b: UnitProps) => a.status === b.status && a.color === b.color && a.hollow === b.hollow && a.label === b.label && a.callSign === b.callSign;

export class LiveLayers {
  private readonly units = new Map<string, UnitState>();
  /** Units to look at in the next step: moving or with changed properties. */
  private readonly active = new Set<string>();
  /** Units were added or removed: the next step sends the whole collection. */
  private structureDirty = true;
  private stepTimer: ReturnType<typeof setTimeout> | null = null;
  private lastStep = 0;
  private incidents: LiveIncident[] = [];
  private ageTimer: ReturnType<typeof setInterval>;
  private popup = new Popup({ closeButton: false, closeOnClick: false, offset: 10, className: 'sw-map-tip' });
  private disposed = false;
  /** What a map frame costs beyond the display's refresh (ms, moving average) and the step interval it gives. */
  private frameCostMs = 0;
  /** Map frames per update of the unit source (MapLibre draws once when the update is taken, once when the tiles are back). */
  private rendersPerUpdate = 1;
  private rendersSinceStep = 0;
  private sentLastStep = false;
  private stepMs = STEP_MIN_MS;
  private renderAt = 0;
  private costRaf = 0;
  /** Updates sent to the unit source (for tests and tuning). */
  frames = 0;

  constructor(
    private readonly map: MlMap,
    private readonly handlers: LiveLayerHandlers = {},
  ) {
    this.install();
    this.ageTimer = setInterval(() => this.drawIncidents(), AGE_REDRAW_MS);
    map.on('render', this.onRender);
    map.getContainer().dataset.unitStepMs = String(this.stepMs);
  }

  /** The current step interval of the unit source (ms). */
  get stepIntervalMs(): number {
    return this.stepMs;
  }

  /**
   * After a map frame, the next animation frame shows what it cost: with a GPU it comes at the next
   * refresh; drawn in software and read back, only once the main thread is free again.
   */
  private onRender = () => {
    this.rendersSinceStep++;
    if (this.costRaf || this.disposed) return;
    this.renderAt = performance.now();
    this.costRaf = requestAnimationFrame((t) => {
      this.costRaf = 0;
      const excess = Math.max(0, Math.max(t, performance.now()) - this.renderAt - FRAME_MS);
      this.frameCostMs = this.frameCostMs * 0.7 + excess * 0.3;
      this.retune();
    });
  };

  /** The step interval: an update's map frames take at most FRAME_BUDGET of the time. */
  private retune() {
    const step = Math.min(STEP_MAX_MS, Math.max(STEP_MIN_MS, (this.frameCostMs * this.rendersPerUpdate) / FRAME_BUDGET));
    // In 50 ms steps, so that the attribute below changes rarely.
    const rounded = Math.round(step / 50) * 50;
    if (rounded !== this.stepMs) {
      this.stepMs = rounded;
      this.map.getContainer().dataset.unitStepMs = String(rounded);
    }
  }

  private install() {
    const m = this.map;
    addLiveLayers(m);
    const tip = (layer: string) => {
      m.on('mousemove', layer, (e: MapLayerMouseEvent) => {
        const f = e.features?.[0];
        if (!f) return;
        m.getCanvas().style.cursor = 'pointer';
        this.popup.setLngLat(e.lngLat).setText(String(f.properties?.label ?? '')).addTo(m);
      });
      m.on('mouseleave', layer, () => {
        m.getCanvas().style.cursor = '';
        this.popup.remove();
      });
    };
    tip('d-incidents');
    tip('d-units');
    // A cluster: its incidents' labels; a click zooms in, or selects the most urgent when they share one point.
    m.on('mousemove', 'd-inc-cluster', (e: MapLayerMouseEvent) => {
      const f = e.features?.[0];
      if (!f) return;
      m.getCanvas().style.cursor = 'pointer';
      void this.clusterLeaves(f.properties?.cluster_id as number).then((leaves) => {
        if (leaves.length) this.popup.setLngLat(e.lngLat).setText(leaves.map((l) => String(l.properties?.label ?? '')).join('\n')).addTo(m);
      });
    });
    m.on('mouseleave', 'd-inc-cluster', () => {
      m.getCanvas().style.cursor = '';
      this.popup.remove();
    });
    m.on('click', 'd-inc-cluster', (e: MapLayerMouseEvent) => {
      const f = e.features?.[0];
      if (!f) return;
      const id = f.properties?.cluster_id as number;
      void this.clusterLeaves(id).then(async (leaves) => {
        const pts = new Set(leaves.map((l) => (l.geometry as Point).coordinates.join(',')));
        if (pts.size === 1) {
          const first = [...leaves].sort((a, b) => Number(a.properties?.rankNum) - Number(b.properties?.rankNum))[0];
          if (first) this.handlers.onIncidentClick?.(String(first.properties?.id));
          return;
        }
        const zoom = await this.source('d-incidents')?.getClusterExpansionZoom(id);
        if (zoom !== undefined) m.easeTo({ center: (f.geometry as Point).coordinates as [number, number], zoom });
      });
    });
    m.on('click', 'd-incidents', (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id as string | undefined;
      if (id) this.handlers.onIncidentClick?.(id);
    });
    m.on('click', 'd-units', (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id as string | undefined;
      if (id) this.handlers.onUnitClick?.(id);
    });
  }

  private async clusterLeaves(clusterId: number): Promise<Feature[]> {
    try {
      return ((await this.source('d-incidents')?.getClusterLeaves(clusterId, 50, 0)) ?? []) as Feature[];
    } catch {
      return [];
    }
  }

  private source(id: string): GeoJSONSource | undefined {
    if (this.disposed) return undefined;
    return this.map.getSource(id) as GeoJSONSource | undefined;
  }

  // ---------------------------------------------------------------- incidents

  setIncidents(items: LiveIncident[]) {
    this.incidents = items;
    this.drawIncidents();
  }

  private drawIncidents() {
    const now = Date.now();
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: this.incidents.map((i) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [i.lon, i.lat] },
        properties: { id: i.id, number: i.number, color: PRIORITY_COLOR[i.priority] ?? '#8c8c8c', ageMin: Math.max(0, (now - Date.parse(i.recordedAt)) / 60_000), label: i.label, rank: i.priority, rankNum: RANK[i.priority] ?? 9 },
      })),
    };
    // P1 on top.
    fc.features.sort((a, b) => String(b.properties?.rank).localeCompare(String(a.properties?.rank)));
    this.source('d-incidents')?.setData(fc);
  }

  selectIncident(id: string | null) {
    if (this.disposed) return;
    this.map.setFilter('d-inc-sel', ['==', ['get', 'id'], id ?? '']);
  }

  // ---------------------------------------------------------------- units

  private props(u: Pick<DispatchUnit, 'id' | 'callSign' | 'status' | 'stale' | 'position'>, label: string): UnitProps {
    return { id: u.id, callSign: u.callSign, status: u.status, color: UNIT_STATUS_COLOR[u.status] ?? '#8c8c8c', hollow: u.stale || !u.position ? 1 : 0, label };
  }

  /** The full list (REST): adds, removes, updates status and moves units whose position changed. */
  setUnits(list: DispatchUnit[], label: (u: DispatchUnit) => string) {
    const seen = new Set<string>();
    for (const u of list) {
      if (u.status === 'off_duty' || !u.active) continue;
      seen.add(u.id);
      const p = unitPoint(u);
      const props = this.props(u, label(u));
      const s = this.units.get(u.id);
      if (!s) {
        this.units.set(u.id, { props, shown: [p[0], p[1]], from: p, to: p, t0: 0, propsDirty: false, at: u.position ? Date.parse(u.position.at) : 0 });
        this.structureDirty = true;
        continue;
      }
      if (!sameProps(s.props, props)) {
        s.props = props;
        s.propsDirty = true;
        this.active.add(u.id);
      }
      // A REST answer can be older than the stream's last position.
      const at = u.position ? Date.parse(u.position.at) : 0;
      if (at >= s.at) {
        s.at = at;
        this.moveTo(u.id, s, p);
      }
    }
    for (const id of this.units.keys()) {
      if (seen.has(id)) continue;
      this.units.delete(id);
      this.active.delete(id);
      this.structureDirty = true;
    }
    this.schedule();
  }

  /** One position from the stream: only recorded here; the next step moves the unit. */
  position(p: { unitId: string; lon: number; lat: number; status?: string; at?: string }) {
    const s = this.units.get(p.unitId);
    if (!s) return;
    const at = p.at ? Date.parse(p.at) : 0;
    if (at && at < s.at) return;
    if (at) s.at = at;
    if ((p.status && p.status !== s.props.status) || s.props.hollow) {
      const status = p.status ?? s.props.status;
      s.props = { ...s.props, status, color: UNIT_STATUS_COLOR[status] ?? '#8c8c8c', hollow: 0 };
      s.propsDirty = true;
      this.active.add(p.unitId);
    }
    this.moveTo(p.unitId, s, [p.lon, p.lat]);
    this.schedule();
  }

  private moveTo(id: string, s: UnitState, p: [number, number]) {
    if (s.to[0] === p[0] && s.to[1] === p[1]) return;
    s.from = [s.shown[0], s.shown[1]];
    s.to = p;
    s.t0 = performance.now();
    this.active.add(id);
  }

  private schedule() {
    if (this.stepTimer || this.disposed || (!this.active.size && !this.structureDirty)) return;
    const wait = Math.max(0, this.lastStep + this.stepMs - performance.now());
    this.stepTimer = setTimeout(this.step, wait);
  }

  /** Moves the units under way to where they are now and sends the changes to the map. */
  private step = () => {
    this.stepTimer = null;
    const src = this.source('d-units');
    if (!src) return;
    const now = performance.now();
    // Frames the previous update caused (when this step follows it closely: no camera move in between counted).
    if (this.sentLastStep && now - this.lastStep <= 2 * this.stepMs + 100) {
      this.rendersPerUpdate = this.rendersPerUpdate * 0.7 + Math.min(4, Math.max(1, this.rendersSinceStep)) * 0.3;
      this.retune();
    }
    this.rendersSinceStep = 0;
    this.lastStep = now;
    const snap = this.stepMs >= SNAP_FROM_MS;
    const update: { id: string; newGeometry?: Point; addOrUpdateProperties?: { key: string; value: unknown }[] }[] = [];
    for (const id of this.active) {
      const s = this.units.get(id);
      if (!s) {
        this.active.delete(id);
        continue;
      }
      let moved = false;
      if (s.t0) {
        const k = snap ? 1 : Math.min(1, Math.max(0, (now - s.t0) / MOVE_MS));
        const lon = s.from[0] + (s.to[0] - s.from[0]) * k;
        const lat = s.from[1] + (s.to[1] - s.from[1]) * k;
        if (lon !== s.shown[0] || lat !== s.shown[1]) {
          s.shown = [lon, lat];
          moved = true;
        }
        if (k >= 1) s.t0 = 0;
      }
      if (!this.structureDirty && (moved || s.propsDirty)) {
        const u: (typeof update)[number] = { id };
        if (moved) u.newGeometry = { type: 'Point', coordinates: [s.shown[0], s.shown[1]] };
        if (s.propsDirty) u.addOrUpdateProperties = Object.entries(s.props).map(([key, value]) => ({ key, value }));
        update.push(u);
      }
      s.propsDirty = false;
      if (!s.t0) this.active.delete(id);
    }
    if (this.structureDirty) {
      this.structureDirty = false;
      const features: Feature<Point, UnitProps>[] = [];
      for (const s of this.units.values()) features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [s.shown[0], s.shown[1]] }, properties: s.props });
      void src.setData({ type: 'FeatureCollection', features }).catch(() => {});
      this.frames++;
      this.sentLastStep = true;
    } else if (update.length) {
      void src.updateData({ update }).catch(() => {});
      this.frames++;
      this.sentLastStep = true;
    } else this.sentLastStep = false;
    this.schedule();
  };

  selectUnit(id: string | null) {
    if (this.disposed) return;
    this.map.setFilter('d-units-sel', ['==', ['get', 'id'], id ?? '']);
  }

  // ---------------------------------------------------------------- route, coverage

  setRoute(f: RouteFeature | null) {
    this.source('d-route')?.setData(f ? { type: 'FeatureCollection', features: [f] } : EMPTY);
  }

  setCoverage(fc: CoverageCollection | null, farMinutes = 5) {
    if (!fc) {
      this.source('d-coverage')?.setData(EMPTY);
      return;
    }
    const features = fc.features.map((f) => {
      const max = (f.properties?.maxMinutes as number | null | undefined) ?? null;
      return { ...f, properties: { far: max === null || max > farMinutes ? 1 : 0 } };
    });
    this.source('d-coverage')?.setData({ type: 'FeatureCollection', features } as FeatureCollection);
  }

  destroy() {
    this.disposed = true;
    if (this.stepTimer) clearTimeout(this.stepTimer);
    if (this.costRaf) cancelAnimationFrame(this.costRaf);
    this.map.off('render', this.onRender);
    clearInterval(this.ageTimer);
    this.popup.remove();
  }
}
