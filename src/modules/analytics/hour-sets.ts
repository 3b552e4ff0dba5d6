/**
 * The hours a rollup recounter recounts (recounters.ts): a round's list of stale hours, or a rebuild's
 * range of them (rebuild.ts), as the SQL pieces the recounters build their statements from.
 */
import { sql, type SQL } from 'drizzle-orm';

/** Which hours a recounter recounts, as SQL pieces its statements are built from. */
export interface HourSet {
  /** A predicate on a rollup table's `hour` column: its rows of these hours. */
  rows: SQL;
  /** The incidents of these hours: a FROM list binding them as `i` … */
  from: SQL;
  /** … a condition on it (true when `from` already joins by hour) … */
  where: SQL;
  /** … and the UTC hour start of an incident `i`. */
  hour: SQL;
  /** A range's bounds (a rebuild), so a recounter may split its work; absent for a list of hours. */
  range?: { from: Date; to: Date; source: string };
}

/** Hours given as a Postgres array literal of UTC hour starts ('{2026-12-01T03:00:00.000Z,…}'): a round's. */
export function hourList(arr: string): HourSet {
  return {
    rows: sql`hour = any(${arr}::timestamptz[])`,
    // One index range scan of incidents per hour.
    from: sql`unnest(${arr}::timestamptz[]) as h(hour) join incidents i on i.recorded_at >= h.hour and i.recorded_at < h.hour + interval '1 hour'`,
    where: sql`true`,
    hour: sql`h.hour`,
  };
}

/**
 * Every hour of [from, to) (whole UTC hours): a rebuild's range, one range scan for the whole of it.
 * `source`: the incidents table, or a copy of the range's incidents (rebuild.ts) with the columns the recounters read.
 */
export function hourRange(from: Date, to: Date, source = 'incidents'): HourSet {
  const [a, b] = [from.toISOString(), to.toISOString()];
  return {
    rows: sql`hour >= ${a}::timestamptz and hour < ${b}::timestamptz`,
    from: sql`${sql.raw(source)} i`,
    where: sql`i.recorded_at >= ${a}::timestamptz and i.recorded_at < ${b}::timestamptz`,
    hour: sql`date_trunc('hour', i.recorded_at, 'UTC')`,
    range: { from, to, source },
  };
}

/** A range's incidents are read a day at a time by the recounters that count in JS: a day's in a city of 8 million in three years is ~7,000. */
const DAY_MS = 24 * 3_600_000;

/** A rebuild's range cut into days (the last one shorter), each an hour range over the same source: memory stays bounded whatever the range. */
export function dayChunks(range: NonNullable<HourSet['range']>): HourSet[] {
  const out: HourSet[] = [];
  const end = range.to.getTime();
  for (let at = range.from.getTime(); at < end; at += DAY_MS) out.push(hourRange(new Date(at), new Date(Math.min(at + DAY_MS, end)), range.source));
  return out;
}

/**
 * A round's hours (migration 0034): `whole` hours recounted for every station, and (hour, station) pairs
 * recounted for that station alone — a mark names the station whose incident changed. No hour is in both.
 */
export function selectedHours(whole: readonly string[], pairs: readonly (readonly [string, string])[]): HourSet {
  const w = `{${whole.join(',')}}`;
  const all = `{${[...new Set([...whole, ...pairs.map(([h]) => h)])].join(',')}}`;
  const p = JSON.stringify(pairs);
  const pairRows = sql`select (e->>0)::timestamptz as hour, e->>1 as station from json_array_elements(${p}::json) e`;
  return {
    // `hour = any(all)` first, so the tables' primary keys (hour first) find the rows; the rest picks the stations.
    rows: sql`(hour = any(${all}::timestamptz[]) and (hour = any(${w}::timestamptz[]) or (hour, station_id) in (${pairRows})))`,
    from: sql`(select hour, null::text as station from unnest(${w}::timestamptz[]) as x(hour) union all ${pairRows}) as h(hour, station)
      join incidents i on i.recorded_at >= h.hour and i.recorded_at < h.hour + interval '1 hour' and (h.station is null or i.station_id = h.station)`,
    where: sql`true`,
    hour: sql`h.hour`,
  };
}
