/**
 * Hot spots (issue 16): located incidents counted per H3 cell (resolution 9, CELL_RESOLUTION) in the
 * rollup `analytics_incident_cells`, recounted per stale hour like the hourly rollup (recounters.ts).
 * hotspot-routes.ts reads them back for a span, summed to a coarser resolution, against last year.
 *
 * The cell is computed here, in JS (h3-js), not in SQL: PGlite has no H3 extension, and a database
 * without it must count the same.
 */
import { sql } from 'drizzle-orm';
import { latLngToCell } from 'h3-js';
import { queryRows, type Db } from '../../db/client.js';
import type { HourRecounter } from './recounters.js';
import { dayChunks, type HourSet } from './hour-sets.js';
import { CELL_RESOLUTION } from './cells-schema.js';

/** The incident's cell at CELL_RESOLUTION, or null for coordinates h3 cannot place. */
export function cellOf(lat: number, lon: number): string | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  try {
    return latLngToCell(lat, lon, CELL_RESOLUTION);
  } catch {
    return null;
  }
}

/** One located incident: [hour start (epoch seconds), lat, lon, station, grid ('' for none), family, weight]. */
type Located = [number, number, number, string, string, string, number];

/**
 * Recounts the cells of the given hours (same rules as the hourly rollup: incidents not merged into
 * another, by recorded_at; plus a location). A round's hours are counted at once (bounded by the round); a
 * rebuild's range a day at a time, so memory stays bounded whatever the range.
 */
export const incidentCellCounts: HourRecounter = async (t, hs) => {
  await t.execute(sql`delete from analytics_incident_cells where ${hs.rows}`);
  if (!hs.range) return countCells(t, hs);
  for (const day of dayChunks(hs.range)) await countCells(t, day);
};

/** A cell row of the hour tier (analytics_incident_cells). */
export interface CellEntry { hour: string; cell: string; station_id: string; grid_id: string; family: string; n: number }

/**
 * The cell rows of the incidents `hs` binds: n sums `weight` (1 for a recount; a delta's sign for a
 * round's deltas, deltas.ts), rows summing to zero left out. The incidents come back as one JSON text (on
 * PGlite a third faster than as rows).
 */
export async function cellEntries(t: Db, hs: HourSet, weight = sql`1`): Promise<CellEntry[]> {
  const [got] = await queryRows<{ j: string }>(
    t,
    sql`select coalesce(json_agg(json_build_array(extract(epoch from ${hs.hour})::bigint, i.lat, i.lon, i.station_id, coalesce(i.grid_id, ''), i.category_family, ${weight})), '[]')::text as j
        from ${hs.from}
        where ${hs.where} and i.master_id is null and i.lat is not null and i.lon is not null`,
  );
  const located = JSON.parse(got?.j ?? '[]') as Located[];
  const hourOf = new Map<number, string>();
  const counts = new Map<string, CellEntry>();
  for (const [epoch, lat, lon, station, grid, family, w] of located) {
    const cell = cellOf(Number(lat), Number(lon));
    if (!cell) continue;
    let hour = hourOf.get(epoch);
    if (!hour) hourOf.set(epoch, (hour = new Date(epoch * 1000).toISOString()));
    const key = `${hour}\u0000${cell}\u0000${station}\u0000${grid}\u0000${family}`;
    const row = counts.get(key);
    if (row) row.n += Number(w);
    else counts.set(key, { hour, cell, station_id: station, grid_id: grid, family, n: Number(w) });
  }
  return [...counts.values()].filter((r) => r.n !== 0);
}

/** Inserts cell rows into `table` (the rollup, or a round's change table) in one statement whatever their number (one JSON parameter, so no limit on bind parameters). */
export async function insertCellEntries(t: Db, table: string, rows: readonly CellEntry[]): Promise<void> {
  if (!rows.length) return;
  await t.execute(sql`
    insert into ${sql.raw(table)} (hour, cell, station_id, grid_id, family, n)
    select hour, cell, station_id, grid_id, family, n
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(hour timestamptz, cell text, station_id text, grid_id text, family text, n int)`);
}

/** Counts the cells of the given hours into the (cleared) rollup. */
async function countCells(t: Db, hs: HourSet): Promise<void> {
  await insertCellEntries(t, 'analytics_incident_cells', await cellEntries(t, hs));
}
