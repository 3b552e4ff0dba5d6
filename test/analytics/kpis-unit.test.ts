/**
 * GET /kpis/values and /analytics/heat with `unitId` (issue 16): a station chief gets only their own
 * figures; a unit below narrows (branch → station → grid); a sibling's or an unknown unit is refused naming
 * unitId; a KPI whose records are held by station, asked for a grid, gives the station's figure and says so
 * (scope.exact false), never a station's figure as a grid's. Both databases. The pure part (coveringUnit)
 * is checked first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { rawQuery } from '../../src/db/client.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { localDay, localDayStart } from '../../src/core/clock.js';
import { coveringUnit } from '../../src/modules/analytics/kpi-scope.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');

describe('coveringUnit', () => {
  const path = [{ id: 'b', kind: 'bureau' }, { id: 'r', kind: 'branch' }, { id: 's', kind: 'station' }, { id: 'g', kind: 'grid' }];
  it.each([
    [4, 'grid', 'g', true],
    [4, 'station', 's', false],
    [4, 'bureau', 'b', false],
    [3, 'station', 's', true],
    [3, 'grid', 's', true],
    [2, 'station', 'r', true],
    [3, 'branch', 'r', false],
  ] as const)('a %s-deep unit for a KPI held by %s is counted for %s (exact %s)', (depth, finest, id, exact) => {
    const c = coveringUnit(path.slice(0, depth), finest);
    expect([c.unit.id, c.exact]).toEqual([id, exact]);
  });
});

interface Figure {
  id: string;
  current: { value: number | null };
  scope: { unitId: string; kind: string; exact: boolean };
}

describe.each(testDrivers())('GET /kpis/values and /analytics/heat with unitId on %s', (driver) => {
  let t: TestApp;
  const today = localDay(new Date());
  let chiefUnit = '';
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    [{ unit_id: chiefUnit }] = await rawQuery<{ unit_id: string }>(t.database.db, `select unit_id from users where username = 'chief'`);
    const [own] = await rawQuery<{ code: string }>(t.database.db, 'select code from org_units where id = $1', [chiefUnit]);
    const calltaker = await t.login('calltaker');
    const mine = stations.find((s) => s.code === own!.code)!;
    for (const [s, n] of [[mine, 3], [stations.find((x) => x !== mine)!, 2]] as const)
      for (let i = 0; i < n; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: '02030101', description: `单位测试 ${i}`, location: { lon: s.center![0], lat: s.center![1] } } });
        expect(res.statusCode, res.body).toBe(201);
      }
  });
  afterAll(() => t?.close());

  const values = async (user: string, unitId?: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/kpis/values?ids=incident.count&ids=incident.satisfaction&ids=dispatch.response_time&from=${today}&to=${today}${unitId ? `&unitId=${encodeURIComponent(unitId)}` : ''}`, headers: { ...(await t.login(user)), 'accept-language': 'en' } });
  const figures = async (user: string, unitId?: string) => {
    const res = await values(user, unitId);
    expect(res.statusCode, res.body).toBe(200);
    return new Map((res.json().items as Figure[]).map((f) => [f.id, f]));
  };
  /** Incidents recorded today held by a unit (its station or its grid) or below. */
  const direct = async (unitId: string) => {
    const [{ n }] = await rawQuery<{ n: number }>(
      t.database.db,
      `select count(*)::int as n from incidents i where master_id is null and recorded_at >= $2::timestamptz
         and exists (select 1 from org_units u where (u.id = i.station_id or u.id = i.grid_id) and starts_with(u.path, (select path from org_units where id = $1)))`,
      [unitId, localDayStart(today).toISOString()],
    );
    return n;
  };

  it('gives a station chief their own figures, and the same when the chief names their own unit', async () => {
    const bureau = await figures('analyst');
    await expect.poll(async () => (await figures('analyst')).get('incident.count')!.current.value, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    const own = await figures('chief');
    expect(own.get('incident.count')!.current.value).toBe(await direct(chiefUnit));
    expect(own.get('incident.count')!.current.value).toBeLessThan((await figures('analyst')).get('incident.count')!.current.value!);
    for (const f of own.values()) expect(f.scope).toMatchObject({ unitId: chiefUnit, kind: 'station', exact: true });
    expect([...(await figures('chief', chiefUnit)).values()].map((f) => f.current.value)).toEqual([...own.values()].map((f) => f.current.value));
    expect(bureau.get('incident.count')!.scope.kind).toBe('bureau');
  });

  it('narrows the analyst to a branch, a station and a grid; a station-held KPI asked for a grid says it is the station’s', async () => {
    const [{ path }] = await rawQuery<{ path: string }>(t.database.db, 'select path from org_units where id = $1', [chiefUnit]);
    const branch = path.split('/').filter(Boolean).at(-2)!;
    const b = await figures('analyst', branch);
    expect(b.get('incident.count')!.current.value).toBe(await direct(branch));
    expect(b.get('incident.count')!.scope).toMatchObject({ unitId: branch, kind: 'branch', exact: true });
    const s = await figures('analyst', chiefUnit);
    expect(s.get('incident.count')!.current.value).toBe(await direct(chiefUnit));
    const grids = await rawQuery<{ id: string }>(t.database.db, `select id from org_units where parent_id = $1 and kind = 'grid' order by code`, [chiefUnit]);
    expect(grids.length).toBeGreaterThan(0);
    const [{ grid }] = await rawQuery<{ grid: string | null }>(t.database.db, `select grid_id as grid from incidents where station_id = $1 and grid_id is not null limit 1`, [chiefUnit]);
    const g = await figures('analyst', grid ?? grids[0]!.id);
    expect(g.get('incident.count')!.current.value).toBe(await direct(grid ?? grids[0]!.id));
    expect(g.get('incident.count')!.scope).toMatchObject({ kind: 'grid', exact: true });
    // Intervals are held by station (migration 0033): the grid's station's figure, labelled as such.
    expect(g.get('dispatch.response_time')!.scope).toMatchObject({ unitId: chiefUnit, kind: 'station', exact: false });
    // Callbacks are held by station: the grid's station's figure, labelled as such.
    expect(g.get('incident.satisfaction')!.scope).toMatchObject({ unitId: chiefUnit, kind: 'station', exact: false });
    // A station chief asking for a grid of their own station gets the same.
    expect((await figures('chief', grid ?? grids[0]!.id)).get('incident.satisfaction')!.scope).toMatchObject({ unitId: chiefUnit, exact: false });
  });

  it('refuses a sibling’s, the bureau’s or an unknown unit naming unitId', async () => {
    const [sibling] = await rawQuery<{ id: string }>(t.database.db, `select id from org_units where kind = 'station' and id <> $1 order by code limit 1`, [chiefUnit]);
    const [root] = await rawQuery<{ id: string }>(t.database.db, 'select id from org_units where parent_id is null');
    for (const [unit, status] of [[sibling!.id, 403], [root!.id, 403], ['NO-SUCH-UNIT', 404]] as const) {
      const res = await values('chief', unit);
      expect([unit, res.statusCode, res.json().error.field]).toEqual([unit, status, 'unitId']);
      const heat = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/heat?from=${today}&to=${today}&unitId=${encodeURIComponent(unit)}`, headers: await t.login('chief') });
      expect([unit, heat.statusCode, heat.json().error.field]).toEqual([unit, status, 'unitId']);
    }
  });

  it('narrows the heat table to a unit', async () => {
    const heat = async (user: string, unitId?: string) => {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/analytics/heat?from=${today}&to=${today}${unitId ? `&unitId=${unitId}` : ''}`, headers: await t.login(user) });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { cells: number[][]; unitId: string | null };
      return { sum: body.cells.flat().reduce((a, b) => a + b, 0), unitId: body.unitId };
    };
    await expect.poll(async () => (await heat('analyst')).sum, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    const narrowed = await heat('analyst', chiefUnit);
    expect(narrowed).toEqual({ sum: await direct(chiefUnit), unitId: chiefUnit });
    expect(narrowed.sum).toBe((await heat('chief')).sum);
    expect(narrowed.sum).toBeLessThan((await heat('analyst')).sum);
  });
});
