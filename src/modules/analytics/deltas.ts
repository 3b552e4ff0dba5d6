/**
 * A round's deltas (migration 0035): every change to an incident recorded, in its own transaction, what
 * it took away (the old row, sign -1) and added (the new row, +1). A round sums a batch of them per hour
 * row, adds the sums to the hour tables, then the same sums to the tiers (span-rollups.ts), and deletes
 * exactly the deltas it read — so its work is the size of the batch, never of the hours it touches.
 *
 * The sums are computed by the recounters' own SQL (recounters.ts, intervals.ts, hotspots.ts) over the
 * deltas, weighted by their sign: a delta is counted by the same rules as the incident it copies.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { incidentEntries } from './recounters.js';
import { intervalEntries } from './intervals.js';
import { cellEntries, insertCellEntries } from './hotspots.js';
import { INTERVAL_HOURS } from './packed-spans.js';
import { applyChangedHours, changed, upsertDroppingZeros } from './span-rollups.js';
import type { HourSet } from './hour-sets.js';
import { transactionTable as temp } from './temp-tables.js';

const BATCH = 'sw_deltas';
/** The batch bound as the recounters' `i` (deltas hold only rows that count: no master_id). */
const batch: HourSet = { rows: sql`true`, from: sql`(select d.*, null::text as master_id from ${sql.raw(BATCH)} d) i`, where: sql`true`, hour: sql`i.hour` };

/**
 * Adds the sums of up to `limit` deltas (the oldest) to the hour tables and the tiers, and deletes them;
 * answers how many it applied. Runs inside a round's transaction, under the rollup lock.
 */
export async function applyDeltas(t: Db, limit: number): Promise<number> {
  // Nothing to do (every read's round, most ticks of a quiet city): no temporary tables.
  const [any] = await queryRows<{ yes: boolean }>(t, sql`select exists (select 1 from analytics_incident_deltas) as yes`);
  if (!any?.yes) return 0;
  await temp(t, BATCH, sql`select * from analytics_incident_deltas order by id limit ${limit}`);
  const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from ${sql.raw(BATCH)}`);
  if (!Number(n)) return 0;
  const incidents = changed('analytics_incident_hours');
  const cells = changed('analytics_incident_cells');
  const intervals = changed(INTERVAL_HOURS);
  await temp(t, incidents, incidentEntries(batch, sql`i.sign`));
  await temp(t, intervals, sql`select hour, station_id, k, n::bigint as c from (${intervalEntries(batch, sql`i.sign`)}) x`);
  await temp(t, cells, sql`select hour, station_id, grid_id, cell, family, n from analytics_incident_cells limit 0`);
  await insertCellEntries(t, cells, await cellEntries(t, batch, sql`i.sign`));

  const add = (table: string, key: string[], cols: string, change: string) =>
    upsertDroppingZeros(t, table, key, sql`
      insert into ${sql.raw(table)} (${sql.raw(cols)}, n) select ${sql.raw(cols)}, n from ${sql.raw(change)}
      on conflict (${sql.raw(key.join(', '))}) do update set n = ${sql.raw(table)}.n + excluded.n`);
  await add('analytics_incident_hours', ['hour', 'station_id', 'grid_id', 'family', 'priority'], 'hour, station_id, grid_id, family, priority', incidents);
  await add('analytics_incident_cells', ['hour', 'cell', 'station_id', 'grid_id', 'family'], 'hour, cell, station_id, grid_id, family', cells);
  await addPackedHours(t, intervals);
  await applyChangedHours(t);
  await t.execute(sql`delete from analytics_incident_deltas d using ${sql.raw(BATCH)} b where d.id = b.id`);
  return Number(n);
}

/**
 * Adds a change (hour, station_id, k, c) to the packed hour rows: each row touched is taken out, its
 * entries summed with the change's, and put back (keys that came to zero dropped; a row left with none
 * is not put back).
 */
async function addPackedHours(t: Db, change: string): Promise<void> {
  await t.execute(sql`
    with touched as (select distinct hour, station_id from ${sql.raw(change)}),
    taken as (
      delete from ${sql.raw(INTERVAL_HOURS)} h using touched c where h.hour = c.hour and h.station_id = c.station_id
      returning h.hour, h.station_id, h.keys, h.counts),
    summed as (
      select hour, station_id, k, sum(c)::int as c from (
        select x.hour, x.station_id, u.k, u.c from taken x cross join unnest(x.keys, x.counts) as u(k, c)
        union all select hour, station_id, k, c from ${sql.raw(change)}) y
      group by 1, 2, 3 having sum(c) <> 0)
    insert into ${sql.raw(INTERVAL_HOURS)} (hour, station_id, keys, counts)
    select hour, station_id, array_agg(k order by k), array_agg(c order by k) from summed group by 1, 2`);
}

/** Deletes the deltas of hours a round or rebuild recounts from the raw rows (their changes are in what it reads). */
export async function dropDeltasOf(t: Db, hours: HourSet): Promise<number> {
  const [r] = await queryRows<{ n: number }>(t, sql`with d as (delete from analytics_incident_deltas where ${hours.rows} returning 1) select count(*)::int as n from d`);
  return Number(r?.n ?? 0);
}
