/**
 * Drill-down (GET /analytics/breakdown): the children of every level sum to their parent, the bureau's
 * total is the KPI endpoint's incident count, a station chief sees only their own station, and a bad
 * unit or span is refused naming the field. Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { localDay } from '../../src/core/clock.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');

interface Row {
  id: string | null;
  kind: string | null;
  name: string;
  hasChildren: boolean;
  now: number;
  previous: number;
  significant: boolean;
  families: { family: string; now: number; previous: number }[];
}
interface Breakdown {
  unit: { id: string; kind: string };
  breadcrumb: { id: string; kind: string; name: string }[];
  total: Row;
  children: Row[];
  previous: { from: string; to: string };
}

const sum = (rows: Row[], k: 'now' | 'previous') => rows.reduce((a, r) => a + r[k], 0);

describe.each(testDrivers())('GET /analytics/breakdown on %s', (driver) => {
  let t: TestApp;
  const today = localDay(new Date());
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    const calltaker = await t.login('calltaker');
    // Incidents in two stations (of different branches, most likely) and in the chief's own.
    for (const [s, n] of [[stations[0]!, 3], [stations[stations.length - 1]!, 2]] as const)
      for (let i = 0; i < n; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: '02030101', description: `下钻测试 ${i}`, location: { lon: s.center![0], lat: s.center![1] } } });
        expect(res.statusCode, res.body).toBe(201);
      }
  });
  afterAll(() => t?.close());

  const get = async (user: string, query: string, lang = 'zh') => t.app.inject({ method: 'GET', url: `/api/v1/analytics/breakdown?from=${today}&to=${today}${query}`, headers: { ...(await t.login(user)), 'accept-language': lang } });

  it('splits the bureau into branches, a branch into stations, a station into grids: the children sum to the parent at every level', async () => {
    await expect.poll(async () => ((await get('analyst', '')).json() as Breakdown).total.now, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    const bureau = (await get('analyst', '')).json() as Breakdown;
    expect(bureau.unit.kind).toBe('bureau');
    expect(bureau.breadcrumb.map((b) => b.id)).toEqual([bureau.unit.id]);
    expect(bureau.children.filter((c) => c.id).every((c) => c.kind === 'branch')).toBe(true);
    expect(sum(bureau.children, 'now')).toBe(bureau.total.now);
    expect(sum(bureau.children, 'previous')).toBe(bureau.total.previous);
    // The same number as the KPI endpoint's incident count for the same span and jurisdiction.
    const kpi = (await t.app.inject({ method: 'GET', url: `/api/v1/kpis/values?ids=incident.count&from=${today}&to=${today}`, headers: await t.login('analyst') })).json();
    expect(kpi.items[0].current.value).toBe(bureau.total.now);
    // By family: the families add up to the row.
    expect(bureau.total.families.reduce((a, f) => a + f.now, 0)).toBe(bureau.total.now);
    expect(bureau.total.families.find((f) => f.family === '02')?.now).toBeGreaterThanOrEqual(5);

    const branchRow = bureau.children.find((c) => c.now > 0 && c.id)!;
    const branch = (await get('analyst', `&unitId=${branchRow.id}`)).json() as Breakdown;
    expect(branch.total.now).toBe(branchRow.now);
    expect(sum(branch.children, 'now')).toBe(branch.total.now);
    expect(branch.children.every((c) => c.kind === 'station')).toBe(true);
    expect(branch.breadcrumb.map((b) => b.id)).toEqual([bureau.unit.id, branchRow.id]);

    const stationRow = branch.children.find((c) => c.now > 0)!;
    const station = (await get('analyst', `&unitId=${stationRow.id}`)).json() as Breakdown;
    expect(station.total.now).toBe(stationRow.now);
    expect(sum(station.children, 'now')).toBe(station.total.now);
    // Grids, and a row for the incidents outside every grid when there are any.
    expect(station.children.every((c) => c.kind === 'grid' || c.id === null)).toBe(true);
    expect(station.breadcrumb).toHaveLength(3);
    // Nothing last year, a handful today: the Poisson test decides, not the percentage.
    expect(station.total.previous).toBe(0);
  });

  it('gives a station chief their own station, and refuses the bureau naming the field', async () => {
    const own = await get('chief', '');
    expect(own.statusCode, own.body).toBe(200);
    const mine = own.json() as Breakdown;
    expect(mine.unit.kind).toBe('station');
    expect(mine.breadcrumb.map((b) => b.id)).toEqual([mine.unit.id]);
    const bureauId = ((await get('analyst', '')).json() as Breakdown).unit.id;
    const refused = await get('chief', `&unitId=${bureauId}`, 'en');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ field: 'unitId' });
    expect(refused.json().error.message).toMatch(/outside your jurisdiction/);
    // A sibling station is refused the same way.
    const other = stations.find((s) => s.code !== mine.unit.id && s.key !== mine.unit.id);
    if (other) expect((await get('chief', `&unitId=${encodeURIComponent(other.code)}`)).statusCode).toBeGreaterThanOrEqual(403);
    expect((await get('calltaker', '')).statusCode).toBe(403);
  });

  it('refuses an unknown unit or a bad span naming the field', async () => {
    const unknown = await get('analyst', '&unitId=NO-SUCH-UNIT', 'en');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ field: 'unitId' });
    expect(unknown.json().error.message).toContain('NO-SUCH-UNIT');
    const backwards = await t.app.inject({ method: 'GET', url: '/api/v1/analytics/breakdown?from=2026-03-05&to=2026-03-01', headers: await t.login('analyst') });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error).toMatchObject({ field: 'to' });
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/analytics/breakdown?to=2026-03-01', headers: await t.login('analyst') });
    expect(missing.statusCode).toBe(400);
  });
});
