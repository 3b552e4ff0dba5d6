/**
 * The stream inside the real application: the lead's buildApp with its sign-in, session cookie, bearer
 * tokens and route policy, plus @fastify/websocket and the stream routes registered the way app.ts will.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/demo/seed.js';
import { orgUnits, users } from '../../src/db/schema.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';
import { ORIGIN, signInHeaders } from '../helpers/app.js';
import { MemoryBus } from '../../src/modules/realtime/memory-bus.js';
import { event, TestClient } from './helpers.js';

describe('event stream in the application (session cookie, bearer token, policy)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  const bus = new MemoryBus();
  let officerPath: string;
  let otherStationPath: string;

  beforeAll(async () => {
    database = await freshDatabase('pglite');
    await seedDemo(database.db);
    // The application as start.ts builds it, with the bus given from outside.
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, database, db: database.db, bus }, { logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    url = address.replace('http', 'ws') + '/api/v1/stream';
    const [officer] = await database.db.select({ unitId: users.unitId }).from(users).where(eq(users.username, 'officer'));
    const units = await database.db.select({ id: orgUnits.id, path: orgUnits.path, kind: orgUnits.kind }).from(orgUnits);
    officerPath = units.find((u) => u.id === officer.unitId)!.path;
    otherStationPath = units.find((u) => u.kind === 'station' && u.path !== officerPath)!.path;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await bus.close();
  });

  const login = async (username: string) => (await signInHeaders(app, username)).cookie;

  it('lists the route with its policy in the route table', () => {
    const r = app.routeTable.find((x) => x.url === '/api/v1/stream' && x.method === 'GET');
    expect(r?.policy).toEqual({ roles: 'any', tokenScopes: ['stream:read'] });
  });

  it('answers 401 before upgrading without a session, and 403 to a token without stream:read', async () => {
    await expect(TestClient.open(url)).rejects.toMatchObject({ statusCode: 401 });
    await expect(TestClient.open(url, { cookie: 'sw_session=not-a-session' })).rejects.toMatchObject({ statusCode: 401 });
    const admin = await login('admin');
    const mk = async (scopes: string[]) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name: `t-${scopes.join('-')}`, scopes, unitId: 'MO' }, headers: { cookie: admin, origin: ORIGIN } });
      expect(res.statusCode).toBe(201);
      return res.json().token as string;
    };
    const roadsOnly = await mk(['roads:read']);
    await expect(TestClient.open(url, { authorization: `Bearer ${roadsOnly}` })).rejects.toMatchObject({ statusCode: 403 });
    const streamToken = await mk(['stream:read']);
    const c = await TestClient.open(url, { authorization: `Bearer ${streamToken}` });
    await c.waitFor((x) => x.messages.length >= 1);
    expect(c.messages[0].type).toBe('hello');
    await c.close();
  });

  it('streams to a signed-in station officer only the events of their station', async () => {
    const cookie = await login('officer');
    const c = await TestClient.open(url, { cookie });
    await c.waitFor((x) => x.messages.length >= 1);
    await bus.publish(event('incident', otherStationPath, 'elsewhere'));
    await bus.publish(event('incident', officerPath, 'mine'));
    await bus.publish(event('alert', null, 'all'));
    await c.waitFor((x) => x.events().length >= 2);
    expect(c.events().map((m) => m.key)).toEqual(['mine', 'all']);
    await c.close();
  });
});
