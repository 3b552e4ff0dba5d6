/**
 * What a rollup round recounts for each stale hour: one function per rollup table. Each deletes its rows
 * of the given hours and counts them again from the raw rows, inside the round's transaction (so all
 * rollups of an hour change together, under the round's advisory lock). A new rollup is one more entry.
 * The same recounters serve a full rebuild (rebuild.ts), given a range of hours instead of a list.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { incidentCellCounts } from './hotspots.js';
import { intervalCounts } from './intervals.js';
import type { HourSet } from './hour-sets.js';

export { hourList, hourRange, type HourSet } from './hour-sets.js';

export type HourRecounter = (tx: Db, hours: HourSet) => Promise<void>;

/**
 * The hours' rows (hour, station_id, grid_id, family, priority, n) of the incidents `hs` binds: n sums
 * `weight` (1 for a recount; a delta's sign for a round's deltas, deltas.ts), rows summing to zero left out.
 */
export function incidentEntries(hs: HourSet, weight = sql`1`): SQL {
  // Hours in UTC, as the triggers record them.
  return sql`
    select ${hs.hour} as hour, i.station_id, coalesce(i.grid_id, '') as grid_id, i.category_family as family, i.priority, sum(${weight})::int as n
    from ${hs.from}
    where ${hs.where} and i.master_id is null
    group by 1, 2, 3, 4, 5
    having sum(${weight}) <> 0`;
}

/** Incidents per hour × station × grid × family × priority (analytics_incident_hours). */
const incidentCounts: HourRecounter = async (t, hs) => {
  await t.execute(sql`delete from analytics_incident_hours where ${hs.rows}`);
  await t.execute(sql`insert into analytics_incident_hours (hour, station_id, grid_id, family, priority, n) ${incidentEntries(hs)}`);
};

export const HOUR_RECOUNTERS: readonly HourRecounter[] = [incidentCounts, incidentCellCounts, intervalCounts];
