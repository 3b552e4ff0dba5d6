/**
 * `npm run bench:intake`: POST /api/v1/incidents under load (autocannon) against a real server process,
 * on PostgreSQL and on PGlite: throughput at full load (autocannon, 32 connections), and latency at a
 * steady 200 creates/s (open loop, evenly spaced).
 * Address search on a 500,000-address registry comes from bench/addresses.ts, run in the same go.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { demoOrganisation, loadDemoRoads } from '../src/demo/city.js';
import { demoAddresses } from '../src/demo/addresses.js';
import { leafCategories } from '../src/modules/incidents/domain/categories.js';
import { mulberry32 } from '../src/demo/geometry.js';

const PG_ADMIN = process.env.SHOUWANG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const log = (m: string) => process.stderr.write(`[bench:intake] ${m}\n`);

// Calls come from all over the city: the demo registry's addresses, with a phone's position error.
const addresses = demoAddresses(loadDemoRoads(), demoOrganisation()).filter((a) => a.stationId);
const leaves = leafCategories().filter((c) => !c.transferTo);
const descriptions = ['有人在店内打架，双方约五人', '邻居家中传出争吵和摔东西的声音', '路口两车追尾，无人受伤，双方争执', '老人走失，穿灰色外套，约七十岁', '楼道内有浓烟，疑似着火', '手机被盗，嫌疑人往东跑了', '酒吧门口有人闹事', '停车场有车辆被划'];

/**
 * What the call-taker console sends: one in three calls with the standard address picked from the
 * suggestions, the others with the caller's position (±30 m) and the address as spoken.
 */
function bodies(n: number): string[] {
  const rand = mulberry32(42);
  return Array.from({ length: n }, (_, i) => {
    const a = addresses[Math.floor(rand() * addresses.length)];
    const where = i % 3 === 0 ? { addressCode: a.code } : { location: { lon: a.lon + (rand() - 0.5) * 0.0006, lat: a.lat + (rand() - 0.5) * 0.0006, accuracyM: 30 }, address: a.text };
    return JSON.stringify({
      source: 'call110',
      categoryCode: leaves[Math.floor(rand() * leaves.length)].code,
      caller: { name: '测试', phone: `13${String(100000000 + Math.floor(rand() * 899999999))}` },
      ...where,
      description: descriptions[i % descriptions.length],
    });
  });
}

async function startServer(env: Record<string, string>): Promise<{ url: string; proc: ChildProcess }> {
  const port = 18000 + Math.floor(Math.random() * 1000);
  const proc = spawn(process.execPath, ['bin/shouwang.mjs', 'start'], { env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', SHOUWANG_DEMO_HISTORY: '0', SHOUWANG_SIMULATOR: '0', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { url, proc };
    } catch {}
    if (proc.exitCode !== null) throw new Error(`server exited: ${err}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not start: ${err}`);
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ username: 'calltaker', password: 'shouwang-demo' }) });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`login failed: ${res.status}`);
  return cookie;
}

function load(url: string, cookie: string, opts: { connections: number; rate?: number; duration: number }): Promise<autocannon.Result> {
  const payloads = bodies(50_000);
  let i = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/api/v1/incidents`,
        method: 'POST',
        connections: opts.connections,
        duration: opts.duration,
        overallRate: opts.rate,
        headers: { 'content-type': 'application/json', cookie, origin: url },
        // Like the console: every submission carries a fresh Idempotency-Key.
        requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, headers: { ...req.headers, 'idempotency-key': randomUUID() }, body: payloads[i++ % payloads.length] }) }],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/**
 * Open-loop load at a steady rate: one create every 1/rate s, evenly spaced, whatever the answers do
 * (autocannon's `overallRate` instead sends each second's quota in a burst at the start of the second,
 * which measures a 200-request burst, not a steady 200/s). Latency counts from when a request was due,
 * so a stalled server cannot hide its queue (no coordinated omission).
 */
async function steadyLoad(url: string, cookie: string, rate: number, seconds: number): Promise<{ p50: number; p99: number; rps: number; non2xx: number; errors: number }> {
  const payloads = bodies(rate * seconds);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(`${url}/api/v1/incidents`);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const send = (body: string, due: number) =>
    new Promise<void>((resolve) => {
      const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: url, 'idempotency-key': randomUUID(), 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          if (res.statusCode !== 201) non2xx++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const total = rate * seconds;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    for (; sent < total && start + (sent * 1000) / rate <= now; sent++) inFlight.push(send(payloads[sent], start + (sent * 1000) / rate));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] * 10) / 10;
  return { p50: pct(0.5), p99: pct(0.99), rps: latencies.length / elapsed, non2xx, errors };
}

/** CPU time (ms) a process has used, and all PostgreSQL server processes together (Linux /proc): load-independent cost. */
function cpuMs(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
function postgresCpuMs(): number {
  let ms = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') ms += cpuMs(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}

async function runOn(name: string, env: Record<string, string>) {
  log(`${name}: starting the server`);
  const { url, proc } = await startServer(env);
  try {
    const cookie = await login(url);
    await load(url, cookie, { connections: 10, duration: 2 }); // warm-up
    log(`${name}: full load for ${DURATION_S} s`);
    const [cpu0, pg0] = [cpuMs(proc.pid!), postgresCpuMs()];
    const full = await load(url, cookie, { connections: 32, duration: DURATION_S });
    const creates = full.requests.total;
    const cpuPerCreate = (cpuMs(proc.pid!) - cpu0) / creates;
    const pgPerCreate = name === 'postgres' ? (postgresCpuMs() - pg0) / creates : 0;
    log(`${name}: steady 200 creates/s for ${DURATION_S} s`);
    const steady = await steadyLoad(url, cookie, 200, DURATION_S);
    const non2xx = full.non2xx + steady.non2xx;
    const r = { rps: full.requests.average, p50: full.latency.p50, p99: full.latency.p99, steadyP50: steady.p50, steadyP99: steady.p99, steadyRps: steady.rps, non2xx, errors: full.errors + steady.errors };
    console.log(`${name.padEnd(10)} CPU per create: server ${cpuPerCreate.toFixed(3)} ms${name === 'postgres' ? `, PostgreSQL ${pgPerCreate.toFixed(3)} ms` : ''} (independent of the machine's load)`);
    console.log(`${name.padEnd(10)} full load: ${r.rps.toFixed(0)} creates/s (p50 ${r.p50} ms, p99 ${r.p99} ms) | at 200/s: p50 ${r.steadyP50} ms, p99 ${r.steadyP99} ms (${r.steadyRps.toFixed(0)}/s) | non-2xx ${non2xx}, errors ${r.errors}`);
    return r;
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
  }
}

async function main() {
  console.log(`POST /api/v1/incidents, realistic bodies, ${DURATION_S} s per phase, one server process, ${os.cpus().length} cores shared with the load generator`);
  const results: Record<string, Awaited<ReturnType<typeof runOn>> | null> = { pg: null, pglite: null };

  const admin = new pg.Client({ connectionString: PG_ADMIN });
  let dbName: string | null = null;
  try {
    await admin.connect();
    dbName = `sw_bench_intake_${process.pid}`;
    await admin.query(`create database ${dbName}`);
    const u = new URL(PG_ADMIN);
    u.pathname = `/${dbName}`;
    results.pg = await runOn('postgres', { DATABASE_URL: u.toString(), SHOUWANG_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-pg-')) });
  } catch (e) {
    console.log(`postgres: skipped (${(e as Error).message}) — start PostgreSQL or set SHOUWANG_TEST_PG_URL`);
  } finally {
    if (dbName) await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
  }
  results.pglite = await runOn('pglite', { SHOUWANG_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-pglite-')) });

  let addressP99 = 'n/a';
  if (fs.existsSync('bench/addresses.ts')) {
    log('address search on 500,000 addresses (bench/addresses.ts)');
    const a = spawnSync(process.execPath, ['bin/run-ts.mjs', 'bench/addresses.ts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const m = /address_p99_ms_500k=([\d.]+)/.exec(a.stdout);
    if (m) addressP99 = m[1];
    process.stdout.write(a.stdout.split('\n').filter((l) => !l.startsWith('RESULT')).join('\n'));
  }
  const f = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(1));
  console.log(`RESULT intake pg_rps=${f(results.pg?.rps)} pg_p99_ms_at_200=${f(results.pg?.steadyP99)} pglite_rps=${f(results.pglite?.rps)} address_p99_ms_500k=${addressP99}`);
}

await main();
