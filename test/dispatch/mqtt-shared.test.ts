/**
 * AVL over MQTT with two server instances sharing NATS: both subscribe to one shared subscription
 * (`$share/<group>/…/avl/+`, the real Mosquitto), so each position is taken by one instance and its track
 * row written once; the other instance learns the position from the `unit_position` event on the real
 * NATS JetStream bus. Runs on both drivers (PGlite: the two instances share the in-process database;
 * PostgreSQL: each instance has its own pool on one database). Skipped without NATS or Mosquitto
 * (failed on CI).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { and, eq, gte } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { seedDemo } from '../../src/demo/seed.js';
import { seedDemoUnits } from '../../src/demo/units.js';
import { unitPositions } from '../../src/modules/dispatch/schema.js';
import { avlSubscription, startAvlMqtt } from '../../src/modules/dispatch/mqtt.js';
import { NatsBus } from '../../src/modules/realtime/nats-bus.js';
import type { SequencedEvent } from '../../src/modules/realtime/types.js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { demoRoads, ORIGIN, sessionCookie } from '../helpers/app.js';
import { deleteStream, NATS_URL, natsReachable, sleep, uniqueStream, until } from '../realtime/helpers.js';
import { mqttReachable, MQTT_TEST_URL } from './helpers.js';

const MQTT_URL = MQTT_TEST_URL;

const mqttUp = await mqttReachable(MQTT_URL);
if (!mqttUp && process.env.CI) throw new Error(`MQTT broker not reachable at ${MQTT_URL} (CI is set)`);
const natsUp = await natsReachable();

const UNIT = 'MO0103-2';
const N = 24;

describe('the AVL subscription filter', () => {
  it('is shared when a group is given', () => {
    expect(avlSubscription()).toBe('shouwang/avl/+');
    expect(avlSubscription('shouwang')).toBe('$share/shouwang/shouwang/avl/+');
    expect(avlSubscription('g1', 'x/avl/')).toBe('$share/g1/x/avl/+');
    expect(() => avlSubscription('a/b')).toThrow(/share group/);
    expect(() => avlSubscription('a+')).toThrow(/share group/);
  });
});

describe.runIf(mqttUp && natsUp).each(testDrivers())('two instances, one shared MQTT subscription, NATS (%s)', (driver) => {
  const names = uniqueStream();
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  // A group and a topic of this run only: parallel runs on the same broker never take each other's messages.
  const group = `swtest_${id}`;
  const topicPrefix = `swtest/${id}/avl/`;
  let database: TestDatabase;
  let second: Database | undefined;
  let busA: NatsBus;
  let busB: NatsBus;
  let appA: FastifyInstance;
  let appB: FastifyInstance;
  const stops: (() => Promise<void>)[] = [];
  const busEvents: SequencedEvent[] = [];
  const warnings: string[] = [];
  const log = { info: () => {}, warn: (_o: object | string, m?: string) => void warnings.push(m ?? '') };

  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedDemo(database.db);
    await seedDemoUnits(database.db);
    second = driver === 'postgres' ? await openDatabase({ databaseUrl: database.url!, poolSize: 5 }) : undefined;
    busA = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'avl-a' });
    busB = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'avl-b' });
    busA.subscribe((e) => busEvents.push(e));
    const roads = await demoRoads();
    const config = { ...loadConfig({}), logLevel: 'silent' };
    const dbB = second ?? database;
    appA = await buildApp({ config, database, db: database.db, roads, bus: busA }, { logger: false });
    appB = await buildApp({ config, database: dbB, db: dbB.db, roads, bus: busB }, { logger: false });
    await Promise.all([appA.ready(), appB.ready()]);
    for (const app of [appA, appB]) stops.push(await startAvlMqtt({ url: MQTT_URL, service: app.ctx.dispatch!, log, shareGroup: group, topicPrefix }));
  }, 120_000);

  afterAll(async () => {
    for (const stop of stops) await stop().catch(() => {});
    await appA?.close();
    await appB?.close();
    await busA?.close();
    await busB?.close();
    await second?.close();
    await database?.close();
    if (natsUp) await deleteStream(names.streamName);
  });

  const login = async (app: FastifyInstance) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'dispatcher', password: 'shouwang-demo' }, headers: { origin: ORIGIN } });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: sessionCookie(res), origin: ORIGIN };
  };
  const positionOn = async (app: FastifyInstance, headers: Record<string, string>) => {
    const res = await app.inject({ url: `/api/v1/units/${UNIT}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json().position as { lon: number; lat: number; at: string } | null;
    return p && { lon: p.lon, lat: p.lat, at: p.at };
  };

  it('stores each of N positions once and both instances know the latest', async () => {
    const [headersA, headersB] = await Promise.all([login(appA), login(appB)]);
    const t0 = Date.now();
    // 31 s apart: thinning keeps every one of them, so the stored track must hold exactly N rows.
    const reports = Array.from({ length: N }, (_, i) => ({ lon: 113.54 + i * 0.0003, lat: 22.19 + i * 0.0002, at: new Date(t0 - (N - i) * 31_000).toISOString(), speed: i }));
    const pub = await mqtt.connectAsync(MQTT_URL, { protocolVersion: 5 });
    try {
      for (const r of reports) await pub.publishAsync(`${topicPrefix}${UNIT}`, JSON.stringify(r), { qos: 1 });
    } finally {
      await pub.endAsync();
    }
    const last = reports[N - 1];
    const expected = { lon: last.lon, lat: last.lat, at: last.at };

    // Every instance's memory (recommendation, consoles connected to it) holds the newest position.
    await until(() => positionOn(appA, headersA), (p) => p?.at === last.at, 'the latest position on A', 15_000);
    await until(() => positionOn(appB, headersB), (p) => p?.at === last.at, 'the latest position on B', 15_000);
    expect(await positionOn(appA, headersA)).toEqual(expected);
    expect(await positionOn(appB, headersB)).toEqual(expected);

    // The stored track: each position exactly once.
    const since = new Date(t0 - (N + 1) * 31_000);
    const track = async () => {
      await Promise.all([appA.ctx.dispatch!.flushTrack(), appB.ctx.dispatch!.flushTrack()]);
      return database.db
        .select({ at: unitPositions.at, lon: unitPositions.lon })
        .from(unitPositions)
        .where(and(eq(unitPositions.unitId, UNIT), gte(unitPositions.at, since)));
    };
    await until(track, (rows) => rows.length >= N, 'N track rows', 15_000);
    await sleep(300); // a duplicate would have had the time to arrive
    const rows = await track();
    expect(rows.length).toBe(N);
    expect(rows.map((r) => r.at.toISOString()).sort()).toEqual(reports.map((r) => r.at));

    // The broker shared the messages out: both instances took some (the events carry who did).
    const origins = new Set(busEvents.filter((e) => e.type === 'unit_position' && e.key === UNIT).map((e) => (e.data as { origin: string }).origin));
    expect(origins).toEqual(new Set([appA.ctx.dispatch!.instanceId, appB.ctx.dispatch!.instanceId]));
    expect(warnings).toEqual([]);
  });
});
