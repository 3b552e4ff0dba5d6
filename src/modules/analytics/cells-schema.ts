/**
 * Hot spots' rollup (migration 0022): located incidents per UTC hour × H3 cell (resolution 9) × station ×
 * grid × category family, recounted with the other rollups from the stale hours (hotspots.ts).
 */
import { pgTable, text, integer, timestamp, date, primaryKey } from 'drizzle-orm/pg-core';

/** The finest resolution kept; coarser ones are parents of these cells. */
export const CELL_RESOLUTION = 9;

export const incidentCells = pgTable(
  'analytics_incident_cells',
  {
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    /** H3 index at CELL_RESOLUTION, as h3-js writes it (15 hex digits). */
    cell: text('cell').notNull(),
    stationId: text('station_id').notNull(),
    /** '' when the incident has no grid. */
    gridId: text('grid_id').notNull().default(''),
    family: text('family').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ name: 'analytics_incident_cells_pk', columns: [t.hour, t.cell, t.stationId, t.gridId, t.family] })],
);

/** The hot-spot tier's resolution: the default asked for, and exact for 7 (its parents); 9 reads the hour cells. */
export const TIER_RESOLUTION = 8;

/**
 * The hot-spot tier (migration 0032): the hour cells summed per unit (as the day and month tier,
 * spans-schema.ts) × local month × cell at TIER_RESOLUTION × family. Months only (`grain` 'm'): a cell ×
 * family seldom repeats within a day, so day rows would be as many as the hour rows they sum.
 */
export const cellSpans = pgTable(
  'analytics_cell_spans',
  {
    unitId: text('unit_id').notNull(),
    grain: text('grain').notNull(),
    start: date('start', { mode: 'string' }).notNull(),
    cell: text('cell').notNull(),
    family: text('family').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ name: 'analytics_cell_spans_pk', columns: [t.unitId, t.grain, t.start, t.cell, t.family] })],
);
