/**
 * The interval tier, packed (migration 0033): per unit × local day (grain 'd') or month ('m'), one row
 * holding the unit's histograms as sorted keys (domain/interval-keys.ts) and counts. The units of a row are
 * '' (the city) and every unit on its station's org path: the rollup is held by station, so a grid reads
 * nothing here (its figures are its station's: figures.ts).
 *
 * Kept like the other tiers (span-rollups.ts): a round adds its hours' net change, here merged into the
 * touched rows' arrays in one statement per grain; a rebuild counts the day rows from every hour row and
 * the months from the days.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { orgPathIdsOf, unitScope, type Principal } from '../../core/access.js';
import { timeZone } from '../../core/clock.js';
import { tierPlan } from './domain/tiers.js';
import { keyFilterSql } from './domain/interval-keys.js';
import { LOCAL_CALENDAR, unitKeyOf } from './tier-units.js';

export const INTERVAL_HOURS = 'analytics_interval_hours';

/** The hour rows' entries as (hour, station_id, k, c): of the rows matching `where`, or of another table of the same shape. */
const entriesOf = (table: string, where: SQL = sql`true`, sign = 1) =>
  sql`select h.hour, h.station_id, u.k, ${sign === 1 ? sql`u.c` : sql`-u.c`} as c from ${sql.raw(table)} h cross join unnest(h.keys, h.counts) as u(k, c) where ${where}`;

/** A round's net change of the packed hour rows: its hours' entries now minus those saved before the recount (`old`). */
export const packedDiff = (arr: string, old: string) =>
  sql`(select hour, station_id, k, sum(c)::bigint as c from (${entriesOf(INTERVAL_HOURS, sql`h.hour = any(${arr}::timestamptz[])`)} union all ${entriesOf(old, sql`true`, -1)}) x
       group by 1, 2, 3 having sum(c) <> 0)`;

/** Adds a change of the hour rows (`src`: hour, station_id, k, c) to the day and month rows of every unit holding them. */
export async function addPackedChange(t: Db, src: SQL): Promise<void> {
  const tz = timeZone();
  for (const grain of ['d', 'm'] as const) {
    const start = grain === 'd' ? sql.raw('g.day') : sql.raw(`date_trunc('month', g.day)::date`);
    await t.execute(sql`
      with d as (
        select a.unit_id, ${start} as start, g.k, sum(g.c)::bigint as c
        from (select (h.hour at time zone ${tz})::date as day, h.station_id, h.k, sum(h.c)::bigint as c from ${src} h group by 1, 2, 3) g
        cross join lateral (select '' as unit_id union all ${orgPathIdsOf(sql.raw('g.station_id'))}) a
        group by 1, 2, 3),
      touched as (select distinct unit_id, start from d),
      cur as (
        select s.unit_id, s.start, u.k, u.c::bigint as c from analytics_interval_spans s
        join touched t on s.unit_id = t.unit_id and s.start = t.start
        cross join unnest(s.keys, s.counts) as u(k, c) where s.grain = ${grain}),
      merged as (select unit_id, start, k, sum(c)::int as c from (select * from cur union all select * from d) x group by 1, 2, 3 having sum(c) <> 0),
      packed as (select unit_id, start, array_agg(k order by k) as keys, array_agg(c order by k) as counts from merged group by 1, 2),
      gone as (
        delete from analytics_interval_spans s using touched t
        where s.grain = ${grain} and s.unit_id = t.unit_id and s.start = t.start and not exists (select 1 from packed p where p.unit_id = t.unit_id and p.start = t.start))
      insert into analytics_interval_spans (unit_id, grain, start, keys, counts)
      select unit_id, ${grain}, start, keys, counts from packed
      on conflict (unit_id, grain, start) do update set keys = excluded.keys, counts = excluded.counts`);
  }
}

/** Counts the (emptied) tier from every hour row: the days, then the months from the days. */
export async function countPackedTier(t: Db): Promise<void> {
  const tz = timeZone();
  await t.execute(sql`
    insert into analytics_interval_spans (unit_id, grain, start, keys, counts)
    select unit_id, 'd', day, array_agg(k order by k), array_agg(c order by k)
    from (
      with g as materialized (
        select (h.hour at time zone ${tz})::date as day, h.station_id, h.k, sum(h.c)::bigint as c from (${entriesOf(INTERVAL_HOURS)}) h group by 1, 2, 3),
      paths as (select u.id, p.unit_id from org_units u cross join lateral unnest(string_to_array(trim(both '/' from u.path), '/')) as p(unit_id))
      select unit_id, day, k, sum(c)::int as c from (
        select '' as unit_id, g.* from g
        union all
        select paths.unit_id, g.* from g join paths on paths.id = g.station_id) x
      group by 1, 2, 3
    ) y
    group by unit_id, day order by unit_id, day`);
  await t.execute(sql`
    insert into analytics_interval_spans (unit_id, grain, start, keys, counts)
    select unit_id, 'm', month, array_agg(k order by k), array_agg(c order by k)
    from (
      select s.unit_id, date_trunc('month', s.start)::date as month, u.k, sum(u.c)::int as c
      from analytics_interval_spans s cross join unnest(s.keys, s.counts) as u(k, c) where s.grain = 'd' group by 1, 2, 3
    ) x
    group by unit_id, month order by unit_id, month`);
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
  const rows = await queryRows<{ k: number; n: number | string }>(db, sql`select k, sum(c)::bigint as n from (${sql.join(parts, sql` union all `)}) x group by k`);
  return new Map(rows.map((r) => [Number(r.k), Number(r.n)]));
}
