/**
 * `npm run bench:volunteers`: volunteers' check-ins (issue 13 "Speed": 500 concurrent check-ins per
 * second with p99 ≤ 50 ms) against an in-process server over HTTP.
 *  - A fresh database (a temporary PostgreSQL database on DATABASE_URL's server, else
 *    postgres://postgres@127.0.0.1:5432; PGlite in memory when PostgreSQL is not there), the demo city,
 *    one team and `rate × seconds` volunteers signed up for shifts that start in five minutes (within the
 *    check-in grace), each with a session of their own (written directly: no sign-in per volunteer).
 *  - The server as `npm start` builds it (buildApp, listening on a local port); requests arrive open-loop
 *    at `--rate` per second (default 500) for `--seconds` (default 5): each a different volunteer's
 *    POST /api/v1/shifts/{id}/checkin with an Idempotency-Key, one in ten outside the area (refused 422,
 *    which is work too). Latency from send to answer: p50, p95, p99, max; target p99 ≤ 50 ms.
 * `benchVolunteerCheckins()` is exported for bench:community (the lead folds it in); run alone it prints
 * `RESULT volunteers …`.
 */
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
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

export interface CheckinBenchOptions {
  rate?: number;
  seconds?: number;
  /** PostgreSQL admin URL; empty: PGlite. */
  pgAdminUrl?: string;
  log?: (m: string) => void;
  /** The peer: every check-in through the ordinary kernel write (the batched path of checkins.ts turned off). */
  ordinary?: boolean;
}

export interface CheckinBenchResult {
  driver: 'postgres' | 'pglite';
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
  targetMet: boolean;
}

const TARGET_P99_MS = 50;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function withDatabase<T>(adminUrl: string, log: (m: string) => void, fn: (driver: 'postgres' | 'pglite', d: Database) => Promise<T>): Promise<T> {
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
    const d = await openDatabase({ databaseUrl: u.toString(), poolSize: 10 });
    try {
      await d.migrate();
      return await fn('postgres', d);
    } finally {
      await d.close();
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end().catch(() => {});
    }
  }
  const d = await openDatabase({});
  try {
    await d.migrate();
    return await fn('pglite', d);
  } finally {
    await d.close();
  }
}

export async function benchVolunteerCheckins(opts: CheckinBenchOptions = {}): Promise<CheckinBenchResult> {
  const rate = opts.rate ?? 500;
  const seconds = opts.seconds ?? 5;
  const log = opts.log ?? ((m: string) => process.stderr.write(`[bench:volunteers] ${m}\n`));
  const adminUrl = opts.pgAdminUrl ?? (process.env.DATABASE_URL || process.env.SHOUWANG_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
  return withDatabase(adminUrl, log, async (driver, database) => {
    const { db } = database;
    await seedDemo(db);
    const [station] = await db.select().from(orgUnits).where(eq(orgUnits.kind, 'station')).limit(1);
    const [lon, lat] = [113.55, 22.2];
    const half = 0.003;
    const area = { type: 'Polygon', coordinates: [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half]]] };
    const n = rate * seconds;
    const perShift = 500;
    const teamId = `VT-BENCH-${process.pid}`;
    await db.insert(volunteerTeams).values({ id: teamId, stationId: station!.id, name: '压测义警队', createdBy: 'bench' });
    const startsAt = new Date(Date.now() + 5 * 60_000);
    const endsAt = new Date(startsAt.getTime() + 3 * 3_600_000);
    const shiftIds = Array.from({ length: Math.ceil(n / perShift) }, (_, i) => `VS-BENCH-${i}`);
    await db.insert(volunteerShifts).values(shiftIds.map((id) => ({ id, teamId, stationId: station!.id, title: '压测班次', startsAt, endsAt, area, minPeople: 1, maxPeople: perShift, signupOpensHours: 72, taken: perShift, confirmed: perShift, createdBy: 'bench' })));
    log(`${driver}: writing ${n} volunteers with their sign-ups and sessions…`);
    const [anyHash] = await db.select({ h: users.passwordHash }).from(users).limit(1);
    const people: { cookie: string; shiftId: string }[] = [];
    for (let from = 0; from < n; from += 1000) {
      const batch = Array.from({ length: Math.min(1000, n - from) }, (_, k) => {
        const i = from + k;
        return { id: randomUUID(), i, cookie: randomBytes(32).toString('base64url'), shiftId: shiftIds[Math.floor(i / perShift)]! };
      });
      await db.insert(users).values(batch.map((b) => ({ id: b.id, username: `bench-vol-${b.i}`, displayName: `义警 ${b.i}`, passwordHash: anyHash!.h, roles: ['volunteer'], unitId: station!.id })));
      await db.insert(volunteerMembers).values(batch.map((b) => ({ teamId, userId: b.id })));
      await db.insert(volunteerSignups).values(batch.map((b) => ({ id: randomUUID(), shiftId: b.shiftId, userId: b.id, status: 'confirmed' })));
      await db.insert(sessions).values(batch.map((b) => ({ id: sha256(b.cookie), userId: b.id, clientIp: '127.0.0.1', userAgent: 'bench' })));
      for (const b of batch) people.push({ cookie: b.cookie, shiftId: b.shiftId });
      if (people.length % 5000 === 0 || people.length === n) log(`${driver}: ${people.length.toLocaleString('en')} / ${n.toLocaleString('en')} volunteers written (load avg ${os.loadavg()[0]!.toFixed(2)})`);
    }
    const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, database, db }, { logger: false });
    if (opts.ordinary) app.kernel.api<VolunteersApi>('volunteers').service.checkins.checkIn = () => Promise.resolve(null);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      // Warm up: a few check-ins outside the area (refused, nothing written).
      for (let i = 0; i < 20; i++) await post(base, people[i]!, lon + 1, lat);
      // A volunteer's phone has just opened the page (GET /me …) before checking in: their session was
      // touched then, so the check-in does not also write the session's last-seen time (auth: every 15 s at most).
      await db.update(sessions).set({ lastSeenAt: new Date() });
      log(`${driver}: ${rate}/s for ${seconds} s (${n} check-ins, one in ten outside the area${opts.ordinary ? ', ordinary kernel write' : ''})…`);
      const latencies: number[] = [];
      let ok = 0;
      let refused = 0;
      let errors = 0;
      const statuses = new Map<number, number>();
      const t0 = performance.now();
      const inflight: Promise<void>[] = [];
      for (let i = 0; i < n; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const outside = i % 10 === 9;
        const sent = performance.now();
        inflight.push(
          post(base, people[i]!, outside ? lon + 0.01 : lon + ((i % 7) - 3) * 0.0003, lat).then((status) => {
            latencies.push(performance.now() - sent);
            if (status === 200) ok++;
            else if (status === 422) refused++;
            else {
              errors++;
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
            }
          }),
        );
      }
      await Promise.all(inflight);
      const elapsed = (performance.now() - t0) / 1000;
      const r: CheckinBenchResult = { driver, rate, seconds, requests: n, ok, refused, errors, achievedPerS: n / elapsed, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: Math.max(...latencies), targetMet: pct(latencies, 99) <= TARGET_P99_MS && errors === 0 };
      log(`${driver}: ${ok} checked in, ${refused} refused outside, ${errors} errors ${JSON.stringify([...statuses])}; ${r.achievedPerS.toFixed(0)}/s; p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms (load ${os.loadavg()[0]!.toFixed(2)})`);
      return r;
    } finally {
      await app.close();
    }
  });
}

async function post(base: string, who: { cookie: string; shiftId: string }, lon: number, lat: number): Promise<number> {
  try {
    const res = await fetch(`${base}/api/v1/shifts/${who.shiftId}/checkin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `sw_session=${who.cookie}`, origin: base, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ lon, lat }),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

const isEntry = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntry) {
  const arg = (name: string, dflt: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1]! : dflt;
  };
  const r = await benchVolunteerCheckins({ rate: Number(arg('rate', '500')), seconds: Number(arg('seconds', '5')), ordinary: process.argv.includes('--ordinary') });
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
  console.log(
    `RESULT volunteers driver=${r.driver} rate=${r.rate}/s seconds=${r.seconds} checkins=${r.requests} ok=${r.ok} refused=${r.refused} errors=${r.errors} achieved=${r.achievedPerS.toFixed(0)}/s p50_ms=${f(r.p50)} p95_ms=${f(r.p95)} p99_ms=${f(r.p99)} max_ms=${f(r.max)} target_p99_ms=${TARGET_P99_MS} targets=${r.targetMet ? 'met' : 'missed'} load=${os.loadavg()[0]!.toFixed(2)}`,
  );
  process.exit(0);
}
