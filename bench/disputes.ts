/**
 * `npm run bench:disputes`: the dispute register at the scale of a city's ten years (issue 12 "Speed").
 *  - 300,000 disputes registered over 10 years across the demo stations, at places along the demo roads
 *    (each with two parties and its referral), and the incidents of the same 10 years (90 a day), are
 *    bulk-loaded into a fresh temporary PostgreSQL database (DATABASE_URL's server, else
 *    postgres://postgres@127.0.0.1:5432), dropped afterwards. The demo map is repeated --spread (6) times
 *    per side, ~1,200 km² of streets: a city with 30,000 disputes a year is that large (in the demo's
 *    30 km² alone every point would have ~18 live disputes within 100 m; --spread 1 measures that);
 *  - the station register exactly as GET /api/v1/disputes runs it (reads.ts listDisputes with the demo
 *    chief's principal, limit 50): default order (open first, by risk and age), filtered by status, by
 *    risk grade, by type, by period, and page 2. p50/p95/p99 over --runs (500) each; target p99 ≤ 50 ms;
 *  - the regrade after a new incident at an open dispute's address (half of them from a party's phone):
 *    DisputeWatch.handle as the outbox calls it (every touched dispute in its own write), and regradeIn
 *    of one dispute; target p99 ≤ 20 ms.
 * Then the same on PGlite with fewer disputes (--pglite-disputes, default 100,000; incidents scaled
 * alike), for the record (--no-pglite skips it). --database-url reuses a database an earlier run loaded. The machine's load average is printed beside every figure.
 * Prints `RESULT disputes …`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { count, eq } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database, type Db } from '../src/db/client.js';
import { buildApp } from '../src/server/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { orgUnits, users } from '../src/db/schema.js';
import { userPrincipal } from '../src/modules/auth/service.js';
import { incidents, type IncidentRow } from '../src/modules/incidents/index.js';
import type { DisputeDeps } from '../src/modules/disputes/index.js';
import { disputes } from '../src/modules/disputes/schema.js';
import { listDisputes, type ListQuery } from '../src/modules/disputes/reads.js';
import { DisputeWatch } from '../src/modules/disputes/watch.js';
import { regradeIn } from '../src/modules/disputes/register.js';
import { mulberry32 } from '../src/core/random.js';
import { loadBenchCity, loadDisputes, reuseLoaded, type OpenDispute } from './disputes-data.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const N_PG = Number(arg('disputes', '300000'));
const N_PGLITE = Number(arg('pglite-disputes', '100000'));
const RUNS = Number(arg('runs', '500'));
/** The demo map repeated spread × spread (disputes-data.ts): the density of a real city's ten years. */
const SPREAD = Number(arg('spread', '6'));
const SKIP_PGLITE = process.argv.includes('--no-pglite');
/** A database loaded by an earlier run (kept, not dropped): for trying an index without reloading. */
const REUSE = arg('database-url', '');
const PG_ADMIN = process.env.DATABASE_URL || process.env.SHOUWANG_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REGISTER_TARGET_MS = 50;
const REGRADE_TARGET_MS = 20;

const log = (m: string) => process.stderr.write(`[bench:disputes] ${m}\n`);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => x.toFixed(1);

interface Figures {
  p50: number;
  p95: number;
  p99: number;
}

async function timed(runs: number, fn: (i: number) => Promise<unknown>): Promise<Figures> {
  for (let i = 0; i < Math.min(20, runs); i++) await fn(i); // warm-up: plans, caches
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn(i);
    t.push(performance.now() - t0);
  }
  return { p50: pct(t, 50), p95: pct(t, 95), p99: pct(t, 99) };
}

function line(driver: string, what: string, f: Figures, extra = '') {
  console.log(`${driver.padEnd(8)} ${what.padEnd(44)} p50 ${ms(f.p50).padStart(6)} ms  p95 ${ms(f.p95).padStart(6)} ms  p99 ${ms(f.p99).padStart(6)} ms${extra}  (load avg ${load()})`);
}

async function principalOf(db: Db, username: string) {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, u!.unitId));
  return userPrincipal(u!, unit!);
}

async function runOn(driver: 'postgres' | 'pglite', database: Database, n: number) {
  const db = database.db;
  await database.migrate();
  await seedDemo(db);
  const t0 = performance.now();
  const loaded = (await reuseLoaded(db, n)) ?? (await loadDisputes(db, loadBenchCity(), n, (m) => log(`${driver}: ${m}`), SPREAD));
  log(`${driver}: ${n.toLocaleString('en')} disputes, ${loaded.incidents.toLocaleString('en')} incidents ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  // The register of the first station's chief: the busiest station of the demo city.
  const chief = await principalOf(db, 'chief');
  const [{ n: atStation } = { n: 0 }] = await db.select({ n: count() }).from(disputes).where(eq(disputes.stationId, chief.unitId));
  console.log(`${driver.padEnd(8)} ${n.toLocaleString('en')} disputes over 10 years on the demo map ×${SPREAD}², ${loaded.open.toLocaleString('en')} open; the chief's station ${chief.unitId} holds ${atStation.toLocaleString('en')}; ${loaded.incidents.toLocaleString('en')} incidents  (load avg ${load()})`);
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString();
  const queries: [string, Omit<ListQuery, 'limit' | 'offset'>, number][] = [
    ['register: default (open first, risk, age)', {}, 0],
    ['register: status referred+in_mediation', { status: ['referred', 'in_mediation'] }, 0],
    ['register: riskGrade red+orange', { riskGrade: ['red', 'orange'] }, 0],
    ['register: type family', { type: ['family'] }, 0],
    ['register: from a year ago', { from: yearAgo }, 0],
    ['register: page 2', {}, 50],
  ];
  const register: Record<string, Figures> = {};
  for (const [name, q, offset] of queries) {
    const f = await timed(RUNS, () => listDisputes(db, chief, { ...q, limit: 50, offset }));
    register[name] = f;
    line(driver, name, f);
  }

  // The regrade: what the outbox runs after a new incident's commit.
  const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, database, db, publish: () => {} }, { logger: false });
  await app.ready();
  const deps = app.kernel.api<DisputeDeps>('disputes');
  const watch = new DisputeWatch(deps);
  const rand = mulberry32(12);
  const pickOpen = () => loaded.openSample[Math.floor(rand() * loaded.openSample.length)]!;
  let touched = 0;
  let seq = 0;
  const newIncident = async (d: OpenDispute): Promise<IncidentRow> => {
    const now = new Date();
    const [row] = await db
      .insert(incidents)
      .values({
        id: `bench-new-${process.pid}-${seq}`,
        number: `BN${process.pid}-${seq++}`,
        source: 'call110',
        categoryCode: '05010103',
        categoryFamily: '05',
        priority: 'P3',
        suggestedPriority: 'P3',
        callerPhone: rand() < 0.5 ? d.phone : `6${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`,
        lon: d.lon + (rand() - 0.5) * 0.0002,
        lat: d.lat + (rand() - 0.5) * 0.0002,
        description: '邻居又在吵闹',
        stationId: d.stationId,
        status: 'new',
        createdBy: 'bench',
        recordedAt: now,
      })
      .returning();
    return row!;
  };
  const rows: IncidentRow[] = [];
  for (let i = 0; i < RUNS + 20; i++) rows.push(await newIncident(pickOpen()));
  const handle = await timed(RUNS, async (i) => (touched += await watch.handle(rows[i % rows.length]!)));
  line(driver, 'regrade: DisputeWatch.handle (new incident)', handle, `  (${(touched / (RUNS + 20)).toFixed(1)} disputes touched on average)`);
  const one = await timed(RUNS, async () => {
    const d = pickOpen();
    await deps.writes.run(async (w) => {
      const [row] = await w.tx.select().from(disputes).where(eq(disputes.id, d.id)).for('update');
      if (row) await regradeIn(w, deps, row);
    });
  });
  line(driver, 'regrade: regradeIn of one dispute (own write)', one);
  await app.close();
  return { register, handle, one };
}

async function main() {
  console.log(`dispute register at 10 years of a city; ${RUNS} runs per figure; ${os.cpus().length} cores`);
  const out: Record<string, Awaited<ReturnType<typeof runOn>> | null> = { postgres: null, pglite: null };
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  let dbName: string | null = null;
  try {
    const u = new URL(PG_ADMIN);
    if (!REUSE) {
      await admin.connect();
      dbName = `sw_bench_disputes_${process.pid}`;
      await admin.query(`create database ${dbName}`);
      u.pathname = `/${dbName}`;
    }
    const database = await openDatabase({ databaseUrl: REUSE || u.toString(), poolSize: 5 });
    try {
      out.postgres = await runOn('postgres', database, N_PG);
    } finally {
      await database.close();
    }
  } catch (e) {
    console.log(`postgres: skipped or failed (${(e as Error).message}) — start PostgreSQL or set DATABASE_URL`);
  } finally {
    if (dbName) await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
  }
  if (!SKIP_PGLITE) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-disputes-'));
    const database = await openDatabase({ dataDir: dir });
    try {
      out.pglite = await runOn('pglite', database, N_PGLITE);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const worst = (r: Awaited<ReturnType<typeof runOn>> | null) => (r ? Math.max(...Object.values(r.register).map((f) => f.p99)) : NaN);
  const pgRegister = worst(out.postgres);
  const pgRegrade = out.postgres?.handle.p99 ?? NaN;
  const met = pgRegister <= REGISTER_TARGET_MS && pgRegrade <= REGRADE_TARGET_MS;
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  console.log(
    `RESULT disputes spread=${SPREAD} pg_n=${N_PG} pg_register_p99_ms=${f(pgRegister)} pg_regrade_p99_ms=${f(pgRegrade)} pg_regrade_one_p99_ms=${f(out.postgres?.one.p99 ?? NaN)} pglite_n=${SKIP_PGLITE ? 0 : N_PGLITE} pglite_register_p99_ms=${f(worst(out.pglite))} pglite_regrade_p99_ms=${f(out.pglite?.handle.p99 ?? NaN)} targets=${out.postgres ? (met ? 'met' : 'missed') : 'n/a'} load=${os.loadavg()[0]!.toFixed(2)}`,
  );
}

await main();
