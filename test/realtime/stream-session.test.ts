/**
 * An open stream follows its credentials: the socket is closed with 4401 when the session is signed out,
 * ended elsewhere (another instance, a password or role change), idle too long, or when the token is
 * revoked — at once for what happens on this instance, otherwise at the next heartbeat (shortened here
 * with config.streamHeartbeatMs). A live session stays connected across heartbeats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/config.js';
import { seedDemo } from '../../src/demo/seed.js';
import { apiTokens, sessions } from '../../src/db/schema.js';
import { sha256 } from '../../src/modules/auth/service.js';
import { MemoryBus } from '../../src/modules/realtime/memory-bus.js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { ORIGIN, signInHeaders } from '../helpers/app.js';

interface OpenStream {
  ws: WebSocket;
  pings: number;
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves after the socket has received `n` pings in all. */
  pinged(n: number): Promise<void>;
}

function openStream(url: string, headers: Record<string, string>): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const waiters: { n: number; resolve: () => void }[] = [];
    const s: OpenStream = {
      ws,
      pings: 0,
      closed: new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() }))),
      pinged: (n) => (s.pings >= n ? Promise.resolve() : new Promise((r) => waiters.push({ n, resolve: r }))),
    };
    ws.on('ping', () => {
      s.pings++;
      for (const w of waiters.splice(0)) if (s.pings >= w.n) w.resolve();
      else waiters.push(w);
    });
    ws.once('message', () => resolve(s)); // the hello
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode }));
    });
    ws.once('error', reject);
  });
}

describe.each(testDrivers())('the stream closes when its credentials end (%s)', (driver) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let url: string;
  const bus = new MemoryBus();

  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedDemo(database.db);
    app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent', streamHeartbeatMs: 100 }, database, db: database.db, bus }, { logger: false });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    url = address.replace('http', 'ws') + '/api/v1/stream';
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await bus.close();
  });

  const login = async (username: string) => (await signInHeaders(app, username)).cookie;
  const sessionIdOf = (cookie: string) => sha256(cookie.slice('sw_session='.length));
  const token = async (name: string) => {
    const admin = await login('admin');
    const res = await app.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name, scopes: ['stream:read'], unitId: 'MO' }, headers: { cookie: admin, origin: ORIGIN } });
    expect(res.statusCode, res.body).toBe(201);
    return { token: res.json().token as string, id: res.json().item.id as string, admin };
  };

  it('stays open across heartbeats while the session lives', async () => {
    const cookie = await login('dispatcher');
    const s = await openStream(url, { cookie });
    await s.pinged(3); // three heartbeats, each re-checking the session
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    // The heartbeat is not activity, and did not end the session either.
    expect((await app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    s.ws.close();
    await s.closed;
  });

  it('sign-out closes the socket with 4401', async () => {
    const cookie = await login('dispatcher');
    const s = await openStream(url, { cookie });
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, origin: ORIGIN } });
    expect(out.statusCode).toBe(204);
    expect(await s.closed).toEqual({ code: 4401, reason: 'session_ended' });
    // And the same cookie cannot open a new one.
    await expect(openStream(url, { cookie })).rejects.toMatchObject({ statusCode: 401 });
  });

  it('a session ended elsewhere (another instance) closes the socket at the next heartbeat', async () => {
    const cookie = await login('officer');
    const other = await login('officer'); // a second session of the same user stays connected
    const s = await openStream(url, { cookie });
    const keep = await openStream(url, { cookie: other });
    await database.db.update(sessions).set({ endedAt: new Date() }).where(eq(sessions.id, sessionIdOf(cookie)));
    expect(await s.closed).toEqual({ code: 4401, reason: 'session_ended' });
    await keep.pinged(keep.pings + 2);
    expect(keep.ws.readyState).toBe(WebSocket.OPEN);
    keep.ws.close();
    await keep.closed;
  });

  it('an idle session expires and closes the socket; the session is ended for good', async () => {
    const cookie = await login('chief');
    const s = await openStream(url, { cookie });
    // 31 minutes without a request (the default idle end is 30 min).
    await database.db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) }).where(eq(sessions.id, sessionIdOf(cookie)));
    expect(await s.closed).toEqual({ code: 4401, reason: 'session_expired' });
    const [row] = await database.db.select().from(sessions).where(eq(sessions.id, sessionIdOf(cookie)));
    expect(row.endedAt).not.toBeNull();
  });

  it('changing the password ends the other sessions and closes their sockets', async () => {
    const cookie = await login('analyst');
    const s = await openStream(url, { cookie });
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword: 'shouwang-demo', newPassword: 'shouwang-demo-2' }, headers: { cookie, origin: ORIGIN } });
    expect(res.statusCode, res.body).toBe(204);
    expect(await s.closed).toEqual({ code: 4401, reason: 'session_ended' });
  });

  it('revoking a token closes the socket opened with it', async () => {
    const t = await token('console-wall');
    const s = await openStream(url, { authorization: `Bearer ${t.token}` });
    const res = await app.inject({ method: 'POST', url: `/api/v1/tokens/${t.id}/revoke`, headers: { cookie: t.admin, origin: ORIGIN } });
    expect(res.statusCode).toBe(204);
    expect(await s.closed).toEqual({ code: 4401, reason: 'token_revoked' });
    await expect(openStream(url, { authorization: `Bearer ${t.token}` })).rejects.toMatchObject({ statusCode: 401 });
  });

  it('a token revoked elsewhere (another instance) closes the socket at the next heartbeat', async () => {
    const t = await token('gateway-b');
    const s = await openStream(url, { authorization: `Bearer ${t.token}` });
    await database.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, t.id));
    expect(await s.closed).toEqual({ code: 4401, reason: 'token_revoked' });
  });
});
