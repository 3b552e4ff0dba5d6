/** The NATS JetStream bus against the real NATS server (skipped when unreachable, required on CI). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsBus } from '../../src/modules/realtime/nats-bus.js';
import { createEventBus } from '../../src/modules/realtime/index.js';
import type { SequencedEvent } from '../../src/modules/realtime/types.js';
import { deleteStream, event, NATS_URL, natsReachable, sleep, STATION_A, STATION_B, streamServer, TestClient, uniqueStream } from './helpers.js';

const natsUp = await natsReachable();

async function until(pred: () => boolean, ms = 5000, what = 'condition') {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe.skipIf(!natsUp)('NATS JetStream event bus (real NATS)', () => {
  const names = uniqueStream();
  let a: NatsBus;
  let b: NatsBus;
  beforeAll(async () => {
    a = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'test-a' });
    b = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'test-b' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await deleteStream(names.streamName);
  });

  it('creates the stream with the documented limits', async () => {
    const bus = (await createEventBus({ natsUrl: NATS_URL, ...names })) as NatsBus;
    expect(bus.kind).toBe('nats');
    const jsm = await (await import('nats')).connect({ servers: NATS_URL }).then(async (nc) => ({ nc, jsm: await nc.jetstreamManager() }));
    const info = await jsm.jsm.streams.info(names.streamName);
    expect(info.config.subjects).toEqual([`${names.subjectPrefix}.events.>`]);
    expect(info.config.max_msgs).toBe(1_000_000);
    expect(info.config.max_age).toBe(3600 * 1e9);
    expect(info.config.storage).toBe('file');
    await jsm.nc.close();
    await bus.close();
  });

  it('delivers an event published on one instance to the other with the same seq', async () => {
    const gotA: SequencedEvent[] = [];
    const gotB: SequencedEvent[] = [];
    const ua = a.subscribe((e) => gotA.push(e));
    const ub = b.subscribe((e) => gotB.push(e));
    await a.publish(event('incident', STATION_A, 'from-a', { n: 1 }));
    await b.publish(event('alert', null, 'from-b', { n: 2 }));
    await until(() => gotA.length >= 2 && gotB.length >= 2, 5000, 'both events on both buses');
    ua();
    ub();
    expect(gotB.map((e) => [e.seq, e.type, e.key, e.unitPath])).toEqual(gotA.map((e) => [e.seq, e.type, e.key, e.unitPath]));
    expect(gotB[0]).toMatchObject({ type: 'incident', key: 'from-a', data: { n: 1 } });
    expect(gotA[1].seq).toBe(gotA[0].seq + 1);
    expect(a.lastSeq()).toBe(b.lastSeq());
  });

  it('answers since() on either instance with the same events', async () => {
    const start = a.lastSeq();
    for (let i = 0; i < 20; i++) await (i % 2 ? a : b).publish(event('unit_status', STATION_B, `u${i}`, { i }));
    await until(() => a.lastSeq() === start + 20 && b.lastSeq() === start + 20, 5000, 'all 20 events');
    const fromA = a.since(start + 5);
    const fromB = b.since(start + 5);
    expect(fromA.complete && fromB.complete).toBe(true);
    expect(fromA.events.map((e) => e.seq)).toEqual(fromB.events.map((e) => e.seq));
    expect(fromA.events.map((e) => e.key)).toEqual(Array.from({ length: 15 }, (_, i) => `u${i + 5}`));
  });

  it('a new instance starts at the stream’s end and fetches older events back from JetStream', async () => {
    const last = a.lastSeq();
    const c = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'test-c' });
    try {
      expect(c.lastSeq()).toBe(last);
      expect(c.since(last - 10)).toEqual({ events: [], complete: false });
      const r = await c.replay(last - 10);
      expect(r.complete).toBe(true);
      expect(r.events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => last - 9 + i));
      expect(r.events.map((e) => e.key)).toEqual(a.since(last - 10).events.map((e) => e.key));
      await b.publish(event('incident', null, 'after-c'));
      await until(() => c.lastSeq() === last + 1, 5000, 'live event on c');
      const r2 = await c.replay(last - 3);
      expect(r2.events.map((e) => e.seq)).toEqual([last - 2, last - 1, last, last + 1]);
      // A seq the stream has not reached: nothing yet, but not a resync.
      expect(await c.replay(last + 1)).toEqual({ events: [], complete: true });
      // A seq far beyond the stream (recreated stream): resync.
      expect((await c.replay(last + 1_000_000)).complete).toBe(false);
    } finally {
      await c.close();
    }
  });
});

describe.skipIf(!natsUp)('event stream on two server instances over NATS', () => {
  const names = uniqueStream();
  let busA: NatsBus;
  let busB: NatsBus;
  let srvA: Awaited<ReturnType<typeof streamServer>>;
  let srvB: Awaited<ReturnType<typeof streamServer>>;
  const auth = (who: string) => ({ authorization: `Bearer ${who}` });

  beforeAll(async () => {
    busA = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'inst-a' });
    busB = await NatsBus.connect({ url: NATS_URL, ...names, connectionName: 'inst-b' });
    srvA = await streamServer({ bus: busA });
    srvB = await streamServer({ bus: busB });
  });
  afterAll(async () => {
    await srvA?.close();
    await srvB?.close();
    await busA?.close();
    await busB?.close();
    await deleteStream(names.streamName);
  });

  it('a console on instance A sees an incident created on instance B (and its jurisdiction filter holds)', async () => {
    const station = await TestClient.open(srvA.url, auth('stationA'));
    const other = await TestClient.open(srvA.url, auth('stationB'));
    await Promise.all([station.waitFor((x) => x.messages.length >= 1), other.waitFor((x) => x.messages.length >= 1)]);
    await busB.publish(event('incident', STATION_A, 'created-on-b', { priority: 'P2' }));
    await busB.publish(event('alert', null, 'for-all'));
    await station.waitFor((x) => x.events().length >= 2, 5000, 'events from B');
    await other.waitFor((x) => x.events().length >= 1, 5000, 'alert from B');
    expect(station.events().map((m) => m.key)).toEqual(['created-on-b', 'for-all']);
    expect(other.events().map((m) => m.key)).toEqual(['for-all']);
    expect(station.events()[0].seq).toBe(busB.since(0).events.find((e) => e.key === 'created-on-b')!.seq);
    await Promise.all([station.close(), other.close()]);
  });

  it('a console dropped by instance A resumes on instance B without losing an event', async () => {
    const first = busA.lastSeq();
    const N = 600;
    const publisher = (async () => {
      for (let i = 0; i < N; i++) {
        await (i % 2 ? busA : busB).publish(event('incident', STATION_A, `r${i}`, { i }));
        if (i % 20 === 0) await sleep(2);
      }
    })();
    const c1 = await TestClient.open(srvA.url + `?since=${first}`, auth('stationA'));
    await c1.waitFor((x) => x.events().length >= 150, 10_000);
    c1.ws.terminate();
    await sleep(20);
    const seen = new Set(c1.events().map((m) => m.seq));
    const last = Math.max(...seen);
    const c2 = await TestClient.open(srvB.url + `?since=${last}`, auth('stationA'));
    await publisher;
    // Each instance learns the other's last events from the stream a moment later: wait until one knows them all.
    for (let t = 0; t < 500 && Math.max(busA.lastSeq(), busB.lastSeq()) < first + N; t++) await sleep(20);
    const end = busB.lastSeq() >= busA.lastSeq() ? busB.lastSeq() : busA.lastSeq();
    await c2.waitFor((x) => x.events().some((m) => m.seq === end), 10_000, `seq ${end}`);
    expect(c2.messages[0]).toMatchObject({ type: 'hello', data: { resumed: true } });
    for (const m of c2.events()) seen.add(m.seq);
    const missing: number[] = [];
    for (let s = first + 1; s <= end; s++) if (!seen.has(s)) missing.push(s);
    expect(missing).toEqual([]);
    expect(end - first).toBe(N);
    await c2.close();
  });
});
