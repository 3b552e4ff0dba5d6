/**
 * The demo history is written once, whatever the number of writers at once (instances starting together
 * against one database), and a stopped or crashed run is resumed without writing a row twice. On both
 * drivers; the two-start test needs PostgreSQL (several processes share a database only there).
 */
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { count, eq, max, min } from 'drizzle-orm';
import { openDatabase, type Database } from '../../src/db/client.js';
import { orgUnits, settings, users } from '../../src/db/schema.js';
import { incidents } from '../../src/modules/incidents/schema.js';
import { units } from '../../src/modules/dispatch/schema.js';
import { addresses } from '../../src/modules/addresses/schema.js';
import { seedDemo } from '../../src/demo/seed.js';
import { demoAgencies } from '../../src/demo/disputes.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { HISTORY_BATCH, HISTORY_SETTING, seedDemoHistory, type HistoryMarker } from '../../src/demo/history.js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { demoRoads } from '../helpers/app.js';
import type { Db } from '../../src/db/client.js';

const DAYS = 10;
const NOW = new Date('2025-06-15T10:30:00+08:00');

const demoIncidents = async (db: Db) => Number((await db.select({ n: count() }).from(incidents).where(eq(incidents.createdBy, 'demo')))[0].n);
const marker = async (db: Db) => (await db.select().from(settings).where(eq(settings.key, HISTORY_SETTING)))[0]?.value as HistoryMarker | undefined;

describe.each(testDrivers())('demo history written once (%s)', (driver) => {
  let database: TestDatabase;
  let second: Database | undefined;

  beforeAll(async () => {
    database = await freshDatabase(driver);
    await seedDemo(database.db);
    // PostgreSQL: the second writer on its own pool, as another instance would be.
    second = driver === 'postgres' ? await openDatabase({ databaseUrl: database.url!, poolSize: 3 }) : undefined;
  });
  afterAll(async () => {
    await second?.close();
    await database?.close();
  });
  const reset = async () => {
    await database.db.delete(incidents).where(eq(incidents.createdBy, 'demo'));
    await database.db.delete(settings).where(eq(settings.key, HISTORY_SETTING));
  };

  it('two writers at once: one writes it all, the other nothing', async () => {
    await reset();
    const other = (second ?? database).db;
    const [a, b] = await Promise.all([seedDemoHistory(database.db, { now: NOW, days: DAYS }), seedDemoHistory(other, { now: NOW, days: DAYS })]);
    const total = await demoIncidents(database.db);
    expect(total).toBeGreaterThan(HISTORY_BATCH); // more than one batch
    expect([a, b].sort((x, y) => x - y)).toEqual([0, total]);
    expect(await marker(database.db)).toMatchObject({ state: 'done', incidents: total });
    // A later start finds it done.
    expect(await seedDemoHistory(database.db, { now: NOW, days: DAYS })).toBe(0);
    expect(await demoIncidents(database.db)).toBe(total);
  });

  it('a run stopped half-way is resumed by the next start without a row twice', async () => {
    await reset();
    const stop = new AbortController();
    const first = await seedDemoHistory(database.db, { now: NOW, days: DAYS, signal: stop.signal, progress: () => stop.abort() });
    expect(first).toBe(HISTORY_BATCH); // one batch, then stopped
    expect(await marker(database.db)).toMatchObject({ state: 'writing', owner: null, written: HISTORY_BATCH });
    const rest = await seedDemoHistory((second ?? database).db, { now: new Date(), days: DAYS });
    const total = await demoIncidents(database.db);
    expect(first + rest).toBe(total);
    // The same history as written in one go: the stored `now` and days were reused.
    expect(await marker(database.db)).toMatchObject({ state: 'done', incidents: total, now: NOW.toISOString(), days: DAYS });
  });

  it('writes the newest days first, so the recent weeks are there within seconds', async () => {
    await reset();
    const stop = new AbortController();
    await seedDemoHistory(database.db, { now: NOW, days: DAYS, signal: stop.signal, progress: () => stop.abort() });
    const [oldest] = await database.db.select({ at: min(incidents.recordedAt) }).from(incidents).where(eq(incidents.createdBy, 'demo'));
    // The first batch lies within the last days of the span, not at its start.
    expect(NOW.getTime() - new Date(oldest!.at!).getTime()).toBeLessThan(3 * 86_400_000);
    expect(await marker(database.db)).toMatchObject({ order: 'newest_first', written: HISTORY_BATCH });
  });

  it('a run stopped before newest-first existed goes on oldest first, where it stopped', async () => {
    await reset();
    const stop = new AbortController();
    await seedDemoHistory(database.db, { now: NOW, days: DAYS, signal: stop.signal, progress: () => stop.abort() });
    // As the old marker was: no `order`, and the batch it wrote was the oldest day's.
    const m = (await marker(database.db))!;
    delete m.order;
    await database.db.update(settings).set({ value: m }).where(eq(settings.key, HISTORY_SETTING));
    await database.db.delete(incidents).where(eq(incidents.createdBy, 'demo'));
    const rest = await seedDemoHistory(database.db, { now: NOW, days: DAYS, singleProcess: true });
    // The rest of the oldest-first list: everything but its first batch (which the old run had written).
    expect(await demoIncidents(database.db)).toBe(rest);
    const [newest] = await database.db.select({ at: max(incidents.recordedAt) }).from(incidents).where(eq(incidents.createdBy, 'demo'));
    expect(NOW.getTime() - new Date(newest!.at!).getTime()).toBeLessThan(2 * 86_400_000);
    expect(await marker(database.db)).toMatchObject({ state: 'done', incidents: rest + HISTORY_BATCH });
  });

  it('a claim left by a crashed writer is taken over; a live one is left alone', async () => {
    await reset();
    const stop = new AbortController();
    await seedDemoHistory(database.db, { now: NOW, days: DAYS, signal: stop.signal, progress: () => stop.abort() });
    // As if the writer had died without releasing its claim, its last heartbeat just now.
    const crashed = { ...(await marker(database.db))!, owner: 'instance-that-died', heartbeatAt: new Date().toISOString() };
    await database.db.update(settings).set({ value: crashed }).where(eq(settings.key, HISTORY_SETTING));
    if (driver === 'postgres') {
      // Another process may still be writing: fresh heartbeat → left alone; stale → taken over.
      expect(await seedDemoHistory(database.db, { days: DAYS })).toBe(0);
      expect(await demoIncidents(database.db)).toBe(HISTORY_BATCH);
      const rest = await seedDemoHistory(database.db, { days: DAYS, staleAfterMs: 0 });
      expect(await demoIncidents(database.db)).toBe(HISTORY_BATCH + rest);
    } else {
      // PGlite: one process per data folder, so a claim by a writer not running here is a dead one.
      const rest = await seedDemoHistory(database.db, { days: DAYS, singleProcess: true });
      expect(await demoIncidents(database.db)).toBe(HISTORY_BATCH + rest);
    }
    expect(await marker(database.db)).toMatchObject({ state: 'done', incidents: await demoIncidents(database.db) });
  });
});

describe.runIf(Boolean(inject('pgAdminUrl')))('two instances starting at once against one empty PostgreSQL database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('postgres');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('create the demo city, its units and addresses once, and write the history once', async () => {
    await demoRoads(); // the demo graph, built once into the shared folder both servers read
    const { startServer } = await import('../../src/server/start.js');
    const start = () =>
      startServer({
        port: 0,
        host: '127.0.0.1',
        databaseUrl: database.url,
        dataDir: path.join(os.tmpdir(), 'shouwang-test-roads'),
        demo: true,
        demoHistory: true,
        demoHistoryDays: 3,
        natsUrl: undefined,
        mqttUrl: undefined,
        logLevel: 'silent',
      });
    const [a, b] = await Promise.all([start(), start()]);
    try {
      const written = await Promise.all([a.demoHistory, b.demoHistory]);
      const db = a.database.db;
      const total = await demoIncidents(db);
      expect(total).toBeGreaterThan(0);
      expect(written.sort((x, y) => x - y)).toEqual([0, total]);
      expect(await marker(db)).toMatchObject({ state: 'done', incidents: total });
      // The city itself once: one bureau, one account per role, 65 units (15 specialists), each address once.
      expect(Number((await db.select({ n: count() }).from(orgUnits).where(eq(orgUnits.kind, 'bureau')))[0].n)).toBe(1);
      // One account per role (volunteer included), `lawyer`, two mediators for each mediation agency outside the
      // stations' rooms, the six volunteers of each of the five demo volunteer teams (demo/volunteers.ts), and the
      // three community officers owning the first station's other grids (demo/community.ts).
      const agencies = demoAgencies(demoOrganisation()).filter((a) => a.kind !== 'station').length;
      expect(Number((await db.select({ n: count() }).from(users))[0].n)).toBe(10 + 1 + 2 * agencies + 5 * 6 + 3);
      expect(Number((await db.select({ n: count() }).from(units))[0].n)).toBe(65);
      expect(Number((await db.select({ n: count() }).from(addresses))[0].n)).toBeGreaterThan(1000);
      // Both serve.
      for (const s of [a, b]) expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 180_000);
});
