/**
 * Which station and grid a point belongs to, from the units' polygons. Loaded once and kept in memory;
 * the org routes mark it stale when a polygon changes.
 */
import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUnits } from '../../db/schema.js';
import { pointInPolygon } from '../../core/geometry.js';

type Geometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

interface Area {
  id: string;
  code: string;
  parentId: string | null;
  path: string;
  bbox: [number, number, number, number];
  polygons: number[][][][];
}

function toArea(u: { id: string; code: string; parentId: string | null; path: string; polygon: unknown }): Area | null {
  const g = u.polygon as Geometry | null;
  if (!g) return null;
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of polygons) for (const [x, y] of p[0]) [minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)];
  return { id: u.id, code: u.code, parentId: u.parentId, path: u.path, bbox: [minX, minY, maxX, maxY], polygons };
}

const contains = (a: Area, lon: number, lat: number) =>
  lon >= a.bbox[0] && lon <= a.bbox[2] && lat >= a.bbox[1] && lat <= a.bbox[3] && a.polygons.some((p) => pointInPolygon(lon, lat, p));

export interface Located {
  stationId: string;
  stationCode: string;
  gridId: string | null;
}

export class JurisdictionIndex {
  private stations: Area[] = [];
  private grids: Area[] = [];
  private allStations = new Map<string, { id: string; code: string; path: string }>();
  private loaded: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  invalidate() {
    this.loaded = null;
  }

  private async ensure() {
    this.loaded ??= (async () => {
      const rows = await this.db.select().from(orgUnits).where(inArray(orgUnits.kind, ['station', 'grid']));
      this.stations = rows.filter((r) => r.kind === 'station').map(toArea).filter((a): a is Area => a !== null);
      this.grids = rows.filter((r) => r.kind === 'grid').map(toArea).filter((a): a is Area => a !== null);
      this.allStations = new Map(rows.filter((r) => r.kind === 'station').map((r) => [r.id, { id: r.id, code: r.code, path: r.path }]));
    })();
    return this.loaded;
  }

  /** The station (and grid) whose polygon holds the point, or null outside every station. */
  async locate(lon: number, lat: number): Promise<Located | null> {
    await this.ensure();
    const station = this.stations.find((s) => contains(s, lon, lat));
    if (!station) return null;
    const grid = this.grids.find((g) => g.parentId === station.id && contains(g, lon, lat));
    return { stationId: station.id, stationCode: station.code, gridId: grid?.id ?? null };
  }

  async station(id: string): Promise<{ id: string; code: string; path: string } | null> {
    await this.ensure();
    return this.allStations.get(id) ?? null;
  }
}
