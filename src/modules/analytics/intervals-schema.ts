/**
 * The interval rollup (migration 0020): durations counted per hour × station × grid × priority × measure
 * × fixed bucket (domain/histogram.ts). The hour is the incident's recorded hour.
 */
import { pgTable, text, integer, timestamp, primaryKey } from 'drizzle-orm/pg-core';

export const intervalHours = pgTable(
  'analytics_interval_hours',
  {
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    stationId: text('station_id').notNull(),
    /** '' when the incident has no grid. */
    gridId: text('grid_id').notNull().default(''),
    priority: text('priority').notNull(),
    /** answer, intake, dispatch, travel, response, on_scene (intervals.ts). */
    measure: text('measure').notNull(),
    bucket: integer('bucket').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ name: 'analytics_interval_hours_pk', columns: [t.hour, t.stationId, t.gridId, t.priority, t.measure, t.bucket] })],
);
