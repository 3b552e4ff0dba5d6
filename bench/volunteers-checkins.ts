/**
 * `npm run bench:volunteers`: volunteers' check-ins (issue 13 "Speed": 500 concurrent check-ins per
 * second with p99 ≤ 50 ms) over HTTP.
 *  - A fresh database (a temporary PostgreSQL database on DATABASE_URL's server, else
 *    postgres://postgres@127.0.0.1:5432; PGlite in memory when PostgreSQL is not there), the demo city,
 *    one team and `rate × seconds` volunteers (plus `--warmup` more) signed up for shifts that start in
 *    five minutes (within the check-in grace), each with a session of their own (written directly: no
 *    sign-in per volunteer).
 *  - The server as `npm start` builds it (buildApp, the modules started) in a process of its own
 *    (bench/volunteers-server.ts, PostgreSQL only), so the load generator does not share its event loop;
 *    `--in-process` (and PGlite) keeps server and client in this one process, as the bench first did.
 *  - First `--warmup` (default 1000) check-ins of other volunteers at half the rate (a running server's
 *    code is compiled and its connections open), then the measured run: open-loop at `--rate` per second
 *    (default 500) for `--seconds` (default 5) over keep-alive connections (bench/open-loop.ts), each a
 *    different volunteer's POST /api/v1/shifts/{id}/checkin with an Idempotency-Key, one in ten outside
 *    the area (refused 422, which is work too). Latency from the time each request was DUE (not sent) to
 *    its answer, so falling behind shows: p50, p95, p99, max; target p99 ≤ 50 ms.
 *  - Beside the figures: the load average, the server's CPU ms per check-in and event-loop utilisation,
 *    PostgreSQL's CPU ms per check-in (/proc); `--profile FILE` writes a V8 CPU profile of the server
 *    over the measured run and prints where the time went (bench/cpu-profile.ts).
 * `benchVolunteerCheckins()` is exported for bench:community; run alone it prints `RESULT volunteers …`.
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { eq } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { buildApp } from '../src/server/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { orgUnits, sessions, users } from '../src/db/schema.js';
import { sha256 } from '../src/modules/auth/service.js';
import { volunteerMembers, volunteerShifts, volunteerSignups, volunteerTeams } from '../src/modules/volunteers/schema.js';
import type { VolunteersApi } from '../src/modules/volunteers/index.js';
import { keepAliveAgent, openLoop, type OpenLoopRequest } from './open-loop.js';
import { cpuMsOf } from './proc-cpu.js';
import { formatSummary, summarise } from './cpu-profile.js';
import type { PhaseFigures, ServerMessage } from './volunteers-server.js';

export interface CheckinBenchOptions {
  rate?: number;
  seconds?: number;
  /** Check-ins of other volunteers before the measured run, at half the rate. */
  warmup?: number;
  /** PostgreSQL admin URL; empty: PGlite (in-process). */
  pgAdminUrl?: string;
  log?: (m: string) => void;
  /** The peer: every check-in through the ordinary kernel write (the batched path of checkins.ts turned off). */
  ordinary?: boolean;
  /** Server and load generator in this one process (the first way of this bench). */
  inProcess?: boolean;
  /** Keep-alive connections of the load generator. */
  connections?: number;
  /** Write a CPU profile of the server over the measured run here, and print its summary. */
  profile?: string;
  /** The server's request log level (separate process only): `npm start` logs at info. */
  serverLog?: string;
}

export interface CheckinBenchResult {
  driver: 'postgres' | 'pglite';
  mode: 'process' | 'in-process';
  rate: number;
  seconds: number;
  requests: number;
  ok: number;
  refused: number;
  errors: number;
  achievedPerS: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Server CPU ms per check-in over the measured run (in-process: the whole process, client too). */
  serverCpuMs: number;
  serverElu: number;
  /** PostgreSQL's CPU ms per check-in (all its processes; NaN off Linux or on PGlite). */
  dbCpuMs: number;
  targetMet: boolean;
}

const TARGET_P99_MS = 50;
const PER_SHIFT = 500;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const load = () => os.loadavg()[0]!.toFixed(2);

async function withDatabase<T>(adminUrl: string, log: (m: string) => void, fn: (driver: 'postgres' | 'pglite', d: Database, url: string) => Promise<T>): Promise<T> {
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    try {
      await admin.connect();
    } catch (e) {
      log(`PostgreSQL not reachable (${(e as Error).message}): PGlite instead`);
      return withDatabase('', log, fn);
    }
    const name = `sw_bench_volunteers_${process.pid}`;
    await admin.query(`create database ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const d = await openDatabase({ databaseUrl: u.toString(), poolSize: 4 });
    try {
      await d.migrate();
      return await fn('postgres', d, u.toString());
    } finally {
      await d.close();
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end().catch(() => {});
    }
  }
  const d = await openDatabase({});
  try {
    await d.migrate();
    return await fn('pglite', d, '');
  } finally {
    await d.close();
  }
}

interface Person {
  cookie: string;
  shiftId: string;
}

/** The demo city, one team, shifts of PER_SHIFT starting in five minutes and `n` volunteers signed up with sessions. */
async function setUp(database: Database, driver: string, counts: { measured: number; warmup: number }, area: object, log: (m: string) => void) {
  const { db } = database;
  await seedDemo(db);
  const [station] = await db.select().from(orgUnits).where(eq(orgUnits.kind, 'station')).limit(1);
  const teamId = `VT-BENCH-${process.pid}`;
  await db.insert(volunteerTeams).values({ id: teamId, stationId: station!.id, name: '压测义警队', createdBy: 'bench' });
  const startsAt = new Date(Date.now() + 5 * 60_000);
  const endsAt = new Date(startsAt.getTime() + 3 * 3_600_000);
  const [anyHash] = await db.select({ h: users.passwordHash }).from(users).limit(1);
  const groups: Person[][] = [];
  for (const [label, n] of [['M', counts.measured], ['W', counts.warmup]] as const) {
    const shiftIds = Array.from({ length: Math.ceil(n / PER_SHIFT) }, (_, i) => `VS-BENCH-${label}${i}`);
    if (shiftIds.length) await db.insert(volunteerShifts).values(shiftIds.map((id) => ({ id, teamId, stationId: station!.id, title: '压测班次', startsAt, endsAt, area, minPeople: 1, maxPeople: PER_SHIFT, signupOpensHours: 72, taken: PER_SHIFT, confirmed: PER_SHIFT, createdBy: 'bench' })));
    log(`${driver}: writing ${n} volunteers (${label === 'M' ? 'measured' : 'warm-up'}) with their sign-ups and sessions…`);
    const people: Person[] = [];
    for (let from = 0; from < n; from += 1000) {
      const batch = Array.from({ length: Math.min(1000, n - from) }, (_, k) => {
        const i = from + k;
        return { id: randomUUID(), i, cookie: randomBytes(32).toString('base64url'), shiftId: shiftIds[Math.floor(i / PER_SHIFT)]! };
      });
      await db.insert(users).values(batch.map((b) => ({ id: b.id, username: `bench-vol-${label}${b.i}`, displayName: `义警 ${b.i}`, passwordHash: anyHash!.h, roles: ['volunteer'], unitId: station!.id })));
      await db.insert(volunteerMembers).values(batch.map((b) => ({ teamId, userId: b.id })));
      await db.insert(volunteerSignups).values(batch.map((b) => ({ id: randomUUID(), shiftId: b.shiftId, userId: b.id, status: 'confirmed' })));
      await db.insert(sessions).values(batch.map((b) => ({ id: sha256(b.cookie), userId: b.id, clientIp: '127.0.0.1', userAgent: 'bench' })));
      for (const b of batch) people.push({ cookie: b.cookie, shiftId: b.shiftId });
    }
    groups.push(people);
  }
  log(`${driver}: ${counts.measured + counts.warmup} volunteers written (load avg ${load()})`);
  return { measured: groups[0]!, warmup: groups[1]! };
}

interface ServerHandle {
  base: string;
  begin(profile?: string): Promise<void>;
  end(): Promise<PhaseFigures>;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** The server in a child process (bench/volunteers-server.ts), spoken to over IPC. */
async function childServer(databaseUrl: string, opts: CheckinBenchOptions): Promise<ServerHandle> {
  const child = fork(path.join(here, '../bin/run-ts.mjs'), [path.join(here, 'volunteers-server.ts')], {
    env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_ORDINARY: opts.ordinary ? '1' : '0', LOG_LEVEL: opts.serverLog ?? 'silent' },
    stdio: ['ignore', opts.serverLog && opts.serverLog !== 'silent' ? fs.openSync(os.devNull, 'w') : 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMsg = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        child.off('message', onMsg);
        child.off('exit', onExit);
        resolve(m[key] as T);
      };
      const onExit = (code: number | null) => reject(new Error(`the bench server exited (${code}) before answering ${key}`));
      child.on('message', onMsg);
      child.once('exit', onExit);
    });
  const say = (m: ServerMessage) => child.send(m);
  const base = await next<string>('url');
  return {
    base,
    begin: async (profile) => {
      const begun = next('begun');
      say({ cmd: 'begin', profile });
      await begun;
    },
    end: async () => {
      const figures = next<PhaseFigures>('figures');
      say({ cmd: 'end' });
      return figures;
    },
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      say({ cmd: 'stop' });
      await exited;
    },
  };
}

/** The server in this process (the first way of this bench): CPU figures then include the client. */
async function inProcessServer(database: Database, opts: CheckinBenchOptions): Promise<ServerHandle> {
  const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, database, db: database.db }, { logger: false });
  if (opts.ordinary) app.kernel.api<VolunteersApi>('volunteers').service.checkins.checkIn = () => Promise.resolve(null);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  let mark: { cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization>; t: number } | undefined;
  return {
    base,
    begin: async () => {
      mark = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), t: performance.now() };
    },
    end: async () => {
      const cpu = process.cpuUsage(mark!.cpu);
      return { cpuMs: (cpu.user + cpu.system) / 1000, elu: performance.eventLoopUtilization(mark!.elu).utilization, wallMs: performance.now() - mark!.t, phases: undefined };
    },
    close: () => app.close(),
  };
}

export async function benchVolunteerCheckins(opts: CheckinBenchOptions = {}): Promise<CheckinBenchResult> {
  const rate = opts.rate ?? 500;
  const seconds = opts.seconds ?? 5;
  const warmupN = opts.warmup ?? 1000;
  const log = opts.log ?? ((m: string) => process.stderr.write(`[bench:volunteers] ${m}\n`));
  const adminUrl = opts.pgAdminUrl ?? (process.env.DATABASE_URL || process.env.SHOUWANG_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  return withDatabase(adminUrl, log, async (driver, database, url) => {
    const [lon, lat] = [113.55, 22.2];
    const half = 0.003;
    const area = { type: 'Polygon', coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]] };
    const n = rate * seconds;
    const people = await setUp(database, driver, { measured: n, warmup: warmupN }, area, log);
    const mode = driver === 'postgres' && !opts.inProcess ? 'process' : 'in-process';
    const server = mode === 'process' ? await childServer(url, opts) : await inProcessServer(database, opts);
    const agent = keepAliveAgent(opts.connections ?? 200);
    const request = (who: Person, i: number): OpenLoopRequest => {
      const outside = i % 10 === 9;
      return {
        method: 'POST',
        path: `/api/v1/shifts/${who.shiftId}/checkin`,
        headers: { 'content-type': 'application/json', cookie: `sw_session=${who.cookie}`, origin: server.base, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ lon: outside ? lon + 0.01 : lon + ((i % 7) - 3) * 0.0003, lat }),
      };
    };
    try {
      // A volunteer's phone has just opened the page (GET /me …) before checking in: their session was
      // touched then, so the check-in does not also write the session's last-seen time (auth: every 15 s at most).
      await database.db.update(sessions).set({ lastSeenAt: new Date() });
      if (warmupN) {
        const w = await openLoop({ base: server.base, rate: rate / 2, count: warmupN, agent, request: (i) => request(people.warmup[i]!, i) });
        log(`${driver} (${mode}): warm-up ${warmupN} at ${rate / 2}/s: p99 ${pct(w.latencies, 99).toFixed(1)} ms, statuses ${JSON.stringify([...w.statuses])} (load ${load()})`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      log(`${driver} (${mode}): ${rate}/s for ${seconds} s (${n} check-ins, one in ten outside the area${opts.ordinary ? ', ordinary kernel write' : ''})…`);
      await server.begin(opts.profile);
      const dbCpu0 = driver === 'postgres' ? cpuMsOf('postgres') : NaN;
      let ok = 0;
      let refused = 0;
      let errors = 0;
      const run = await openLoop({
        base: server.base,
        rate,
        count: n,
        agent,
        request: (i) => request(people.measured[i]!, i),
        onAnswer: (_i, status) => {
          if (status === 200) ok++;
          else if (status === 422) refused++;
          else errors++;
        },
      });
      const dbCpu = cpuMsOf('postgres') - dbCpu0;
      const fig = await server.end();
      const lat = run.latencies;
      const r: CheckinBenchResult = { driver, mode, rate, seconds, requests: n, ok, refused, errors, achievedPerS: n / run.elapsedS, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: Math.max(...lat), serverCpuMs: fig.cpuMs / n, serverElu: fig.elu, dbCpuMs: dbCpu / n, targetMet: pct(lat, 99) <= TARGET_P99_MS && errors === 0 };
      const other = [...run.statuses].filter(([s]) => s !== 200 && s !== 422);
      log(`${driver} (${mode}): ${ok} checked in, ${refused} refused outside, ${errors} errors ${JSON.stringify(other)}; ${r.achievedPerS.toFixed(0)}/s; p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; server ${r.serverCpuMs.toFixed(2)} ms CPU per check-in (event loop ${(r.serverElu * 100).toFixed(0)}% busy), PostgreSQL ${r.dbCpuMs.toFixed(2)} ms; ${run.lateSends} sent late (load ${load()})`);
      if (fig.phases) log(`${driver} (${mode}): server side per request, mean / p50 / p99 ms: ${Object.entries(fig.phases).map(([k, v]) => `${k} ${v.mean.toFixed(1)} / ${v.p50.toFixed(1)} / ${v.p99.toFixed(1)}`).join('; ')} (before: auth, parse, validation, idempotency; handler: the check-in batch; after: serialisation, onSend with the audit append)`);
      if (opts.profile && mode === 'process') console.log(formatSummary(summarise(JSON.parse(fs.readFileSync(opts.profile, 'utf8'))), n));
      return r;
    } finally {
      agent.destroy();
      await server.close();
    }
  });
}

const isEntry = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntry) {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1]! : dflt;
  };
  const profile = arg('profile', '');
  const r = await benchVolunteerCheckins({
    rate: Number(arg('rate', '500')),
    seconds: Number(arg('seconds', '5')),
    warmup: Number(arg('warmup', '1000')),
    connections: Number(arg('connections', '200')),
    ordinary: process.argv.includes('--ordinary'),
    inProcess: process.argv.includes('--in-process'),
    profile: profile ? path.resolve(profile) : undefined,
    serverLog: arg('server-log', 'silent'),
  });
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  console.log(`mode=${r.mode} server_cpu_ms_per_checkin=${r.serverCpuMs.toFixed(2)} server_event_loop=${(r.serverElu * 100).toFixed(0)}% db_cpu_ms_per_checkin=${f(r.dbCpuMs)} (load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  console.log(
    `RESULT volunteers driver=${r.driver} rate=${r.rate}/s seconds=${r.seconds} checkins=${r.requests} ok=${r.ok} refused=${r.refused} errors=${r.errors} achieved=${r.achievedPerS.toFixed(0)}/s p50_ms=${f(r.p50)} p95_ms=${f(r.p95)} p99_ms=${f(r.p99)} max_ms=${f(r.max)} target_p99_ms=${TARGET_P99_MS} targets=${r.targetMet ? 'met' : 'missed'} load=${load()}`,
  );
  process.exit(0);
}
