/**
 * The packed interval hour rows (intervals.ts, migration 0033) of a set of incidents, counted in JS: the
 * same rule as intervals.ts `intervalEntries` counts in SQL, for a rebuild's pass over a day's incidents.
 * That SQL sorts one row per incident × measure (a month at 8 M: 1.3 M rows, ≈ 3 s); this is one pass
 * with a map. The rebuild tests check the two give the same rows (test/analytics/rebuild.db.test.ts). Pure.
 *
 * Times are integer microseconds since the epoch (null when unknown), as Postgres keeps them, so a duration
 * is exact before it is divided into seconds and falls in the bucket Postgres puts it in.
 */
import { bucketOf } from './histogram.js';
import { encodeKey, type IntervalKey } from './interval-keys.js';

export interface TimedIncident {
  station: string;
  priority: string | null;
  called: number | null;
  answered: number | null;
  recorded: number;
  dispatched: number | null;
  onScene: number | null;
}

export interface PackedHourRow {
  /** The recorded UTC hour, ISO. */
  hour: string;
  station_id: string;
  /** Ascending, each once. */
  keys: number[];
  counts: number[];
}

const HOUR_US = 3_600_000_000;
const seconds = (from: number | null, to: number | null) => (from === null || to === null ? null : (to - from) / 1_000_000);

/** The durations of an incident by measure (intervals.ts lists them); null where a time is missing. */
export function durationsOf(i: TimedIncident): [IntervalKey['measure'], number | null][] {
  return [
    ['answer', seconds(i.called, i.answered)],
    ['intake', seconds(i.answered, i.recorded)],
    ['dispatch', seconds(i.recorded, i.dispatched)],
    ['travel', seconds(i.dispatched, i.onScene)],
    ['response', seconds(i.answered ?? i.recorded, i.onScene)],
    // The P1 target's clock: only for incidents counted in dispatch.
    ['on_scene', i.dispatched !== null && i.dispatched >= i.recorded ? seconds(i.recorded, i.onScene) : null],
  ];
}

/** The hour × station rows of `incidents`: each duration counted under its key; negative or unknown ones nowhere. */
export function packedHourRows(incidents: Iterable<TimedIncident>): PackedHourRow[] {
  const rows = new Map<string, { hour: number; station: string; counts: Map<number, number> }>();
  for (const i of incidents) {
    const hour = Math.floor(i.recorded / HOUR_US) * HOUR_US;
    let row: { hour: number; station: string; counts: Map<number, number> } | undefined;
    for (const [measure, s] of durationsOf(i)) {
      const bucket = bucketOf(s);
      if (bucket === null) continue;
      if (!row) {
        const id = `${hour}\u0000${i.station}`;
        row = rows.get(id);
        if (!row) rows.set(id, (row = { hour, station: i.station, counts: new Map() }));
      }
      const key = encodeKey(measure, i.priority ?? '', bucket);
      row.counts.set(key, (row.counts.get(key) ?? 0) + 1);
    }
  }
  return [...rows.values()].map((r) => {
    const keys = [...r.counts.keys()].sort((a, b) => a - b);
    return { hour: new Date(r.hour / 1000).toISOString(), station_id: r.station, keys, counts: keys.map((k) => r.counts.get(k)!) };
  });
}
