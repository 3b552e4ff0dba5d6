/**
 * The demo city's landmarks (issue 11 #4), seeded once through the address module's public API
 * (AddressService.landmarks.insertGenerated) when the list is empty:
 *  - from the road data (roads.geojson): bridges (大橋), squares and forecourts (廣場, 前地) and
 *    roundabouts (圓形地) — the places a caller names at a junction — at the middle of their drawing,
 *    with the Portuguese name as another name;
 *  - assets/macau/landmarks.json: hotels, schools, hospitals, piers, the airport, border crossings,
 *    sights and public buildings, with their popular and English names.
 * Only places inside the demo organisation are kept (a point must fall in a station's jurisdiction).
 */
import { readFileSync } from 'node:fs';
import type { AddressService, LandmarkInput } from '../modules/addresses/index.js';
import type { RoadsFC } from './geometry.js';

const BRIDGE = /大橋$/;
const SQUARE = /(廣場|前地|圓形地)$/;
/** Parts of a structure that are not the place a caller means (a lane, a lower deck, an overpass). */
const SKIP = /天橋|電單車|專道|下層|通道|行車道/;

export type DemoLandmark = LandmarkInput & { source: 'demo' | 'roads' };

/** Bridges, squares and roundabouts of the road data, one per name, at the middle vertex of their drawing. */
export function landmarksFromRoads(roads: RoadsFC): DemoLandmark[] {
  const byName = new Map<string, { pt: string; coords: number[][] }>();
  for (const f of roads.features) {
    const p = f.properties as { name_zh?: string; name_pt?: string };
    const name = String(p.name_zh ?? '').replace(/\(.*\)$/, '').trim();
    if (!name || SKIP.test(name) || !(BRIDGE.test(name) || SQUARE.test(name))) continue;
    const e = byName.get(name) ?? byName.set(name, { pt: String(p.name_pt ?? '').trim(), coords: [] }).get(name)!;
    e.coords.push(...(f.geometry.coordinates as number[][]));
  }
  const out: DemoLandmark[] = [];
  for (const [name, { pt, coords }] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    // The vertex nearest the mean: on the bridge or the square itself, never beside a curved one.
    const mx = coords.reduce((s, c) => s + c[0], 0) / coords.length;
    const my = coords.reduce((s, c) => s + c[1], 0) / coords.length;
    const [lon, lat] = coords.reduce((best, c) => ((c[0] - mx) ** 2 + (c[1] - my) ** 2 < (best[0] - mx) ** 2 + (best[1] - my) ** 2 ? c : best));
    out.push({ name, aliases: pt ? [pt] : [], kind: BRIDGE.test(name) ? 'bridge' : 'square', lon, lat, source: 'roads' });
  }
  return out;
}

/** The list of well-known places (assets/macau/landmarks.json). */
export function curatedLandmarks(): DemoLandmark[] {
  const url = new URL('../../assets/macau/landmarks.json', import.meta.url);
  const file = JSON.parse(readFileSync(url, 'utf8')) as { landmarks: LandmarkInput[] };
  return file.landmarks.map((l) => ({ ...l, source: 'demo' }));
}

/** Seeds the demo landmarks when the list is empty (first start); places outside every station are left out. */
export async function seedDemoLandmarks(registry: AddressService, roads: RoadsFC, inside: (lon: number, lat: number) => boolean): Promise<number> {
  if ((await registry.landmarks.count()) > 0) return 0;
  const curated = curatedLandmarks();
  const names = new Set(curated.map((l) => l.name));
  const list = [...curated, ...landmarksFromRoads(roads).filter((l) => !names.has(l.name))].filter((l) => inside(l.lon, l.lat));
  return registry.landmarks.insertGenerated(list);
}
