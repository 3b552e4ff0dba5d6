/**
 * Starting the server: open the database, migrate, seed the demo city on first start (demo mode),
 * load the road network, listen. Used by `shouwang start` and by the browser tests.
 */
import { Batcher } from '../core/batcher.js';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { buildApp } from './app.js';
import { startModules } from '../kernel/compose.js';
import { isDatabaseEmpty, isDemoCity, seedDemo } from '../demo/index.js';
import { seedDemoHistory } from '../demo/index.js';
import { seedDemoUnits } from '../demo/units.js';
import { seedDemoCitizen } from '../demo/citizen.js';
import { seedDemoCitizenMore } from '../demo/citizen-more.js';
import type { CitizenDeps } from '../modules/citizen/index.js';
import { startAvlMqtt } from '../modules/dispatch/mqtt.js';
import { simulatorSettingsFromEnv, startInProcessSimulator } from '../demo/simulator/index.js';
import { loadRoadService } from '../modules/roads/service.js';
import { createAddressService } from '../modules/addresses/index.js';
import { createDemoAddressService } from '../demo/addresses.js';
import { createEventBus } from '../modules/realtime/index.js';
import { underStartupLock } from '../demo/index.js';
import { ensureRootUnit, hasAdministrator } from '../modules/users/bootstrap.js';
import type { IncidentsApi } from '../modules/incidents/index.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  database: Database;
  config: Config;
  /**
   * The demo history written in the background: resolves with the incidents this instance inserted (0 when
   * there was nothing to do, it is off, or another instance writes it). Never rejects.
   */
  demoHistory: Promise<number>;
  close(): Promise<void>;
}

export async function startServer(overrides: Partial<Config> = {}, log: (msg: string) => void = () => {}): Promise<RunningServer> {
  const config = { ...loadConfig(), ...overrides };
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  log(`database: ${database.driver} (${database.location})`);
  await database.migrate();
  // Several instances may start at once against one empty PostgreSQL database: the first creates the
  // demo city, its units and addresses while the others wait, then find them there.
  const addresses = await underStartupLock(database, async () => {
    if (await isDatabaseEmpty(database.db)) {
      if (config.demo) {
        log('empty database: creating the demo city (Macau) — demo mode');
        const r = await seedDemo(database.db);
        if (r.units) log(`demo city ready: ${r.units} units, ${r.users} accounts (password shouwang-demo)`);
      } else {
        await ensureRootUnit(database.db);
      }
    }
    if (!(await hasAdministrator(database.db))) {
      log('No administrator exists yet. Create the first one on the command line:');
      log('  npx shouwang user create --username <name> --display-name <name> --roles admin');
    }
    if (config.demo && (await isDemoCity(database.db))) await seedDemoUnits(database.db); // idempotent; extends the roster
    // Demo mode: the demo city's registry (inserted on first start) and its roads' other names.
    return config.demo ? createDemoAddressService(database.db) : createAddressService(database.db);
  });
  log(`standard addresses: ${addresses.size}`);
  const roads = await loadRoadService({ dataDir: config.dataDir, source: config.roadsFile, log });
  const bus = await createEventBus({ natsUrl: config.natsUrl, streamName: config.natsStream, subjectPrefix: config.natsSubjectPrefix, log });
  const app = await buildApp({ config, database, db: database.db, roads, addresses, bus }, { logger: overrides.logLevel === 'silent' ? false : { level: config.logLevel } });
  const address = await app.listen({ port: config.port, host: config.host });
  app.ctx.dispatch?.start(app.log);
  // The modules' timers (case warnings, dispute regrades): only a listening server runs them, never a test app.
  await startModules(app.kernel);
  // The citizen portal's demo reports and local Open311 key (demo city only; once per database).
  if (config.demo && (await isDemoCity(database.db))) await seedDemoCitizen(app.kernel.api<CitizenDeps>('citizen'), database.db)
      .then(() => seedDemoCitizenMore(app.kernel.api<CitizenDeps>('citizen'), database.db))
      .catch((err: unknown) => log(`citizen demo: ${String(err)}`));
  let stopMqtt: (() => Promise<void>) | undefined;
  if (config.mqttUrl && app.ctx.dispatch) {
    // With a shared bus each position needs to reach one instance only (the others learn it from the
    // bus); with the in-process bus this is the only instance and a plain subscription is the same.
    const shareGroup = bus.kind === 'nats' && config.mqttShareGroup ? config.mqttShareGroup : undefined;
    stopMqtt = await startAvlMqtt({ url: config.mqttUrl, service: app.ctx.dispatch, log: app.log, shareGroup });
  }
  // Demo mode brings the city to life; never under the test runner, whose tests need a still city.
  const simSettings = simulatorSettingsFromEnv();
  let simulator: { stop(): void } | undefined;
  if (config.demo && simSettings.enabled && !process.env.VITEST && app.ctx.dispatch && roads && (await isDemoCity(database.db))) {
    simulator = startInProcessSimulator({ dispatch: app.ctx.dispatch, incidents: app.kernel.api<IncidentsApi>('incidents').incidents, roads, db: database.db, log, rate: simSettings.rate, speed: simSettings.speed });
    log(`simulator: calls at ×${simSettings.rate} the demo city's daily rhythm (SHOUWANG_SIMULATOR=0 to stop it)`);
  }
  const stopHistory = new AbortController();
  let demoHistory: Promise<number> = Promise.resolve(0);
  if (config.demo && config.demoHistory && (await isDemoCity(database.db))) {
    // A year of past incidents takes a few seconds to write: the sign-in page is already up meanwhile.
    // Written once across instances (see seedDemoHistory); a stopped run is resumed at the next start.
    demoHistory = seedDemoHistory(database.db, {
      days: config.demoHistoryDays,
      singleProcess: database.driver === 'pglite',
      signal: stopHistory.signal,
      log,
      progress: (_s, done, total) => {
        if (done === total || done % 10_000 < 500) log(`demo history: ${done}/${total} incidents`);
      },
    }).catch((err: unknown) => {
      log(`demo history failed: ${err instanceof Error ? err.message : String(err)}`);
      return 0;
    });
  }
  const port = new URL(address).port;
  const url = `http://localhost:${port}`;
  return {
    url,
    app,
    database,
    config,
    demoHistory,
    close: async () => {
      simulator?.stop();
      stopHistory.abort();
      await demoHistory;
      await stopMqtt?.();
      // Stop taking requests, let those being answered finish and the batched writes land, then close.
      const closed = app.close();
      await app.drained(10_000);
      await Batcher.idle(10_000);
      await closed;
      await bus.close();
      await database.close();
    },
  };
}
