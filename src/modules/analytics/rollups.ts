/**
 * Rollups kept current (issue 16). Triggers on `incidents` record, in the change's own transaction, what
 * each change took away and added (deltas, migration 0035); a round adds their sums to the rollups
 * (deltas.ts). Hours marked stale (`analytics_stale_hours`: markAllStale, an upgrade) are recounted whole
 * from the raw rows instead (each rollup's recounter, recounters.ts), and their deltas dropped.
 * Dashboards read the hour tables and the tiers above them (span-rollups.ts).
 *
 * Races: each round is one repeatable-read transaction under the rollup lock (rollup-lock.ts), so rounds
 * on several instances run one at a time, each sees what the last committed, and the deltas it drops for a
 * recounted hour are exactly those whose changes the recount reads. A round deletes only the marks and
 * deltas it read: those committed meanwhile stay for the next round.
 */
import { sql, type SQL } from 'drizzle-orm';
import { isEmbedded, queryRows, type Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import { unitScope } from '../../core/access.js';
import { HOUR_RECOUNTERS } from './recounters.js';
import { selectedHours } from './hour-sets.js';
import { roundOf } from './domain/stale-marks.js';
import { heatFromDays, incidentSum, rebuildSpans, spansMissing, withSpans } from './span-rollups.js';
import { mergePackedRows } from './packed-spans.js';
import { applyDeltas, dropDeltasOf } from './deltas.js';
import { takeRollupLock } from './rollup-lock.js';
import { timeZone as currentTimeZone } from '../../core/clock.js';

/**
 * Hours recounted per round: bounded work per transaction. Small on PGlite on purpose: a query runs on
 * the server's own thread, so a round is time no request is served (200 hours of a busy city: ~0.1 s).
 * On PostgreSQL a round runs beside the requests, and a city of 8 million incidents correcting 100 old
 * ones a second needs more than 200 hours a round to keep up (measured: the backlog grew).
 */
const HOURS_PER_ROUND = { pglite: 200, postgres: 2000 };
/**
 * Marks read per round to find those hours. A live city marks the same few hours again and again (its
 * open incidents change all day): a round clears every mark it read of the hours it recounts, so 1,000
 * changes a second cost a few dozen hours' recount, not a thousand.
 */
const MARKS_READ = { pglite: 5000, postgres: 20000 };
/**
 * Deltas applied per round: one per insert, two per change (old and new row). On PGlite a round is time
 * no request is served: 10,000 deltas of 270 hours took 0.8 s (load 3.8), so 2,000 (~0.15 s; the demo's
 * three years, ~100,000 incidents, in about 50 ticks). On PostgreSQL 50,000 covers 25 s of 1,000 changes a second.
 */
const DELTAS_READ = { pglite: 2000, postgres: 50000 };
/**
 * Merging the interval tier's appended rows (packed-spans.ts): in a busy round, the days and months appended
 * to many times; when the worker finds nothing stale, any (about 6 ms each for a city's busiest rows).
 */
const BUSY_MERGE = { atLeast: 16, limit: 50 };
const IDLE_MERGE = { atLeast: 1, limit: 100 };

/**
 * Sort and hash memory for the statements over every hour row (a rebuild, the tiers counted again): with
 * the default 4 MB their grouping spills to disk many times over. One such transaction at a time (the lock).
 */
export const BULK_WORK_MEM = '256MB';

export interface RoundDone {
  /** Stale marks cleared, and the hours they made the round recount. */
  marks: number;
  hours: number;
  /** Deltas applied. */
  deltas: number;
  /** Days and months of the interval tier merged. */
  merged: number;
}

/**
 * One round: recounts up to `limit` hours, the first marked, clearing the marks read of those hours and
 * their deltas; then applies up to DELTAS_READ deltas. Only marks and deltas read are cleared: one
 * committed after the round's snapshot is of a change the round did not see, and stays for the next.
 */
export async function refreshStaleRound(db: Db, limit?: number): Promise<RoundDone> {
  const driver = isEmbedded(db) ? 'pglite' : 'postgres';
  const hoursPerRound = limit ?? HOURS_PER_ROUND[driver];
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await takeRollupLock(t);
    const read = await queryRows<{ id: number | string; hour: Date | string; station_id: string | null }>(t, sql`select id, hour, station_id from analytics_stale_hours order by id limit ${MARKS_READ[driver]}`);
    let done = { marks: 0, hours: 0 };
    if (read.length) {
      const { hours, marks } = roundOf(read, hoursPerRound);
      // The day and month tier follows by the net change: what the recount changed in the hours' rows.
      await withSpans(t, selectedHours(hours.whole, hours.pairs), async (hs) => {
        await dropDeltasOf(t, hs);
        for (const recount of HOUR_RECOUNTERS) await recount(t, hs);
      });
      await t.execute(sql`delete from analytics_stale_hours where id = any(${`{${marks.map((m) => Number(m.id)).join(',')}}`}::bigint[])`);
      done = { marks: marks.length, hours: hours.count };
    }
    const deltas = await applyDeltas(t, DELTAS_READ[driver]);
    // A busy city never idles: a day or month appended to at many rounds is merged now.
    const merged = done.marks || deltas ? await mergePackedRows(t, BUSY_MERGE) : 0;
    return { ...done, deltas, merged };
  });
}

/** The worker's step when nothing is stale: merges up to IDLE_MERGE.limit of the interval tier's appended days and months; answers how many. */
export async function mergeIdle(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await takeRollupLock(t);
    return mergePackedRows(t, IDLE_MERGE);
  });
}

/** Every appended row of the interval tier merged (a settled tier is one row per unit-day and unit-month, as a rebuild writes it). */
export async function mergeAll(db: Db): Promise<void> {
  while ((await mergeIdle(db)) >= IDLE_MERGE.limit);
}

/** Stale marks and deltas not yet applied: the rollups' backlog. */
export async function backlog(db: Db): Promise<number> {
  const [r] = await queryRows<{ n: number }>(db, sql`select (select count(*) from analytics_stale_hours) + (select count(*) from analytics_incident_deltas) as n`);
  return Number(r?.n ?? 0);
}

/**
 * Rounds until nothing is stale (or `maxRounds`); `progress` hears the marks and deltas done and left
 * after each round. Answers the hours recounted plus the deltas applied (0: nothing was to do).
 */
export async function refreshStale(db: Db, opts: { maxRounds?: number; progress?: (done: number, left: number) => void } = {}): Promise<number> {
  let work = 0;
  let done = 0;
  for (let i = 0; i < (opts.maxRounds ?? 10_000); i++) {
    const r = await refreshStaleRound(db);
    work += r.hours + r.deltas;
    done += r.marks + r.deltas;
    if (opts.progress) opts.progress(done, await backlog(db));
    if (r.marks === 0 && r.deltas === 0) break;
  }
  return work;
}

/** The day and month tier counted again from the hour rows (after an org tree change), under the rounds' lock. */
export async function recountAllSpans(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await takeRollupLock(t);
    await t.execute(sql.raw(`set local work_mem = '${BULK_WORK_MEM}'`));
    await rebuildSpans(t);
  });
}

/** Fills the day and month tier once when it has never counted the hour rows (a database upgraded to it). */
export async function fillSpansIfMissing(db: Db): Promise<boolean> {
  if (!(await spansMissing(db))) return false;
  await recountAllSpans(db);
  return true;
}

/** Marks every hour that holds incidents stale (after a change of the counting rules, or on demand). */
export async function markAllStale(db: Db): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, sql`with m as (insert into analytics_stale_hours (hour) select distinct date_trunc('hour', recorded_at, 'UTC') from incidents returning 1) select count(*)::int as n from m`);
  return rows[0]?.n ?? 0;
}

/** The rollup's scope: a station sees its own rows, a grid user the grid's. As incidentScope, on the rollup's columns. */
export function rollupScope(p: Principal): SQL | undefined {
  const byStation = unitScope(p, sql.raw('station_id'));
  if (!byStation) return undefined;
  return sql`(${byStation} or ${unitScope(p, sql.raw('grid_id'))})`;
}

/** Incidents in [from, to) in scope, from the rollups (whole months, whole days, and hours at the ends). */
export async function rollupCount(db: Db, p: Principal, from: Date, to: Date): Promise<number> {
  const [r] = await incidentSum(db, p, rollupScope(p), from, to, []);
  return Number(r?.n ?? 0);
}

/** Incidents by weekday (0 Sunday … 6 Saturday) × local hour of day in [from, to), in scope: the heat table. */
export async function heatTable(db: Db, p: Principal, from: Date, to: Date, timeZone: string): Promise<number[][]> {
  const fromDays = timeZone === currentTimeZone() ? await heatFromDays(db, p, from, to) : null;
  const rows = fromDays ?? await queryRows<{ dow: number; hod: number; n: number }>(
    db,
    sql`select extract(dow from hour at time zone ${timeZone})::int as dow, extract(hour from hour at time zone ${timeZone})::int as hod, sum(n)::int as n
        from analytics_incident_hours where hour >= ${from.toISOString()}::timestamptz and hour < ${to.toISOString()}::timestamptz and ${rollupScope(p) ?? sql`true`}
        group by 1, 2`,
  );
  const table = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const r of rows) table[r.dow]![r.hod] = Number(r.n);
  return table;
}
