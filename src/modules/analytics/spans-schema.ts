/**
 * The day and month tier of the rollups (migration 0026): the hour rows summed per local day and per
 * local month, per unit — every unit that holds the incident (its grid, station, branch, bureau) and ''
 * for the whole city — so a jurisdiction's year is a few thousand rows read by its unit id. `grain` is
 * 'd' (start = the local day) or 'm' (start = the month's first day). Recounted from the hour rows of
 * the days a rollup round touched (span-rollups.ts).
 */
import { sql } from 'drizzle-orm';
import { pgTable, text, integer, bigint, date, primaryKey, index } from 'drizzle-orm/pg-core';

export const incidentSpans = pgTable(
  'analytics_incident_spans',
  {
    unitId: text('unit_id').notNull(),
    grain: text('grain').notNull(),
    start: date('start', { mode: 'string' }).notNull(),
    family: text('family').notNull(),
    priority: text('priority').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ name: 'analytics_incident_spans_pk', columns: [t.unitId, t.grain, t.start, t.family, t.priority] })],
);

/**
 * The interval tier (migration 0033): a unit's histograms of a day or month, packed as the hour rows are
 * (intervals-schema.ts). `seq` 0 is the merged row; a round appends its change as a row with a fresh `seq`,
 * merged in later (packed-spans.ts). A reader sums every row.
 */
export const intervalSpans = pgTable(
  'analytics_interval_spans',
  {
    unitId: text('unit_id').notNull(),
    grain: text('grain').notNull(),
    start: date('start', { mode: 'string' }).notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull().default(0),
    keys: integer('keys').array().notNull(),
    counts: integer('counts').array().notNull(),
  },
  (t) => [
    primaryKey({ name: 'analytics_interval_spans_pk', columns: [t.unitId, t.grain, t.start, t.seq] }),
    // The appended rows waiting to be merged: few, found without reading the merged ones.
    index('analytics_interval_spans_appended_idx').on(t.unitId, t.grain, t.start).where(sql`seq <> 0`),
  ],
);

/** The heat table's tier: incidents per unit × local day × local hour of day (the weekday is the day's). */
export const heatDays = pgTable(
  'analytics_heat_days',
  {
    unitId: text('unit_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    hod: integer('hod').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ name: 'analytics_heat_days_pk', columns: [t.unitId, t.day, t.hod] })],
);
