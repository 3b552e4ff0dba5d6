/**
 * Part (c) of `npm run bench:citizen`: Open311 `POST /open311/v2/requests.json` against the server as
 * `npm start` runs it (`bin/shouwang.mjs start`, a child process of its own: the load generator does not
 * share its event loop), over HTTP with keep-alive connections, open-loop: request i is due at
 * t0 + i/rate and its latency counts from that due time, not from when a free connection took it, so
 * a server that falls behind is seen as late (no coordinated omission).
 *
 * `--server-prof DIR` starts the server with `node --cpu-prof --cpu-prof-dir DIR` (a .cpuprofile per run,
 * written when the server stops) to see what each request costs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/shouwang.mjs', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`shouwang ${args.join(' ')}: ${code}: ${err}`))));
  });
}

export interface Server {
  url: string;
  proc: ChildProcess;
  /** An Open311 key made for the bench (PGlite: through the CLI before the server holds the database). */
  key?: string;
  stop(): Promise<void>;
}

/**
 * `bin/shouwang.mjs start` on `databaseUrl` (PostgreSQL, already migrated and seeded by the caller) or,
 * without one, on a PGlite folder of its own (seeded and given a key through the CLI first).
 */
export async function startServer(opts: { databaseUrl?: string; mediaDir: string; profDir?: string; log: (m: string) => void }): Promise<Server> {
  const port = await freePort();
  const dataDir = opts.databaseUrl ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-citizen-data-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', SHOUWANG_DEMO: '0', SHOUWANG_DEMO_HISTORY: '0', SHOUWANG_SIMULATOR: '0', SHOUWANG_MEDIA_DIR: opts.mediaDir };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  if (dataDir) env.SHOUWANG_DATA = dataDir;
  let key: string | undefined;
  if (dataDir) {
    await cli(['demo', 'seed'], env);
    key = (await cli(['open311', 'key', 'create', '--name', 'bench client'], env)).trim().split('\n').pop()!.trim();
  }
  const flags = opts.profDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profDir] : [];
  const proc = spawn(process.execPath, [...flags, 'bin/shouwang.mjs', 'start'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      const t = setTimeout(() => proc.kill('SIGKILL'), 20_000);
      proc.once('exit', () => {
        clearTimeout(t);
        if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
        resolve();
      });
      proc.kill('SIGTERM');
    });
  for (let i = 0; i < 480; i++) {
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) {
      opts.log(`server: pid ${proc.pid} at ${url}${opts.profDir ? ` (CPU profile into ${opts.profDir})` : ''}`);
      return { url, proc, key, stop };
    }
    if (proc.exitCode !== null) throw new Error(`server exited: ${err}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`server did not start: ${err}`);
}

/** One POST over the keep-alive agent: the status, or 0 when the connection failed. */
function post(agent: http.Agent, url: URL, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Open-loop POST requests at `rate` per second for `seconds`; latency from each request's due time. */
export async function open311Phase(base: string, apiKey: string, points: { lon: number; lat: number }[], rate: number, seconds: number) {
  const codes = ['101', '102', '103', '104', '201', '202', '203'];
  const n = Math.round(rate * seconds);
  const url = new URL(`${base}/open311/v2/requests.json`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const body = (i: number) => {
    const p = points[(i * 104729) % points.length]!;
    return Buffer.from(new URLSearchParams({ api_key: apiKey, service_code: codes[i % codes.length]!, lat: String(p.lat), long: String(p.lon), description: `压测 Open311 请求 ${i}: 路口有人乱停车 bench request` }).toString());
  };
  const bodies = Array.from({ length: n }, (_, i) => body(i));
  // Warm-up: the connections opened, the server's code paths compiled.
  await Promise.all(Array.from({ length: 40 }, (_, i) => post(agent, url, body(1_000_000 + i))));
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const inflight: Promise<void>[] = [];
  const t0 = performance.now() + 10;
  let next = 0;
  let lastDone = t0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < n && t0 + (next * 1000) / rate <= now) {
        const due = t0 + (next * 1000) / rate;
        inflight.push(
          post(agent, url, bodies[next]!).then((status) => {
            lastDone = performance.now();
            latencies.push(lastDone - due);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }),
        );
        next++;
      }
      if (next < n) setTimeout(tick, Math.max(0, t0 + (next * 1000) / rate - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inflight);
  agent.destroy();
  // The rate served: requests over the time from the first due time to the last answer.
  const elapsed = (lastDone - t0) / 1000;
  const created = statuses.get(201) ?? 0;
  return { n, created, errors: n - created, statuses: [...statuses], perS: n / elapsed, p50: pct(latencies, 50), p99: pct(latencies, 99), max: Math.max(...latencies) };
}
