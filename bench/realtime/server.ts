/**
 * One server instance for the fan-out bench (bench/dispatch-fanout.ts), run as a child process:
 * Fastify + @fastify/websocket + the stream routes on an in-process or NATS bus. A bench principal comes
 * from `Authorization: Bearer <unit path>`. On the parent's "publish" message it publishes positions and
 * incidents at the rates asked, each stamped with the wall-clock time of publication (`data.t`).
 */
import Fastify from 'fastify';
import websocket from '@fastify/websocket';
import type { Principal } from '../../src/core/access.js';
import { createEventBus } from '../../src/modules/realtime/index.js';
import streamRoutes from '../../src/modules/realtime/routes.js';

const now = () => performance.timeOrigin + performance.now();
const send = (m: unknown) => process.send?.(m);

const bus = await createEventBus({ natsUrl: process.env.BENCH_NATS_URL || undefined, streamName: process.env.BENCH_STREAM, subjectPrefix: process.env.BENCH_PREFIX });
const app = Fastify({ logger: false });
app.decorateRequest('principal', null);
app.addHook('onRequest', async (req) => {
  const m = /^Bearer (\/\S+\/)$/.exec(req.headers.authorization ?? '');
  if (!m) return;
  const unitPath = m[1];
  const p: Principal = { kind: 'user', id: unitPath, username: 'bench', displayName: 'bench', roles: ['dispatcher'], unitId: unitPath, unitPath, unitKind: 'station', scopes: [] };
  req.principal = p;
});
await app.register(websocket);
await app.register(streamRoutes, { prefix: '/api/v1', bus });
const address = await app.listen({ port: 0, host: '127.0.0.1' });

// Lag from publication to this instance's bus (before the WebSocket fan-out), for the figures.
const busLag: number[] = [];
bus.subscribe((e) => {
  const t = (e.data as { t?: number } | null)?.t;
  if (typeof t === 'number') busLag.push(now() - t);
});

interface PublishOrder {
  cmd: 'publish';
  seconds: number;
  positionsPerSecond: number;
  incidentsPerSecond: number;
  units: number;
  stations: string[];
}

process.on('message', async (msg: PublishOrder | { cmd: 'stop' } | { cmd: 'stats' }) => {
  if (msg.cmd === 'stats') {
    const s = busLag.splice(0).sort((a, b) => a - b);
    send({ cmd: 'stats', n: s.length, p50: s[s.length >> 1], p99: s[Math.floor(s.length * 0.99)] });
    return;
  }
  if (msg.cmd === 'stop') {
    await app.close();
    await bus.close();
    process.exit(0);
  }
  if (msg.cmd !== 'publish') return;
  const tickMs = 10;
  const ticks = Math.round((msg.seconds * 1000) / tickMs);
  let unit = 0;
  let published = 0;
  let failed = 0;
  let incidentDebt = 0;
  const started = now();
  for (let tick = 0; tick < ticks; tick++) {
    // Keep to the schedule: publish what is due at this tick.
    const due = started + tick * tickMs;
    const wait = due - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch: Promise<void>[] = [];
    const nPos = Math.round((msg.positionsPerSecond * tickMs) / 1000);
    for (let i = 0; i < nPos; i++) {
      const u = unit++ % msg.units;
      const station = msg.stations[u % msg.stations.length];
      batch.push(bus.publish({ type: 'unit_position', unitPath: station, key: `unit-${u}`, at: new Date().toISOString(), data: { unitId: `unit-${u}`, lon: 113.55 + u * 1e-5, lat: 22.19, t: now() } }));
    }
    incidentDebt += (msg.incidentsPerSecond * tickMs) / 1000;
    while (incidentDebt >= 1) {
      incidentDebt--;
      const station = msg.stations[published % msg.stations.length];
      batch.push(bus.publish({ type: 'incident', unitPath: station, key: `inc-${published}`, at: new Date().toISOString(), data: { id: `inc-${published}`, status: 'new', priority: 'P2', t: now() } }));
    }
    published += batch.length;
    void Promise.allSettled(batch).then((r) => {
      failed += r.filter((x) => x.status === 'rejected').length;
    });
  }
  await new Promise((r) => setTimeout(r, 200));
  send({ cmd: 'published', published, failed, seconds: (now() - started) / 1000 });
});

send({ cmd: 'ready', url: address.replace('http', 'ws') + '/api/v1/stream', kind: bus.kind });
