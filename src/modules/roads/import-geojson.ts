/**
 * GeoJSON road layers (what city GIS departments export): LineString / MultiLineString features
 * with optional `highway`, `oneway`, `maxspeed`, `name`, and explicit travel times
 * `travel_time_s` / `reverse_travel_time_s` that override speeds. Lines connect where they share
 * an identical coordinate (end or inner point).
 */
import { RoadImportError } from './errors.js';
import type { RawNetwork, RawWay, WayCost } from './network.js';
import { impliedOneway, parseMaxspeed, parseOneway, type SpeedProfile } from './speeds.js';
import type { ProgressFn } from './import-osm.js';

type Position = number[];

function isPosition(p: unknown): p is Position {
  return Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

/** Explicit time for one direction: a non-negative number; absent, null or negative means closed. */
function explicitTime(v: unknown): WayCost | null {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) && n >= 0 ? { totalSeconds: n } : null;
}

export function importGeoJson(doc: unknown, profile: SpeedProfile, onProgress?: ProgressFn): { network: RawNetwork; stats: { features: number; roads: number; skipped: number } } {
  if (!doc || typeof doc !== 'object') throw new RoadImportError('not GeoJSON: expected a JSON object');
  const d = doc as { type?: unknown; features?: unknown };
  let features: unknown[];
  if (d.type === 'FeatureCollection') {
    if (!Array.isArray(d.features)) throw new RoadImportError('not GeoJSON: FeatureCollection without a "features" array');
    features = d.features;
  } else if (d.type === 'Feature') features = [d];
  else throw new RoadImportError(`not a GeoJSON road layer: expected a FeatureCollection, found type ${JSON.stringify(d.type ?? null)}`);
  if (features.length === 0) throw new RoadImportError('the GeoJSON FeatureCollection is empty');

  const nodeIndex = new Map<string, number>();
  const lon: number[] = [];
  const lat: number[] = [];
  const nodeOf = (p: Position) => {
    const key = `${p[0]},${p[1]}`;
    let i = nodeIndex.get(key);
    if (i === undefined) {
      i = lon.length;
      lon.push(p[0]);
      lat.push(p[1]);
      nodeIndex.set(key, i);
    }
    return i;
  };

  const ways: RawWay[] = [];
  let roads = 0;
  let skipped = 0;
  const progressEvery = Math.max(1, Math.floor(features.length / 100));
  features.forEach((f, index) => {
    if (index % progressEvery === 0) onProgress?.(index / features.length, 'features');
    if (!f || typeof f !== 'object') throw new RoadImportError(`feature at index ${index} is not an object`);
    const feature = f as { geometry?: { type?: unknown; coordinates?: unknown } | null; properties?: Record<string, unknown> | null };
    const g = feature.geometry;
    if (!g || typeof g !== 'object') throw new RoadImportError(`feature at index ${index} has no geometry`);
    let lines: unknown[];
    if (g.type === 'LineString') lines = [g.coordinates];
    else if (g.type === 'MultiLineString') {
      if (!Array.isArray(g.coordinates)) throw new RoadImportError(`feature at index ${index}: MultiLineString without coordinates`);
      lines = g.coordinates;
    } else {
      // Points, polygons etc. in a road layer are not roads; skip them rather than fail.
      skipped++;
      return;
    }
    const props = feature.properties ?? {};
    const highway = typeof props.highway === 'string' && props.highway ? props.highway : 'road';
    if (typeof props.highway === 'string' && props.highway && profile.speeds[highway] === undefined && !('travel_time_s' in props) && !('reverse_travel_time_s' in props)) {
      skipped++; // footway, cycleway … in a mixed layer
      return;
    }
    const name = typeof props.name === 'string' ? props.name : '';
    let oneway = parseOneway(props.oneway);
    if (oneway === null) oneway = impliedOneway(highway, typeof props.junction === 'string' ? props.junction : undefined) ? 1 : 0;
    let forward: WayCost | null;
    let backward: WayCost | null;
    const timed = 'travel_time_s' in props || 'reverse_travel_time_s' in props;
    if (timed) {
      forward = explicitTime(props.travel_time_s);
      backward = explicitTime(props.reverse_travel_time_s);
      oneway = forward && backward ? 0 : forward ? 1 : backward ? -1 : oneway;
    } else {
      const speedKmh = (parseMaxspeed(props.maxspeed as string | undefined) ?? NaN) * profile.maxspeedFactor || profile.speeds[highway] || profile.fallback;
      forward = oneway === -1 ? null : { speedKmh };
      backward = oneway === 1 ? null : { speedKmh };
    }
    if (!forward && !backward) {
      skipped++;
      return;
    }
    // A travel time belongs to the whole feature: spread over a MultiLineString's parts by length.
    const parts: number[][] = [];
    for (const line of lines) {
      if (!Array.isArray(line)) throw new RoadImportError(`feature at index ${index}: coordinates are not an array of positions`);
      const nodes: number[] = [];
      for (const p of line) {
        if (!isPosition(p)) throw new RoadImportError(`feature at index ${index}: invalid position ${JSON.stringify(p)}`);
        if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) throw new RoadImportError(`feature at index ${index}: position ${JSON.stringify(p)} is not [longitude, latitude] in degrees`);
        nodes.push(nodeOf(p));
      }
      if (nodes.length >= 2) parts.push(nodes);
    }
    if (parts.length === 0) {
      skipped++;
      return;
    }
    roads++;
    if (parts.length === 1 || !timed) {
      for (const nodes of parts) ways.push({ nodes, name, highway, oneway, forward, backward });
      return;
    }
    const partLengths = parts.map((nodes) => {
      let len = 0;
      for (let i = 1; i < nodes.length; i++) len += Math.hypot(lon[nodes[i]] - lon[nodes[i - 1]], lat[nodes[i]] - lat[nodes[i - 1]]);
      return len;
    });
    const total = partLengths.reduce((a, b) => a + b, 0);
    parts.forEach((nodes, k) => {
      const share = total > 0 ? partLengths[k] / total : 1 / parts.length;
      const scale = (c: WayCost | null): WayCost | null => (c && 'totalSeconds' in c ? { totalSeconds: c.totalSeconds * share } : c);
      ways.push({ nodes, name, highway, oneway, forward: scale(forward), backward: scale(backward) });
    });
  });
  onProgress?.(1, 'features');
  if (ways.length === 0) throw new RoadImportError(`no roads in the GeoJSON: none of its ${features.length} features is a drivable LineString or MultiLineString`);
  return { network: { lon, lat, ways }, stats: { features: features.length, roads, skipped } };
}
