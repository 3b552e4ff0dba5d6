/**
 * Two server instances serving one city: one PostgreSQL database, one NATS JetStream stream, each
 * instance with its own DispatchService memory. A write on one instance must show on the other.
 * Needs PostgreSQL (skipped without it, unless CI) and NATS (same rule as test/realtime).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { seedDemo } from '../../src/demo/seed.js';
import { seedDemoUnits } from '../../src/demo/units.js';
import { NatsBus } from '../../src/modules/realtime/nats-bus.js';
import type { SequencedEvent } from '../../src/modules/realtime/types.js';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { demoRoads, ORIGIN, sessionCookie } from '../helpers/app.js';
import { deleteStream, NATS_URL, natsReachable, sleep, uniqueStream, until } from '../realtime/helpers.js';

const pgAvailable = Boolean(inject('pgAdminUrl'));
const natsUp = pgAvailable ? await natsReachable() : false;
const generic = leafCategories().find((c) => !c.capabilities?.length && c.code.startsWith('02'))!;
const INCIDENT = { lon: 113.544113, lat: 22.211607 };

describe.skipIf(!pgAvailable || !natsUp)('two instances on one PostgreSQL and one NATS stream', () => {
  const names = uniqueStream();
  let database: TestDatabase;
  let second: Database;
  let busA: NatsBus;
  let busB: NatsBus;
  let appA: FastifyInstance;
  let appB: FastifyInstance;
  const busEvents: SequencedEvent[] = [];

  beforeAll(async () => {
    database = await freshDatabase('postgres');
    await seedDemo(database.db);
    await seedDemoUnits(database.db);
    second = await openDatabase({ databaseUrl: database.url!, poolSize: 5 });
    busA = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'dispatch-a' });
    busB = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'dispatch-b' });
    busA.subscribe((e) => busEvents.push(e));
    const roads = await demoRoads();
    const config = { ...loadConfig({}), logLevel: 'silent' };
    appA = await buildApp({ config, database, db: database.db, roads, bus: busA }, { logger: false });
    appB = await buildApp({ config, database: second, db: second.db, roads, bus: busB }, { logger: false });
    await Promise.all([appA.ready(), appB.ready()]);
    // Every instance runs the roster: the second one finds the units already moved and goes on.
    await appA.ctx.dispatch!.applyRosterAll();
    await appB.ctx.dispatch!.applyRosterAll();
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

  const login = async (app: FastifyInstance, username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'shouwang-demo' }, headers: { origin: ORIGIN } });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: sessionCookie(res), origin: ORIGIN };
  };
  const unitOn = async (app: FastifyInstance, headers: Record<string, string>, id: string) => {
    const res = await app.inject({ url: `/api/v1/units/${id}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    const u = res.json();
    return { status: u.status, statusAt: u.statusAt, onDuty: u.onDuty, currentAssignment: u.currentAssignment, position: u.position && { lon: u.position.lon, lat: u.position.lat, at: u.position.at } };
  };
  const incidentOn = async (app: FastifyInstance, headers: Record<string, string>, id: string) => {
    const res = await app.inject({ url: `/api/v1/incidents/${id}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    const i = res.json();
    return { status: i.status, version: i.version, times: i.times };
  };

  it('an assignment made on A, acknowledged and set en route on B, reads the same on both', async () => {
    const [calltakerA, dispatcherA, dispatcherB, officerB] = await Promise.all([login(appA, 'calltaker'), login(appA, 'dispatcher'), login(appB, 'dispatcher'), login(appB, 'officer')]);
    // The roster moves made on A (and refused on B) converge.
    const startA = await unitOn(appA, dispatcherA, 'MO0101-1');
    await until(() => unitOn(appB, dispatcherB, 'MO0101-1'), (u) => u.status === startA.status && u.statusAt === startA.statusAt, 'roster state on B');
    expect(startA.status).toBe('available');

    const created = await appA.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltakerA, payload: { source: 'call110', categoryCode: generic.code, description: '两个实例', location: INCIDENT } });
    expect(created.statusCode, created.body).toBe(201);
    const inc = created.json() as { id: string };
    const assigned = await appA.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/assignments`, headers: dispatcherA, payload: { unitIds: ['MO0101-1'] } });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const a = assigned.json().items[0] as { id: string };

    // Straight away on B, without waiting for the events: B re-reads the unit when its memory refuses.
    const ack = await appB.inject({ method: 'POST', url: `/api/v1/assignments/${a.id}/ack`, headers: officerB });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().status).toBe('acknowledged');
    const enRoute = await appB.inject({ method: 'POST', url: '/api/v1/units/MO0101-1/status', headers: officerB, payload: { status: 'en_route' } });
    expect(enRoute.statusCode, enRoute.body).toBe(200);
    expect(enRoute.json()).toMatchObject({ status: 'en_route', currentAssignment: { id: a.id, status: 'en_route' } });

    const onB = await unitOn(appB, dispatcherB, 'MO0101-1');
    expect(onB).toMatchObject({ status: 'en_route', currentAssignment: { id: a.id, incidentId: inc.id, status: 'en_route' } });
    const onA = await until(() => unitOn(appA, dispatcherA, 'MO0101-1'), (u) => JSON.stringify(u) === JSON.stringify(onB), 'A to see B’s en route');
    expect(onA).toEqual(onB);
    const incA = await incidentOn(appA, dispatcherA, inc.id);
    expect(incA.status).toBe('en_route');
    expect(await incidentOn(appB, dispatcherB, inc.id)).toEqual(incA);

    // Commands on A act on what B did: A knows the unit is en route (not available) and may not re-assign it.
    const again = await appA.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/assignments`, headers: dispatcherA, payload: { unitIds: ['MO0101-1'] } });
    expect(again.statusCode).toBe(409);

    // The events carry the instance that made them.
    const origins = new Set(busEvents.filter((e) => e.type === 'assignment' && e.key === inc.id).map((e) => (e.data as { origin: string }).origin));
    expect(origins).toEqual(new Set([appA.ctx.dispatch!.instanceId, appB.ctx.dispatch!.instanceId]));
  });

  it('a position posted on A shows on B', async () => {
    const dispatcherA = await login(appA, 'dispatcher');
    const dispatcherB = await login(appB, 'dispatcher');
    const at = new Date().toISOString();
    const res = await appA.inject({ method: 'POST', url: '/api/v1/units/MO0101-2/position', headers: dispatcherA, payload: { lon: 113.5455, lat: 22.2105, at } });
    expect(res.statusCode, res.body).toBe(202);
    const onB = await until(() => unitOn(appB, dispatcherB, 'MO0101-2'), (u) => u.position?.at === at, 'the position on B');
    expect(onB.position).toEqual({ lon: 113.5455, lat: 22.2105, at });
    expect(onB).toEqual(await unitOn(appA, dispatcherA, 'MO0101-2'));
    // An older report does not move the unit back on either instance.
    const old = new Date(Date.now() - 30_000).toISOString();
    expect((await appB.inject({ method: 'POST', url: '/api/v1/units/MO0101-2/position', headers: dispatcherB, payload: { lon: 113.55, lat: 22.2, at: old } })).statusCode).toBe(202);
    await sleep(200);
    expect((await unitOn(appA, dispatcherA, 'MO0101-2')).position).toEqual({ lon: 113.5455, lat: 22.2105, at });
  });

  it('the alert timers of both instances raise and escalate an alert once', async () => {
    const [calltakerA, dispatcherA] = await Promise.all([login(appA, 'calltaker'), login(appA, 'dispatcher')]);
    const inc = (await appA.inject({ method: 'POST', url: '/api/v1/incidents', headers: calltakerA, payload: { source: 'call110', categoryCode: generic.code, description: '无人确认', location: INCIDENT } })).json() as { id: string };
    const a = (await appA.inject({ method: 'POST', url: `/api/v1/incidents/${inc.id}/assignments`, headers: dispatcherA, payload: { unitIds: ['MO0101-3'] } })).json().items[0] as { id: string };
    const t0 = Date.now();
    const [ra, rb] = await Promise.all([appA.ctx.dispatch!.tick(new Date(t0 + 61_000)), appB.ctx.dispatch!.tick(new Date(t0 + 61_000))]);
    expect(ra.raised + rb.raised).toBe(1);
    const [ea, eb] = await Promise.all([appA.ctx.dispatch!.tick(new Date(t0 + 125_000)), appB.ctx.dispatch!.tick(new Date(t0 + 125_000))]);
    expect(ea.escalated + eb.escalated).toBe(1);
    const forThis = () => busEvents.filter((e) => e.type === 'alert' && (e.data as { assignmentId?: string }).assignmentId === a.id).map((e) => (e.data as { event: string }).event);
    await until(async () => forThis(), (x) => x.length >= 2, 'the alert events');
    await sleep(100);
    expect(forThis()).toEqual(['raised', 'escalated']);
  });
});
