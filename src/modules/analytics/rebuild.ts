/**
 * A full rebuild of the rollups (`shouwang analytics rebuild`, the bench's phase b): by local month, every
 * hour table recounted with one set-based statement per table (the hot-spot cells a day at a time,
 * computed in JS), then that month's day and month rows counted from its hour rows — no deltas. Counting
 * the tiers once at the end instead made hash tables of every row at once (spilling to disk).
 *
 * Concurrency: each month is one repeatable-read transaction under the rollup lock (rollup-lock.ts), so a
 * round never runs inside it. It deletes the month's stale marks and deltas — exactly those whose changes
 * its recount reads, in the same snapshot — then recounts. A mark or delta committed after stays for the
 * rounds. Each month's tiers agree with its hours when it commits, and rounds between months keep them so.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { HOUR_RECOUNTERS, hourRange } from './recounters.js';
import { BULK_WORK_MEM } from './rollups.js';
import { takeRollupLock } from './rollup-lock.js';
import { dropDeltasOf } from './deltas.js';
import { localMonths } from './domain/tiers.js';
import { dropSpansOutside, LOCAL_CALENDAR, rebuildSpansOf } from './span-rollups.js';

const ROLLUP_TABLES = ['analytics_incident_hours', 'analytics_interval_hours', 'analytics_incident_cells'];
const TIER_TABLES = ['analytics_incident_spans', 'analytics_interval_spans', 'analytics_cell_spans', 'analytics_heat_days'];

/** The first and last instant anything counts or is counted at: incidents, stale marks and rollup rows. */
async function extent(db: Db): Promise<{ first: Date; last: Date } | null> {
  const of = (agg: 'min' | 'max') =>
    [sql`(select ${sql.raw(agg)}(recorded_at) from incidents)`, sql`(select ${sql.raw(agg)}(hour) from analytics_stale_hours)`, sql`(select ${sql.raw(agg)}(hour) from analytics_incident_deltas)`, ...ROLLUP_TABLES.map((t) => sql`(select ${sql.raw(agg)}(hour) from ${sql.raw(t)})`)];
  const [r] = await queryRows<{ first: Date | string | null; last: Date | string | null }>(db, sql`select least(${sql.join(of('min'), sql`, `)}) as first, greatest(${sql.join(of('max'), sql`, `)}) as last`);
  return r?.first && r.last ? { first: new Date(r.first), last: new Date(r.last) } : null;
}

/**
 * Recounts every rollup from the raw rows, local month by local month, each with its day and month rows. `progress` hears
 * the months done and their number. Answers the months recounted and the stale marks it cleared.
 */
export async function rebuildRollups(db: Db, opts: { progress?: (done: number, total: number) => void | Promise<void> } = {}): Promise<{ months: number; marks: number }> {
  const ext = await extent(db);
  const ranges = ext ? localMonths(ext.first, ext.last, LOCAL_CALENDAR) : [];
  let marks = 0;
  await opts.progress?.(0, ranges.length);
  // Day and month rows of months holding nothing (no hour row, no mark) are not counted again: dropped.
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await takeRollupLock(t);
    await dropSpansOutside(t, ranges[0]?.first ?? '9999-01-01', ranges.at(-1)?.next ?? '9999-01-01');
  });
  for (const [i, r] of ranges.entries()) {
    marks += await db.transaction(async (tx) => {
      const t = tx as unknown as Db;
      await takeRollupLock(t);
      await t.execute(sql.raw(`set local work_mem = '${BULK_WORK_MEM}'`));
      const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
        t,
        sql`with d as (delete from analytics_stale_hours where hour >= ${r.from.toISOString()}::timestamptz and hour < ${r.to.toISOString()}::timestamptz returning 1) select count(*)::int as n from d`,
      );
      await dropDeltasOf(t, hourRange(r.from, r.to));
      for (const recount of HOUR_RECOUNTERS) await recount(t, hourRange(r.from, r.to));
      await rebuildSpansOf(t, r);
      return Number(n);
    });
    await opts.progress?.(i + 1, ranges.length);
  }
  // Fresh statistics: without them Postgres read a round's hours (hour = any(…)) by scanning the whole
  // million-row hour table, 140 ms a statement, instead of its primary key.
  for (const table of [...ROLLUP_TABLES, ...TIER_TABLES]) await db.execute(sql.raw(`analyze ${table}`));
  return { months: ranges.length, marks };
}
