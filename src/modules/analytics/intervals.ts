/**
 * The interval figures of issue 16 (PRODUCT.md "Measures"), kept in `analytics_interval_hours`: per
 * incident (duplicates merged into another left out) the durations below, each counted in its fixed
 * bucket (domain/histogram.ts) under its key (measure × priority × bucket, domain/interval-keys.ts), per
 * recorded hour × station, packed into one row. Medians and 90th
 * percentiles of a span are read back by summing buckets, so they are within a bucket's width of the exact
 * ones. A negative duration (clocks out of step, a time typed wrong) is not counted; an unknown one neither.
 *
 * - answer:   call start → answered
 * - intake:   answered → recorded
 * - dispatch: recorded → first unit assigned (dispatched_at)
 * - travel:   first unit assigned → first unit on scene
 * - response: answered → on scene (intake + dispatch + travel); when the answer time is unknown (a desk
 *             entry, a 12345 order) from recorded → on scene
 * - on_scene: recorded → on scene, of incidents counted in dispatch (the P1 target rate's clock and
 *             numerator, as dispatch.p1_on_scene_in_target defines it; its denominator is dispatch's n)
 *
 * Read back (tables, KPI values) in interval-figures.ts; this file only counts (it is a recounter, and
 * rollups.ts imports the recounters). Rounds count in SQL (`intervalEntries`, which also sums the deltas); a
 * rebuild counts the same rule in JS (domain/interval-rows.ts), and the rebuild tests hold the two equal,
 * edge durations included.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { HourRecounter } from './recounters.js';
import { dayChunks, type HourSet } from './hour-sets.js';
import { queryRows, type Db } from '../../db/client.js';
import { packedHourRows } from './domain/interval-rows.js';
import { OVERFLOW_BUCKET, SEGMENTS } from './domain/histogram.js';
import { KEYED_MEASURES, keySql } from './domain/interval-keys.js';

export const INTERVAL_MEASURES = ['answer', 'intake', 'dispatch', 'travel', 'response'] as const;
export type IntervalMeasure = (typeof INTERVAL_MEASURES)[number] | 'on_scene';

/** The bucket of `seconds` in SQL, generated from the domain's segments (one CASE, evaluated per row). */
export function bucketSql(seconds: string): string {
  let first = 0;
  const whens = SEGMENTS.map((s) => {
    const w = `when ${seconds} < ${s.to} then ${first} + floor((${seconds} - ${s.from}) / ${s.width})::int`;
    first += (s.to - s.from) / s.width;
    return w;
  });
  return `case ${whens.join(' ')} else ${OVERFLOW_BUCKET} end`;
}

/** The key of a duration `m.s` of measure index `m.mi` of incident `i`. */
const KEY = sql.raw(keySql('m.mi', 'i.priority', bucketSql('m.s')));
const mi = (m: (typeof KEYED_MEASURES)[number]) => sql.raw(String(KEYED_MEASURES.indexOf(m)));

/**
 * The hours' entries (hour, station_id, k, n) of the incidents `hs` binds: n sums `weight` (1 for a
 * recount; a delta's sign for a round's deltas, deltas.ts), entries summing to zero left out.
 */
export function intervalEntries(hs: HourSet, weight = sql`1`): SQL {
  return sql`
      select ${hs.hour} as hour, i.station_id, ${KEY} as k, sum(${weight})::int as n
      from ${hs.from}
      -- date_part, not extract: a double, not a numeric (PostgreSQL 14+), so the bucket CASE runs in float
      -- arithmetic (a month at 8 M: 3.9 → 3.7 s). Bucket bounds and widths are whole seconds: no duration changes bucket.
      cross join lateral (values
        (${mi('answer')}, date_part('epoch', i.answered_at - i.call_started_at)),
        (${mi('intake')}, date_part('epoch', i.recorded_at - i.answered_at)),
        (${mi('dispatch')}, date_part('epoch', i.dispatched_at - i.recorded_at)),
        (${mi('travel')}, date_part('epoch', i.on_scene_at - i.dispatched_at)),
        (${mi('response')}, date_part('epoch', i.on_scene_at - coalesce(i.answered_at, i.recorded_at))),
        (${mi('on_scene')}, case when i.dispatched_at >= i.recorded_at then date_part('epoch', i.on_scene_at - i.recorded_at) end)
      ) as m(mi, s)
      where ${hs.where} and i.master_id is null and m.s is not null and m.s >= 0
      group by 1, 2, 3
      having sum(${weight}) <> 0`;
}

/** An incident time in integer microseconds since the epoch (exact: `extract` gives a numeric). */
const micros = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000000)::bigint`);

/**
 * A range's rows counted in JS (domain/interval-rows.ts), a day at a time: the incidents read once as JSON,
 * the rows written as JSON. The SQL sorted a month's 1.3 M incident × measure rows at 8 M (2.7–3.9 s); the
 * whole 8 M rebuild went from 305 to 255 s with this.
 */
async function countRangeInJs(t: Db, range: NonNullable<HourSet['range']>): Promise<void> {
  for (const hs of dayChunks(range)) {
    const [got] = await queryRows<{ j: string }>(
      t,
      sql`select coalesce(json_agg(json_build_array(i.station_id, i.priority, ${micros('i.call_started_at')}, ${micros('i.answered_at')}, ${micros('i.recorded_at')}, ${micros('i.dispatched_at')}, ${micros('i.on_scene_at')})), '[]')::text as j
          from ${hs.from} where ${hs.where} and i.master_id is null`,
    );
    type Row = [string, string | null, number | null, number | null, number, number | null, number | null];
    const incidents = (JSON.parse(got?.j ?? '[]') as Row[]).map(([station, priority, called, answered, recorded, dispatched, onScene]) => ({ station, priority, called, answered, recorded, dispatched, onScene }));
    const rows = packedHourRows(incidents);
    if (!rows.length) continue;
    await t.execute(sql`
      insert into analytics_interval_hours (hour, station_id, keys, counts)
      select hour, station_id, keys, counts from json_to_recordset(${JSON.stringify(rows)}::json) as x(hour timestamptz, station_id text, keys int[], counts int[])`);
  }
}

/**
 * Deletes the given hours' rows and counts them again from the incidents: a round's hours by one
 * insert…select (the same SQL its deltas are summed by), a rebuild's range in JS.
 */
export const intervalCounts: HourRecounter = async (t, hs) => {
  await t.execute(sql`delete from analytics_interval_hours where ${hs.rows}`);
  if (hs.range) return countRangeInJs(t, hs.range);
  await t.execute(sql`
    insert into analytics_interval_hours (hour, station_id, keys, counts)
    select hour, station_id, array_agg(k order by k), array_agg(n order by k)
    from (${intervalEntries(hs)}) x
    group by 1, 2`);
};
