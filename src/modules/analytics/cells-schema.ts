/**
 * Hot spots' rollup (migration 0022): located incidents per UTC hour × H3 cell (resolution 9) × station ×
 * grid × category family, recounted with the other rollups from the stale hours (hotspots.ts).
 */
import { pgTable, text, integer, timestamp, primaryKey } from 'drizzle-orm/pg-core';

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
