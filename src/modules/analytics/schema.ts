/**
 * The analytics rollups (migration 0017): incidents counted per hour × station × grid × family × priority,
 * and the hours marked stale by the triggers on `incidents` (the worker, rollups.ts, recounts them).
 */
import { pgTable, text, integer, smallint, doublePrecision, timestamp, bigserial, primaryKey, index } from 'drizzle-orm/pg-core';

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

/**
 * What each change to an incident took away (sign -1, the old row) and added (+1, the new row), in the
 * change's transaction (migration 0035); rounds add their sums to the rollups (deltas.ts) and delete them.
 */
export const incidentDeltas = pgTable(
  'analytics_incident_deltas',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sign: smallint('sign').notNull(),
    /** The UTC hour of recorded_at: the hour row the delta changes. */
    hour: ts('hour').notNull(),
    stationId: text('station_id'),
    gridId: text('grid_id'),
    categoryFamily: text('category_family'),
    priority: text('priority'),
    lat: doublePrecision('lat'),
    lon: doublePrecision('lon'),
    callStartedAt: ts('call_started_at'),
    answeredAt: ts('answered_at'),
    recordedAt: ts('recorded_at').notNull(),
    dispatchedAt: ts('dispatched_at'),
    onSceneAt: ts('on_scene_at'),
  },
  (t) => [index('analytics_incident_deltas_hour_idx').on(t.hour, t.stationId)],
);

/** Never holds a row: the rollup writers' lock (rollup-lock.ts), taken before their snapshot. */
export const rollupLock = pgTable('analytics_rollup_lock', { id: integer('id').primaryKey() });
