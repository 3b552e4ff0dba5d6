/**
 * Which station and grid a point belongs to, from the units' polygons. Loaded once and kept in memory;
 * the org routes mark it stale when a polygon changes.
 */
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

/** A unit as other modules may know it: identity, place in the tree, and its polygon (stations, grids). */
export interface OrgUnitSummary {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
  path: string;
  polygon: unknown;
}

interface Snapshot {
  stations: Area[];
  grids: Area[];
  units: Map<string, OrgUnitSummary>;
  rootPath: string;
}

/**
 * The org module's public read API: the organisation tree in memory (every unit's path, name and
 * polygon) and the point → station/grid lookup. Other modules ask here instead of reading `org_units`.
 *
 * After the first load, a reload (a unit changed here or on another instance) keeps answering from the
 * previous snapshot until the new one is in: a lookup inside an open write transaction never waits for a
 * query (PGlite has one connection; that wait would never end).
 */
export class JurisdictionIndex {
  private current: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;

  constructor(private readonly db: Db) {}

  /** Reads the tree again; resolves once the new snapshot answers. */
  async invalidate(): Promise<void> {
    const next = this.load();
    this.loading = next;
    this.current = await next;
  }

  private load(): Promise<Snapshot> {
    return (async () => {
      const rows = await this.db.select().from(orgUnits);
      const root = rows.find((r) => r.parentId === null);
      return {
        stations: rows.filter((r) => r.kind === 'station').map(toArea).filter((a): a is Area => a !== null),
        grids: rows.filter((r) => r.kind === 'grid').map(toArea).filter((a): a is Area => a !== null),
        units: new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, kind: r.kind, parentId: r.parentId, path: r.path, polygon: r.polygon }])),
        rootPath: root?.path ?? '/',
      };
    })();
  }

  private async snapshot(): Promise<Snapshot> {
    if (this.current) return this.current;
    this.loading ??= this.load();
    this.current = await this.loading;
    return this.current;
  }

  /** The station (and grid) whose polygon holds the point, or null outside every station. */
  async locate(lon: number, lat: number): Promise<Located | null> {
    const snap = await this.snapshot();
    const station = snap.stations.find((s) => contains(s, lon, lat));
    if (!station) return null;
    const grid = snap.grids.find((g) => g.parentId === station.id && contains(g, lon, lat));
    return { stationId: station.id, stationCode: station.code, gridId: grid?.id ?? null };
  }

  async station(id: string): Promise<{ id: string; code: string; name: string; path: string } | null> {
    const u = (await this.snapshot()).units.get(id);
    return u && u.kind === 'station' ? { id: u.id, code: u.code, name: u.name, path: u.path } : null;
  }

  /** One unit of any kind, or null. */
  async unit(id: string): Promise<OrgUnitSummary | null> {
    return (await this.snapshot()).units.get(id) ?? null;
  }

  /** Every unit (for indexes other modules build: address jurisdiction, the simulator's city). */
  async units(kinds?: readonly string[]): Promise<OrgUnitSummary[]> {
    const all = [...(await this.snapshot()).units.values()];
    return kinds ? all.filter((u) => kinds.includes(u.kind)) : all;
  }

  /** Unit id → path, and the root's path. */
  async paths(): Promise<{ paths: Map<string, string>; rootPath: string }> {
    const snap = await this.snapshot();
    return { paths: new Map([...snap.units.values()].map((u) => [u.id, u.path])), rootPath: snap.rootPath };
  }
}
