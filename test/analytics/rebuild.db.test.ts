/**
 * The fast rebuild (rebuild.ts: every rollup recounted by month, the upper tiers counted once at the end)
 * gives exactly the rows the round-based recount gives — every hour table and every tier, on both
 * databases — clears stray rows and marks, and honours a change made while it runs; months side by side
 * (PostgreSQL) give the rows of one at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { rawQuery } from '../../src/db/client.js';
import { markAllStale, mergeAll, refreshStale } from '../../src/modules/analytics/rollups.js';
import { rebuildRollups } from '../../src/modules/analytics/rebuild.js';
import { localDayStart } from '../../src/core/clock.js';
import { mulberry32 } from '../../src/core/random.js';

const START = localDayStart('2026-01-25').getTime();
const DAYS = 70;
const HOUR = 3_600_000;
const HOUR_TABLES = ['analytics_incident_hours', 'analytics_interval_hours', 'analytics_incident_cells'];
const TABLES = [...HOUR_TABLES, 'analytics_incident_spans', 'analytics_interval_spans', 'analytics_heat_days', 'analytics_cell_spans'];

describe.each(testDrivers())('the fast rebuild on %s', (driver) => {
  let d: TestDatabase;
  let seq = 0;
  const q = (text: string, params: unknown[] = []) => rawQuery<Record<string, unknown>>(d.db, text, params);

  /** One incident at `at`: a station of the tree or outside it, a grid or none, a place or none, the intervals or some. */
  async function insert(at: number, r: () => number) {
    const id = `r${++seq}`;
    const station = ['S1', 'S1', 'S2', 'SX'][Math.floor(r() * 4)]!;
    const grid = station === 'S1' && r() < 0.5 ? 'G1' : null;
    const located = r() < 0.85;
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    const dispatched = r() < 0.8 ? at + Math.floor(r() * 300_000) : null;
    const onScene = dispatched !== null && r() < 0.9 ? dispatched + Math.floor(r() * 1_500_000) : null;
    await q(
      `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, grid_id, status,
         recorded_at, call_started_at, answered_at, dispatched_at, on_scene_at, lat, lon)
       values ($1, $1, 'call110', $2 || '010101', $2, $3, $3, 'x', $4, $5, 'new', $6, $7, $8, $9, $10, $11, $12)`,
      [id, ['01', '02', '03'][seq % 3], `P${1 + (seq % 4)}`, station, grid, iso(at), iso(at - 90_000), iso(at - 60_000), iso(dispatched), iso(onScene), located ? 22.19 + r() * 0.02 : null, located ? 113.54 + r() * 0.02 : null],
    );
    return id;
  }

  beforeAll(async () => {
    d = await freshDatabase(driver);
    await q(
      `insert into org_units (id, parent_id, kind, code, name, path) values
       ('ROOT', null, 'bureau', 'R', 'root', '/ROOT/'), ('BR', 'ROOT', 'branch', 'BR', 'br', '/ROOT/BR/'),
       ('S1', 'BR', 'station', 'S1', 's1', '/ROOT/BR/S1/'), ('S2', 'BR', 'station', 'S2', 's2', '/ROOT/BR/S2/'),
       ('G1', 'S1', 'grid', 'G1', 'g1', '/ROOT/BR/S1/G1/') on conflict do nothing`,
    );
    const r = mulberry32(11);
    for (let i = 0; i < 400; i++) await insert(START + Math.floor(r() * DAYS * 24 * HOUR), r);
    // Some merged into another: left out of every rollup.
    await q(`update incidents set master_id = 'r1' where id in ('r5', 'r6', 'r7')`);
    // Durations where the rebuild's interval rows (counted in JS) could part from the rounds' (SQL): on bucket
    // bounds, a microsecond under one, over a day, negative, dispatched before recorded, no answer time, a
    // priority outside P1…P4. Offsets from recorded in microseconds: [called, answered, dispatched, on scene].
    const S = 1_000_000;
    const DAY = 86_400 * S;
    const edges: [number | null, number | null, number | null, number | null, string][] = [
      [-130 * S, -120 * S, -5 * S, 600 * S, 'P1'],
      [null, null, 30 * S, DAY + S / 2, 'P2'],
      [-122_999_999, -119_999_999, 120 * S, 3 * DAY, 'P3'],
      [-4 * S, 5 * S, 10 * S, 70 * S, 'P9'],
    ];
    const usIso = (base: number, us: number) => {
      const ms = Math.floor(us / 1000);
      return new Date(base + ms).toISOString().replace('Z', `${String(us - ms * 1000).padStart(3, '0')}Z`);
    };
    for (const [n, [called, answered, dispatched, onScene, priority]] of edges.entries()) {
      const at = START + (3 + n) * 24 * HOUR + 17 * 60_000;
      const t = (us: number | null) => (us === null ? null : usIso(at, us));
      await q(
        `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, status, recorded_at, call_started_at, answered_at, dispatched_at, on_scene_at)
         values ($1, $1, 'call110', '01010101', '01', $2, 'P1', 'x', 'S1', 'new', $3, $4, $5, $6, $7)`,
        [`edge${n}`, priority, t(0), t(called), t(answered), t(dispatched), t(onScene)],
      );
    }
  }, 120_000);
  afterAll(() => d?.close());

  /** Every row of every rollup table, as sorted text. */
  const snapshot = async () => {
    // The interval tier settled first: rounds append their changes as rows of their own (merged later).
    await mergeAll(d.db);
    const out: Record<string, string[]> = {};
    for (const t of TABLES) out[t] = (await q(`select * from ${t}`)).map((row) => JSON.stringify(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)]))).sort();
    return out;
  };
  /** The reference: every table emptied, every hour marked, rounds (with their deltas) until none is stale. */
  const byRounds = async () => {
    for (const t of TABLES) await q(`delete from ${t}`);
    await markAllStale(d.db);
    await refreshStale(d.db);
    return snapshot();
  };
  const stale = async () => Number((await q('select (select count(*) from analytics_stale_hours) + (select count(*) from analytics_incident_deltas) as n'))[0]!.n);

  it('gives exactly the rows of the round-based recount, and clears stray rows and every mark', async () => {
    const want = await byRounds();
    expect(want.analytics_cell_spans!.length).toBeGreaterThan(0);
    expect(want.analytics_incident_spans!.length).toBeGreaterThan(0);
    for (const t of TABLES) await q(`delete from ${t}`);
    // A stray hour row long before any incident, and a mark of an hour that holds nothing.
    await q(`insert into analytics_incident_hours (hour, station_id, grid_id, family, priority, n) values ('2024-05-01T03:00:00Z', 'S1', '', '01', 'P1', 9)`);
    await q(`insert into analytics_stale_hours (hour) values ('2027-02-01T00:00:00Z'), ($1)`, [new Date(START).toISOString()]);
    const progress: [number, number][] = [];
    const r = await rebuildRollups(d.db, { progress: (done, total) => void progress.push([done, total]) });
    expect(await snapshot()).toEqual(want);
    expect(await stale()).toBe(0);
    expect(r.months).toBeGreaterThan(30);
    expect(progress.at(-1)).toEqual([r.months, r.months]);
    expect(progress.map(([done]) => done)).toEqual(Array.from({ length: r.months + 1 }, (_, i) => i));
  });

  it.runIf(driver === 'postgres')('gives the same rows with months side by side as one at a time', async () => {
    const clear = async () => { for (const t of TABLES) await q(`delete from ${t}`); };
    await clear();
    const one = await rebuildRollups(d.db, { parallel: 1 });
    const want = await snapshot();
    await clear();
    const done: number[] = [];
    const three = await rebuildRollups(d.db, { parallel: 3, progress: (n) => void done.push(n) });
    expect(three.months).toBe(one.months);
    expect(three.months).toBeGreaterThanOrEqual(3);
    expect(done).toEqual(Array.from({ length: three.months + 1 }, (_, i) => i));
    expect(await snapshot()).toEqual(want);
  });

  it('honours changes made while it runs: recounted in its month, or left as deltas for the rounds', async () => {
    const r = mulberry32(5);
    const first = localDayStart('2026-01-28').getTime();
    const last = localDayStart('2026-03-30').getTime();
    let changed = false;
    await rebuildRollups(d.db, {
      progress: async (done) => {
        // After January's month is recounted: one change in January (already done), one in late March (still to come).
        if (done !== 1 || changed) return;
        changed = true;
        await insert(first + 5 * 60_000, r);
        await insert(last + 7 * 60_000, r);
        await q(`update incidents set station_id = 'S2', grid_id = null where id in ('r10', 'r11')`);
      },
    });
    expect(changed).toBe(true);
    // January's new delta is still there (and those of r10 and r11 wherever their months had been done);
    // late March's was dropped by March's month, which counted its incident.
    const deltas = (await q('select hour from analytics_incident_deltas')).map((x) => new Date(x.hour as string).getTime());
    expect(deltas).toContain(Math.floor(first / HOUR) * HOUR);
    expect(deltas).not.toContain(Math.floor(last / HOUR) * HOUR);
    await refreshStale(d.db);
    const got = await snapshot();
    expect(got).toEqual(await byRounds());
  });

  it('gives the same rows when every station is in the tree (the interval tier then packs its levels without summing them again)', async () => {
    await q(`update incidents set station_id = 'S2', grid_id = null where station_id = 'SX'`);
    const want = await byRounds();
    expect(want.analytics_interval_spans!.length).toBeGreaterThan(0);
    for (const t of TABLES) await q(`delete from ${t}`);
    await rebuildRollups(d.db);
    expect(await snapshot()).toEqual(want);
  });
});
