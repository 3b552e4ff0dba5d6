import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import { seedDemo } from '../../src/demo/seed.js';
import addressRoutes from '../../src/modules/addresses/routes.js';
import type { AddressService } from '../../src/modules/addresses/service.js';
import { createDemoAddressService } from '../../src/demo/addresses.js';
import { countAddresses } from '../../src/modules/addresses/store.js';
import { normalise } from '../../src/modules/addresses/normalise.js';
import { ORIGIN, sessionCookie } from '../helpers/app.js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';

const HEADER = 'code,district,road,number,building,unit,lon,lat';

describe.each(testDrivers())('address registry API on %s', (driver) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let service: AddressService;
  let admin: Record<string, string>;
  let calltaker: Record<string, string>;

  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'shouwang-demo' }, headers: { origin: ORIGIN } });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode}`);
    return { cookie: sessionCookie(res), origin: ORIGIN };
  };

  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedDemo(database.db);
    const started = Date.now();
    service = await createDemoAddressService(database.db);
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(driver === 'pglite' ? 8 : 15);
    const config = { ...loadConfig({}), logLevel: 'silent' };
    app = await buildApp({ config, database, db: database.db }, { logger: false });
    await app.register(addressRoutes, { prefix: '/api/v1', addresses: service });
    await app.ready();
    admin = await login('admin');
    calltaker = await login('calltaker');
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('inserts the demo registry once and loads it into the index', async () => {
    const n = await countAddresses(database.db);
    expect(n).toBeGreaterThan(15_000);
    expect(service.size).toBe(n);
    const again = await createDemoAddressService(database.db);
    expect(again.size).toBe(n);
  });

  it('finds a street by its popular or Portuguese name and names the alias (issue 11 #5)', async () => {
    for (const [q, alias] of [['新馬路', '新馬路'], ['Almeida Ribeiro', 'Avenida de Almeida Ribeiro']]) {
      const res = await app.inject({ url: `/api/v1/addresses/search?q=${encodeURIComponent(q)}&limit=5`, headers: calltaker });
      expect(res.statusCode).toBe(200);
      const hits = res.json() as { text: string; alias?: string; score: number }[];
      expect(hits[0]).toMatchObject({ text: expect.stringContaining('亞美打利庇盧大馬路'), alias });
      expect(hits.every((h) => h.score > 0)).toBe(true);
    }
  });

  it('searches as the call-taker types, best first', async () => {
    const res = await app.inject({ url: `/api/v1/addresses/search?q=${encodeURIComponent('大学马路12')}`, headers: calltaker });
    expect(res.statusCode).toBe(200);
    const hits = res.json();
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toMatchObject({ code: expect.stringMatching(/^MO\d{10}$/), text: expect.stringContaining('大學大馬路12號'), lon: expect.any(Number), lat: expect.any(Number) });
    expect(hits[0].stationId).toMatch(/^MO\d{4}$/);
    const limited = await app.inject({ url: `/api/v1/addresses/search?q=${encodeURIComponent('街')}&limit=3`, headers: calltaker });
    expect(limited.json()).toHaveLength(3);
  });

  it('rejects bad queries naming the field, and anonymous callers', async () => {
    const empty = await app.inject({ url: '/api/v1/addresses/search?q=', headers: calltaker });
    expect(empty.statusCode).toBe(400);
    const extra = await app.inject({ url: '/api/v1/addresses/search?q=a&x=1', headers: calltaker });
    expect(extra.statusCode).toBe(400);
    const anon = await app.inject({ url: '/api/v1/addresses/search?q=a' });
    expect(anon.statusCode).toBe(401);
    const far = await app.inject({ url: '/api/v1/addresses/reverse?lon=200&lat=22', headers: calltaker });
    expect(far.statusCode).toBe(400);
  });

  it('looks up a code, reverse-geocodes a point and draws the door plate', async () => {
    const [hit] = (await app.inject({ url: `/api/v1/addresses/search?q=${encodeURIComponent('水坑尾街')}`, headers: calltaker })).json();
    const one = await app.inject({ url: `/api/v1/addresses/${hit.code}`, headers: calltaker });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ code: hit.code, road: '水坑尾街', district: '澳门半岛', source: 'demo' });
    const near = await app.inject({ url: `/api/v1/addresses/reverse?lon=${hit.lon}&lat=${hit.lat}&radius=30`, headers: calltaker });
    expect(near.json()[0]).toMatchObject({ code: hit.code, distanceMeters: 0 });
    const svg = await app.inject({ url: `/api/v1/addresses/${hit.code}/plate.svg`, headers: calltaker });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body).toContain('<svg');
    expect(svg.body).toContain(`/report?address=${hit.code}`);
    expect(svg.body).toContain('水坑尾街');
    const png = await app.inject({ url: `/api/v1/addresses/${hit.code}/plate.png`, headers: calltaker });
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect((await app.inject({ url: '/api/v1/addresses/MO9999999999', headers: calltaker })).statusCode).toBe(404);
  });

  it('imports CSV all or nothing, errors naming line and field; admin only', async () => {
    const bad = `${HEADER}\nMO9900000001,澳门半岛,新填海街,1,,,113.55,22.19\nMO9900000002,澳门半岛,,2,,,113.55,22.19`;
    const denied = await app.inject({ method: 'POST', url: '/api/v1/addresses/import', payload: { csv: bad }, headers: calltaker });
    expect(denied.statusCode).toBe(403);
    const res = await app.inject({ method: 'POST', url: '/api/v1/addresses/import', payload: { csv: bad }, headers: admin });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_value', field: 'csv' }, imported: 0, errors: [{ line: 3, field: 'road', message: 'required' }] });
    expect(service.search('新填海街1')[0]?.code).not.toBe('MO9900000001');

    const good = `${HEADER}\nMO9900000001,澳门半岛,新填海街,1,,,113.55,22.19\n"MO9900000002",氹仔,"新填海街",2,"海景""大廈""\\","第一座",113.556,22.156`;
    const ok = await app.inject({ method: 'POST', url: '/api/v1/addresses/import', payload: { csv: good }, headers: admin });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ imported: 2, errors: [] });
    const hits = (await app.inject({ url: `/api/v1/addresses/search?q=${encodeURIComponent('新填海街2 海景')}`, headers: calltaker })).json();
    expect(hits[0].code).toBe('MO9900000002');
    expect(hits[0].stationId).not.toBeNull();
    expect(hits[0].text).toBe('氹仔 新填海街2號 海景"大廈"\\ 第一座');
    const again = await app.inject({ method: 'POST', url: '/api/v1/addresses/import', payload: { csv: good }, headers: admin });
    expect(again.json().errors[0]).toMatchObject({ line: 2, field: 'code' });
  });

  it('adds one address (admin), 409 for a duplicate code, 400 naming the field', async () => {
    const body = { code: 'MO9900000100', district: '路环', road: '竹灣馬路', number: '７號', lon: 113.566, lat: 22.122 };
    const res = await app.inject({ method: 'POST', url: '/api/v1/addresses', payload: body, headers: admin });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'MO9900000100', text: '路环 竹灣馬路7號', number: '7', source: 'manual' });
    expect(normalise(service.search('竹湾马路7')[0].text)).toBe(normalise('路环 竹灣馬路7號'));
    expect((await app.inject({ method: 'POST', url: '/api/v1/addresses', payload: body, headers: admin })).statusCode).toBe(409);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/addresses', payload: { ...body, code: 'MO9900000101', number: '#7' }, headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('number');
    expect((await app.inject({ method: 'POST', url: '/api/v1/addresses', payload: body, headers: calltaker })).statusCode).toBe(403);
  });
});
