/**
 * The day and month tier (spans-schema.ts, domain/tiers.ts). A rollup round, after recounting its hours,
 * adds their net change — the hours' rows after minus before — to the day and month rows, in the same
 * transaction, so every tier agrees after each round. Reads split a span into the parts each tier
 * answers and sum them. The interval tier is packed (packed-spans.ts) and kept the same way.
 *
 * Units: a row counts for '' (the whole city) and for every unit on the org path of its grid (or its
 * station when it has no grid): grid, station, branch, bureau. A reader in a unit reads that unit's rows
 * only, which are exactly the rows the hour tier's scope (rollupScope) gives it.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { orgPathIdsOf, type Principal } from '../../core/access.js';
import { localDay, timeZone } from '../../core/clock.js';
import { tierPlan, type LocalMonth } from './domain/tiers.js';
import { cellParentSql } from './domain/h3-parent.js';
import { TIER_RESOLUTION } from './cells-schema.js';
import { LOCAL_CALENDAR, unitKeyOf } from './tier-units.js';
import { INTERVAL_HOURS, addPackedChange, countPackedTier, packedDiff } from './packed-spans.js';
import type { HourSet } from './hour-sets.js';
import { transactionTable } from './temp-tables.js';

export { LOCAL_CALENDAR, unitKeyOf };


/** The units a row of the hour tier counts for, as a lateral subquery over its station_id and grid_id (alias `h`). */
const UNITS_OF_ROW = sql`cross join lateral (select '' as unit_id union all ${orgPathIdsOf(sql.raw("coalesce(nullif(g.grid_id, ''), g.station_id)"))}) a`;

/**
 * The same expansion for a rebuild's millions of rows (`g` and `a` as UNITS_OF_ROW binds them): a hash join
 * on every unit's path ids instead of a lookup per row; '' for every row, in the tree or not.
 */
const everyUnit = (g: SQL) => sql`
  from (
    with g as materialized (${g}),
    paths as (select u.id, p.unit_id from org_units u cross join lateral unnest(string_to_array(trim(both '/' from u.path), '/')) as p(unit_id))
    select '' as unit_id, g.* from g
    union all
    select paths.unit_id, g.* from g join paths on paths.id = coalesce(nullif(g.grid_id, ''), g.station_id)
  ) g cross join lateral (select g.unit_id) a`;

/**
 * A rebuild inserts millions of rows into an emptied table: in its primary key's order (the first n
 * columns of the insert), the index is appended to instead of descended at random for every row.
 */
const IN_KEY_ORDER = (n: number) => sql.raw(`order by ${Array.from({ length: n }, (_, i) => i + 1).join(', ')}`);

/**
 * Runs an insert … on conflict … do update of a round's change and deletes the rows it brought to zero
 * (a change that took away an hour's last incident of a kind): only those rows, found by the upsert's own
 * RETURNING, never a scan of the table. `key`: the table's key columns; dates come back as text.
 */
export async function upsertDroppingZeros(t: Db, table: string, key: readonly string[], upsert: SQL): Promise<void> {
  const cols = key.map((c) => (c === 'start' || c === 'day' ? `${c}::text as ${c}` : c)).join(', ');
  const zeros = await queryRows<Record<string, unknown>>(t, sql`with up as (${upsert} returning ${sql.raw(key.join(', '))}, n) select ${sql.raw(cols)} from up where n = 0`);
  if (!zeros.length) return;
  const match = key.map((c) => `${table}.${c} = z.${c}`).join(' and ');
  await t.execute(sql`delete from ${sql.raw(table)} using json_populate_recordset(null::${sql.raw(table)}, ${JSON.stringify(zeros)}::json) z where ${sql.raw(match)}`);
}

interface Tier {
  hours: string;
  spans: string;
  /** The columns besides time and place, in both tables. */
  dims: string[];
  /** The grains kept (day and month unless said). */
  grains?: readonly ('d' | 'm')[];
  /** A column's value in the tier computed from the hour row `h` (default: the same column). */
  from?: Record<string, string>;
}
const INCIDENTS: Tier = { hours: 'analytics_incident_hours', spans: 'analytics_incident_spans', dims: ['family', 'priority'] };
/** Hot spots: months only, the cell its parent at TIER_RESOLUTION (cells-schema.ts). */
export const CELLS: Tier = { hours: 'analytics_incident_cells', spans: 'analytics_cell_spans', dims: ['cell', 'family'], grains: ['m'], from: { cell: cellParentSql('h.cell', TIER_RESOLUTION) } };
const TIERS = [INCIDENTS, CELLS];
/** The hour tables a round recounts and saves beforehand (to add the net change). */
const HOUR_TABLES = [INCIDENTS.hours, CELLS.hours, INTERVAL_HOURS];
const saved = (table: string) => `sw_before_${table}`;
/** A round's net change of an hour table, computed once: each tier (day, month, heat) reads it. */
export const changed = (table: string) => `sw_change_${table}`;

/** The heat table's tier as a tier: local hour of day in place of the other columns. */
const HEAT = { spans: 'analytics_heat_days', dims: ['hod'] };

/**
 * What a tier counts: a round's net change (in the `changed` tables), or every hour row of a local month
 * (a rebuild of it, into its emptied rows) or of all time (null: the tiers counted again).
 */
type Source = { changed: true } | { month: LocalMonth | null };

const instantsOf = (m: LocalMonth) => sql`hour >= ${m.from.toISOString()}::timestamptz and hour < ${m.to.toISOString()}::timestamptz`;

/** The hour rows a tier adds: a rebuild's (every one, or a month's), or a round's net change. */
function hourRows(hours: string, src: Source): SQL {
  if ('month' in src) return src.month ? sql`(select * from ${sql.raw(hours)} where ${instantsOf(src.month)})` : sql.raw(hours);
  return sql.raw(changed(hours));
}

/**
 * A round's net change of an hour table: its hours' rows now (`which`), minus those saved before the
 * recount — so the work is the size of what changed, not of the hours.
 */
function changeOf(hours: string, dims: readonly string[], which: SQL): SQL {
  const cols = ['hour', 'station_id', 'grid_id', ...dims].join(', ');
  const group = [...Array(3 + dims.length).keys()].map((i) => i + 1).join(', ');
  return sql`(select ${sql.raw(cols)}, sum(n)::bigint as n from (
      select ${sql.raw(cols)}, n from ${sql.raw(hours)} where ${which}
      union all select ${sql.raw(cols)}, -n from ${sql.raw(saved(hours))}) x
    group by ${sql.raw(group)} having sum(n) <> 0)`;
}

/** Adds hour rows (`src`) to the day and month rows of every unit holding them. */
async function applyHours(t: Db, src: Source): Promise<void> {
  const tz = timeZone();
  const rebuild = 'month' in src;
  const month = rebuild ? src.month : null;
  for (const tier of TIERS) {
    const dims = tier.dims.join(', ');
    const hDims = tier.dims.map((c) => `${tier.from?.[c] ?? `h.${c}`} as ${c}`).join(', ');
    const hGroup = tier.dims.map((_, i) => i + 4).join(', ');
    const gDims = tier.dims.map((c) => `g.${c}`).join(', ');
    const grains = tier.grains ?? (['d', 'm'] as const);
    for (const grain of grains) {
      if (rebuild && grain === 'm' && grains.includes('d')) {
        // A rebuild (the tier just emptied): the months from the day rows just counted, far fewer than the hour rows.
        await t.execute(sql`
          insert into ${sql.raw(tier.spans)} (unit_id, grain, start, ${sql.raw(dims)}, n)
          select unit_id, 'm', date_trunc('month', start)::date, ${sql.raw(dims)}, sum(n)::int
          from ${sql.raw(tier.spans)} where grain = 'd' ${month ? sql`and start >= ${month.first}::date and start < ${month.next}::date` : sql``}
          group by unit_id, 3, ${sql.raw(dims)}
          ${IN_KEY_ORDER(3 + tier.dims.length)}`);
        continue;
      }
      const start = grain === 'd' ? sql.raw('g.day') : sql.raw(`date_trunc('month', g.day)::date`);
      // Grouped by place first, so the unit expansion runs once per (day, station, grid, …), not per hour row.
      // A tier of months alone (hot spots) is grouped by month at once: fewer rows to expand than by day.
      const dayOf = grains.includes('d') ? sql`(h.hour at time zone ${tz})::date` : sql`date_trunc('month', h.hour at time zone ${tz})::date`;
      const byPlace = sql`
          select ${dayOf} as day, h.station_id, h.grid_id, ${sql.raw(hDims)}, sum(h.n)::bigint as n
          from ${hourRows(tier.hours, src)} h
          group by 1, 2, 3, ${sql.raw(hGroup)}`;
      const upsert = sql`
        insert into ${sql.raw(tier.spans)} (unit_id, grain, start, ${sql.raw(dims)}, n)
        select a.unit_id, ${grain}, ${start}, ${sql.raw(gDims)}, sum(g.n)::int
        ${rebuild ? everyUnit(byPlace) : sql`from (${byPlace}) g ${UNITS_OF_ROW}`}
        group by 1, 3, ${sql.raw(gDims)}
        ${rebuild ? IN_KEY_ORDER(3 + tier.dims.length) : sql``}
        on conflict (unit_id, grain, start, ${sql.raw(dims)}) do update set n = ${sql.raw(tier.spans)}.n + excluded.n`;
      if (rebuild) await t.execute(upsert);
      else await upsertDroppingZeros(t, tier.spans, ['unit_id', 'grain', 'start', ...tier.dims], upsert);
    }
  }
  const heatByPlace = sql`
      select (h.hour at time zone ${tz})::date as day, extract(hour from h.hour at time zone ${tz})::int as hod, h.station_id, h.grid_id, sum(h.n)::bigint as n
      from ${hourRows(INCIDENTS.hours, src)} h
      group by 1, 2, 3, 4`;
  const heat = sql`
    insert into analytics_heat_days (unit_id, day, hod, n)
    select a.unit_id, g.day, g.hod, sum(g.n)::int
    ${rebuild ? everyUnit(heatByPlace) : sql`from (${heatByPlace}) g ${UNITS_OF_ROW}`}
    group by 1, 2, 3
    ${rebuild ? IN_KEY_ORDER(3) : sql``}
    on conflict (unit_id, day, hod) do update set n = analytics_heat_days.n + excluded.n`;
  if (rebuild) await t.execute(heat);
  else await upsertDroppingZeros(t, HEAT.spans, ['unit_id', 'day', 'hod'], heat);
  if ('month' in src) await countPackedTier(t, src.month);
  else await addPackedChange(t, sql.raw(changed(INTERVAL_HOURS)));
}

/**
 * Recounts `hours` with `recount` (the hour tier's recounters), keeping the day and month tier in step:
 * the hours' rows are saved first, and what the recount changed in them is added to the tiers afterwards,
 * in the caller's transaction.
 */
export async function withSpans(t: Db, hours: HourSet, recount: (hours: HourSet) => Promise<void>): Promise<void> {
  for (const table of HOUR_TABLES) {
    await transactionTable(t, saved(table), sql`select * from ${sql.raw(table)} where ${hours.rows}`);
  }
  await recount(hours);
  const changes: [string, SQL][] = [...TIERS.map((x) => [x.hours, changeOf(x.hours, x.dims, hours.rows)] as [string, SQL]), [INTERVAL_HOURS, packedDiff(hours.rows, saved(INTERVAL_HOURS))]];
  for (const [table, change] of changes) {
    await transactionTable(t, changed(table), sql`select * from ${change} x`);
  }
  await applyHours(t, { changed: true });
}

/**
 * Adds the net change a round built in the `changed` tables (one per hour table, deltas.ts) to the day
 * and month rows, the heat table and the interval tier.
 */
export async function applyChangedHours(t: Db): Promise<void> {
  await applyHours(t, { changed: true });
}

/**
 * Counts the day and month tier again from every hour row (in one transaction): after the org tree or the
 * time zone changed (the tier counts by both), and once when it is empty while the hour tier is not (an upgrade).
 */
export async function rebuildSpans(t: Db): Promise<void> {
  for (const table of [...TIERS.map((x) => x.spans), HEAT.spans, 'analytics_interval_spans']) await t.execute(sql`delete from ${sql.raw(table)}`);
  await applyHours(t, { month: null });
}

/**
 * Counts one local month's day and month rows again from its hour rows (a rebuild, month by month, in the
 * month's transaction: the month's tier agrees with its hours once it commits, and rounds between months
 * keep it so by deltas).
 */
export async function rebuildSpansOf(t: Db, month: LocalMonth): Promise<void> {
  const days = sql`start >= ${month.first}::date and start < ${month.next}::date`;
  for (const table of [INCIDENTS.spans, 'analytics_interval_spans']) await t.execute(sql`delete from ${sql.raw(table)} where (grain = 'd' and ${days}) or (grain = 'm' and start = ${month.first}::date)`);
  await t.execute(sql`delete from ${sql.raw(CELLS.spans)} where grain = 'm' and start = ${month.first}::date`);
  await t.execute(sql`delete from ${sql.raw(HEAT.spans)} where day >= ${month.first}::date and day < ${month.next}::date`);
  await applyHours(t, { month });
}

/** Deletes every day and month row outside the local days [first, next) (a rebuild: rows of months holding no hour row). */
export async function dropSpansOutside(t: Db, first: string, next: string): Promise<void> {
  const outside = sql`(start < ${first}::date or start >= ${next}::date)`;
  for (const table of [INCIDENTS.spans, 'analytics_interval_spans', CELLS.spans]) await t.execute(sql`delete from ${sql.raw(table)} where ${outside}`);
  await t.execute(sql`delete from ${sql.raw(HEAT.spans)} where day < ${first}::date or day >= ${next}::date`);
}

/** True when the hour tier holds rows the upper tiers have never counted (a database upgraded to migration 0026 or 0032). */
export async function spansMissing(db: Db): Promise<boolean> {
  const [r] = await queryRows<{ missing: boolean }>(
    db,
    sql`select (exists (select 1 from analytics_incident_hours) and not exists (select 1 from analytics_incident_spans))
            or (exists (select 1 from analytics_incident_cells) and not exists (select 1 from analytics_cell_spans)) as missing`,
  );
  return Boolean(r?.missing);
}

/** The heat table (weekday 0 Sunday … 6 × local hour) of [from, to) from the day rows; null when the span is not whole local days. */
export async function heatFromDays(db: Db, p: Principal, from: Date, to: Date): Promise<{ dow: number; hod: number; n: number }[] | null> {
  const plan = tierPlan(from, to, LOCAL_CALENDAR);
  if (plan.hours.length) return null;
  const rows = await queryRows<{ dow: number; hod: number; n: number | string }>(
    db,
    sql`select extract(dow from day)::int as dow, hod, sum(n)::bigint as n from analytics_heat_days
        where unit_id = ${unitKeyOf(p)} and day >= ${localDay(from)}::date and day < ${localDay(to)}::date group by 1, 2`,
  );
  return rows.map((r) => ({ dow: Number(r.dow), hod: Number(r.hod), n: Number(r.n) }));
}


/**
 * Sum of n over [from, to) in the principal's scope, grouped by `by` (columns of the tier), with `filter`
 * (on those columns) applied to every part. `hourScope` is the hour tier's scope of the same principal.
 */
async function tieredSum(db: Db, tier: Tier, p: Principal, hourScope: SQL | undefined, from: Date, to: Date, by: string[], filter?: SQL): Promise<Record<string, unknown>[]> {
  const plan = tierPlan(from, to, LOCAL_CALENDAR);
  const cols = by.join(', ');
  const f = filter ?? sql`true`;
  const parts: SQL[] = [];
  if (plan.hours.length) {
    const when = sql.join(plan.hours.map((r) => sql`(hour >= ${r.from.toISOString()}::timestamptz and hour < ${r.to.toISOString()}::timestamptz)`), sql` or `);
    parts.push(sql`select ${sql.raw(by.length ? `${cols}, ` : '')}n from ${sql.raw(tier.hours)} where (${when}) and ${hourScope ?? sql`true`} and ${f}`);
  }
  const unit = unitKeyOf(p);
  const ranges: SQL[] = plan.days.map((r) => sql`(grain = 'd' and start >= ${r.from}::date and start < ${r.to}::date)`);
  if (plan.months) ranges.push(sql`(grain = 'm' and start >= ${plan.months.from}::date and start < ${plan.months.to}::date)`);
  if (ranges.length) parts.push(sql`select ${sql.raw(by.length ? `${cols}, ` : '')}n from ${sql.raw(tier.spans)} where unit_id = ${unit} and (${sql.join(ranges, sql` or `)}) and ${f}`);
  if (!parts.length) return [];
  const union = sql.join(parts, sql` union all `);
  return by.length
    ? queryRows(db, sql`select ${sql.raw(cols)}, sum(n)::bigint as n from (${union}) x group by ${sql.raw(cols)}`)
    : queryRows(db, sql`select sum(n)::bigint as n from (${union}) x`);
}

export const incidentSum = (db: Db, p: Principal, hourScope: SQL | undefined, from: Date, to: Date, by: ('family' | 'priority')[], filter?: SQL) => tieredSum(db, INCIDENTS, p, hourScope, from, to, by, filter);

/**
 * Incidents of [from, to) by unit and family for the given units, from the day and month rows alone (the
 * drill-down: a unit and its children). Null when the span is not whole local days (then the hour tier answers).
 */
export async function incidentsByUnit(db: Db, unitIds: readonly string[], from: Date, to: Date): Promise<{ unit_id: string; family: string; n: number }[] | null> {
  const plan = tierPlan(from, to, LOCAL_CALENDAR);
  if (plan.hours.length) return null;
  const ranges: SQL[] = plan.days.map((r) => sql`(grain = 'd' and start >= ${r.from}::date and start < ${r.to}::date)`);
  if (plan.months) ranges.push(sql`(grain = 'm' and start >= ${plan.months.from}::date and start < ${plan.months.to}::date)`);
  if (!ranges.length || !unitIds.length) return [];
  // Ids quoted in the array literal: an id may hold any character but a quote or backslash.
  const ids = `{${unitIds.map((u) => `"${u.replace(/["\\]/g, '')}"`).join(',')}}`;
  const rows = await queryRows<{ unit_id: string; family: string; n: number | string }>(
    db,
    sql`select unit_id, family, sum(n)::bigint as n from analytics_incident_spans where unit_id = any(${ids}::text[]) and (${sql.join(ranges, sql` or `)}) group by 1, 2`,
  );
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}
