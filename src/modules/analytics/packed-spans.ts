/**
 * The interval tier, packed (migration 0033): per unit × local day (grain 'd') or month ('m'), one row
 * holding the unit's histograms as sorted keys (domain/interval-keys.ts) and counts. The units of a row are
 * '' (the city) and every unit on its station's org path: the rollup is held by station, so a grid reads
 * nothing here (its figures are its station's: figures.ts).
 *
 * Kept like the other tiers (span-rollups.ts) by the net change of a round's hours, appended as rows of
 * their own and merged later (mergePackedRows); a rebuild counts the day rows from every hour row and the
 * months from the days. Readers sum every row of a day or month, so a merge never changes a figure.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { orgPathIdsOf, unitScope, type Principal } from '../../core/access.js';
import { timeZone } from '../../core/clock.js';
import { tierPlan, type LocalMonth } from './domain/tiers.js';
import { keyFilterSql } from './domain/interval-keys.js';
import { LOCAL_CALENDAR, unitKeyOf } from './tier-units.js';
import { transactionTable } from './temp-tables.js';

export const INTERVAL_HOURS = 'analytics_interval_hours';

/** The hour rows' entries as (hour, station_id, k, c): of the rows matching `where`, or of another table of the same shape. */
const entriesOf = (table: string, where: SQL = sql`true`, sign = 1) =>
  sql`select h.hour, h.station_id, u.k, ${sign === 1 ? sql`u.c` : sql`-u.c`} as c from ${sql.raw(table)} h cross join unnest(h.keys, h.counts) as u(k, c) where ${where}`;

/** A round's net change of the packed hour rows: its rows now (`which`, HourSet.rows) minus those saved before the recount (`old`). */
export const packedDiff = (which: SQL, old: string) =>
  sql`(select hour, station_id, k, sum(c)::bigint as c from (${entriesOf(INTERVAL_HOURS, which)} union all ${entriesOf(old, sql`true`, -1)}) x
       group by 1, 2, 3 having sum(c) <> 0)`;

/**
 * Adds a change of the hour rows (`src`: hour, station_id, k, c) to the day and month rows of every unit
 * holding them: appended as rows of their own (a fresh `seq`), holding only the keys that changed. Merging
 * into the existing row instead meant unpacking a city's month of every measure at every round.
 */
export async function addPackedChange(t: Db, src: SQL): Promise<void> {
  const tz = timeZone();
  for (const grain of ['d', 'm'] as const) {
    const start = grain === 'd' ? sql.raw('g.day') : sql.raw(`date_trunc('month', g.day)::date`);
    await t.execute(sql`
      insert into analytics_interval_spans (unit_id, grain, start, seq, keys, counts)
      select unit_id, ${grain}, start, nextval('analytics_interval_spans_seq'), array_agg(k order by k), array_agg(c order by k)
      from (
        select a.unit_id, ${start} as start, g.k, sum(g.c)::int as c
        from (select (h.hour at time zone ${tz})::date as day, h.station_id, h.k, sum(h.c)::bigint as c from ${src} h group by 1, 2, 3) g
        cross join lateral (select '' as unit_id union all ${orgPathIdsOf(sql.raw('g.station_id'))}) a
        group by 1, 2, 3 having sum(g.c) <> 0
      ) x
      group by unit_id, start`);
  }
}

/**
 * Merges the rows of a unit's day or month into one (seq 0), for up to `limit` days and months holding at
 * least `atLeast` appended rows (1: every one, so a settled tier is one row per day and month, as a rebuild
 * writes it). Answers how many it merged. Keys that came to zero are dropped, and a day or month left with
 * none has no row.
 */
export async function mergePackedRows(t: Db, opts: { atLeast: number; limit: number }): Promise<number> {
  const [r] = await queryRows<{ n: number }>(
    t,
    sql`
    with groups as (
      select unit_id, grain, start from analytics_interval_spans where seq <> 0
      group by 1, 2, 3 having count(*) >= ${opts.atLeast}
      order by count(*) desc limit ${opts.limit}),
    taken as (
      delete from analytics_interval_spans s using groups g
      where s.unit_id = g.unit_id and s.grain = g.grain and s.start = g.start
      returning s.unit_id, s.grain, s.start, s.keys, s.counts),
    merged as (
      select unit_id, grain, start, u.k, sum(u.c)::int as c from taken cross join unnest(taken.keys, taken.counts) as u(k, c)
      group by 1, 2, 3, 4 having sum(u.c) <> 0),
    put as (
      insert into analytics_interval_spans (unit_id, grain, start, seq, keys, counts)
      select unit_id, grain, start, 0, array_agg(k order by k), array_agg(c order by k) from merged group by 1, 2, 3
      returning 1)
    select count(*)::int as n from groups`,
  );
  return Number(r?.n ?? 0);
}

/** A rebuild's day histograms of every unit, as (path segments, unit, day, k, c): see countPackedTier. */
const TIER_DAYS = 'sw_interval_tier_days';
const UNIT_OF_PATH = `coalesce(p[cardinality(p)], '')`;

/**
 * True when some unit's day rows would come twice (so they are summed again before packing): a station
 * above another on its path, two stations of one path, or a station outside the tree (counted for the
 * city, as the tree's top is). In a tree of stations under branches under a bureau, never.
 */
function unitsMeet(paths: readonly (string[] | null)[]): boolean {
  const own = paths.map((p) => p?.at(-1) ?? '');
  const above = new Set(paths.flatMap((p) => (p ? ['', ...p.slice(0, -1)] : [])));
  return new Set(own).size < own.length || own.some((u) => above.has(u));
}

/**
 * Counts the (emptied) tier from every hour row, or a local month's: the days, then the months from the days.
 *
 * Units summed level by level, not row by row: each station's days are kept under its org path's segments
 * (none for a station outside the tree: the city alone), then each level's rows are summed into their
 * parent's path, deepest level first, so a unit's rows are complete before they go up. Expanding every
 * station row to each unit on its path instead made four times the rows to group (a month at 8 M: 2.0 M rows,
 * 4.5 s for the days; this way ≈ 3 s, and the month from the same rows 0.3 s instead of 1.0 s).
 */
export async function countPackedTier(t: Db, month: LocalMonth | null): Promise<void> {
  const tz = timeZone();
  const hours = month ? sql`h.hour >= ${month.from.toISOString()}::timestamptz and h.hour < ${month.to.toISOString()}::timestamptz` : sql`true`;
  const stations = await queryRows<{ p: string[] | null }>(t, sql`
    select string_to_array(nullif(trim(both '/' from o.path), ''), '/') as p
    from (select distinct h.station_id from ${sql.raw(INTERVAL_HOURS)} h where ${hours}) s left join org_units o on o.id = s.station_id`);
  await transactionTable(t, TIER_DAYS, sql`
    select p, ${sql.raw(UNIT_OF_PATH)} as u, day, k, c from (
      select coalesce(string_to_array(nullif(trim(both '/' from o.path), ''), '/'), '{}') as p, g.day, g.k, g.c
      from (select (h.hour at time zone ${tz})::date as day, h.station_id, h.k, sum(h.c)::int as c from (${entriesOf(INTERVAL_HOURS, hours)}) h group by 1, 2, 3) g
      left join org_units o on o.id = g.station_id) x`);
  // Depth 1 sums into the empty path: the city, beside the stations outside the tree.
  for (let d = Math.max(0, ...stations.map((s) => s.p?.length ?? 0)); d >= 1; d--) {
    await t.execute(sql`
      insert into ${sql.raw(TIER_DAYS)} (p, u, day, k, c)
      select p, ${sql.raw(UNIT_OF_PATH)}, day, k, c from (
        select p[1:${sql.raw(String(d - 1))}] as p, day, k, sum(c)::int as c from ${sql.raw(TIER_DAYS)} where cardinality(p) = ${d} group by 1, 2, 3) x`);
  }
  const twice = unitsMeet(stations.map((s) => s.p));
  for (const grain of ['d', 'm'] as const) {
    const start = grain === 'd' ? sql.raw('day') : sql.raw(`date_trunc('month', day)::date`);
    const rows = grain === 'd' && !twice
      ? sql`select u, day as start, k, c from ${sql.raw(TIER_DAYS)}`
      : sql`select u, ${start} as start, k, sum(c)::int as c from ${sql.raw(TIER_DAYS)} group by 1, 2, 3 having sum(c) <> 0`;
    await t.execute(sql`
      insert into analytics_interval_spans (unit_id, grain, start, keys, counts)
      select u, ${grain}, start, array_agg(k order by k), array_agg(c order by k) from (${rows}) x
      group by u, start order by u, start`);
  }
}

/** The interval rollup's scope: the stations in the principal's jurisdiction (none for a grid: held by station). */
export const intervalScope = (p: Principal): SQL | undefined => unitScope(p, sql.raw('h.station_id'));

/**
 * Counts by key of [from, to) in the principal's scope: whole months and days from the tier, the hours at
 * the ends from the hour rows; only keys of `measures` (all when absent) and `priority` (any when absent).
 */
export async function packedSum(db: Db, p: Principal, from: Date, to: Date, measures?: readonly string[], priority?: string): Promise<Map<number, number>> {
  const plan = tierPlan(from, to, LOCAL_CALENDAR);
  const keep = sql.raw(['true', ...keyFilterSql('u.k', measures, priority)].join(' and '));
  const parts: SQL[] = [];
  if (plan.hours.length) {
    const when = sql.join(plan.hours.map((r) => sql`(h.hour >= ${r.from.toISOString()}::timestamptz and h.hour < ${r.to.toISOString()}::timestamptz)`), sql` or `);
    parts.push(sql`select u.k, u.c from ${sql.raw(INTERVAL_HOURS)} h cross join unnest(h.keys, h.counts) as u(k, c) where (${when}) and ${intervalScope(p) ?? sql`true`} and ${keep}`);
  }
  const ranges: SQL[] = plan.days.map((r) => sql`(s.grain = 'd' and s.start >= ${r.from}::date and s.start < ${r.to}::date)`);
  if (plan.months) ranges.push(sql`(s.grain = 'm' and s.start >= ${plan.months.from}::date and s.start < ${plan.months.to}::date)`);
  if (ranges.length) parts.push(sql`select u.k, u.c from analytics_interval_spans s cross join unnest(s.keys, s.counts) as u(k, c) where s.unit_id = ${unitKeyOf(p)} and (${sql.join(ranges, sql` or `)}) and ${keep}`);
  if (!parts.length) return new Map();
  const rows = await queryRows<{ k: number; n: number | string }>(db, sql`select k, sum(c)::bigint as n from (${sql.join(parts, sql` union all `)}) x group by k having sum(c) <> 0`);
  return new Map(rows.map((r) => [Number(r.k), Number(r.n)]));
}
