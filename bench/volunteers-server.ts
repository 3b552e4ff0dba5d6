/**
 * The server of bench:volunteers in a process of its own (a child of the bench, so the load generator
 * does not share its event loop): opens DATABASE_URL, builds the app as `npm start` does (buildApp, the
 * modules' timers started), listens on a free loopback port and tells the parent its address over IPC.
 * The parent brackets the measured phase with 'begin' and 'end': the answer to 'end' is the CPU time
 * and event-loop utilisation of the phase, and with `profile` set a V8 CPU profile of exactly that phase
 * is written there. On 'stop' it closes the app (the batched writes land first) and exits.
 *  - BENCH_ORDINARY=1: every check-in through the ordinary kernel write (the batched path turned off).
 *  - LOG_LEVEL: the request log (default silent, as the in-process bench; `info` is `npm start`'s).
 */
import fs from 'node:fs';
import diagnostics from 'node:diagnostics_channel';
import type { FastifyReply } from 'fastify';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { buildApp } from '../src/server/app.js';
import { Batcher } from '../src/core/batcher.js';
import { startModules } from '../src/kernel/compose.js';
import type { VolunteersApi } from '../src/modules/volunteers/index.js';

export type ServerMessage = { cmd: 'begin'; profile?: string } | { cmd: 'end' } | { cmd: 'stop' };
export interface PhaseFigures {
  cpuMs: number;
  elu: number;
  wallMs: number;
  /** Per request, server side (ms): before the handler (auth, parse, validation, idempotency), the handler, after it (serialisation, onSend: audit), total. */
  phases?: Record<'before' | 'handler' | 'after' | 'total', { mean: number; p50: number; p99: number }>;
}

/**
 * Where a request's time goes on the server, from Fastify's handler tracing channel: the reply's
 * elapsed time when the handler starts, when its promise settles, and when the answer is written.
 */
const timings: { before: number; handler: number; after: number; total: number }[] = [];
let timing = false;
const handlerChannel = diagnostics.tracingChannel('fastify.request.handler');
const marks = new WeakMap<object, { start: number; end?: number }>();
handlerChannel.subscribe({
  start: (s) => {
    if (!timing) return;
    const reply = (s as { reply: FastifyReply }).reply;
    const m = { start: reply.elapsedTime } as { start: number; end?: number };
    marks.set(reply, m);
    reply.raw.once('finish', () => {
      const total = reply.elapsedTime;
      const end = m.end ?? total;
      timings.push({ before: m.start, handler: end - m.start, after: total - end, total });
    });
  },
  end: () => {},
  asyncStart: (s) => {
    const m = marks.get((s as { reply: FastifyReply }).reply);
    if (m && m.end === undefined) m.end = (s as { reply: FastifyReply }).reply.elapsedTime;
  },
  asyncEnd: () => {},
  error: (s) => {
    const reply = (s as unknown as { reply: FastifyReply }).reply;
    const m = marks.get(reply);
    if (m && m.end === undefined) m.end = reply.elapsedTime;
  },
});

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), p50: at(0.5), p99: at(0.99) };
}

const config = { ...loadConfig(), logLevel: process.env.LOG_LEVEL ?? 'silent' };
if (!config.databaseUrl) throw new Error('volunteers-server: DATABASE_URL is required');
const database = await openDatabase({ databaseUrl: config.databaseUrl });
const app = await buildApp({ config, database, db: database.db }, { logger: config.logLevel === 'silent' ? false : { level: config.logLevel } });
if (process.env.BENCH_ORDINARY === '1') app.kernel.api<VolunteersApi>('volunteers').service.checkins.checkIn = () => Promise.resolve(null);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
await startModules(app.kernel);

let phase: { cpu: NodeJS.CpuUsage; elu: ReturnType<typeof performance.eventLoopUtilization>; t: number; profile?: string; session?: Session } | undefined;

process.on('message', (m: ServerMessage) => {
  void (async () => {
    if (m.cmd === 'begin') {
      let session: Session | undefined;
      if (m.profile) {
        session = new Session();
        session.connect();
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      timings.length = 0;
      timing = true;
      phase = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), t: performance.now(), profile: m.profile, session };
      process.send!({ begun: true });
    } else if (m.cmd === 'end' && phase) {
      const cpu = process.cpuUsage(phase.cpu);
      timing = false;
      const phases = { before: stats(timings.map((t) => t.before)), handler: stats(timings.map((t) => t.handler)), after: stats(timings.map((t) => t.after)), total: stats(timings.map((t) => t.total)) };
      const figures: PhaseFigures = { cpuMs: (cpu.user + cpu.system) / 1000, elu: performance.eventLoopUtilization(phase.elu).utilization, wallMs: performance.now() - phase.t, phases };
      if (phase.session) {
        const { profile } = await phase.session.post('Profiler.stop');
        fs.writeFileSync(phase.profile!, JSON.stringify(profile));
        phase.session.disconnect();
      }
      phase = undefined;
      process.send!({ figures });
    } else if (m.cmd === 'stop') {
      const closed = app.close();
      await app.drained(10_000);
      await Batcher.idle(10_000);
      await closed;
      await database.close();
      process.exit(0);
    }
  })();
});
process.on('disconnect', () => process.exit(0));
process.send!({ url });
