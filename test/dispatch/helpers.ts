/** A seeded app with demo units on duty; the dispatch service and the published events are exposed. */
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Driver } from '../../src/db/client.js';
import type { BusEvent } from '../../src/modules/realtime/types.js';
import type { DispatchConfig, DispatchService } from '../../src/modules/dispatch/service.js';
import { createTestApp } from '../helpers/app.js';
import type { TestDatabase } from '../helpers/db.js';

export interface DispatchTestApp {
  app: FastifyInstance;
  database: TestDatabase;
  dispatch: DispatchService;
  events: BusEvent[];
  login(username: string, password?: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function createDispatchApp(driver: Driver, config: Partial<DispatchConfig> = {}): Promise<DispatchTestApp> {
  const t = await createTestApp(driver, { dispatch: true, dispatchConfig: config });
  return { app: t.app, database: t.database, dispatch: t.app.ctx.dispatch!, events: t.events, login: t.login, close: t.close };
}

/** The MQTT broker of the tests (Mosquitto on this machine). */
export const MQTT_TEST_URL = process.env.MQTT_TEST_URL ?? 'mqtt://127.0.0.1:1883';

/** Whether something listens at the broker's address (1 s). */
export function mqttReachable(url = MQTT_TEST_URL): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 1883) });
    s.setTimeout(1000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}
