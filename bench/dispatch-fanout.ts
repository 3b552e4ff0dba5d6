/**
 * Fan-out bench of the event stream: 200 WebSocket consoles, 1,000 positions/s and 10 incident events/s
 * for ~10 s; latency from publication to receipt at the consoles (each event carries its publication
 * time). First one instance on the in-process bus, then two instances over NATS JetStream (published on
 * one, consoles split across both). Server instances run as child processes; the consoles run here.
 *
 *   node bin/run-ts.mjs bench/dispatch-fanout.ts      (NATS_URL, default nats://127.0.0.1:4222)
 *   BENCH_SECONDS=10 BENCH_CLIENTS=200
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { connect } from 'nats';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const POSITIONS_PER_S = 1000;
const INCIDENTS_PER_S = 10;
/** 2,000 units reporting every 2 s: 1,000 positions/s, none thinned away (one per unit per second at most). */
const UNITS = 2000;
const STATIONS = Array.from({ length: 10 }, (_, i) => `/MO/MO0${(i % 2) + 1}/MO0${(i % 2) + 1}0${i + 1}/`);
/** One console in ten watches the whole city (bureau); the others one station each. */
const BUREAU_SHARE = 0.1;
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const WARMUP_MS = 1000;
const SERVER = fileURLToPath(new URL('./realtime/server.ts', import.meta.url));
const RUN_TS = fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url));
const now = () => performance.timeOrigin + performance.now();
const log = (m: string) => process.stderr.write(m + '\n');

interface Instance {
  child: ChildProcess;
  url: string;
  kind: string;
}

function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = fork(RUN_TS, [SERVER], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.on('message', (m: { cmd: string; url: string; kind: string }) => {
      if (m.cmd === 'ready') resolve({ child, url: m.url, kind: m.kind });
    });
  });
}

function stopInstance(i: Instance): Promise<void> {
  return new Promise((resolve) => {
    if (i.child.exitCode !== null) return resolve();
    const t = setTimeout(() => i.child.kill('SIGKILL'), 5000);
    i.child.removeAllListeners('exit');
    i.child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    i.child.send({ cmd: 'stop' });
  });
}

interface Stats {
  latencies: { incident: number[]; unit_position: number[] };
  received: number;
}

async function openClients(urls: string[], stats: Stats, measureFrom: () => number): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const url = urls[i % urls.length];
    const unitPath = i % Math.round(1 / BUREAU_SHARE) === 0 ? '/MO/' : STATIONS[i % STATIONS.length];
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${unitPath}` }, perMessageDeflate: false });
    ws.on('message', (d) => {
      const at = now();
      const m = JSON.parse(d.toString()) as { type: string; data: { t?: number } };
      if (m.type !== 'incident' && m.type !== 'unit_position') return;
      stats.received++;
      const t = m.data?.t;
      if (typeof t === 'number' && t >= measureFrom()) stats.latencies[m.type].push(at - t);
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    sockets.push(ws);
  }
  return sockets;
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface RunResult {
  p50: number;
  p99: number;
  max: number;
  incidentP99: number;
  positionP99: number;
  deliveries: number;
  published: number;
  failed: number;
}

async function run(label: string, instances: Instance[]): Promise<RunResult> {
  const stats: Stats = { latencies: { incident: [], unit_position: [] }, received: 0 };
  let measureFrom = Infinity;
  const sockets = await openClients(
    instances.map((i) => i.url),
    stats,
    () => measureFrom,
  );
  log(`${label}: ${sockets.length} consoles connected to ${instances.length} instance(s) (${instances.map((i) => i.kind).join(', ')} bus)`);
  await new Promise((r) => setTimeout(r, 300));
  measureFrom = now() + WARMUP_MS;
  const done = new Promise<{ published: number; failed: number; seconds: number }>((resolve) => {
    instances[0].child.on('message', (m: { cmd: string; published: number; failed: number; seconds: number }) => {
      if (m.cmd === 'published') resolve(m);
    });
  });
  instances[0].child.send({ cmd: 'publish', seconds: SECONDS, positionsPerSecond: POSITIONS_PER_S, incidentsPerSecond: INCIDENTS_PER_S, units: UNITS, stations: STATIONS });
  const pub = await done;
  await new Promise((r) => setTimeout(r, 1500)); // the last deliveries (and any thinned position)
  for (const s of sockets) s.terminate();
  for (const [i, inst] of instances.entries()) {
    const st = await new Promise<{ n: number; p50: number; p99: number }>((resolve) => {
      const on = (m: { cmd: string; n: number; p50: number; p99: number }) => {
        if (m.cmd !== 'stats') return;
        inst.child.off('message', on);
        resolve(m);
      };
      inst.child.on('message', on);
      inst.child.send({ cmd: 'stats' });
    });
    log(`${label}: instance ${i + 1} bus lag (publication → local bus, before fan-out) p50 ${st.p50?.toFixed(1)} ms p99 ${st.p99?.toFixed(1)} ms over ${st.n} events`);
  }
  const all = [...stats.latencies.incident, ...stats.latencies.unit_position].sort((a, b) => a - b);
  const inc = [...stats.latencies.incident].sort((a, b) => a - b);
  const pos = [...stats.latencies.unit_position].sort((a, b) => a - b);
  const r: RunResult = {
    p50: pct(all, 50),
    p99: pct(all, 99),
    max: all[all.length - 1] ?? NaN,
    incidentP99: pct(inc, 99),
    positionP99: pct(pos, 99),
    deliveries: stats.received,
    published: pub.published,
    failed: pub.failed,
  };
  const f = (n: number) => n.toFixed(1);
  log(
    `${label}: published ${pub.published} events in ${pub.seconds.toFixed(1)} s (${pub.failed} failed); ` +
      `${stats.received} deliveries (${Math.round(stats.received / pub.seconds)}/s); ` +
      `latency p50 ${f(r.p50)} ms, p99 ${f(r.p99)} ms, max ${f(r.max)} ms; incidents p99 ${f(r.incidentP99)} ms, positions p99 ${f(r.positionP99)} ms`,
  );
  return r;
}

async function natsReachable(): Promise<boolean> {
  const u = new URL(NATS_URL.split(',')[0]);
  return new Promise((resolve) => {
    const s = net.connect({ host: u.hostname, port: Number(u.port || 4222) });
    s.setTimeout(2000, () => {
      s.destroy();
      resolve(false);
    });
    s.once('connect', () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

log(`fan-out bench: ${CLIENTS} consoles (${Math.round(BUREAU_SHARE * 100)}% city-wide, the rest one of ${STATIONS.length} stations), ${POSITIONS_PER_S} positions/s from ${UNITS} units + ${INCIDENTS_PER_S} incidents/s for ${SECONDS} s`);

const one = await startInstance({ BENCH_NATS_URL: '' });
const single = await run('one instance', [one]);
await stopInstance(one);

let natsResult: RunResult | null = null;
if (await natsReachable()) {
  const id = randomBytes(4).toString('hex');
  const env = { BENCH_NATS_URL: NATS_URL, BENCH_STREAM: `SHOUWANG_BENCH_${id}`, BENCH_PREFIX: `swbench_${id}` };
  const a = await startInstance(env);
  const b = await startInstance(env);
  try {
    natsResult = await run('two instances over NATS', [a, b]);
  } finally {
    await Promise.all([stopInstance(a), stopInstance(b)]);
    const nc = await connect({ servers: NATS_URL });
    await (await nc.jetstreamManager()).streams.delete(env.BENCH_STREAM).catch(() => {});
    await nc.close();
  }
} else {
  log(`NATS not reachable at ${NATS_URL}: the two-instance run is skipped`);
}

const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? 'NA' : n.toFixed(1));
process.stdout.write(
  `fanout: one instance p50 ${fmt(single.p50)} ms p99 ${fmt(single.p99)} ms (target ≤ 100); ` +
    `two instances over NATS p50 ${fmt(natsResult?.p50)} ms p99 ${fmt(natsResult?.p99)} ms (target ≤ 150)\n`,
);
process.stdout.write(`RESULT fanout fanout_p99_ms=${fmt(single.p99)} fanout_nats_p99_ms=${fmt(natsResult?.p99)}\n`);
process.exit(0);
