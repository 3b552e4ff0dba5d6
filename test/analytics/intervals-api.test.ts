/** GET /analytics/intervals: its shape, the asker's jurisdiction, and a bad request naming the field. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { rawQuery } from '../../src/db/client.js';
import { localDay } from '../../src/core/clock.js';

type Cell = { n: number; median: number | null; p90: number | null };
type Item = { measure: string; priority: string; current: Cell; previous: Cell };

describe.each(testDrivers())('GET /analytics/intervals on %s', (driver) => {
  let t: TestApp;
  let chiefStation: string;
  let otherStation: string;
  const today = localDay(new Date());
  const yesterday = localDay(new Date(Date.now() - 86_400_000));
  const url = `/api/v1/analytics/intervals?from=${yesterday}&to=${today}`;
  const q = (text: string, params: unknown[] = []) => rawQuery<Record<string, unknown>>(t.database.db, text, params);

  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    chiefStation = String((await q("select unit_id from users where username = 'chief'"))[0]!.unit_id);
    otherStation = String((await q("select id from org_units where kind = 'station' and id <> $1 order by id limit 1", [chiefStation]))[0]!.id);
    // Recorded a minute ago: dispatched 60 s later (chief's station, P1) or 120 s (the other, P2), on scene 5 or 10 minutes after that.
    let i = 0;
    for (const [station, priority, dispatchS, travelS, n] of [[chiefStation, 'P1', 60, 300, 3], [otherStation, 'P2', 120, 600, 2]] as const)
      for (let k = 0; k < n; k++) {
        const id = `iv${++i}`;
        await q(
          `insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, status, recorded_at, answered_at, call_started_at, dispatched_at, on_scene_at)
           values ($1, $1, 'call110', '02010101', '02', $2, $2, 'x', $3, 'on_scene', now() - interval '1 minute', now() - interval '90 seconds', now() - interval '100 seconds',
                   now() - interval '1 minute' + make_interval(secs => $4), now() - interval '1 minute' + make_interval(secs => $4 + $5))`,
          [id, priority, station, dispatchS, travelS],
        );
      }
  });
  afterAll(() => t?.close());

  const get = async (user: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: await t.login(user) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { at: string; from: string; to: string; previous: { from: string; to: string }; rule: string; items: Item[] };
  };
  const cell = (items: Item[], measure: string, priority: string) => items.find((x) => x.measure === measure && x.priority === priority)!;

  it('gives n, median and p90 for every measure × priority beside last year’s span', async () => {
    await expect.poll(async () => cell((await get('analyst')).items, 'travel', 'P1').current.n, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const body = await get('analyst');
    expect(body).toMatchObject({ from: yesterday, to: today, rule: expect.any(String), previous: { from: expect.any(String), to: expect.any(String) } });
    expect(body.items).toHaveLength(5 * 5);
    expect(new Set(body.items.map((x) => x.measure))).toEqual(new Set(['answer', 'intake', 'dispatch', 'travel', 'response']));
    expect(new Set(body.items.map((x) => x.priority))).toEqual(new Set(['P1', 'P2', 'P3', 'P4', 'all']));
    // Our P1s: dispatched after 60 s, travelling 300 s — within a bucket (5 s wide there) of the truth.
    const travel = cell(body.items, 'travel', 'P1').current;
    expect(Math.abs(travel.median! - 300)).toBeLessThanOrEqual(5);
    expect(Math.abs(cell(body.items, 'dispatch', 'P1').current.median! - 60)).toBeLessThanOrEqual(1);
    expect(cell(body.items, 'travel', 'all').current.n).toBeGreaterThanOrEqual(5);
    // Nothing was recorded a year ago in a fresh database.
    expect(cell(body.items, 'travel', 'all').previous).toEqual({ n: 0, median: null, p90: null });
  });

  it('shows a station chief only the station’s incidents', async () => {
    const scoped = await q(
      `select count(*)::int as n from incidents i where i.master_id is null and i.dispatched_at >= i.recorded_at and i.recorded_at >= now() - interval '2 days'
       and i.station_id in (select id from org_units where path like (select path from org_units where id = $1) || '%')`,
      [chiefStation],
    );
    const chief = await get('chief');
    expect(cell(chief.items, 'dispatch', 'all').current.n).toBe(scoped[0]!.n);
    // The other station's P2s are not there; the analyst sees them.
    expect(cell(chief.items, 'travel', 'P1').current.n).toBeGreaterThanOrEqual(3);
    expect(cell((await get('analyst')).items, 'dispatch', 'all').current.n).toBeGreaterThan(cell(chief.items, 'dispatch', 'all').current.n);
    expect((await t.app.inject({ method: 'GET', url, headers: await t.login('calltaker') })).statusCode).toBe(403);
  });

  it('refuses a bad day naming the field, in both languages', async () => {
    const h = await t.login('analyst');
    const bad = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/intervals?from=2026-13-01&to=${today}`, headers: { ...h, 'accept-language': 'en' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'from' });
    const backwards = await t.app.inject({ method: 'GET', url: '/api/v1/analytics/intervals?from=2026-03-05&to=2026-03-01', headers: h });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error).toMatchObject({ field: 'to' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/analytics/intervals?to=2026-03-01', headers: h })).json().error).toMatchObject({ field: 'from' });
  });
});
