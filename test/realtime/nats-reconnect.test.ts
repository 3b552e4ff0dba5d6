/**
 * The NATS bus survives a NATS restart: nats.js reconnects by itself and the consumer resumes right after
 * the last event received. Runs its own nats-server on a free port (skipped when the binary is missing).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { NatsBus } from '../../src/modules/realtime/nats-bus.js';
import type { SequencedEvent } from '../../src/modules/realtime/types.js';
import { event, sleep } from './helpers.js';

const BIN = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'].find((p) => fs.existsSync(p));
if (!BIN) console.warn('\n[shouwang tests] nats-server binary not found: the NATS restart test is skipped.\n');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitPort(port: number, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => {
        s.end();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nats-server did not listen on ${port}`);
}

describe.skipIf(!BIN)('NATS bus across a NATS server restart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-nats-'));
  let server: ChildProcess | null = null;
  let bus: NatsBus | null = null;
  const start = async (port: number) => {
    server = spawn(BIN!, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], { stdio: 'ignore' });
    await waitPort(port);
  };
  const stop = async () => {
    const s = server;
    if (!s || s.exitCode !== null) return;
    await new Promise<void>((r) => {
      s.once('exit', () => r());
      s.kill('SIGTERM');
    });
  };
  afterAll(async () => {
    await bus?.close().catch(() => {});
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps delivering, with consecutive seqs, after NATS comes back', async () => {
    const port = await freePort();
    await start(port);
    const logs: string[] = [];
    bus = await NatsBus.connect({ url: `nats://127.0.0.1:${port}`, streamName: 'SHOUWANG_RESTART', subjectPrefix: 'swrestart', log: (m) => logs.push(m) });
    const got: SequencedEvent[] = [];
    bus.subscribe((e) => got.push(e));
    await bus.publish(event('incident', null, 'before-1'));
    await bus.publish(event('incident', null, 'before-2'));
    while (got.length < 2) await sleep(10);

    await stop();
    await sleep(300);
    await expect(bus.publish(event('incident', null, 'while-down'))).rejects.toBeTruthy();
    await start(port);

    // Publish until it goes through (the client reconnects within a second or two).
    const end = Date.now() + 20_000;
    for (;;) {
      try {
        await bus.publish(event('incident', null, 'after'));
        break;
      } catch (err) {
        if (Date.now() > end) throw err;
        await sleep(200);
      }
    }
    const deadline = Date.now() + 30_000;
    while (!got.some((e) => e.key === 'after') && Date.now() < deadline) await sleep(50);
    expect(got.map((e) => e.key)).toEqual(['before-1', 'before-2', 'after']);
    expect(got.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(bus.since(0).events.length).toBe(3);
    expect(logs.some((l) => /disconnect|reconnect/.test(l))).toBe(true);
  }, 60_000);
});
