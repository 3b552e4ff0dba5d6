import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { Catalogues } from '../../src/kernel/kernel.js';
import { defineModule } from '../../src/kernel/module.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { localDay } from '../../src/core/clock.js';

const stations = demoOrganisation().filter((u) => u.kind === 'station');

describe('the KPI catalogue', () => {
  it('composes every manifest’s KPIs with their module and version, and refuses an id declared twice', () => {
    const a = defineModule({ name: 'a', kpis: [{ id: 'a.one', zh: '一', en: 'One', definition: 'x' }] });
    const b = defineModule({ name: 'b', kpis: [{ id: 'b.two', zh: '二', en: 'Two', definition: 'y', version: 2 }] });
    expect(new Catalogues([a, b]).kpis.map((k) => [k.id, k.module, k.version])).toEqual([['a.one', 'a', 1], ['b.two', 'b', 2]]);
    const again = defineModule({ name: 'c', kpis: [{ id: 'a.one', zh: '一', en: 'One', definition: 'z' }] });
    expect(() => new Catalogues([a, again])).toThrow(/KPI a\.one declared twice/);
  });
});

describe.each(testDrivers())('GET /kpis on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
  });
  afterAll(() => t?.close());

  it('lists the figures of every module for the analyst, each explained; a call-taker has no analyses', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/kpis', headers: await t.login('analyst') });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; module: string; unit: string; better: string; definition: string; numerator: string | null; denominator: string | null }[];
    const modules = new Set(items.map((k) => k.module));
    for (const m of ['incidents', 'dispatch', 'disputes', 'cases']) expect(modules).toContain(m);
    expect(new Set(items.map((k) => k.id)).size).toBe(items.length);
    for (const k of items) expect(k.definition.length).toBeGreaterThan(10);
    // A rate always names what it counts above and below the line.
    for (const k of items.filter((x) => x.unit === 'rate')) expect([k.id, k.numerator && k.denominator ? 'both' : 'missing']).toEqual([k.id, 'both']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/kpis', headers: await t.login('calltaker') })).statusCode).toBe(403);
  });

  it('answers every computed figure of every module for an uneven span against last year', async () => {
    const today = localDay(new Date());
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/kpis/values?from=${localDay(new Date(Date.now() - 9 * 86_400_000))}&to=${today}&compare=yoy`, headers: await t.login('analyst') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(10);
  });

  it('counts incidents of a span against last year, in the asker’s jurisdiction, and judges the change', async () => {
    const calltaker = await t.login('calltaker');
    const [a, b] = [stations[0]!, stations[5]!];
    for (const [s, n] of [[a, 3], [b, 2]] as const)
      for (let i = 0; i < n; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: '02030101', description: `测试 ${i}`, location: { lon: s.center![0], lat: s.center![1] } } });
        expect(res.statusCode, res.body).toBe(201);
      }
    const today = localDay(new Date());
    const url = `/api/v1/kpis/values?ids=incident.count&ids=incident.satisfaction&from=${today}&to=${today}`;
    const [analyst, chief] = [await t.login('analyst'), await t.login('chief')];
    const count = (x: { items: { id: string }[] }) => x.items.find((i) => i.id === 'incident.count') as unknown as { current: { value: number; from: string }; previous: { value: number; from: string }; significant: boolean; rule: string; z: number };
    // The rollups follow the writes within a refresh (2 s).
    await expect.poll(async () => count((await t.app.inject({ method: 'GET', url, headers: analyst })).json()).current.value, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    const bureau = (await t.app.inject({ method: 'GET', url, headers: analyst })).json();
    const station = (await t.app.inject({ method: 'GET', url, headers: chief })).json();
    expect(count(station).current.value).toBeGreaterThanOrEqual(1);
    expect(count(station).current.value).toBeLessThan(count(bureau).current.value);
    expect(count(bureau).rule).toBe('shift_52_weeks');
    expect(count(bureau).previous).toMatchObject({ value: 0 });
    // Nothing last year, at least 5 today: 2·√5 > 3, a real change.
    expect(count(bureau).significant).toBe(Math.abs(count(bureau).z) > 3);
    expect(count(bureau).significant).toBe(true);
    // A rate comes with its two numbers, even when there is nothing to divide.
    expect(bureau.items.find((i: { id: string }) => i.id === 'incident.satisfaction').current).toMatchObject({ numerator: expect.any(Number), denominator: expect.any(Number) });
  });

  it('gives the weekday × hour heat table of the asker’s jurisdiction', async () => {
    const today = localDay(new Date());
    const heat = async (user: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/analytics/heat?from=${today}&to=${today}`, headers: await t.login(user) })).json() as { cells: number[][]; timeZone: string };
    const sum = (h: { cells: number[][] }) => h.cells.flat().reduce((a, b) => a + b, 0);
    await expect.poll(async () => sum(await heat('analyst')), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    const h = await heat('analyst');
    expect(h.cells).toHaveLength(7);
    expect(h.cells.every((row) => row.length === 24)).toBe(true);
    // Today's incidents all sit in today's weekday row.
    const weekday = new Date(`${today}T12:00:00Z`).getUTCDay();
    expect(h.cells[weekday]!.reduce((a, b) => a + b, 0)).toBe(sum(h));
    expect(sum(await heat('chief'))).toBeLessThan(sum(h));
  });

  it('refuses a bad request naming the field, in both languages', async () => {
    const h = await t.login('analyst');
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/kpis/values?from=2026-03-05&to=2026-03-01', headers: h });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'to' });
    const unknown = await t.app.inject({ method: 'GET', url: '/api/v1/kpis/values?ids=nope&from=2026-03-01&to=2026-03-05', headers: { ...h, 'accept-language': 'en' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ field: 'ids[0]' });
    expect(unknown.json().error.message).toContain('nope');
    const long = await t.app.inject({ method: 'GET', url: '/api/v1/kpis/values?from=2020-01-01&to=2026-01-01', headers: h });
    expect(long.statusCode).toBe(400);
  });
});
