/** A seeded application on a fresh database, driven with inject(), with helpers to sign in. */
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Driver } from '../../src/db/client.js';
import { loadConfig, type Config } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import { seedDemo } from '../../src/demo/seed.js';
import { loadRoadService, type RoadService } from '../../src/modules/roads/service.js';
import { seedDemoUnits } from '../../src/demo/units.js';
import type { DispatchConfig } from '../../src/modules/dispatch/service.js';
import type { BusEvent } from '../../src/modules/realtime/types.js';
import { createDemoAddressService } from '../../src/demo/addresses.js';
import { freshDatabase, type TestDatabase } from './db.js';

export const ORIGIN = 'http://localhost:80';
let roadsPromise: Promise<RoadService> | null = null;

/** The demo road graph, built once per worker into a shared temp folder. */
export function demoRoads(): Promise<RoadService> {
  roadsPromise ??= loadRoadService({ dataDir: path.join(os.tmpdir(), 'shouwang-test-roads') });
  return roadsPromise;
}

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  /** Events published on the (test) bus, in order. */
  events: BusEvent[];
  /** Signs in and returns headers (cookie + same-origin) for later requests. */
  login(username: string, password?: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function createTestApp(driver: Driver, opts: { seed?: boolean; config?: Partial<Config>; roads?: boolean; addresses?: boolean; dispatch?: boolean; dispatchConfig?: Partial<DispatchConfig> } = {}): Promise<TestApp> {
  const database = await freshDatabase(driver, { seeded: opts.seed !== false });
  if (opts.seed !== false && !database.seeded) await seedDemo(database.db);
  const config = { ...loadConfig({}), logLevel: 'silent', ...opts.config };
  const roads = opts.roads === false ? undefined : await demoRoads();
  // The demo address registry (22k rows) only where a test needs it: it costs seconds per database.
  const addresses = opts.addresses ? await createDemoAddressService(database.db) : undefined;
  if (opts.dispatch) await seedDemoUnits(database.db);
  const events: BusEvent[] = [];
  const app = await buildApp({ config, database, db: database.db, roads, addresses, publish: (e) => void events.push(e), dispatchConfig: opts.dispatchConfig }, { logger: false });
  await app.ready();
  if (opts.dispatch) await app.ctx.dispatch?.applyRosterAll();
  return {
    app,
    database,
    config,
    events,
    login: (username, password) => signInHeaders(app, username, password),
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Signs in through the API; the headers of a same-origin request with that session (cookie, Origin). */
export async function signInHeaders(app: FastifyInstance, username: string, password = 'shouwang-demo'): Promise<{ cookie: string; origin: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers: { origin: ORIGIN } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return { cookie: sessionCookie(res), origin: ORIGIN };
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'sw_session');
  if (!c) throw new Error('no session cookie');
  return `sw_session=${c.value}`;
}

/**
 * A citizen signed in with the demo one-time code (headers: the citizen cookie + same origin). Each
 * caller passes its own client address: the code requests are rate-limited per address.
 */
export async function citizenHeaders(app: FastifyInstance, phone: string, remoteAddress = '127.0.0.1'): Promise<{ cookie: string; origin: string }> {
  const otp = await app.inject({ method: 'POST', url: '/api/v1/citizen/otp', headers: { origin: ORIGIN }, payload: { phone }, remoteAddress });
  const s = await app.inject({ method: 'POST', url: '/api/v1/citizen/session', headers: { origin: ORIGIN }, payload: { phone, code: otp.json().demoCode }, remoteAddress });
  return { cookie: `sw_citizen=${s.cookies.find((c) => c.name === 'sw_citizen')!.value}`, origin: ORIGIN };
}
