/**
 * The hot-spot tier (analytics_cell_spans: unit × local month × resolution-8 cell × family) gives exactly
 * what the hour cells alone gave, on both databases: cellCounts for random spans (whole months, days, cut
 * inside a day), every level of the tree, resolutions 7–9 and a family; and GET /analytics/hotspots
 * answers as a direct count from the incidents for a year to date, a drill-down unitId (a station, a
 * grid) and a station chief (resolution 9 over its longest span, MAX_STREET_SPAN_DAYS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { cellToParent, latLngToCell } from 'h3-js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { queryRows, rawQuery } from '../../src/db/client.js';
import type { Principal } from '../../src/core/access.js';
import { addCalendarDays } from '../../src/core/working-days.js';
import { localDay, localDayStart } from '../../src/core/clock.js';
import { mulberry32 } from '../../src/core/random.js';
import { MAX_STREET_SPAN_DAYS } from '../../src/modules/analytics/domain/hotspot-span.js';
import { fillSpansIfMissing, refreshStale, rollupScope } from '../../src/modules/analytics/rollups.js';
import { cellCounts, toResolution } from '../../src/modules/analytics/hotspot-routes.js';
import { demoOrganisation } from '../../src/demo/city.js';

const HOUR = 3_600_000;
const START = localDayStart('2025-11-20').getTime();
const DAYS = 430;
const unit = (id: string, path: string, kind: string): Principal => ({ kind: 'user', id: 'u', username: 'u', displayName: 'u', roles: ['analyst'], unitId: id, unitPath: path, unitKind: kind, scopes: [] });
const PRINCIPALS = [unit('ROOT', '/ROOT/', 'bureau'), unit('BR', '/ROOT/BR/', 'branch'), unit('S1', '/ROOT/BR/S1/', 'station'), unit('S2', '/ROOT/BR/S2/', 'station'), unit('G1', '/ROOT/BR/S1/G1/', 'grid')];

describe.each(testDrivers())('the hot-spot tier on %s', (driver) => {
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
    const r = mulberry32(3);
    const values: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const at = new Date(START + Math.floor(r() * DAYS * 24 * HOUR)).toISOString();
      const station = ['S1', 'S1', 'S2', 'SX'][Math.floor(r() * 4)]!;
      const grid = station === 'S1' && r() < 0.5 ? "'G1'" : 'null';
      // About 6 × 6 km: a few resolution-7 cells, dozens at 8, hundreds at 9.
      const place = r() < 0.9 ? `${22.15 + r() * 0.05}, ${113.53 + r() * 0.06}` : 'null, null';
      values.push(`('c${i}', 'c${i}', 'call110', '01', '${['01', '02', '03'][i % 3]}', 'P2', 'P2', 'x', '${station}', ${grid}, 'new', '${at}', ${place}, ${i % 50 === 7 ? "'c0'" : 'null'})`);
    }
    await rawQuery(d.db, `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, grid_id, status, recorded_at, lat, lon, master_id) values ${values.join(',')}`);
    await refreshStale(d.db);
  }, 120_000);
  afterAll(() => d?.close());

  /** What the route read before the tier: the hour cells of [from, to) in scope, summed to `res` in JS. */
  const hourCells = async (p: Principal, from: Date, to: Date, family: string | null, res: number) => {
    const rows = await queryRows<{ cell: string; n: number }>(
      d.db,
      sql`select cell, sum(n)::int as n from analytics_incident_cells where hour >= ${from.toISOString()}::timestamptz and hour < ${to.toISOString()}::timestamptz
          and ${rollupScope(p) ?? sql`true`} and ${family ? sql`family = ${family}` : sql`true`} group by cell`,
    );
    return toResolution(new Map(rows.map((x) => [x.cell, Number(x.n)])), res);
  };
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : 1));

  const span = fc.record({ start: fc.integer({ min: -48, max: (DAYS + 2) * 24 }), length: fc.integer({ min: 1, max: 400 * 24 }), dayAligned: fc.boolean(), minute: fc.integer({ min: 0, max: 59 }) }).map((s) => {
    const align = (t: number) => (s.dayAligned ? START + Math.round((t - START) / (24 * HOUR)) * 24 * HOUR : Math.floor(t / HOUR) * HOUR);
    const from = align(START + s.start * HOUR);
    return { from: new Date(from), to: new Date(align(from + s.length * HOUR)) };
  });

  it('cell counts of any span equal the hour cells, at every level, resolution and family', async () => {
    await fc.assert(
      fc.asyncProperty(span, fc.constantFrom(...PRINCIPALS), fc.constantFrom(7, 8, 9), fc.constantFrom(null, '02'), async ({ from, to }, p, res, family) => {
        expect(sorted(await cellCounts(d.db, p, from, to, family, res))).toEqual(sorted(await hourCells(p, from, to, family, res)));
      }),
      { numRuns: driver === 'pglite' ? 60 : 40 },
    );
  }, 300_000);

  it('keeps month rows only, summed to resolution 8, and follows a move by deltas', async () => {
    const [x] = await rawQuery<{ grains: string; res: number }>(d.db, `select string_agg(distinct grain, ',') as grains, min(length(cell))::int as res from analytics_cell_spans`);
    expect(x!.grains).toBe('m');
    await rawQuery(d.db, `update incidents set lat = 22.2, lon = 113.56, station_id = 'S2', grid_id = null where id in ('c1', 'c2', 'c3')`);
    await refreshStale(d.db);
    const from = localDayStart('2025-12-01');
    const to = localDayStart('2026-12-01');
    for (const p of PRINCIPALS) expect(sorted(await cellCounts(d.db, p, from, to, null, 8))).toEqual(sorted(await hourCells(p, from, to, null, 8)));
    // Emptied and filled again from the hour cells (an upgrade to migration 0032).
    await rawQuery(d.db, 'delete from analytics_cell_spans');
    expect(await fillSpansIfMissing(d.db)).toBe(true);
    for (const p of PRINCIPALS) expect(sorted(await cellCounts(d.db, p, from, to, '01', 7))).toEqual(sorted(await hourCells(p, from, to, '01', 7)));
  });
});

interface Answer {
  from: string;
  to: string;
  previous: { from: string; to: string };
  cut: { current: string; previous: string } | null;
  total: number;
  cells: { cell: string; count: number; previous: number }[];
}

describe.each(testDrivers())('GET /analytics/hotspots over months on %s', (driver) => {
  let t: TestApp;
  const today = localDay(new Date());
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    const grids = await rawQuery<{ id: string; parent_id: string }>(t.database.db, `select id, parent_id from org_units where kind = 'grid'`);
    const stations = await rawQuery<{ id: string; code: string }>(t.database.db, `select id, code from org_units where kind = 'station'`);
    const centre = new Map(demoOrganisation().filter((u) => u.kind === 'station').map((u) => [u.code, u.center!]));
    const r = mulberry32(9);
    const values: string[] = [];
    const now = Date.now() - 2 * HOUR;
    for (let i = 0; i < 600; i++) {
      const s = stations[Math.floor(r() * stations.length)]!;
      const c = centre.get(s.code) ?? [113.55, 22.19];
      const mine = grids.filter((g) => g.parent_id === s.id);
      const grid = mine.length && r() < 0.7 ? `'${mine[Math.floor(r() * mine.length)]!.id}'` : 'null';
      const at = new Date(now - Math.floor(r() * 420 * 24 * HOUR)).toISOString();
      values.push(`('hs${i}', 'HS${i}', 'call110', '02030101', '0${2 + (i % 2)}', 'P2', 'P2', 'x', '${s.id}', ${grid}, 'closed', '${at}', ${c[1] + (r() - 0.5) * 0.02}, ${c[0] + (r() - 0.5) * 0.02})`);
    }
    await rawQuery(t.database.db, `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, grid_id, status, recorded_at, lat, lon) values ${values.join(',')}`);
    await fillSpansIfMissing(t.database.db);
    await refreshStale(t.database.db);
  }, 120_000);
  afterAll(() => t?.close());

  /** Straight from the incidents: per cell at `res` in [from, to), under `path` (null: everything), of `family`. */
  const direct = async (path: string | null, from: Date, to: Date, res: number, family: string | null) => {
    const rows = await rawQuery<{ lat: number; lon: number }>(
      t.database.db,
      `select lat, lon from incidents i where master_id is null and lat is not null and lon is not null and recorded_at >= $1 and recorded_at < $2
         and ($3::text is null or exists (select 1 from org_units u where u.id in (i.station_id, i.grid_id) and left(u.path, length($3)) = $3))
         and ($4::text is null or category_family = $4)`,
      [from.toISOString(), to.toISOString(), path, family],
    );
    const m = new Map<string, number>();
    for (const x of rows) {
      const cell = cellToParent(latLngToCell(Number(x.lat), Number(x.lon), 9), res);
      m.set(cell, (m.get(cell) ?? 0) + 1);
    }
    return m;
  };

  const cases: [string, string, (unitOf: (u: string) => Promise<string>) => Promise<{ query: string; path: string | null }>][] = [
    ['the bureau, a year to date', 'analyst', async () => ({ query: `from=${today.slice(0, 4)}-01-01&to=${today}&resolution=8`, path: null })],
    ['the bureau, 300 days to yesterday at 7, one family', 'analyst', async () => ({ query: `from=${addCalendarDays(today, -300)}&to=${addCalendarDays(today, -1)}&resolution=7&family=02`, path: null })],
    // Resolution 9 only for spans of at most MAX_STREET_SPAN_DAYS (domain/hotspot-span.ts).
    ['a station chief, the longest span at 9', 'chief', async (unitOf) => ({ query: `from=${addCalendarDays(today, -(MAX_STREET_SPAN_DAYS - 1))}&to=${today}&resolution=9`, path: await unitOf(`select u.path from users s join org_units u on u.id = s.unit_id where s.username = 'chief'`) })],
    ['a station chief, a year to date at 7', 'chief', async (unitOf) => ({ query: `from=${today.slice(0, 4)}-01-01&to=${today}&resolution=7`, path: await unitOf(`select u.path from users s join org_units u on u.id = s.unit_id where s.username = 'chief'`) })],
    ['a station chief, mid-month to mid-month', 'chief', async (unitOf) => ({ query: `from=${addCalendarDays(today, -200)}&to=${addCalendarDays(today, -20)}`, path: await unitOf(`select u.path from users s join org_units u on u.id = s.unit_id where s.username = 'chief'`) })],
  ];

  it.each(cases)('%s answers as the incidents counted directly', async (_name, user, make) => {
    const { query, path } = await make(async (text) => (await rawQuery<{ path: string }>(t.database.db, text))[0]!.path);
    await check(user, query, path);
  });

  it('a drill-down to a station and to a grid answers as the incidents counted directly', async () => {
    for (const kind of ['station', 'grid']) {
      const [u] = await rawQuery<{ id: string; path: string }>(t.database.db, `select u.id, u.path from org_units u where kind = $1 and exists (select 1 from incidents i where i.id like 'hs%' and u.id in (i.station_id, i.grid_id)) order by id limit 1`, [kind]);
      await check('analyst', `from=${today.slice(0, 4)}-01-01&to=${today}&resolution=8&unitId=${u!.id}`, u!.path);
      await check('analyst', `from=${addCalendarDays(today, -365)}&to=${addCalendarDays(today, -3)}&resolution=7&unitId=${u!.id}`, u!.path);
      // At 9 (MAX_STREET_SPAN_DAYS at most): the days to the unit's last incident, so a grid's few have one in them.
      const [{ last }] = await rawQuery<{ last: string | Date }>(t.database.db, `select max(recorded_at) as last from incidents i where i.id like 'hs%' and $1 in (i.station_id, i.grid_id)`, [u!.id]);
      const end = localDay(new Date(last));
      await check('analyst', `from=${addCalendarDays(end, -(MAX_STREET_SPAN_DAYS - 1))}&to=${end}&resolution=9&unitId=${u!.id}`, u!.path);
    }
  });

  async function check(user: string, query: string, path: string | null) {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/hotspots?${query}`, headers: await t.login(user) });
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json() as Answer;
    const params = new URLSearchParams(query);
    const resolution = Number(params.get('resolution') ?? 8);
    const family = params.get('family');
    const end = (day: string, cut?: string) => (cut ? new Date(Math.ceil(Date.parse(cut) / HOUR) * HOUR) : localDayStart(addCalendarDays(day, 1)));
    const now = await direct(path, localDayStart(a.from), end(a.to, a.cut?.current), resolution, family);
    const before = await direct(path, localDayStart(a.previous.from), a.cut ? new Date(a.cut.previous) : end(a.previous.to), resolution, family);
    const want = [...new Set([...now.keys(), ...before.keys()])]
      .map((cell) => ({ cell, count: now.get(cell) ?? 0, previous: before.get(cell) ?? 0 }))
      .sort((x, y) => y.count - x.count || y.previous - x.previous || (x.cell < y.cell ? -1 : 1));
    expect(a.total).toBe(want.length);
    expect(a.cells.map((c) => ({ cell: c.cell, count: c.count, previous: c.previous }))).toEqual(want.slice(0, 500));
    expect(want.reduce((s, c) => s + c.count, 0)).toBeGreaterThan(0);
  }
});
