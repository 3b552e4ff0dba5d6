/**
 * A map without external tiles or glyphs: water and land, the city's road network from
 * GET /api/v1/roads with street names, unit polygons as GeoJSON fill + outline layers and place
 * names. Label fonts come from our own origin (see mapStyle.ts); names also show in a hover tooltip.
 */
import { useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Spin, Typography } from 'antd';
import {
  AttributionControl,
  Map as MlMap,
  NavigationControl,
  Popup,
  ScaleControl,
  setWorkerUrl,
  type GeoJSONSource,
  type LngLatBoundsLike,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { useTranslation } from 'react-i18next';
import { api, type RoadCollection, type UnitCollection, type UnitKind } from '../api';
import { baseStyle, LOCAL_CJK_FONTS } from './mapStyle';

setWorkerUrl(workerUrl);

/** Distinct, muted colours for station jurisdictions (readable on the light background). */
export const UNIT_PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf',
  '#8c564b', '#e377c2', '#bcbd22', '#3f51b5', '#009688', '#c2185b',
];

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
const DEFAULT_CENTER: [number, number] = [113.5439, 22.1987];

export function useRoads(enabled = true) {
  return useQuery({
    queryKey: ['roads'],
    queryFn: () => api<RoadCollection>('/api/v1/roads'),
    staleTime: Infinity,
    gcTime: Infinity,
    enabled,
  });
}

export interface MapViewProps {
  /** Filled polygons, one colour each (stations). */
  areas?: UnitCollection | null;
  /** Dashed outlines (grids). */
  outlines?: UnitCollection | null;
  /** A geometry drawn on top and zoomed to (the selected unit, the user's jurisdiction). */
  highlight?: Polygon | MultiPolygon | null;
  onSelect?: (id: string) => void;
  roads?: boolean;
  height?: CSSProperties['height'];
  legend?: ReactNode;
  testId?: string;
  /** Points drawn as circles on top (incidents, the chosen address). */
  points?: MapPoint[] | null;
  /** Names drawn on the map (stations at their polygon's centre). */
  places?: MapPlace[] | null;
  /** Centre on this point (zoomed in) whenever it changes. */
  focus?: { lon: number; lat: number } | null;
  /** A click anywhere on the map (picking a point). */
  onPick?: (lon: number, lat: number) => void;
  /**
   * The map once its style is loaded (null when it goes away), for pages that draw live layers
   * imperatively (the dispatcher console: units moving without React re-renders).
   */
  onMap?: (map: MlMap | null) => void;
}

export interface MapPlace {
  lon: number;
  lat: number;
  name: string;
}

export interface MapPoint {
  lon: number;
  lat: number;
  color?: string;
  /** Radius in pixels (default 7). */
  size?: number;
}

function eachPosition(g: Geometry, f: (p: Position) => void) {
  switch (g.type) {
    case 'Point':
      f(g.coordinates);
      break;
    case 'MultiPoint':
    case 'LineString':
      g.coordinates.forEach(f);
      break;
    case 'MultiLineString':
    case 'Polygon':
      g.coordinates.forEach((r) => r.forEach(f));
      break;
    case 'MultiPolygon':
      g.coordinates.forEach((p) => p.forEach((r) => r.forEach(f)));
      break;
    case 'GeometryCollection':
      g.geometries.forEach((x) => eachPosition(x, f));
      break;
  }
}

export function boundsOf(geoms: Iterable<Geometry | null | undefined>): LngLatBoundsLike | null {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const g of geoms) {
    if (!g) continue;
    eachPosition(g, ([x, y]) => {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    });
  }
  if (!Number.isFinite(minX)) return null;
  return [
    [minX, minY],
    [maxX, maxY],
  ];
}

function webglAvailable(): boolean {
  try {
    const c = document.createElement('canvas');
    return !!(c.getContext('webgl2') || c.getContext('webgl'));
  } catch {
    return false;
  }
}

/** The sources of our own base style: drawn with these loaded, the map shows what it is for. */
const BASE_SOURCES = ['roads', 'areas', 'outlines', 'highlight'] as const;

export default function MapView({ areas, outlines, highlight, onSelect, roads = true, height = 480, legend, testId, points, places, focus, onPick, onMap }: MapViewProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MlMap | null>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  const fittedRef = useRef(false);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  const tRef = useRef(t);
  tRef.current = t;
  const onMapRef = useRef(onMap);
  onMapRef.current = onMap;

  const roadsQ = useRoads(roads);

  const coloured = useMemo(() => {
    if (!areas) return null;
    return {
      ...areas,
      features: areas.features.map((f, i) => ({ ...f, properties: { ...f.properties, color: UNIT_PALETTE[i % UNIT_PALETTE.length] } })),
    };
  }, [areas]);

  // Create the map once.
  useEffect(() => {
    if (!container.current) return;
    if (!webglAvailable()) {
      setFailed(true);
      return;
    }
    let map: MlMap;
    try {
      map = new MlMap({
        container: container.current,
        style: baseStyle(),
        center: DEFAULT_CENTER,
        zoom: 12,
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        touchPitch: false,
        fadeDuration: 0,
        localIdeographFontFamily: LOCAL_CJK_FONTS,
      });
    } catch {
      setFailed(true);
      return;
    }
    // For the browser tests (queryRenderedFeatures, getStyle): the map hangs on its container.
    (container.current as HTMLDivElement & { swMap?: MlMap }).swMap = map;
    map.touchZoomRotate.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    map.addControl(new AttributionControl({ compact: false, customAttribution: '© OpenStreetMap contributors, ODbL' }), 'bottom-right');

    const popup = new Popup({ closeButton: false, closeOnClick: false, offset: 8, className: 'sw-map-tip' });
    const hover = (layer: string) => {
      map.on('mousemove', layer, (e) => {
        const f = e.features?.[0];
        if (!f) return;
        map.getCanvas().style.cursor = onSelectRef.current ? 'pointer' : '';
        const p = f.properties as { name?: string; code?: string; kind?: UnitKind };
        const kind = p.kind ? tRef.current(`kind_${p.kind}`) : '';
        popup.setLngLat(e.lngLat).setText(`${p.name ?? ''}${kind ? ` · ${kind}` : ''}${p.code ? ` (${p.code})` : ''}`).addTo(map);
      });
      map.on('mouseleave', layer, () => {
        map.getCanvas().style.cursor = '';
        popup.remove();
      });
      map.on('click', layer, (e) => {
        const id = e.features?.[0]?.properties?.id as string | undefined;
        if (id && onSelectRef.current) onSelectRef.current(id);
      });
    };
    hover('areas-fill');
    map.on('click', (e) => onPickRef.current?.(e.lngLat.lng, e.lngLat.lat));
    if (onPickRef.current) map.getCanvas().style.cursor = 'crosshair';

    map.on('load', () => setReady(true));
    mapRef.current = map;
    const ro = new ResizeObserver(() => map.resize());
    ro.observe(container.current);
    return () => {
      ro.disconnect();
      popup.remove();
      map.remove();
      mapRef.current = null;
      setReady(false);
    };
  }, []);

  useEffect(() => {
    if (!ready || !mapRef.current) return;
    const map = mapRef.current;
    onMapRef.current?.(map);
    return () => onMapRef.current?.(null);
  }, [ready]);

  // Feed the sources.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    (map.getSource('roads') as GeoJSONSource | undefined)?.setData(roadsQ.data ?? EMPTY);
  }, [ready, roadsQ.data]);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    (map.getSource('areas') as GeoJSONSource | undefined)?.setData((coloured as FeatureCollection | null) ?? EMPTY);
    (map.getSource('outlines') as GeoJSONSource | undefined)?.setData((outlines as FeatureCollection | null | undefined) ?? EMPTY);
  }, [ready, coloured, outlines]);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const fc: FeatureCollection = highlight ? { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: highlight, properties: {} }] } : EMPTY;
    (map.getSource('highlight') as GeoJSONSource | undefined)?.setData(fc);
  }, [ready, highlight]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: (points ?? []).map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { color: p.color ?? null, size: p.size ?? null } })),
    };
    (map.getSource('points') as GeoJSONSource | undefined)?.setData(fc);
  }, [ready, points]);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: (places ?? []).map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { name: p.name } })),
    };
    (map.getSource('places') as GeoJSONSource | undefined)?.setData(fc);
  }, [ready, places]);
  const focusLon = focus?.lon;
  const focusLat = focus?.lat;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready || focusLon === undefined || focusLat === undefined) return;
    map.easeTo({ center: [focusLon, focusLat], zoom: Math.max(map.getZoom(), 16), duration: fittedRef.current ? 400 : 0 });
    fittedRef.current = true;
  }, [ready, focusLon, focusLat]);

  // Fit: to the highlight when there is one, else once to the polygons, else to the roads.
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    const padding = Math.min(40, Math.round(Math.min(map.getContainer().clientWidth, map.getContainer().clientHeight) / 8));
    if (highlight) {
      const b = boundsOf([highlight]);
      if (b) map.fitBounds(b, { padding, maxZoom: 15.5, duration: fittedRef.current ? 400 : 0 });
      fittedRef.current = true;
      return;
    }
    if (fittedRef.current) return;
    const fromUnits = boundsOf([...(areas?.features ?? []), ...(outlines?.features ?? [])].map((f) => f.geometry));
    const b = fromUnits ?? (roadsQ.data ? boundsOf(roadsQ.data.features.map((f) => f.geometry)) : null);
    if (b) {
      map.fitBounds(b, { padding, maxZoom: 16, duration: 0 });
      fittedRef.current = true;
    }
  }, [ready, highlight, areas, outlines, roadsQ.data]);

  // For tests and screen readers: 'ready' once the map is drawn with its data.
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !ready) return;
    setIdle(false);
    // 'idle' needs a moment with nothing to draw; a map whose units move may never have one on a slow
    // machine (each step's setData re-tiles the live sources before the last one is done), so a frame
    // drawn with the base sources loaded counts as well: the live layers are not what 'ready' is about.
    const done = () => {
      setIdle(true);
      map.off('idle', done);
      map.off('render', drawn);
    };
    const drawn = () => {
      if (BASE_SOURCES.every((id) => !map.getSource(id) || map.isSourceLoaded(id))) done();
    };
    map.on('idle', done);
    map.on('render', drawn);
    return () => {
      map.off('idle', done);
      map.off('render', drawn);
    };
    // Not on every change of the live points or places: on a wall fed by the stream they change more often
    // than the map reaches idle, and the map would never be 'ready'.
  }, [ready, roadsQ.data, coloured, outlines, highlight, focusLon, focusLat]);
  const state = failed ? 'failed' : ready && idle && (!roads || !!roadsQ.data) ? 'ready' : 'loading';

  return (
    <div className="sw-map" style={{ height }} data-testid={testId} data-state={state}>
      {failed ? (
        <div className="sw-map-fallback">
          <Typography.Text type="secondary">{t('mapNoWebGL')}</Typography.Text>
        </div>
      ) : (
        <div ref={container} className="sw-map-canvas" />
      )}
      {!failed && roads && roadsQ.isLoading && (
        <div className="sw-map-loading">
          <Spin size="small" /> <span>{t('mapLoadingRoads')}</span>
        </div>
      )}
      {legend && <div className="sw-map-legend">{legend}</div>}
    </div>
  );
}
