/**
 * The live layers of the dispatcher console, drawn imperatively on the MapLibre map: open incidents
 * (colour by priority, a halo growing with the waiting time), units (colour by status, hollow when the
 * position is stale or missing) moving smoothly as positions arrive, the selected route and the
 * coverage layer.
 *
 * Units are one GeoJSON source whose feature objects are kept and updated in place: a new position
 * starts a 1 s interpolation, a requestAnimationFrame loop moves the coordinates and calls setData at
 * most once per frame, and only while something moves. React never re-renders per unit.
 */
import { Popup, type GeoJSONSource, type Map as MlMap, type MapLayerMouseEvent } from 'maplibre-gl';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { PRIORITY_COLOR, type Priority } from '../incidents/model';
import { UNIT_STATUS_COLOR, unitPoint, type CoverageCollection, type DispatchUnit, type RouteFeature } from './model';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const MOVE_MS = 1000;

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
interface Anim {
  feature: Feature<Point, UnitProps>;
  from: [number, number];
  to: [number, number];
  t0: number;
}

export interface LiveLayerHandlers {
  onIncidentClick?: (id: string) => void;
  onUnitClick?: (id: string) => void;
}

export class LiveLayers {
  private readonly units = new Map<string, Anim>();
  private readonly unitFc: FeatureCollection<Point, UnitProps> = { type: 'FeatureCollection', features: [] };
  private incidents: LiveIncident[] = [];
  private raf = 0;
  private ageTimer: ReturnType<typeof setInterval>;
  private popup = new Popup({ closeButton: false, closeOnClick: false, offset: 10, className: 'sw-map-tip' });
  private disposed = false;
  /** Frames drawn by the animation loop (for tests and tuning). */
  frames = 0;

  constructor(
    private readonly map: MlMap,
    private readonly handlers: LiveLayerHandlers = {},
  ) {
    this.install();
    this.ageTimer = setInterval(() => this.drawIncidents(), 1000);
  }

  private install() {
    const m = this.map;
    for (const id of ['d-coverage', 'd-route', 'd-incidents', 'd-units']) if (!m.getSource(id)) m.addSource(id, { type: 'geojson', data: EMPTY });
    m.addLayer({
      id: 'd-coverage',
      type: 'line',
      source: 'd-coverage',
      layout: { 'line-join': 'round', 'line-cap': 'round' },
      paint: {
        'line-color': ['case', ['==', ['get', 'far'], 1], '#e8342a', '#2f9e44'],
        'line-opacity': ['case', ['==', ['get', 'far'], 1], 0.85, 0.22],
        'line-width': ['interpolate', ['linear'], ['zoom'], 11, ['case', ['==', ['get', 'far'], 1], 1.6, 0.8], 16, ['case', ['==', ['get', 'far'], 1], 4, 2]],
      },
    });
    m.addLayer({ id: 'd-route-casing', type: 'line', source: 'd-route', layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 8, 'line-opacity': 0.9 } });
    m.addLayer({ id: 'd-route', type: 'line', source: 'd-route', layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': '#1554d1', 'line-width': 4.5 } });
    m.addLayer({
      id: 'd-inc-halo',
      type: 'circle',
      source: 'd-incidents',
      paint: {
        'circle-color': ['get', 'color'],
        'circle-opacity': 0.18,
        'circle-stroke-color': ['get', 'color'],
        'circle-stroke-width': 1,
        'circle-stroke-opacity': 0.45,
        // Waiting time in minutes → halo radius: a fresh call is a small ring, 30 min a large one.
        'circle-radius': ['interpolate', ['linear'], ['get', 'ageMin'], 0, 11, 5, 16, 15, 24, 30, 32, 60, 40],
      },
    });
    m.addLayer({
      id: 'd-inc-sel',
      type: 'circle',
      source: 'd-incidents',
      filter: ['==', ['get', 'id'], ''],
      paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#111827', 'circle-stroke-width': 3 },
    });
    m.addLayer({
      id: 'd-incidents',
      type: 'circle',
      source: 'd-incidents',
      paint: { 'circle-radius': 8, 'circle-color': ['get', 'color'], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 },
    });
    m.addLayer({
      id: 'd-units-sel',
      type: 'circle',
      source: 'd-units',
      filter: ['==', ['get', 'id'], ''],
      paint: { 'circle-radius': 12, 'circle-color': 'rgba(21,84,209,0.15)', 'circle-stroke-color': '#1554d1', 'circle-stroke-width': 2.5 },
    });
    m.addLayer({
      id: 'd-units',
      type: 'circle',
      source: 'd-units',
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 4, 15, 6.5],
        'circle-color': ['case', ['==', ['get', 'hollow'], 1], '#ffffff', ['get', 'color']],
        'circle-stroke-color': ['case', ['==', ['get', 'hollow'], 1], ['get', 'color'], '#ffffff'],
        'circle-stroke-width': ['case', ['==', ['get', 'hollow'], 1], 2.2, 1.5],
      },
    });

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
    m.on('click', 'd-incidents', (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id as string | undefined;
      if (id) this.handlers.onIncidentClick?.(id);
    });
    m.on('click', 'd-units', (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id as string | undefined;
      if (id) this.handlers.onUnitClick?.(id);
    });
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
        properties: { id: i.id, color: PRIORITY_COLOR[i.priority] ?? '#8c8c8c', ageMin: Math.max(0, (now - Date.parse(i.recordedAt)) / 60_000), label: i.label, rank: i.priority },
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
      const a = this.units.get(u.id);
      if (!a) {
        const feature: Feature<Point, UnitProps> = { type: 'Feature', geometry: { type: 'Point', coordinates: [...p] }, properties: this.props(u, label(u)) };
        this.units.set(u.id, { feature, from: p, to: p, t0: 0 });
        this.unitFc.features.push(feature);
      } else {
        a.feature.properties = this.props(u, label(u));
        this.moveTo(a, p);
      }
    }
    if (seen.size !== this.units.size) {
      for (const id of [...this.units.keys()]) if (!seen.has(id)) this.units.delete(id);
      this.unitFc.features = [...this.units.values()].map((a) => a.feature);
    }
    this.kick(true);
  }

  /** One position from the stream. */
  position(p: { unitId: string; lon: number; lat: number; status?: string }) {
    const a = this.units.get(p.unitId);
    if (!a) return;
    if (p.status && p.status !== a.feature.properties.status) a.feature.properties = { ...a.feature.properties, status: p.status, color: UNIT_STATUS_COLOR[p.status] ?? '#8c8c8c' };
    a.feature.properties = { ...a.feature.properties, hollow: 0 };
    this.moveTo(a, [p.lon, p.lat]);
    this.kick(false);
  }

  private moveTo(a: Anim, p: [number, number]) {
    if (a.to[0] === p[0] && a.to[1] === p[1]) return;
    const cur = a.feature.geometry.coordinates as [number, number];
    a.from = [cur[0], cur[1]];
    a.to = p;
    a.t0 = performance.now();
  }

  private dirty = false;
  private kick(redraw: boolean) {
    if (redraw) this.dirty = true;
    if (!this.raf && !this.disposed) this.raf = requestAnimationFrame(this.frame);
  }

  private frame = (t: number) => {
    this.raf = 0;
    let moving = false;
    for (const a of this.units.values()) {
      if (!a.t0) continue;
      const k = Math.min(1, (t - a.t0) / MOVE_MS);
      const e = k < 0 ? 0 : k * (2 - k); // ease-out
      const c = a.feature.geometry.coordinates;
      c[0] = a.from[0] + (a.to[0] - a.from[0]) * e;
      c[1] = a.from[1] + (a.to[1] - a.from[1]) * e;
      if (k >= 1) a.t0 = 0;
      else moving = true;
      this.dirty = true;
    }
    if (this.dirty) {
      this.source('d-units')?.setData(this.unitFc);
      this.frames++;
      this.dirty = false;
    }
    if (moving) this.kick(false);
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
    if (this.raf) cancelAnimationFrame(this.raf);
    clearInterval(this.ageTimer);
    this.popup.remove();
  }
}
