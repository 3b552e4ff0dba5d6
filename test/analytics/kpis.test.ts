import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { Catalogues } from '../../src/kernel/kernel.js';
import { defineModule } from '../../src/kernel/module.js';

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
});
