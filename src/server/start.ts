/**
 * Starting the server: open the database, migrate, seed the demo city on first start (demo mode),
 * load the road network, listen. Used by `shouwang start` and by the browser tests.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { buildApp } from './app.js';
import { isDatabaseEmpty, isDemoCity, seedDemo } from '../modules/demo/seed.js';
import { seedDemoHistory } from '../modules/demo/history.js';
import { seedDemoUnits } from '../modules/dispatch/demo-units.js';
import { startAvlMqtt } from '../modules/dispatch/mqtt.js';
import { simulatorSettingsFromEnv, startInProcessSimulator } from '../modules/simulator/in-process.js';
import { loadRoadService } from '../modules/roads/service.js';
import { createAddressService } from '../modules/addresses/service.js';
import { createEventBus } from '../modules/realtime/index.js';
import { ensureRootUnit, hasAdministrator } from '../modules/users/bootstrap.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  database: Database;
  config: Config;
  close(): Promise<void>;
}

export async function startServer(overrides: Partial<Config> = {}, log: (msg: string) => void = () => {}): Promise<RunningServer> {
  const config = { ...loadConfig(), ...overrides };
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  log(`database: ${database.driver} (${database.location})`);
  await database.migrate();
  if (await isDatabaseEmpty(database.db)) {
    if (config.demo) {
      log('empty database: creating the demo city (Macau) — demo mode');
      const r = await seedDemo(database.db);
      log(`demo city ready: ${r.units} units, ${r.users} accounts (password shouwang-demo)`);
    } else {
      await ensureRootUnit(database.db);
    }
  }
  if (!(await hasAdministrator(database.db))) {
    log('No administrator exists yet. Create the first one on the command line:');
    log('  npx shouwang user create --username <name> --display-name <name> --roles admin');
  }
  if (config.demo && (await isDemoCity(database.db))) await seedDemoUnits(database.db); // idempotent; extends the roster
  const roads = await loadRoadService({ dataDir: config.dataDir, source: config.roadsFile, log });
  const addresses = await createAddressService(database.db, { demo: config.demo });
  log(`standard addresses: ${addresses.size}`);
  const bus = await createEventBus({ natsUrl: process.env.NATS_URL || undefined, log });
  const app = await buildApp({ config, database, db: database.db, roads, addresses, bus }, { logger: overrides.logLevel === 'silent' ? false : { level: config.logLevel } });
  const address = await app.listen({ port: config.port, host: config.host });
  app.ctx.dispatch?.start(app.log);
  let stopMqtt: (() => Promise<void>) | undefined;
  if (process.env.MQTT_URL && app.ctx.dispatch) stopMqtt = await startAvlMqtt({ url: process.env.MQTT_URL, service: app.ctx.dispatch, log: app.log });
  // Demo mode brings the city to life; never under the test runner, whose tests need a still city.
  const simSettings = simulatorSettingsFromEnv();
  let simulator: { stop(): void } | undefined;
  if (config.demo && simSettings.enabled && !process.env.VITEST && app.ctx.dispatch && roads && (await isDemoCity(database.db))) {
    simulator = startInProcessSimulator({ dispatch: app.ctx.dispatch, roads, db: database.db, log, rate: simSettings.rate, speed: simSettings.speed });
    log(`simulator: calls at ×${simSettings.rate} the demo city's daily rhythm (SHOUWANG_SIMULATOR=0 to stop it)`);
  }
  if (config.demo && process.env.SHOUWANG_DEMO_HISTORY !== '0' && (await isDemoCity(database.db))) {
    // A year of past incidents takes a few seconds to write: the sign-in page is already up meanwhile.
    void seedDemoHistory(database.db, {
      progress: (_s, done, total) => {
        if (done === total || done % 10_000 < 500) log(`demo history: ${done}/${total} incidents`);
      },
    }).catch((err) => log(`demo history failed: ${err instanceof Error ? err.message : err}`));
  }
  const port = new URL(address).port;
  const url = `http://localhost:${port}`;
  return {
    url,
    app,
    database,
    config,
    close: async () => {
      simulator?.stop();
      await stopMqtt?.();
      await app.close();
      await bus.close();
      await database.close();
    },
  };
}
