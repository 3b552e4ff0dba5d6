/** Road classes cars may use, their default speeds (speeds.json), and `maxspeed` parsing. */
import { readFileSync } from 'node:fs';
import { RoadImportError } from './errors.js';

export interface SpeedProfile {
  /** km/h per highway class; classes absent here are not car-routable. */
  speeds: Record<string, number>;
  /** km/h for roads whose class is unknown (GeoJSON layers without `highway`). */
  fallback: number;
  /** Multiplies a parsed maxspeed (e.g. 0.8 to model traffic). */
  maxspeedFactor: number;
}

const DEFAULT_PROFILE_URL = new URL('./speeds.json', import.meta.url);

export function loadSpeedProfile(file?: string): SpeedProfile {
  const path = file ?? DEFAULT_PROFILE_URL;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new RoadImportError(`cannot read the speed configuration ${String(path)}: ${(err as Error).message}`);
  }
  const p = parsed as Partial<SpeedProfile>;
  if (!p || typeof p !== 'object' || !p.speeds || typeof p.speeds !== 'object') {
    throw new RoadImportError(`speed configuration ${String(path)} must have a "speeds" object of km/h per highway class`);
  }
  for (const [cls, v] of Object.entries(p.speeds)) {
    if (typeof v !== 'number' || !(v > 0)) throw new RoadImportError(`speed configuration: speed of "${cls}" must be a positive number of km/h`);
  }
  return { speeds: p.speeds, fallback: typeof p.fallback === 'number' && p.fallback > 0 ? p.fallback : 25, maxspeedFactor: typeof p.maxspeedFactor === 'number' && p.maxspeedFactor > 0 ? p.maxspeedFactor : 1 };
}

/** "50", "30 mph", "50;70", "walk", "none", "DE:urban" → km/h, or null when not a usable number. */
export function parseMaxspeed(value: string | undefined | null): number | null {
  if (value === undefined || value === null) return null;
  const v = String(value).trim().toLowerCase();
  if (v === 'walk') return 7;
  const m = /^(\d+(?:\.\d+)?)\s*(mph|knots|km\/h|kmh|kph)?/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  if (!(n > 0)) return null;
  if (m[2] === 'mph') return n * 1.609344;
  if (m[2] === 'knots') return n * 1.852;
  return n;
}

/** Parses an OSM/GeoJSON `oneway` value: 1 along the geometry, -1 against it, 0 both, null = not stated. */
export function parseOneway(value: unknown): 1 | -1 | 0 | null {
  if (value === undefined || value === null || value === '') return null;
  if (value === true || value === 1) return 1;
  if (value === false || value === 0) return 0;
  if (value === -1) return -1;
  const v = String(value).trim().toLowerCase();
  if (v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === '-1' || v === 'reverse') return -1;
  if (v === 'no' || v === 'false' || v === '0') return 0;
  return null;
}

/** Highway classes where one-way is implied unless tagged otherwise. */
export function impliedOneway(highway: string, junction: string | undefined): boolean {
  return highway === 'motorway' || junction === 'roundabout' || junction === 'circular';
}
