/**
 * What a rollup round recounts for each stale hour: one function per rollup table. Each deletes its rows
 * of the given hours and counts them again from the raw rows, inside the round's transaction (so all
 * rollups of an hour change together, under the round's advisory lock). A new rollup is one more entry.
 * The same recounters serve a full rebuild (rebuild.ts), given a range of hours instead of a list.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { incidentCellCounts } from './hotspots.js';
import { intervalCounts } from './intervals.js';
import type { HourSet } from './hour-sets.js';

export { hourList, hourRange, type HourSet } from './hour-sets.js';

export type HourRecounter = (tx: Db, hours: HourSet) => Promise<void>;

/** Incidents per hour × station × grid × family × priority (analytics_incident_hours). */
const incidentCounts: HourRecounter = async (t, hs) => {
  await t.execute(sql`delete from analytics_incident_hours where ${hs.rows}`);
  // Hours in UTC, as the triggers mark them.
  await t.execute(sql`
    insert into analytics_incident_hours (hour, station_id, grid_id, family, priority, n)
    select ${hs.hour}, i.station_id, coalesce(i.grid_id, ''), i.category_family, i.priority, count(*)::int
    from ${hs.from}
    where ${hs.where} and i.master_id is null
    group by 1, 2, 3, 4, 5`);
};

export const HOUR_RECOUNTERS: readonly HourRecounter[] = [incidentCounts, incidentCellCounts, intervalCounts];
