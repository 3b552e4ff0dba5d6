/**
 * The analytics rollups (migration 0017): incidents counted per hour × station × grid × family × priority,
 * and the hours marked stale by the triggers on `incidents` (the worker, rollups.ts, recounts them).
 */
import { pgTable, text, integer, timestamp, bigserial, primaryKey } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const incidentHours = pgTable(
  'analytics_incident_hours',
  {
    hour: ts('hour').notNull(),
    stationId: text('station_id').notNull(),
    /** '' when the incident has no grid. */
    gridId: text('grid_id').notNull().default(''),
    family: text('family').notNull(),
    priority: text('priority').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ name: 'analytics_incident_hours_pk', columns: [t.hour, t.stationId, t.gridId, t.family, t.priority] })],
);

export const staleHours = pgTable('analytics_stale_hours', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  hour: ts('hour').notNull(),
  /** The station whose incidents of the hour changed (migration 0034); null: every station's (the whole hour). */
  stationId: text('station_id'),
});
