/**
 * The interval rollup (analytics_interval_hours) against the raw rows, on both databases: random
 * incidents with call, answer, record, dispatch and arrival times (some unknown, some out of order, some
 * merged) → the SQL buckets equal the domain's, and each median and 90th percentile per priority is
 * within its bucket's width of the exact one; a late correction of on_scene_at is reflected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { rawQuery } from '../../src/db/client.js';
import type { Principal } from '../../src/core/access.js';
import { recountAllSpans, refreshStale } from '../../src/modules/analytics/rollups.js';
import { INTERVAL_KPI_MEASURES, PRIORITIES, intervalHistograms, intervalTable } from '../../src/modules/analytics/interval-figures.js';
import { INTERVAL_MEASURES, type IntervalMeasure } from '../../src/modules/analytics/intervals.js';
import { boundsOf, bucketOf, histogramOf } from '../../src/modules/analytics/domain/histogram.js';

const BASE = Date.UTC(2026, 2, 1, 0, 0, 0);
const FROM = new Date(BASE - 86_400_000);
const TO = new Date(BASE + 3 * 86_400_000);
const STATIONS = ['S1', 'S2', 'S3'];
const everything: Principal = { kind: 'user', id: 'u', username: 'root', displayName: 'root', roles: ['analyst'], unitId: 'ROOT', unitPath: '/ROOT/', unitKind: 'bureau', scopes: [] };

/** Seeded, so a failure is reproducible (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Row = { id: string; priority: string; station: string; master: string | null; call: number | null; answered: number | null; recorded: number; dispatched: number | null; onScene: number | null };

const secs = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / 1000);
function durations(r: Row): Record<IntervalMeasure, number | null> {
  return {
    answer: secs(r.call, r.answered),
    intake: secs(r.answered, r.recorded),
    dispatch: secs(r.recorded, r.dispatched),
    travel: secs(r.dispatched, r.onScene),
    response: secs(r.answered ?? r.recorded, r.onScene),
    on_scene: r.dispatched !== null && r.dispatched >= r.recorded ? secs(r.recorded, r.onScene) : null,
  };
}

/** Nearest rank (percentile_disc) of the counted (known, non-negative) durations. */
function exact(xs: number[], q: number): number | null {
  if (!xs.length) return null;
  return [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;
}

function randomRows(n: number, seed: number): Row[] {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const ms = (maxS: number) => Math.round(r() * maxS * 1000);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const recorded = BASE + ms(2 * 86_400);
    const answered = r() < 0.8 ? recorded - ms(r() < 0.9 ? 200 : 1200) : null;
    const call = answered !== null && r() < 0.9 ? answered - ms(r() < 0.9 ? 40 : 400) : null;
    const dispatched = r() < 0.85 ? recorded + ms(r() < 0.8 ? 600 : 5000) : null;
    // Some arrivals before the assignment (a unit on scene by chance, a time typed wrong): not counted as travel.
    const onScene = dispatched !== null && r() < 0.85 ? dispatched + ms(r() < 0.9 ? 2400 : 20_000) - (r() < 0.05 ? 3_000_000 : 0) : null;
    rows.push({ id: `v${String(i).padStart(5, '0')}`, priority: pick(PRIORITIES), station: pick(STATIONS), master: i > 0 && r() < 0.05 ? 'v00000' : null, call, answered, recorded, dispatched, onScene });
  }
  return rows;
}

describe.each(testDrivers())('interval rollup on %s', (driver) => {
  let d: TestDatabase;
  let rows: Row[];
  beforeAll(async () => {
    d = await freshDatabase(driver);
    rows = randomRows(400, driver === 'pglite' ? 16 : 17);
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    for (let i = 0; i < rows.length; i += 100) {
      const batch = rows.slice(i, i + 100);
      const params: unknown[] = [];
      const values = batch.map((x) => {
        const p = (v: unknown) => `$${params.push(v)}`;
        return `(${p(x.id)}, ${p(x.id)}, 'call110', '02010101', '02', ${p(x.priority)}, ${p(x.priority)}, 'x', ${p(x.station)}, null, 'new', ${p(iso(x.recorded))}, ${p(iso(x.call))}, ${p(iso(x.answered))}, ${p(iso(x.dispatched))}, ${p(iso(x.onScene))}, ${p(x.master)})`;
      });
      await rawQuery(
        d.db,
        `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, grid_id, status, recorded_at, call_started_at, answered_at, dispatched_at, on_scene_at, master_id)
         values ${values.join(', ')}`,
        params,
      );
    }
    await refreshStale(d.db);
  }, 120_000);
  afterAll(() => d?.close());

  const counted = (measure: IntervalMeasure, priority?: string) =>
    rows
      .filter((x) => x.master === null && (!priority || x.priority === priority))
      .map((x) => durations(x)[measure])
      .filter((s): s is number => s !== null && s >= 0);

  it('buckets in SQL exactly as the domain does, per measure and priority, leaving out merged, unknown and negative intervals', async () => {
    const hists = await intervalHistograms(d.db, everything, FROM, TO);
    for (const m of [...INTERVAL_MEASURES, 'on_scene'] as const)
      for (const pr of PRIORITIES) expect([m, pr, hists.get(`${m}|${pr}`) ?? new Map()]).toEqual([m, pr, histogramOf(counted(m, pr))]);
  });

  it('gives medians and 90th percentiles within the bucket width of the exact ones from the raw rows', async () => {
    const table = await intervalTable(d.db, everything, FROM, TO);
    for (const m of INTERVAL_MEASURES)
      for (const pr of [...PRIORITIES, 'all']) {
        const xs = counted(m, pr === 'all' ? undefined : pr);
        const cell = table[m]![pr]!;
        expect([m, pr, cell.n]).toEqual([m, pr, xs.length]);
        for (const [q, got] of [[0.5, cell.median], [0.9, cell.p90]] as const) {
          const truth = exact(xs, q);
          if (truth === null) {
            expect(got).toBeNull();
            continue;
          }
          const { lower, upper } = boundsOf(bucketOf(truth)!);
          expect([m, pr, q, Math.abs(got! - truth) <= upper - lower]).toEqual([m, pr, q, true]);
        }
      }
    // The KPI value is the median over all priorities.
    expect((await INTERVAL_KPI_MEASURES['dispatch.travel_time']!(d.db, { principal: everything, from: FROM, to: TO })).value).toBe(table.travel!.all!.median);
  });

  it('counts P1 on scene within 10 minutes of recording ÷ P1 dispatched exactly (the target is a bucket boundary)', async () => {
    const within = counted('on_scene', 'P1').filter((s) => s < 600).length;
    const dispatched = counted('dispatch', 'P1').length;
    const m = await INTERVAL_KPI_MEASURES['dispatch.p1_on_scene_in_target']!(d.db, { principal: everything, from: FROM, to: TO });
    expect(m).toEqual({ value: within / dispatched, numerator: within, denominator: dispatched });
    expect(within).toBeGreaterThan(0);
  });

  it('reflects a late correction of on_scene_at once its hour is recounted', async () => {
    const target = rows.find((x) => x.master === null && x.dispatched !== null && x.onScene !== null && x.onScene > x.dispatched)!;
    target.onScene = target.dispatched! + 7_200_000; // two hours' travel, typed in later
    await rawQuery(d.db, 'update incidents set on_scene_at = $2 where id = $1', [target.id, new Date(target.onScene).toISOString()]);
    await refreshStale(d.db);
    const hists = await intervalHistograms(d.db, everything, FROM, TO, ['travel'], target.priority);
    expect(hists.get(`travel|${target.priority}`)).toEqual(histogramOf(counted('travel', target.priority)));
    expect(hists.get(`travel|${target.priority}`)!.get(bucketOf(7200)!)).toBeGreaterThanOrEqual(1);
  });

  it('scopes a station to its own incidents', async () => {
    const station: Principal = { ...everything, unitId: 'S1', unitPath: '/ROOT/S1/', unitKind: 'station' };
    await rawQuery(d.db, "insert into org_units (id, parent_id, kind, code, name, path) values ('ROOT', null, 'bureau', 'R', 'root', '/ROOT/'), ('S1', 'ROOT', 'station', 'S1', 's1', '/ROOT/S1/') on conflict do nothing");
    // The day and month tier counts by the org tree: a changed tree is counted again (the analytics module does so on the org cache's change).
    await recountAllSpans(d.db);
    const table = await intervalTable(d.db, station, FROM, TO);
    expect(table.dispatch!.all!.n).toBe(rows.filter((x) => x.master === null && x.station === 'S1' && durations(x).dispatch !== null && durations(x).dispatch! >= 0).length);
  });
});
