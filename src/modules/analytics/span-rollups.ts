/**
 * The day and month tier (spans-schema.ts, domain/tiers.ts). A rollup round, after recounting its hours,
 * recounts the local days those hours fall in from the hour rows, then the months of those days from the
 * day rows — in the same transaction, so every tier agrees after each round. Reads split a span into the
 * parts each tier answers and sum them.
 *
 * Units: a row counts for '' (the whole city) and for every unit on the org path of its grid (or its
 * station when it has no grid): grid, station, branch, bureau. A reader in a unit reads that unit's rows
 * only, which are exactly the rows the hour tier's scope (rollupScope) gives it.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { orgPathIdsOf, seesEverything, type Principal } from '../../core/access.js';
import { localDay, localDayStart, timeZone } from '../../core/clock.js';
import { addCalendarDays, addMonths } from '../../core/working-days.js';
import { tierPlan, touchedDays, type LocalCalendar } from './domain/tiers.js';

export const LOCAL_CALENDAR: LocalCalendar = { dayOf: (t) => localDay(t), dayStart: (d) => localDayStart(d) };

const textArray = (xs: readonly string[]) => `{${xs.join(',')}}`;
const instantArray = (xs: readonly Date[]) => `{${xs.map((x) => x.toISOString()).join(',')}}`;

/** The units a row of the hour tier counts for, as a lateral subquery over its station_id and grid_id (alias `h`). */
const UNITS_OF_ROW = sql`cross join lateral (select '' as unit_id union all ${orgPathIdsOf(sql.raw("coalesce(nullif(g.grid_id, ''), g.station_id)"))}) a`;

interface Tier {
  hours: string;
  spans: string;
  /** The columns besides time and place, in both tables. */
  dims: string[];
}
const INCIDENTS: Tier = { hours: 'analytics_incident_hours', spans: 'analytics_incident_spans', dims: ['family', 'priority'] };
const INTERVALS: Tier = { hours: 'analytics_interval_hours', spans: 'analytics_interval_spans', dims: ['measure', 'priority', 'bucket'] };

/** Recounts the days of the given hour starts and their months, for both rollups (inside the round's transaction). */
export async function recountSpans(t: Db, hours: readonly Date[]): Promise<void> {
  const { days, months } = touchedDays(hours, LOCAL_CALENDAR);
  if (!days.length) return;
  const starts = days.map((d) => localDayStart(d));
  const ends = days.map((d) => localDayStart(addCalendarDays(d, 1)));
  for (const tier of [INCIDENTS, INTERVALS]) {
    const dims = tier.dims.join(', ');
    const gDims = tier.dims.map((c) => `g.${c}`).join(', ');
    await t.execute(sql`delete from ${sql.raw(tier.spans)} where grain = 'd' and start = any(${textArray(days)}::date[])`);
    // Grouped by place first, so the unit expansion runs once per (day, station, grid, …), not per hour row.
    await t.execute(sql`
      insert into ${sql.raw(tier.spans)} (start, unit_id, grain, ${sql.raw(dims)}, n)
      select g.day, a.unit_id, 'd', ${sql.raw(gDims)}, sum(g.n)::int
      from (
        select d.day, h.station_id, h.grid_id, ${sql.raw(tier.dims.map((c) => `h.${c}`).join(', '))}, sum(h.n)::bigint as n
        from unnest(${textArray(days)}::date[], ${instantArray(starts)}::timestamptz[], ${instantArray(ends)}::timestamptz[]) as d(day, s, e)
        join ${sql.raw(tier.hours)} h on h.hour >= d.s and h.hour < d.e
        group by ${sql.raw(['d.day', 'h.station_id', 'h.grid_id', ...tier.dims.map((c) => `h.${c}`)].join(', '))}
      ) g
      ${UNITS_OF_ROW}
      group by ${sql.raw(['g.day', 'a.unit_id', ...tier.dims.map((c) => `g.${c}`)].join(', '))}`);
    await t.execute(sql`delete from ${sql.raw(tier.spans)} where grain = 'm' and start = any(${textArray(months)}::date[])`);
    await t.execute(sql`
      insert into ${sql.raw(tier.spans)} (start, unit_id, grain, ${sql.raw(dims)}, n)
      select m.month, s.unit_id, 'm', ${sql.raw(tier.dims.map((c) => `s.${c}`).join(', '))}, sum(s.n)::int
      from unnest(${textArray(months)}::date[], ${textArray(months.map((m) => addMonths(m, 1)))}::date[]) as m(month, next)
      join ${sql.raw(tier.spans)} s on s.grain = 'd' and s.start >= m.month and s.start < m.next
      group by ${sql.raw(['m.month', 's.unit_id', ...tier.dims.map((c) => `s.${c}`)].join(', '))}`);
  }
  await t.execute(sql`delete from analytics_heat_days where day = any(${textArray(days)}::date[])`);
  await t.execute(sql`
    insert into analytics_heat_days (day, unit_id, hod, n)
    select g.day, a.unit_id, g.hod, sum(g.n)::int
    from (
      select d.day, h.station_id, h.grid_id, extract(hour from h.hour at time zone ${timeZone()})::int as hod, sum(h.n)::bigint as n
      from unnest(${textArray(days)}::date[], ${instantArray(starts)}::timestamptz[], ${instantArray(ends)}::timestamptz[]) as d(day, s, e)
      join analytics_incident_hours h on h.hour >= d.s and h.hour < d.e
      group by 1, 2, 3, 4
    ) g
    ${UNITS_OF_ROW}
    group by 1, 2, 3`);
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

/** The unit whose rows a principal reads: '' for one who sees the whole city, else their unit. */
export const unitKeyOf = (p: Principal): string => (seesEverything(p) ? '' : p.unitId);

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
export const intervalSum = (db: Db, p: Principal, hourScope: SQL | undefined, from: Date, to: Date, by: ('measure' | 'priority' | 'bucket')[], filter?: SQL) => tieredSum(db, INTERVALS, p, hourScope, from, to, by, filter);

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
