/**
 * Caches agree across instances (issue 10 step 4): two instances on one PostgreSQL and one NATS stream.
 * An address added on A is found by a search on B; a category edited on A gives B's next suggestion;
 * a station polygon redrawn on A moves B's point → station answer; a unit added on A is listed on B —
 * each within 2 s. Needs PostgreSQL and NATS (skipped without them, unless CI).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { seedDemo } from '../../src/demo/seed.js';
import { createAddressService } from '../../src/modules/addresses/index.js';
import { NatsBus } from '../../src/modules/realtime/index.js';
import { orgUnits } from '../../src/db/schema.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { demoRoads, signInHeaders } from '../helpers/app.js';
import { deleteStream, NATS_URL, natsReachable, uniqueStream } from '../realtime/helpers.js';

const pgAvailable = Boolean(inject('pgAdminUrl'));
const natsUp = pgAvailable ? await natsReachable() : false;

/** Polls `probe` until it answers true, for at most `ms`; answers whether it did. */
async function within(ms: number, probe: () => Promise<boolean>): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!pgAvailable || !natsUp)('caches on two instances', () => {
  const names = uniqueStream();
  let database: TestDatabase;
  let second: Database;
  let busA: NatsBus;
  let busB: NatsBus;
  let appA: FastifyInstance;
  let appB: FastifyInstance;
  let adminA: Record<string, string>;
  let adminB: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    await seedDemo(database.db);
    second = await openDatabase({ databaseUrl: database.url!, poolSize: 5 });
    busA = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'cache-a' });
    busB = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'cache-b' });
    const roads = await demoRoads();
    const config = { ...loadConfig({}), logLevel: 'silent' };
    const [addrA, addrB] = [await createAddressService(database.db), await createAddressService(second.db)];
    appA = await buildApp({ config, database, db: database.db, roads, addresses: addrA, bus: busA }, { logger: false });
    appB = await buildApp({ config, database: second, db: second.db, roads, addresses: addrB, bus: busB }, { logger: false });
    await Promise.all([appA.ready(), appB.ready()]);
    adminA = await signInHeaders(appA, 'admin');
    adminB = await signInHeaders(appB, 'admin');
  }, 120_000);

  afterAll(async () => {
    await appA?.close();
    await appB?.close();
    await busA?.close();
    await busB?.close();
    await second?.close();
    await database?.close();
    if (natsUp) await deleteStream(names.streamName);
  });

  it('an address added on A is found on B', async () => {
    const search = () => appB.inject({ url: `/api/v1/addresses/search?q=${encodeURIComponent('缓存同步测试路 8号')}`, headers: adminB });
    expect((await search()).json().some((h: { code: string }) => h.code === 'CACHE0001')).toBe(false);
    const added = await appA.inject({ method: 'POST', url: '/api/v1/addresses', headers: adminA, payload: { code: 'CACHE0001', district: '花地瑪堂區', road: '缓存同步测试路', number: '8號', lon: 113.5435, lat: 22.1987 } });
    expect(added.statusCode, added.body).toBe(201);
    expect(await within(2000, async () => (await search()).json().some((h: { code: string }) => h.code === 'CACHE0001'))).toBe(true);
  });

  it('a category edited on A gives B’s next suggestion', async () => {
    const noise = leafCategories().find((c) => c.name === '噪音扰民')!;
    const suggest = async () => (await appB.inject({ url: `/api/v1/incidents/priority-suggestion?categoryCode=${noise.code}&description=x`, headers: adminB })).json().priority;
    expect(await suggest()).toBe('P4');
    const patched = await appA.inject({ method: 'PATCH', url: `/api/v1/categories/${noise.code}`, headers: adminA, payload: { defaultPriority: 'P2' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await within(2000, async () => (await suggest()) === 'P2')).toBe(true);
  });

  it('a station polygon redrawn on A moves B’s point → station answer', async () => {
    const stations = await database.db.select().from(orgUnits).where(eq(orgUnits.kind, 'station'));
    const [s1, s2] = stations;
    // A point inside station 2: the first vertex of its outer ring, nudged towards the ring's mean.
    const ring = (s2.polygon as { type: string; coordinates: number[][][] | number[][][][] }).type === 'Polygon' ? (s2.polygon as { coordinates: number[][][] }).coordinates[0] : (s2.polygon as { coordinates: number[][][][] }).coordinates[0][0];
    const mean = ring.reduce((a, c) => [a[0] + c[0] / ring.length, a[1] + c[1] / ring.length], [0, 0]);
    const p: [number, number] = mean as [number, number];
    const locateB = async () => (await appB.ctx.jurisdiction!.locate(p[0], p[1]))?.stationId;
    expect(await locateB()).toBe(s2.id);
    // Give station 1 a square around station 2's centre, and station 2 a far-away square.
    const square = (c: [number, number], r: number) => ({ type: 'Polygon', coordinates: [[[c[0] - r, c[1] - r], [c[0] + r, c[1] - r], [c[0] + r, c[1] + r], [c[0] - r, c[1] + r], [c[0] - r, c[1] - r]]] });
    expect((await appA.inject({ method: 'PATCH', url: `/api/v1/org/units/${s2.id}`, headers: adminA, payload: { polygon: square([p[0] + 1, p[1] + 1], 0.001) } })).statusCode).toBe(200);
    expect((await appA.inject({ method: 'PATCH', url: `/api/v1/org/units/${s1.id}`, headers: adminA, payload: { polygon: square(p, 0.002) } })).statusCode).toBe(200);
    expect(await within(2000, async () => (await locateB()) === s1.id)).toBe(true);
  });

  it('a unit added on A is listed on B', async () => {
    const [station] = await database.db.select().from(orgUnits).where(eq(orgUnits.kind, 'station'));
    const created = await appA.inject({ method: 'POST', url: '/api/v1/units', headers: adminA, payload: { callSign: '缓存同步01', kind: 'patrol_car', stationId: station.id, home: [113.5435, 22.1987] } });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(await within(2000, async () => (await appB.inject({ url: `/api/v1/units/${id}`, headers: adminB })).statusCode === 200)).toBe(true);
  });
});
