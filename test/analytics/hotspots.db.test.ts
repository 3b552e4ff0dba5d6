/**
 * Hot spots (issue 16): the cell rollup equals a direct count from the raw rows (the cell computed by
 * latLngToCell) after random inserts, moves and merges, on both databases; and GET /analytics/hotspots
 * sums cells into their parents, keeps to the asker's jurisdiction (or a unit of it), names a bad field
 * and gives resolution 9 for spans of at most MAX_STREET_SPAN_DAYS only (no tier at 9: domain/hotspot-span.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellToParent, latLngToCell } from 'h3-js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { rawQuery } from '../../src/db/client.js';
import { refreshStale, refreshStaleRound } from '../../src/modules/analytics/rollups.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { localDay, localDayStart } from '../../src/core/clock.js';
import { addCalendarDays } from '../../src/core/working-days.js';
import { MAX_STREET_SPAN_DAYS } from '../../src/modules/analytics/domain/hotspot-span.js';

const BASE = Date.UTC(2026, 2, 1, 0, 0, 0);
const STATIONS = ['S1', 'S2'];
const FAMILIES = ['01', '02'];
/** A few spots a few hundred metres apart (Macau), so cells repeat and neighbour. */
const SPOTS = Array.from({ length: 6 }, (_, i) => ({ lat: 22.19 + (i % 3) * 0.004, lon: 113.54 + Math.floor(i / 3) * 0.004 }));

type Op =
  | { kind: 'insert'; hour: number; spot: number | null; jitter: number; station: number; family: number; grid: boolean }
  | { kind: 'merge' | 'unmerge' | 'unlocate'; pick: number }
  | { kind: 'move'; pick: number; spot: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), hour: fc.integer({ min: 0, max: 30 }), spot: fc.option(fc.nat(SPOTS.length - 1), { freq: 6 }), jitter: fc.integer({ min: -9, max: 9 }), station: fc.nat(1), family: fc.nat(1), grid: fc.boolean() }) },
  fc.record({ kind: fc.constantFrom('merge' as const, 'unmerge' as const, 'unlocate' as const), pick: fc.nat(1000) }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat(1000), spot: fc.nat(SPOTS.length - 1) }) },
);

describe.each(testDrivers())('the hot-spot cells on %s', (driver) => {
  let d: TestDatabase;
  let seq = 0;
  beforeAll(async () => {
    d = await freshDatabase(driver);
  });
  afterAll(() => d?.close());

  const q = (text: string, params: unknown[] = []) => rawQuery<Record<string, unknown>>(d.db, text, params);
  const key = (hour: unknown, cell: string, station: unknown, grid: unknown, family: unknown, n: number) => `${new Date(hour as string).toISOString()}|${cell}|${station}|${grid}|${family}=${n}`;
  const rollup = async () => (await q('select hour, cell, station_id, grid_id, family, n from analytics_incident_cells')).map((r) => key(r.hour, r.cell as string, r.station_id, r.grid_id, r.family, Number(r.n))).sort();
  /** The same figures straight from the incidents, the cell computed here. */
  const recount = async () => {
    const rows = await q(`select date_trunc('hour', recorded_at, 'UTC') as hour, lat, lon, station_id, coalesce(grid_id, '') as grid_id, category_family as family from incidents where master_id is null and lat is not null and lon is not null`);
    const counts = new Map<string, number>();
    for (const r of rows) {
      const k = [new Date(r.hour as string).toISOString(), latLngToCell(Number(r.lat), Number(r.lon), 9), r.station_id, r.grid_id, r.family].join('|');
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return [...counts].map(([k, n]) => `${k}=${n}`).sort();
  };

  async function apply(o: Op) {
    const ids = (await q('select id from incidents order by id')).map((r) => r.id as string);
    if (o.kind === 'insert') {
      const id = `h${String(++seq).padStart(6, '0')}`;
      const at = new Date(BASE + o.hour * 3_600_000 + (seq % 60) * 60_000).toISOString();
      const spot = o.spot === null ? null : SPOTS[o.spot]!;
      await q(
        `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, grid_id, status, recorded_at, lat, lon)
         values ($1, $1, 'call110', $2 || '010101', $2, 'P2', 'P2', 'x', $3, $4, 'new', $5, $6, $7)`,
        [id, FAMILIES[o.family], STATIONS[o.station], o.grid ? `${STATIONS[o.station]}-G1` : null, at, spot ? spot.lat + o.jitter * 0.0001 : null, spot ? spot.lon - o.jitter * 0.0001 : null],
      );
      return;
    }
    if (!ids.length) return;
    const id = ids[o.pick % ids.length];
    if (o.kind === 'merge') await q('update incidents set master_id = $2 where id = $1 and id <> $2', [id, ids[0]]);
    else if (o.kind === 'unmerge') await q('update incidents set master_id = null where id = $1', [id]);
    else if (o.kind === 'unlocate') await q('update incidents set lat = null, lon = null where id = $1', [id]);
    else if (o.kind === 'move') await q('update incidents set lat = $2, lon = $3 where id = $1', [id, SPOTS[o.spot]!.lat, SPOTS[o.spot]!.lon]);
  }

  it('equal a direct count by latLngToCell after random inserts, moves and merges, refreshed at random moments', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(op, fc.boolean()), { minLength: 1, maxLength: 30 }), async (ops) => {
        for (const [o, refreshNow] of ops) {
          await apply(o);
          if (refreshNow) await refreshStaleRound(d.db);
        }
        await refreshStale(d.db);
        expect(await rollup()).toEqual(await recount());
      }),
      { numRuns: driver === 'pglite' ? 20 : 12 },
    );
  }, 300_000);

  it('follows a moved and a merged incident', async () => {
    await apply({ kind: 'insert', hour: 40, spot: 0, jitter: 0, station: 0, family: 0, grid: false });
    await apply({ kind: 'insert', hour: 40, spot: 0, jitter: 0, station: 0, family: 0, grid: false });
    await refreshStale(d.db);
    const hour = new Date(BASE + 40 * 3_600_000).toISOString();
    const cells = async () => (await q('select cell, n from analytics_incident_cells where hour = $1', [hour])).map((r) => `${r.cell}=${r.n}`).sort();
    const [a, b] = [latLngToCell(SPOTS[0]!.lat, SPOTS[0]!.lon, 9), latLngToCell(SPOTS[5]!.lat, SPOTS[5]!.lon, 9)];
    expect(await cells()).toEqual([`${a}=2`]);
    const [first, second] = (await q(`select id from incidents where recorded_at >= $1 and recorded_at < $1::timestamptz + interval '1 hour' order by id`, [hour])).map((r) => r.id as string);
    await q('update incidents set lat = $2, lon = $3 where id = $1', [second, SPOTS[5]!.lat, SPOTS[5]!.lon]);
    await refreshStale(d.db);
    expect(await cells()).toEqual([`${a}=1`, `${b}=1`].sort());
    await q('update incidents set master_id = $2 where id = $1', [second, first]);
    await refreshStale(d.db);
    expect(await cells()).toEqual([`${a}=1`]);
  });
});

interface HotspotAnswer {
  resolution: number;
  total: number;
  truncated: boolean;
  rule: string;
  previous: { from: string; to: string };
  cells: { cell: string; count: number; previous: number; significant: boolean; direction: string; z: number }[];
}

describe.each(testDrivers())('GET /analytics/hotspots on %s', (driver) => {
  let t: TestApp;
  const stations = demoOrganisation().filter((u) => u.kind === 'station');
  const today = localDay(new Date());
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    const calltaker = await t.login('calltaker');
    for (const [s, n] of [[stations[0]!, 4], [stations[5]!, 3]] as const)
      for (let i = 0; i < n; i++) {
        // Spread over a few hundred metres: several finest cells under one coarse cell.
        const location = { lon: s.center![0] + (i % 2) * 0.002, lat: s.center![1] + Math.floor(i / 2) * 0.002 };
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: '02030101', description: `热点 ${i}`, location } });
        expect(res.statusCode, res.body).toBe(201);
      }
  });
  afterAll(() => t?.close());

  const hotspots = async (user: string, query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/hotspots?from=${today}&to=${today}${query}`, headers: await t.login(user) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as HotspotAnswer;
  };
  const sum = (a: HotspotAnswer) => a.cells.reduce((x, c) => x + c.count, 0);

  it('sums the finest cells into their parents, busiest first, each judged against last year', async () => {
    const fine = await hotspots('analyst', '&resolution=9');
    const coarse = await hotspots('analyst', '&resolution=7');
    expect(sum(fine)).toBeGreaterThanOrEqual(7);
    expect([fine.resolution, coarse.resolution]).toEqual([9, 7]);
    const children = new Map<string, number>();
    for (const c of fine.cells) children.set(cellToParent(c.cell, 7), (children.get(cellToParent(c.cell, 7)) ?? 0) + c.count);
    expect(new Map(coarse.cells.filter((c) => c.count > 0).map((c) => [c.cell, c.count]))).toEqual(children);
    expect(coarse.cells.map((c) => c.count)).toEqual([...coarse.cells.map((c) => c.count)].sort((a, b) => b - a));
    expect(coarse.rule).toBe('shift_52_weeks');
    for (const c of coarse.cells) expect(c.significant).toBe(Math.abs(c.z) > 3);
    expect(coarse.truncated).toBe(false);
    // The default resolution is 8; a family filter keeps to it.
    expect((await hotspots('analyst', '')).resolution).toBe(8);
    expect(sum(await hotspots('analyst', '&family=02'))).toBe(sum(fine));
    expect(sum(await hotspots('analyst', '&family=01'))).toBe(0);
  });

  it('keeps a station to its own incidents', async () => {
    const [{ unit_id: unit }] = await rawQuery<{ unit_id: string }>(t.database.db, `select unit_id from users where username = 'chief'`);
    const [{ n }] = await rawQuery<{ n: number }>(
      t.database.db,
      `select count(*)::int as n from incidents where master_id is null and lat is not null and station_id = $1 and recorded_at >= $2::timestamptz`,
      [unit, localDayStart(today).toISOString()],
    );
    const mine = await hotspots('chief', '&resolution=9');
    expect(n).toBeGreaterThan(0);
    expect(sum(mine)).toBe(n);
    expect(sum(mine)).toBeLessThan(sum(await hotspots('analyst', '&resolution=9')));
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/analytics/hotspots?from=${today}&to=${today}`, headers: await t.login('calltaker') })).statusCode).toBe(403);
  });

  it('narrows to a unit of my jurisdiction, and refuses one outside it naming unitId', async () => {
    const [other] = await rawQuery<{ id: string }>(t.database.db, 'select id from org_units where code = $1', [stations[5]!.code]);
    const [{ n }] = await rawQuery<{ n: number }>(
      t.database.db,
      `select count(*)::int as n from incidents where master_id is null and lat is not null and station_id = $1 and recorded_at >= $2::timestamptz`,
      [other!.id, localDayStart(today).toISOString()],
    );
    const narrowed = await hotspots('analyst', `&resolution=9&unitId=${other!.id}`);
    expect(n).toBeGreaterThan(0);
    expect(sum(narrowed)).toBe(n);
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/hotspots?from=${today}&to=${today}&unitId=${other!.id}`, headers: await t.login('chief') });
    expect([res.statusCode, res.json().error.field]).toEqual([403, 'unitId']);
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/hotspots?from=${today}&to=${today}&unitId=nowhere`, headers: await t.login('analyst') });
    expect([missing.statusCode, missing.json().error.field]).toEqual([404, 'unitId']);
  });

  it('names the field of a bad request', async () => {
    const headers = await t.login('analyst');
    for (const [query, field] of [
      ['&resolution=12', 'resolution'],
      ['&resolution=x', 'resolution'],
      ['&family=abc', 'family'],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/hotspots?from=${today}&to=${today}${query}`, headers });
      expect([query, res.statusCode]).toEqual([query, 400]);
      expect(res.json().error.field).toBe(field);
    }
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/hotspots?from=${today}&to=2020-01-01`, headers });
    expect([res.statusCode, res.json().error.field]).toEqual([400, 'to']);
  });

  it(`gives resolution 9 for spans of at most ${MAX_STREET_SPAN_DAYS} days (both ends counted), 8 and 7 over a year`, async () => {
    const headers = await t.login('analyst');
    const get = (from: string, to: string, resolution: number, lang = 'zh-CN') =>
      t.app.inject({ method: 'GET', url: `/api/v1/analytics/hotspots?from=${from}&to=${to}&resolution=${resolution}`, headers: { ...headers, 'accept-language': lang } });
    const ok = async (from: string, to: string, resolution: number) => {
      const res = await get(from, to, resolution);
      expect(res.statusCode, res.body).toBe(200);
      const a = res.json() as HotspotAnswer;
      expect(a.resolution).toBe(resolution);
      return a;
    };
    // The longest span to today, and one as long in the past: allowed, and today's incidents are in the first.
    const month = await ok(addCalendarDays(today, -(MAX_STREET_SPAN_DAYS - 1)), today, 9);
    expect(sum(month)).toBeGreaterThanOrEqual(7);
    await ok('2025-01-01', addCalendarDays('2025-01-01', MAX_STREET_SPAN_DAYS - 1), 9);
    for (const [from, to] of [
      [addCalendarDays(today, -MAX_STREET_SPAN_DAYS), today],
      ['2025-01-01', addCalendarDays('2025-01-01', MAX_STREET_SPAN_DAYS)],
      [`${today.slice(0, 4)}-01-01`, addCalendarDays(`${today.slice(0, 4)}-01-01`, 364)],
    ] as const) {
      const res = await get(from, to, 9);
      expect([from, to, res.statusCode, res.json().error.field]).toEqual([from, to, 400, 'resolution']);
      expect(res.json().error.message).toContain(`不超过 ${MAX_STREET_SPAN_DAYS} 天`);
    }
    const en = await get(addCalendarDays(today, -MAX_STREET_SPAN_DAYS), today, 9, 'en');
    expect([en.statusCode, en.json().error.field]).toEqual([400, 'resolution']);
    expect(en.json().error.message).toContain(`at most ${MAX_STREET_SPAN_DAYS} days`);
    // A year at 8 and at 7: allowed, and (every incident here is today's) the same count as 9 over the month.
    const year8 = await ok(addCalendarDays(today, -364), today, 8);
    const year7 = await ok(addCalendarDays(today, -364), today, 7);
    expect([sum(year8), sum(year7)]).toEqual([sum(month), sum(month)]);
  });
});
