/**
 * What a rollup round recounts for each stale hour: one function per rollup table. Each deletes its rows
 * of the given hours and counts them again from the raw rows, inside the round's transaction (so all
 * rollups of an hour change together, under the round's advisory lock). A new rollup is one more entry.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { incidentCellCounts } from './hotspots.js';
import { intervalCounts } from './intervals.js';

/** `hours` is a Postgres array literal of UTC hour starts ('{2026-12-01T03:00:00.000Z,…}'). */
export type HourRecounter = (tx: Db, hours: string) => Promise<void>;

/** Incidents per hour × station × grid × family × priority (analytics_incident_hours). */
const incidentCounts: HourRecounter = async (t, arr) => {
  await t.execute(sql`delete from analytics_incident_hours where hour = any(${arr}::timestamptz[])`);
  // Hours in UTC, as the triggers mark them: one index range scan of incidents per hour.
  await t.execute(sql`
    insert into analytics_incident_hours (hour, station_id, grid_id, family, priority, n)
    select h.hour, i.station_id, coalesce(i.grid_id, ''), i.category_family, i.priority, count(*)::int
    from unnest(${arr}::timestamptz[]) as h(hour)
    join incidents i on i.recorded_at >= h.hour and i.recorded_at < h.hour + interval '1 hour'
    where i.master_id is null
    group by 1, 2, 3, 4, 5`);
};

export const HOUR_RECOUNTERS: readonly HourRecounter[] = [incidentCounts, incidentCellCounts, intervalCounts];
