/**
 * A full rebuild of the rollups (`shouwang analytics rebuild`, the bench's phase b): by local month, every
 * hour table recounted with one set-based statement per table (the hot-spot cells a day at a time,
 * computed in JS), then that month's day and month rows counted from its hour rows — no deltas. Counting
 * the tiers once at the end instead made hash tables of every row at once (spilling to disk).
 *
 * Concurrency: each month is one repeatable-read transaction under the rollup lock (rollup-lock.ts),
 * taken in share mode: months touch disjoint rows (their own UTC hours and local days), so two may run side
 * by side on PostgreSQL, and a round (exclusive) never runs inside one. It deletes the month's stale marks
 * and deltas — exactly those whose changes its recount reads, in the same snapshot — then recounts. A mark
 * or delta committed after stays for the rounds. (The marks present when the rebuild starts are all cleared
 * at once before the first month: each is of an hour a month recounts later.) Each month's tiers agree with its hours when it commits,
 * and rounds between months keep them so.
 */
import { sql } from 'drizzle-orm';
import { isEmbedded, queryRows, type Db } from '../../db/client.js';
import { HOUR_RECOUNTERS, hourRange } from './recounters.js';
import { BULK_WORK_MEM } from './rollups.js';
import { takeRollupLock } from './rollup-lock.js';
import { dropDeltasOf } from './deltas.js';
import { transactionTable } from './temp-tables.js';
import { mapBounded } from '../../core/bounded.js';
import { localMonths, type LocalMonth } from './domain/tiers.js';
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

/** A month's incidents, copied once for the recounters (a temporary table: one per connection). */
const MONTH_INCIDENTS = 'sw_month_incidents';

/**
 * Months recounted side by side on PostgreSQL: each is mostly one backend's work and the JS cell step
 * runs between its statements, so two keep both cores busy. PGlite has one connection: one at a time.
 */
const PARALLEL_MONTHS = { pglite: 1, postgres: 2 };

/**
 * One local month recounted, in its own transaction (`t`): its stale marks and deltas cleared, every hour
 * table recounted over its hours, then its day and month rows. Under the rollup lock in share mode: months touch
 * disjoint rows (their own UTC hours, their own local days), so two may run at once, never beside a round.
 * Answers the stale marks it cleared.
 */
export async function rebuildMonth(t: Db, r: LocalMonth): Promise<number> {
  await takeRollupLock(t, 'share');
  await t.execute(sql.raw(`set local work_mem = '${BULK_WORK_MEM}'`));
  // Derived data, counted again by a rebuild or a round if lost: the commit need not wait for the WAL flush.
  await t.execute(sql`set local synchronous_commit = off`);
  const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
    t,
    sql`with d as (delete from analytics_stale_hours where hour >= ${r.from.toISOString()}::timestamptz and hour < ${r.to.toISOString()}::timestamptz returning 1) select count(*)::int as n from d`,
  );
  await dropDeltasOf(t, hourRange(r.from, r.to));
  // The month's incidents read once: each recounter reading them from the table read its scattered pages
  // again (a month of 1 M incidents: 21,000 pages, 0.6 s a pass, evicted before the next).
  await transactionTable(t, MONTH_INCIDENTS, sql`
    select recorded_at, station_id, grid_id, category_family, priority, lat, lon, call_started_at, answered_at, dispatched_at, on_scene_at, master_id
    from incidents where recorded_at >= ${r.from.toISOString()}::timestamptz and recorded_at < ${r.to.toISOString()}::timestamptz and master_id is null`);
  // The cells are read a day at a time.
  await t.execute(sql.raw(`create index on ${MONTH_INCIDENTS} (recorded_at)`));
  for (const recount of HOUR_RECOUNTERS) await recount(t, hourRange(r.from, r.to, MONTH_INCIDENTS));
  await rebuildSpansOf(t, r);
  return Number(n);
}

/**
 * Recounts every rollup from the raw rows, local month by local month, each with its day and month rows. `progress` hears
 * the months done (in the order they finish) and their number. Answers the months recounted and the stale marks it cleared.
 * `parallel`: months at once (default by database, PARALLEL_MONTHS).
 */
export async function rebuildRollups(db: Db, opts: { progress?: (done: number, total: number) => void | Promise<void>; parallel?: number } = {}): Promise<{ months: number; marks: number }> {
  let ranges: LocalMonth[] = [];
  let marks = 0;
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await takeRollupLock(t);
    // No mark is added meanwhile (writers of a bulk statement wait this short transaction out), so every
    // mark is of an hour the months below recount after this commits: all are cleared at once. Left to each
    // month, the delete by hour scanned the whole table: after a bulk load of 8 M incidents, 6 M marks, 2.3 s a month.
    await t.execute(sql`lock table analytics_stale_hours in exclusive mode`);
    const ext = await extent(t);
    ranges = ext ? localMonths(ext.first, ext.last, LOCAL_CALENDAR) : [];
    const [r] = await queryRows<{ n: number }>(t, sql`select count(*)::int as n from analytics_stale_hours`);
    marks = Number(r?.n ?? 0);
    await t.execute(sql`truncate analytics_stale_hours`);
    // Day and month rows of months holding nothing (no hour row, no mark) are not counted again: dropped.
    await dropSpansOutside(t, ranges[0]?.first ?? '9999-01-01', ranges.at(-1)?.next ?? '9999-01-01');
  });
  await opts.progress?.(0, ranges.length);
  const side = PARALLEL_MONTHS[isEmbedded(db) ? 'pglite' : 'postgres'];
  const width = Math.max(1, opts.parallel ?? side);
  let next = 0;
  let done = 0;
  let failed = false;
  // Reports in turn, and no lane takes a month while one is heard: a change the callback makes before a
  // month starts is in that month's recount.
  let reported: Promise<void> = Promise.resolve();
  const lane = async () => {
    try {
      while (!failed && next < ranges.length) {
        const r = ranges[next++]!;
        marks += await db.transaction((tx) => rebuildMonth(tx as unknown as Db, r));
        reported = reported.then(() => opts.progress?.(++done, ranges.length));
        await reported;
      }
    } catch (e) {
      failed = true;
      throw e;
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(width, ranges.length) }, lane));
  const failure = lanes.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failure) throw failure.reason;
  // Fresh statistics: without them Postgres read a round's hours (hour = any(…)) by scanning the whole
  // million-row hour table, 140 ms a statement, instead of its primary key. And on PostgreSQL the rows the
  // rebuild replaced vacuumed away: left dead, they doubled the hour tables, and a month of hot spots at
  // resolution 9 was read by a scan of the whole cell table (8 M: 1.1 s instead of 0.25 s); ≈ 27 s at 8 M.
  // Two tables at a time on PostgreSQL: each vacuum is one backend's work.
  const how = isEmbedded(db) ? 'analyze' : 'vacuum (analyze)';
  const tables = [...ROLLUP_TABLES, ...TIER_TABLES, 'analytics_stale_hours'];
  await mapBounded(tables, side, (table) => db.execute(sql.raw(`${how} ${table}`)));
  return { months: ranges.length, marks };
}
