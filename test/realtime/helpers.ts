/** Shared fixtures for the real-time tests: NATS availability, a minimal stream server, a WebSocket client. */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import WebSocket from 'ws';
import { connect } from 'nats';
import { AppError, errorBody } from '../../src/core/errors.js';
import { policyAllows, type Principal } from '../../src/core/access.js';
import streamRoutes, { type StreamRouteOptions } from '../../src/modules/realtime/routes.js';
import realtime from '../../src/modules/realtime/index.js';
import { Catalogues } from '../../src/kernel/kernel.js';
import { permissionPolicy } from '../../src/kernel/compose.js';
import type { ServerMessage } from '../../src/modules/realtime/stream-client.js';
import type { BusEvent, EventType } from '../../src/modules/realtime/types.js';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** True when NATS answers; on CI an unreachable NATS is an error, elsewhere the NATS tests are skipped. */
export async function natsReachable(): Promise<boolean> {
  const u = new URL(NATS_URL.split(',')[0]);
  const ok = await new Promise<boolean>((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 4222) });
    const t = setTimeout(() => {
      s.destroy();
      resolve(false);
    }, 2000);
    s.once('connect', () => {
      clearTimeout(t);
      s.end();
      resolve(true);
    });
    s.once('error', () => {
      clearTimeout(t);
      resolve(false);
    });
  });
  if (!ok) {
    if (process.env.CI) throw new Error(`NATS is required on CI but not reachable at ${NATS_URL}`);
    console.warn(`\n[shouwang tests] NATS not reachable at ${NATS_URL}: the NATS event-bus tests are skipped.\n`);
  }
  return ok;
}

/** A stream name and subject prefix of one's own, so parallel test runs never share events. */
export function uniqueStream(): { streamName: string; subjectPrefix: string } {
  const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
  return { streamName: `SHOUWANG_TEST_${id}`, subjectPrefix: `swtest_${id}` };
}

export async function deleteStream(streamName: string) {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(streamName).catch(() => {});
  } finally {
    await nc.close();
  }
}

export function principal(username: string, unitPath: string, extra: Partial<Principal> = {}): Principal {
  const unitId = unitPath.split('/').filter(Boolean).pop()!;
  return { kind: 'user', id: username, username, displayName: username, roles: ['dispatcher'], unitId, unitPath, unitKind: 'station', scopes: [], ...extra };
}

export const BUREAU = '/MO/';
export const STATION_A = '/MO/MO01/MO0101/';
export const STATION_B = '/MO/MO01/MO0102/';

export const PRINCIPALS: Record<string, Principal> = {
  bureau: principal('bureau', BUREAU, { unitKind: 'bureau' }),
  stationA: principal('stationA', STATION_A),
  stationB: principal('stationB', STATION_B),
  mediator: principal('mediator', STATION_A, { roles: ['mediator'] }),
  badToken: principal('badToken', BUREAU, { kind: 'token', roles: [], scopes: ['roads:read'] }),
};

/**
 * A minimal server carrying only the stream route, with the same onRequest contract as the real app:
 * the principal comes from `Authorization: Bearer <name>` (a name from PRINCIPALS) and the route policy
 * (from the permission the route asks for, via the realtime manifest) is enforced before the upgrade.
 */
export async function streamServer(opts: StreamRouteOptions): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.decorateRequest('principal', null);
  // The route asks for a permission; the realtime manifest's catalogue turns it into a policy, as in app.ts.
  const catalogue = new Catalogues([realtime]);
  app.addHook('onRoute', (r) => {
    if (r.config?.permission && !r.config.policy) r.config = { ...r.config, policy: permissionPolicy(catalogue, r.config.permission) };
  });
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof AppError) return reply.status(err.status).send(errorBody(err, 'en'));
    const e = err as { statusCode?: number; message: string };
    return reply.status(e.statusCode ?? 500).send({ error: { code: 'bad_request', message: e.message } });
  });
  app.addHook('onRequest', async (req) => {
    const m = /^Bearer (\w+)$/.exec(req.headers.authorization ?? '');
    req.principal = m ? (PRINCIPALS[m[1]] ?? null) : null;
    const policy = req.routeOptions.config?.policy;
    if (!policy) return;
    const verdict = policyAllows(policy, req.principal);
    if (verdict === 'unauthenticated') throw new AppError(401, 'unauthenticated');
    if (verdict === 'forbidden') throw new AppError(403, 'forbidden');
  });
  await app.register(websocket);
  await app.register(streamRoutes, { prefix: '/api/v1', ...opts });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: address.replace('http', 'ws') + '/api/v1/stream', close: () => app.close() };
}

/** A console: collects every message; resolves waits on a predicate. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.messages.push(JSON.parse(d.toString()) as ServerMessage);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred()) return true;
        w.resolve();
        return false;
      });
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const c = new TestClient(ws);
      ws.once('open', () => resolve(c));
      ws.once('unexpected-response', (req, res) => {
        req.destroy();
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode }));
      });
      ws.once('error', reject);
    });
  }

  events(type?: EventType): ServerMessage[] {
    return this.messages.filter((m) => (type ? m.type === type : !['hello', 'resync', 'layers', 'error'].includes(m.type)));
  }

  waitFor(pred: (c: TestClient) => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    if (pred(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${this.messages.length} messages`)), timeoutMs);
      this.waiters.push({
        pred: () => pred(this),
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }

  send(msg: unknown) {
    this.ws.send(JSON.stringify(msg));
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

export function event(type: EventType, unitPath: string | null, key: string, data: Record<string, unknown> = {}): BusEvent {
  return { type, unitPath, key, at: new Date().toISOString(), data: { key, ...data } };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `f` until `ok` holds (or throws after `ms`, showing the last value). */
export async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v).slice(0, 500)}`);
    await sleep(25);
  }
}
