/**
 * The interval rollup (migrations 0020, 0033): durations counted per UTC hour × station, as one row
 * holding its histograms packed — keys (measure × priority × bucket, domain/interval-keys.ts) and their
 * counts, sorted by key. The hour is the incident's recorded hour. Held by station: no grid column.
 */
import { pgTable, text, integer, timestamp, primaryKey } from 'drizzle-orm/pg-core';

export const intervalHours = pgTable(
  'analytics_interval_hours',
  {
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    stationId: text('station_id').notNull(),
    keys: integer('keys').array().notNull(),
    counts: integer('counts').array().notNull(),
  },
  (t) => [primaryKey({ name: 'analytics_interval_hours_pk', columns: [t.hour, t.stationId] })],
);
