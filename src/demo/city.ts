/** The demo city (Macau): its road network asset and the organisation generated from it. */
import { readFileSync } from 'node:fs';
import { DEFAULT_DEMO_SEED, generateDemoOrg, type DemoUnit, type RoadsFC } from './geometry.js';

export type { DemoUnit, RoadsFC } from './geometry.js';

/** Reads `assets/macau/roads.geojson` (FeatureCollection of LineStrings, [lon, lat]). */
export function loadDemoRoads(): RoadsFC {
  const url = new URL('../../assets/macau/roads.geojson', import.meta.url);
  const fc = JSON.parse(readFileSync(url, 'utf8')) as RoadsFC;
  if (!fc || !Array.isArray(fc.features)) throw new Error(`demo roads: ${url.pathname} is not a FeatureCollection`);
  return fc;
}

const cache = new Map<number, DemoUnit[]>();

/** The demo organisation for a seed (memoised per seed; callers must not mutate the result). */
export function demoOrganisation(seed: number = DEFAULT_DEMO_SEED): DemoUnit[] {
  let units = cache.get(seed);
  if (!units) {
    units = generateDemoOrg(loadDemoRoads(), seed);
    cache.set(seed, units);
  }
  return units;
}
