/**
 * A full rebuild of the rollups (`shouwang analytics rebuild`, the bench's phase b): every rollup table
 * recounted by UTC month, one set-based statement per table per month (the hot-spot cells a day at a
 * time, computed in JS), without the day and month tier's deltas; that tier is counted once at the end.
 * Rounds of 200 stale hours, each paying the tier's deltas, took 795 s for 8 million incidents.
 *
 * Concurrency: each month is one transaction under the rounds' advisory lock, so a round never runs
 * inside it. It first deletes the month's stale marks — marks committed before that statement, whose
 * changes the recount's later statements see (read committed) — then recounts. A mark committed after
 * stays and a round recounts its hour again. Between months, rounds run as usual; the tier they keep by
 * deltas is counted again from the hour rows at the end (under the lock), so it agrees after the rebuild.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { HOUR_RECOUNTERS, hourRange } from './recounters.js';
import { BULK_WORK_MEM, recountAllSpans, ROLLUP_LOCK } from './rollups.js';
import { utcMonthRanges } from './domain/tiers.js';

const ROLLUP_TABLES = ['analytics_incident_hours', 'analytics_interval_hours', 'analytics_incident_cells'];
const TIER_TABLES = ['analytics_incident_spans', 'analytics_interval_spans', 'analytics_cell_spans', 'analytics_heat_days'];

/** The first and last instant anything counts or is counted at: incidents, stale marks and rollup rows. */
async function extent(db: Db): Promise<{ first: Date; last: Date } | null> {
  const of = (agg: 'min' | 'max') =>
    [sql`(select ${sql.raw(agg)}(recorded_at) from incidents)`, sql`(select ${sql.raw(agg)}(hour) from analytics_stale_hours)`, ...ROLLUP_TABLES.map((t) => sql`(select ${sql.raw(agg)}(hour) from ${sql.raw(t)})`)];
  const [r] = await queryRows<{ first: Date | string | null; last: Date | string | null }>(db, sql`select least(${sql.join(of('min'), sql`, `)}) as first, greatest(${sql.join(of('max'), sql`, `)}) as last`);
  return r?.first && r.last ? { first: new Date(r.first), last: new Date(r.last) } : null;
}

/**
 * Recounts every rollup from the raw rows, month by month, then the day and month tier. `progress` hears
 * the months done and their number. Answers the months recounted and the stale marks it cleared.
 */
export async function rebuildRollups(db: Db, opts: { progress?: (done: number, total: number) => void | Promise<void> } = {}): Promise<{ months: number; marks: number }> {
  const ext = await extent(db);
  const ranges = ext ? utcMonthRanges(ext.first, ext.last) : [];
  let marks = 0;
  await opts.progress?.(0, ranges.length);
  for (const [i, r] of ranges.entries()) {
    marks += await db.transaction(async (tx) => {
      const t = tx as unknown as Db;
      await t.execute(sql`select pg_advisory_xact_lock(${ROLLUP_LOCK})`);
      await t.execute(sql.raw(`set local work_mem = '${BULK_WORK_MEM}'`));
      const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
        t,
        sql`with d as (delete from analytics_stale_hours where hour >= ${r.from.toISOString()}::timestamptz and hour < ${r.to.toISOString()}::timestamptz returning 1) select count(*)::int as n from d`,
      );
      for (const recount of HOUR_RECOUNTERS) await recount(t, hourRange(r.from, r.to));
      return Number(n);
    });
    await opts.progress?.(i + 1, ranges.length);
  }
  await recountAllSpans(db);
  // Fresh statistics: without them Postgres read a round's hours (hour = any(…)) by scanning the whole
  // million-row hour table, 140 ms a statement, instead of its primary key.
  for (const table of [...ROLLUP_TABLES, ...TIER_TABLES]) await db.execute(sql.raw(`analyze ${table}`));
  return { months: ranges.length, marks };
}
