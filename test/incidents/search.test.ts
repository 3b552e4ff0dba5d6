import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';

const [lon, lat] = demoOrganisation().find((u) => u.kind === 'station')!.center!;

describe.each(testDrivers())('incident list search (#11.9) on %s', (driver) => {
  let t: TestApp;
  let calltaker: Record<string, string>;
  let supervisor: Record<string, string>;
  let admin: Record<string, string>;
  const made: { id: string; number: string }[] = [];
  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false });
    [calltaker, supervisor, admin] = await Promise.all(['calltaker', 'supervisor', 'admin'].map((u) => t.login(u)));
    for (const [phone, address] of [['13711112222', '新马路 100% 大厦_A座'], ['13733334444', '大三巴街 3 号']]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltaker, payload: { source: 'call110', categoryCode: '05010103', description: '楼上漏水', caller: { phone }, address, location: { lon, lat } } });
      expect(res.statusCode).toBe(201);
      made.push(res.json());
    }
  });
  afterAll(() => t?.close());

  const search = (q: string, headers = calltaker) => t.app.inject({ method: 'GET', url: `/api/v1/incidents?q=${encodeURIComponent(q)}`, headers });
  const ids = async (q: string, headers = calltaker) => (await search(q, headers)).json().items.map((i: { id: string }) => i.id);

  it('finds by number or its start, lower case too', async () => {
    expect(await ids(made[0]!.number)).toEqual([made[0]!.id]);
    expect(await ids(made[0]!.number.slice(0, -1).toLowerCase())).toEqual(expect.arrayContaining(made.map((m) => m.id)));
  });

  it('finds by words of the address, with % and _ taken as letters', async () => {
    expect(await ids('大三巴')).toEqual([made[1]!.id]);
    expect(await ids('100% 大厦_A')).toEqual([made[0]!.id]);
    expect(await ids('%')).toEqual([made[0]!.id]);
    expect(await ids('_')).toEqual([made[0]!.id]);
  });

  it('finds by caller phone only for roles that see callers, and audits that read naming the phone (masked) and what it found', async () => {
    expect(await ids('137-3333-4444')).toEqual([made[1]!.id]);
    expect(await ids('13733334444', supervisor)).toEqual([]);
    const audit = (await t.app.inject({ method: 'GET', url: '/api/v1/audit?action=incident.search&limit=20', headers: admin })).json();
    const row = audit.items.find((e: { username: string }) => e.username === 'calltaker');
    expect(row.detail).toMatchObject({ searchedPhone: '137****4444', found: [made[1]!.id] });
    // A search that is not a phone leaves no audit row.
    expect(audit.items.every((e: { detail: { searchedPhone?: string } }) => e.detail.searchedPhone)).toBe(true);
  });

  it('refuses an over-long search with a 400 naming q', async () => {
    const res = await search('x'.repeat(101));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('q');
  });
});
