/**
 * The day and month tier (analytics_*_spans) answers exactly what the hour tier answers, on both
 * databases: random incidents over three months (month ends, a grid, two stations in a branch, one
 * station outside the tree), then random spans — whole days, months, and spans cut inside a day — read
 * by principals at every level. Also after late corrections and a move to another station.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { queryRows, rawQuery } from '../../src/db/client.js';
import type { Principal } from '../../src/core/access.js';
import { localDayStart, timeZone } from '../../src/core/clock.js';
import { fillSpansIfMissing, heatTable, mergeAll, recountAllSpans, refreshStale, refreshStaleRound, rollupCount, rollupScope } from '../../src/modules/analytics/rollups.js';
import { intervalHistograms } from '../../src/modules/analytics/interval-figures.js';
import { incidentSum } from '../../src/modules/analytics/span-rollups.js';
import { intervalScope } from '../../src/modules/analytics/packed-spans.js';
import { decodeKey } from '../../src/modules/analytics/domain/interval-keys.js';
import { mulberry32 } from '../../src/core/random.js';

const START = localDayStart('2026-01-20').getTime();
const DAYS = 75;
const HOUR = 3_600_000;

const unit = (id: string, path: string, kind: string): Principal => ({ kind: 'user', id: 'u', username: 'u', displayName: 'u', roles: ['analyst'], unitId: id, unitPath: path, unitKind: kind, scopes: [] });
const PRINCIPALS = [unit('ROOT', '/ROOT/', 'bureau'), unit('BR', '/ROOT/BR/', 'branch'), unit('S1', '/ROOT/BR/S1/', 'station'), unit('S2', '/ROOT/BR/S2/', 'station'), unit('G1', '/ROOT/BR/S1/G1/', 'grid')];

describe.each(testDrivers())('analytics day and month tier on %s', (driver) => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await freshDatabase(driver);
    await rawQuery(
      d.db,
      `insert into org_units (id, parent_id, kind, code, name, path) values
       ('ROOT', null, 'bureau', 'R', 'root', '/ROOT/'), ('BR', 'ROOT', 'branch', 'BR', 'br', '/ROOT/BR/'),
       ('S1', 'BR', 'station', 'S1', 's1', '/ROOT/BR/S1/'), ('S2', 'BR', 'station', 'S2', 's2', '/ROOT/BR/S2/'),
       ('G1', 'S1', 'grid', 'G1', 'g1', '/ROOT/BR/S1/G1/') on conflict do nothing`,
    );
    const r = mulberry32(7);
    const values: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const recorded = START + Math.floor(r() * DAYS * 24 * HOUR);
      const station = ['S1', 'S1', 'S2', 'SX'][Math.floor(r() * 4)]!;
      const grid = station === 'S1' && r() < 0.5 ? "'G1'" : 'null';
      const iso = (t: number) => `'${new Date(t).toISOString()}'`;
      const answered = recorded - Math.floor(r() * 90_000);
      const dispatched = r() < 0.8 ? recorded + Math.floor(r() * 300_000) : null;
      const onScene = dispatched !== null && r() < 0.9 ? dispatched + Math.floor(r() * 1_500_000) : null;
      values.push(
        `('t${i}', 't${i}', 'call110', '01', '${['01', '02', '03'][i % 3]}', 'P${1 + (i % 4)}', 'P1', 'x', '${station}', ${grid}, 'new', ${iso(recorded)}, ${iso(answered - 8000)}, ${iso(answered)}, ${dispatched === null ? 'null' : iso(dispatched)}, ${onScene === null ? 'null' : iso(onScene)})`,
      );
    }
    await rawQuery(
      d.db,
      `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, grid_id, status, recorded_at, call_started_at, answered_at, dispatched_at, on_scene_at) values ${values.join(',')}`,
    );
    await refreshStale(d.db);
  }, 120_000);
  afterAll(() => d?.close());

  /** The hour tier alone: what every read answered before the day and month tier. */
  const hourCount = async (p: Principal, from: Date, to: Date) =>
    Number((await queryRows<{ n: number }>(d.db, sql`select coalesce(sum(n), 0)::int as n from analytics_incident_hours where hour >= ${from.toISOString()}::timestamptz and hour < ${to.toISOString()}::timestamptz and ${rollupScope(p) ?? sql`true`}`))[0]!.n);
  const hourIntervals = async (p: Principal, from: Date, to: Date) =>
    (await queryRows<{ k: number; n: number }>(d.db, sql`select u.k, sum(u.c)::int as n from analytics_interval_hours h cross join unnest(h.keys, h.counts) as u(k, c) where h.hour >= ${from.toISOString()}::timestamptz and h.hour < ${to.toISOString()}::timestamptz and ${intervalScope(p) ?? sql`true`} group by 1`))
      .map((r) => {
        const { measure, priority, bucket } = decodeKey(Number(r.k));
        return `${measure}|${priority}|${bucket}=${r.n}`;
      })
      .sort();
  const tieredIntervals = async (p: Principal, from: Date, to: Date) => {
    const out: string[] = [];
    for (const [k, h] of await intervalHistograms(d.db, p, from, to)) for (const [b, n] of h) out.push(`${k}|${b}=${n}`);
    return out.sort();
  };

  /** A span of whole hours (a local day start is one) or of any minute, within the data and a little beyond. */
  const span = fc.record({ start: fc.integer({ min: -48, max: (DAYS + 2) * 24 }), length: fc.integer({ min: 1, max: (DAYS + 2) * 24 }), dayAligned: fc.boolean(), minute: fc.integer({ min: 0, max: 59 }) }).map((s) => {
    const align = (t: number) => (s.dayAligned ? START + Math.round((t - START) / (24 * HOUR)) * 24 * HOUR : t);
    const from = align(START + s.start * HOUR + (s.dayAligned ? 0 : s.minute * 60_000));
    return { from: new Date(from), to: new Date(align(from + s.length * HOUR)) };
  });

  it('counts and histograms of any span equal the hour tier, for every level of the tree', async () => {
    await fc.assert(
      fc.asyncProperty(span, fc.constantFrom(...PRINCIPALS), async ({ from, to }, p) => {
        expect(await rollupCount(d.db, p, from, to)).toBe(await hourCount(p, from, to));
        expect(await tieredIntervals(p, from, to)).toEqual(await hourIntervals(p, from, to));
      }),
      { numRuns: driver === 'pglite' ? 40 : 25 },
    );
  }, 300_000);

  it('the weekday × hour heat table of whole days equals the hour tier', async () => {
    const hourHeat = async (p: Principal, from: Date, to: Date) =>
      (await queryRows<{ k: string; n: number }>(d.db, sql`select extract(dow from hour at time zone ${timeZone()})::int || '|' || extract(hour from hour at time zone ${timeZone()})::int as k, sum(n)::int as n from analytics_incident_hours where hour >= ${from.toISOString()}::timestamptz and hour < ${to.toISOString()}::timestamptz and ${rollupScope(p) ?? sql`true`} group by 1`))
        .map((r) => `${r.k}=${r.n}`)
        .sort();
    const flat = (t: number[][]) => t.flatMap((row, dow) => row.map((n, hod) => (n ? `${dow}|${hod}=${n}` : null)).filter((x): x is string => x !== null)).sort();
    for (const [a, b] of [['2026-01-20', '2026-04-05'], ['2026-02-03', '2026-02-10'], ['2026-03-01', '2026-03-02']] as const) {
      for (const p of PRINCIPALS) expect(flat(await heatTable(d.db, p, localDayStart(a), localDayStart(b), timeZone()))).toEqual(await hourHeat(p, localDayStart(a), localDayStart(b)));
    }
  });

  it('is filled once from the hour rows when empty (a database upgraded to it), and counted again after a tree change', async () => {
    const from = localDayStart('2026-01-20');
    const to = localDayStart('2026-04-05');
    await rawQuery(d.db, 'delete from analytics_incident_spans');
    await rawQuery(d.db, 'delete from analytics_interval_spans');
    await rawQuery(d.db, 'delete from analytics_heat_days');
    expect(await fillSpansIfMissing(d.db)).toBe(true);
    expect(await fillSpansIfMissing(d.db)).toBe(false);
    for (const p of PRINCIPALS) expect(await rollupCount(d.db, p, from, to)).toBe(await hourCount(p, from, to));
    // S2 moves under a new branch: its rows count for BR2 once the tier is counted again.
    await rawQuery(d.db, "insert into org_units (id, parent_id, kind, code, name, path) values ('BR2', 'ROOT', 'branch', 'BR2', 'br2', '/ROOT/BR2/')");
    await rawQuery(d.db, "update org_units set parent_id = 'BR2', path = '/ROOT/BR2/S2/' where id = 'S2'");
    await recountAllSpans(d.db);
    const br2 = unit('BR2', '/ROOT/BR2/', 'branch');
    expect(await rollupCount(d.db, br2, from, to)).toBe(await hourCount(br2, from, to));
    expect(await rollupCount(d.db, br2, from, to)).toBeGreaterThan(0);
    expect(await rollupCount(d.db, PRINCIPALS[1]!, from, to)).toBe(await hourCount(PRINCIPALS[1]!, from, to));
    await rawQuery(d.db, "update org_units set parent_id = 'BR', path = '/ROOT/BR/S2/' where id = 'S2'");
    await recountAllSpans(d.db);
  });

  it('a whole quarter is read from month rows and still adds up by family', async () => {
    const from = localDayStart('2026-02-01');
    const to = localDayStart('2026-04-01');
    const byFamily = (await incidentSum(d.db, PRINCIPALS[1]!, rollupScope(PRINCIPALS[1]!), from, to, ['family'])) as { family: string; n: number }[];
    const total = byFamily.reduce((a, r) => a + Number(r.n), 0);
    expect(total).toBe(await hourCount(PRINCIPALS[1]!, from, to));
    expect(total).toBeGreaterThan(0);
    const months = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from analytics_incident_spans where grain = 'm' and unit_id = 'BR'`);
    expect(months[0]!.n).toBeGreaterThan(0);
  });

  it('reads the interval tier alike before and after its appended rows are merged, and merges them to one row per day and month', async () => {
    const from = localDayStart('2026-01-20');
    const to = localDayStart('2026-04-05');
    await mergeAll(d.db);
    await rawQuery(d.db, `update incidents set priority = 'P4', on_scene_at = on_scene_at + interval '90 seconds' where id in ('t20', 't21', 't22') and on_scene_at is not null`);
    await rawQuery(d.db, `update incidents set dispatched_at = null, on_scene_at = null where id = 't23'`);
    await refreshStaleRound(d.db);
    const appended = async () => Number((await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from analytics_interval_spans where seq <> 0`))[0]!.n);
    expect(await appended()).toBeGreaterThan(0);
    const before = await Promise.all(PRINCIPALS.map((p) => tieredIntervals(p, from, to)));
    for (const [i, p] of PRINCIPALS.entries()) expect(before[i]).toEqual(await hourIntervals(p, from, to));
    await mergeAll(d.db);
    expect(await appended()).toBe(0);
    const perGroup = await queryRows<{ n: number }>(d.db, sql`select count(*)::int as n from analytics_interval_spans group by unit_id, grain, start having count(*) > 1`);
    expect(perGroup).toEqual([]);
    for (const [i, p] of PRINCIPALS.entries()) expect(await tieredIntervals(p, from, to)).toEqual(before[i]);
  });

  it('follows late corrections and a move to another station', async () => {
    await rawQuery(d.db, `update incidents set station_id = 'S2', grid_id = null where id in ('t1', 't2', 't3')`);
    await rawQuery(d.db, `update incidents set on_scene_at = dispatched_at + interval '61 seconds' where id in ('t4', 't5') and dispatched_at is not null`);
    await rawQuery(d.db, `delete from incidents where id = 't6'`);
    await refreshStale(d.db);
    const from = localDayStart('2026-01-20');
    const to = localDayStart('2026-04-05');
    for (const p of PRINCIPALS) {
      expect(await rollupCount(d.db, p, from, to)).toBe(await hourCount(p, from, to));
      expect(await tieredIntervals(p, from, to)).toEqual(await hourIntervals(p, from, to));
    }
  });
});
