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
      phase = { cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), t: performance.now(), profile: m.profile, session };
      process.send!({ begun: true });
    } else if (m.cmd === 'end' && phase) {
      const cpu = process.cpuUsage(phase.cpu);
      const figures: PhaseFigures = { cpuMs: (cpu.user + cpu.system) / 1000, elu: performance.eventLoopUtilization(phase.elu).utilization, wallMs: performance.now() - phase.t };
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
