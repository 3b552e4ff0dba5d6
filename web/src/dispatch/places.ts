/**
 * Station names for the dispatcher's map: one point per station polygon (its area centroid, or the
 * middle of its box when the centroid falls outside a concave polygon), from GET /api/v1/org/geojson.
 */
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { api, type UnitCollection } from '../api';
import type { MapPlace } from '../components/MapView';

function ringCentroid(ring: Position[]): { x: number; y: number; a: number } {
  let a = 0,
    x = 0,
    y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    a += f;
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
  }
  return a === 0 ? { x: ring[0]?.[0] ?? 0, y: ring[0]?.[1] ?? 0, a: 0 } : { x: x / (3 * a), y: y / (3 * a), a: a / 2 };
}

function inRing(p: [number, number], ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A point to write a polygon's name at: the centroid of its largest part when inside it. */
export function labelPoint(g: Polygon | MultiPolygon): [number, number] | null {
  const parts = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let best: { x: number; y: number; a: number; ring: Position[] } | null = null;
  for (const p of parts) {
    if (!p[0]?.length) continue;
    const c = ringCentroid(p[0]);
    if (!best || Math.abs(c.a) > Math.abs(best.a)) best = { ...c, ring: p[0] };
  }
  if (!best) return null;
  if (inRing([best.x, best.y], best.ring)) return [best.x, best.y];
  const xs = best.ring.map((q) => q[0]);
  const ys = best.ring.map((q) => q[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

export function useStations() {
  return useQuery({ queryKey: ['org', 'geojson', 'station'], queryFn: () => api<UnitCollection>('/api/v1/org/geojson', { query: { kind: 'station' } }), staleTime: 300_000 });
}

/** Station names at their polygons' label points. */
export function useStationPlaces(stations: UnitCollection | undefined): MapPlace[] {
  return useMemo(
    () =>
      (stations?.features ?? []).flatMap((f) => {
        const p = f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon') ? labelPoint(f.geometry) : null;
        return p ? [{ lon: p[0], lat: p[1], name: String(f.properties?.name ?? '') }] : [];
      }),
    [stations],
  );
}
