/**
 * The hot spots of a report (src/modules/reports): the busiest H3 cells of a span, each against the same
 * cell in last year's fair span with the change judged (hotspot-routes.ts' hotCells, the Poisson test),
 * and each with what a reader can place: its centre and the station that holds most of its incidents.
 * Whole days, or cut as the report's comparison is (never by the clock): the same data gives the same cells.
 */
import { sql } from 'drizzle-orm';
import { cellToLatLng, cellToParent } from 'h3-js';
import type { Principal } from '../../core/access.js';
import { queryRows, type Db } from '../../db/client.js';
import { rollupScope } from './rollups.js';
import { comparedInstants } from './figures.js';
import { cellCounts, hotCells, toResolution, type HotCell } from './hotspot-routes.js';
import { CELL_RESOLUTION } from './cells-schema.js';
import type { Comparison } from './domain/periods.js';

export interface ReportHotCell extends HotCell {
  /** The cell's centre, rounded to 4 decimals (about 10 m). */
  lat: number;
  lon: number;
  /** The station with most of the cell's incidents in the span (the lowest id on a tie). */
  stationId: string;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The top `limit` cells with incidents in the span at `resolution` (7–9), and how many cells had any. */
export async function reportHotSpots(db: Db, p: Principal, cmp: Comparison, resolution: number, limit: number): Promise<{ cells: ReportHotCell[]; total: number }> {
  // A span that holds today is cut where the report's other figures are (reportCut).
  const { current: a, previous: b } = comparedInstants(cmp);
  const rows = await queryRows<{ cell: string; station_id: string; n: number }>(
    db,
    sql`select cell, station_id, sum(n)::int as n from analytics_incident_cells
        where hour >= ${a.from.toISOString()}::timestamptz and hour < ${a.to.toISOString()}::timestamptz and ${rollupScope(p) ?? sql`true`}
        group by cell, station_id`,
  );
  const fine = new Map<string, number>();
  const byStation = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const n = Number(r.n);
    fine.set(r.cell, (fine.get(r.cell) ?? 0) + n);
    const parent = resolution === CELL_RESOLUTION ? r.cell : cellToParent(r.cell, resolution);
    const m = byStation.get(parent) ?? new Map<string, number>();
    m.set(r.station_id, (m.get(r.station_id) ?? 0) + n);
    byStation.set(parent, m);
  }
  const now = toResolution(fine, resolution);
  const before = await cellCounts(db, p, b.from, b.to, null, resolution);
  const judged = hotCells(now, before, cmp.days, Number.MAX_SAFE_INTEGER).cells.filter((c) => c.count > 0);
  const cells = judged.slice(0, limit).map((c) => {
    const [lat, lon] = cellToLatLng(c.cell);
    const stations = [...(byStation.get(c.cell) ?? new Map<string, number>())].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    return { ...c, lat: round4(lat), lon: round4(lon), stationId: stations[0]?.[0] ?? '' };
  });
  return { cells, total: judged.length };
}
