/**
 * NATS_STREAM / NATS_SUBJECT_PREFIX: two deployments on one NATS each keep to their own stream and
 * subjects; a clash is refused at start with a message naming the settings; start.ts wires them through.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { checkNames, NatsBus } from '../../src/modules/realtime/nats-bus.js';
import type { SequencedEvent } from '../../src/modules/realtime/types.js';
import { demoRoads } from '../helpers/app.js';
import { deleteStream, event, NATS_URL, natsReachable, sleep, uniqueStream } from './helpers.js';

const natsUp = await natsReachable();

describe('configuration', () => {
  it('keeps the defaults and reads the environment', () => {
    const d = loadConfig({});
    expect({ stream: d.natsStream, prefix: d.natsSubjectPrefix, url: d.natsUrl, group: d.mqttShareGroup, heartbeat: d.streamHeartbeatMs }).toEqual({
      stream: 'SHOUWANG_EVENTS',
      prefix: 'shouwang',
      url: undefined,
      group: 'shouwang',
      heartbeat: 20_000,
    });
    const c = loadConfig({ NATS_URL: 'nats://n:4222', NATS_STREAM: 'MACAU_EVENTS', NATS_SUBJECT_PREFIX: 'macau.shouwang', MQTT_SHARE_GROUP: '', SHOUWANG_STREAM_HEARTBEAT_MS: '500' });
    expect({ stream: c.natsStream, prefix: c.natsSubjectPrefix, url: c.natsUrl, group: c.mqttShareGroup, heartbeat: c.streamHeartbeatMs }).toEqual({
      stream: 'MACAU_EVENTS',
      prefix: 'macau.shouwang',
      url: 'nats://n:4222',
      group: '',
      heartbeat: 500,
    });
  });

  it('refuses names NATS would not accept', () => {
    expect(() => checkNames('SHOUWANG_EVENTS', 'shouwang')).not.toThrow();
    expect(() => checkNames('A-b_1', 'city-1.shouwang')).not.toThrow();
    for (const bad of ['A.B', 'A B', 'A*', 'A>', 'a/b', '']) expect(() => checkNames(bad, 'shouwang'), bad).toThrow(/NATS_STREAM/);
    for (const bad of ['a..b', '.a', 'a.', 'a.*', 'a.>', 'a b', '']) expect(() => checkNames('S', bad), bad).toThrow(/NATS_SUBJECT_PREFIX/);
  });
});

describe.runIf(natsUp)('two deployments on one NATS', () => {
  const one = uniqueStream();
  const two = uniqueStream();
  const clash = uniqueStream();
  const buses: NatsBus[] = [];
  afterAll(async () => {
    for (const b of buses) await b.close();
    for (const n of [one, two, clash]) await deleteStream(n.streamName);
  });

  it('each sees only its own events', async () => {
    const a = await NatsBus.connect({ url: NATS_URL, streamName: one.streamName, subjectPrefix: `${one.subjectPrefix}.city` });
    const b = await NatsBus.connect({ url: NATS_URL, ...two });
    buses.push(a, b);
    const gotA: SequencedEvent[] = [];
    const gotB: SequencedEvent[] = [];
    a.subscribe((e) => gotA.push(e));
    b.subscribe((e) => gotB.push(e));
    await a.publish(event('incident', null, 'in-one'));
    await b.publish(event('incident', null, 'in-two'));
    for (let i = 0; i < 200 && (gotA.length < 1 || gotB.length < 1); i++) await sleep(10);
    await sleep(100);
    expect(gotA.map((e) => e.key)).toEqual(['in-one']);
    expect(gotB.map((e) => e.key)).toEqual(['in-two']);
  });

  it('a second stream over the same subjects, or the same stream over other subjects, is refused at start', async () => {
    await expect(NatsBus.connect({ url: NATS_URL, streamName: clash.streamName, subjectPrefix: two.subjectPrefix })).rejects.toThrow(/NATS_STREAM and NATS_SUBJECT_PREFIX/);
    await expect(NatsBus.connect({ url: NATS_URL, streamName: two.streamName, subjectPrefix: clash.subjectPrefix })).rejects.toThrow(/NATS_STREAM and NATS_SUBJECT_PREFIX/);
  });

  it('startServer uses NATS_STREAM and NATS_SUBJECT_PREFIX', async () => {
    await demoRoads();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouwang-nats-config-'));
    const names = uniqueStream();
    const { startServer } = await import('../../src/server/start.js');
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: undefined,
      demo: false,
      roadsFile: path.join(os.tmpdir(), 'shouwang-test-roads', 'roads', 'demo-macau.graph'),
      natsUrl: NATS_URL,
      natsStream: names.streamName,
      natsSubjectPrefix: names.subjectPrefix,
      mqttUrl: undefined,
      logLevel: 'silent',
    });
    try {
      const bus = server.app.ctx.bus as NatsBus;
      expect({ kind: bus.kind, stream: bus.stream, prefix: bus.prefix }).toEqual({ kind: 'nats', stream: names.streamName, prefix: names.subjectPrefix });
    } finally {
      await server.close();
      await deleteStream(names.streamName);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
