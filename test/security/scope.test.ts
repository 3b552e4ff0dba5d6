/**
 * Issue 9 M5, M8, L7: who sees and changes what.
 *  - M5: a unit path is a prefix, never a LIKE pattern: station `RT_X` sees nothing of `RTZX`.
 *  - M8: city-wide data (categories) only from the bureau; addresses only inside one's jurisdiction.
 *  - L7: /metrics only from an allowed address or with a metrics token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { users } from '../../src/db/schema.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';

const PASSWORD = 'password-123';
const HEADER = 'code,district,road,number,building,unit,lon,lat';
const square = (lon: number, lat: number) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]] });
const demoStations = demoOrganisation().filter((u) => u.kind === 'station');
const [stationA, stationB] = [demoStations[0], demoStations[demoStations.length - 1]];
const leaf = leafCategories().find((c) => c.code.startsWith('02'))!;

describe.each(testDrivers())('jurisdiction, city-wide data and metrics on %s', (driver) => {
  let t: TestApp;
  let admin: Record<string, string>;
  const as: Record<string, Record<string, string>> = {};
  let rtzxIncident: string;

  beforeAll(async () => {
    t = await createTestApp(driver, { addresses: true });
    admin = await t.login('admin');
    const a = await t.app.inject({ url: `/api/v1/org/units/${stationA.code}`, headers: admin });
    const branch = a.json().parentId as string;
    // Two stations whose ids differ only where `_` stands: `_` is a LIKE wildcard.
    for (const [code, polygon] of [['RT_X', null], ['RTZX', square(120, 30)]] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/org/units', headers: admin, payload: { parentId: branch, kind: 'station', code, name: code, polygon } });
      expect(res.statusCode).toBe(201);
    }
    const people: [string, string, string[]][] = [
      ['chief_rtx', 'RT_X', ['chief']],
      ['adm_rtx', 'RT_X', ['admin']],
      ['officer_rtzx', 'RTZX', ['officer']],
      ['adm_a', stationA.code, ['admin']],
    ];
    for (const [username, unitId, roles] of people) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { username, displayName: username, password: PASSWORD, roles, unitId } });
      expect(res.statusCode).toBe(201);
    }
    await t.database.db.update(users).set({ mustChangePassword: false });
    for (const [username] of people) as[username] = await t.login(username, PASSWORD);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: await t.login('calltaker'),
      payload: { source: 'call110', categoryCode: leaf.code, description: '有人在街上打架', location: { lon: 120.005, lat: 30.005 } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().stationId).toBe('RTZX');
    rtzxIncident = created.json().id;
  });
  afterAll(() => t?.close());

  describe('M5: a unit path is a prefix, not a pattern', () => {
    it('RTZX sees its own incident (the set-up is right)', async () => {
      const res = await t.app.inject({ url: `/api/v1/incidents/${rtzxIncident}`, headers: as.officer_rtzx });
      expect(res.statusCode).toBe(200);
    });

    it('a chief of RT_X sees no incident of RTZX: list, detail, duplicates', async () => {
      const list = await t.app.inject({ url: '/api/v1/incidents?limit=200', headers: as.chief_rtx });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(rtzxIncident);
      expect((await t.app.inject({ url: `/api/v1/incidents/${rtzxIncident}`, headers: as.chief_rtx })).statusCode).toBe(404);
      const dup = await t.app.inject({ url: `/api/v1/incidents/duplicates?categoryCode=${leaf.code}&lon=120.005&lat=30.005`, headers: as.chief_rtx });
      expect(dup.statusCode).toBe(200);
      expect(dup.body).not.toContain(rtzxIncident);
    });

    it('an administrator of RT_X sees no user or unit of RTZX, and counts only their own users', async () => {
      const list = await t.app.inject({ url: '/api/v1/users?limit=200', headers: as.adm_rtx });
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((u: { username: string }) => u.username).sort()).toEqual(['adm_rtx', 'chief_rtx']);
      const units = await t.app.inject({ url: '/api/v1/org/units', headers: as.adm_rtx });
      expect(units.json().items.map((u: { id: string }) => u.id)).toEqual(['RT_X']);
      const one = await t.app.inject({ url: '/api/v1/org/units/RT_X', headers: admin });
      expect(one.json().userCount).toBe(2);
    });
  });

  describe('M8: city-wide data from the bureau only; addresses inside the jurisdiction', () => {
    it('a station administrator cannot edit or add categories; the bureau administrator can', async () => {
      const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/categories/${leaf.code}`, headers: as.adm_a, payload: { nameEn: 'changed by a station' } });
      expect(patch.statusCode).toBe(403);
      const post = await t.app.inject({ method: 'POST', url: '/api/v1/categories', headers: as.adm_a, payload: { code: `${leaf.code}99`, parentCode: leaf.code, name: '站级新增', nameEn: 'station-made', defaultPriority: 'P3' } });
      expect(post.statusCode).toBe(403);
      const tree = await t.app.inject({ url: '/api/v1/categories', headers: admin });
      expect(tree.body).not.toContain('changed by a station');
      expect(tree.body).not.toContain('station-made');
      const ok = await t.app.inject({ method: 'PATCH', url: `/api/v1/categories/${leaf.code}`, headers: admin, payload: { nameEn: 'changed by the bureau' } });
      expect(ok.statusCode).toBe(200);
    });

    it('a station administrator adds addresses in their station only', async () => {
      const body = (code: string, [lon, lat]: number[]) => ({ code, district: '澳门半岛', road: '测试街', number: '1', lon, lat });
      const theirs = await t.app.inject({ method: 'POST', url: '/api/v1/addresses', headers: as.adm_a, payload: body('MO9800000001', stationB.center!) });
      expect(theirs.statusCode).toBe(403);
      expect(theirs.json().error).toMatchObject({ code: 'outside_your_jurisdiction', field: 'lon' });
      const nowhere = await t.app.inject({ method: 'POST', url: '/api/v1/addresses', headers: as.adm_a, payload: body('MO9800000002', [121, 31]) });
      expect(nowhere.statusCode).toBe(403);
      expect((await t.app.inject({ url: '/api/v1/addresses/MO9800000001', headers: admin })).statusCode).toBe(404);
      const mine = await t.app.inject({ method: 'POST', url: '/api/v1/addresses', headers: as.adm_a, payload: body('MO9800000003', stationA.center!) });
      expect(mine.statusCode).toBe(201);
      expect(mine.json().stationId).toBe(stationA.code);
      const bureau = await t.app.inject({ method: 'POST', url: '/api/v1/addresses', headers: admin, payload: body('MO9800000002', [121, 31]) });
      expect(bureau.statusCode).toBe(201);
    });

    it('a station administrator cannot redraw or recode their own station (it would take in others’ ground), only what lies below it', async () => {
      const city = square(113.4, 22.0);
      city.coordinates[0] = [[113.4, 22.0], [113.7, 22.0], [113.7, 22.3], [113.4, 22.3], [113.4, 22.0]];
      const own = await t.app.inject({ method: 'PATCH', url: `/api/v1/org/units/${stationA.code}`, headers: as.adm_a, payload: { polygon: city } });
      expect(own.statusCode).toBe(403);
      expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/org/units/${stationA.code}`, headers: as.adm_a, payload: { code: 'MINE' } })).statusCode).toBe(403);
      const grid = demoOrganisation().find((u) => u.kind === 'grid' && u.parentKey === stationA.key)!;
      const below = await t.app.inject({ method: 'PATCH', url: `/api/v1/org/units/${grid.code}`, headers: as.adm_a, payload: { name: `${grid.name}（新）` } });
      expect(below.statusCode).toBe(200);
    });

    it('a station administrator’s CSV import with a row in another station imports nothing and names the line', async () => {
      const [la, ta] = stationA.center!;
      const [lb, tb] = stationB.center!;
      const csv = `${HEADER}\nMO9800000010,澳门半岛,测试街,10,,,${la},${ta}\nMO9800000011,澳门半岛,测试街,11,,,${lb},${tb}`;
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/addresses/import', headers: as.adm_a, payload: { csv } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ imported: 0, errors: [{ line: 3, field: 'lon' }] });
      expect((await t.app.inject({ url: '/api/v1/addresses/MO9800000010', headers: admin })).statusCode).toBe(404);
      const own = await t.app.inject({ method: 'POST', url: '/api/v1/addresses/import', headers: as.adm_a, payload: { csv: csv.split('\n').slice(0, 2).join('\n') } });
      expect(own.json()).toEqual({ imported: 1, errors: [] });
    });
  });

  describe('L7: /metrics is not public', () => {
    const REMOTE = '203.0.113.7';
    const metrics = (headers: Record<string, string> = {}, remoteAddress = REMOTE) => t.app.inject({ url: '/metrics', headers, remoteAddress });

    it('refuses a remote client without a token, and a proxied request from loopback', async () => {
      const res = await metrics();
      expect([401, 403, 404]).toContain(res.statusCode);
      expect(res.body).not.toContain('shouwang_http_requests_total');
      const proxied = await metrics({ 'x-forwarded-for': REMOTE }, '127.0.0.1');
      expect([401, 403, 404]).toContain(proxied.statusCode);
      expect(proxied.body).not.toContain('shouwang_http_requests_total');
    });

    it('answers loopback, and a remote client with a metrics token; not one with another scope', async () => {
      const local = await metrics({}, '127.0.0.1');
      expect(local.statusCode).toBe(200);
      expect(local.body).toContain('shouwang_http_requests_total');
      const token = async (scopes: string[]) => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: scopes.join('+'), scopes, unitId: stationA.code } });
        expect(res.statusCode).toBe(201);
        return `Bearer ${res.json().token as string}`;
      };
      const ok = await metrics({ authorization: await token(['metrics:read']) });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('shouwang_http_requests_total');
      const other = await metrics({ authorization: await token(['roads:read']) });
      expect(other.statusCode).toBe(403);
      expect((await metrics({ authorization: 'Bearer sw_not-a-token' })).statusCode).toBe(401);
    });

    it('answers the configured token and the configured addresses', async () => {
      t.config.metricsToken = 'metrics-secret-0123456789';
      t.config.metricsAllowedAddresses = ['10.1.2.3'];
      try {
        expect((await metrics({ authorization: 'Bearer metrics-secret-0123456789' })).statusCode).toBe(200);
        expect((await metrics({ authorization: 'Bearer metrics-secret-wrong' })).statusCode).toBe(401);
        expect((await metrics({}, '10.1.2.3')).statusCode).toBe(200);
        expect([401, 403, 404]).toContain((await metrics({}, '127.0.0.1')).statusCode);
      } finally {
        t.config.metricsToken = undefined;
        t.config.metricsAllowedAddresses = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];
      }
    });
  });
});
