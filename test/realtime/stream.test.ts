/** The WebSocket stream end to end over a real listening server, on the in-process bus. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBus } from '../../src/modules/realtime/memory-bus.js';
import { StreamClient, type Sink } from '../../src/modules/realtime/stream-client.js';
import { BUREAU, event, PRINCIPALS, sleep, STATION_A, STATION_B, streamServer, TestClient } from './helpers.js';

describe('event stream over WebSocket (in-process bus)', () => {
  let bus: MemoryBus;
  let server: Awaited<ReturnType<typeof streamServer>>;
  const auth = (who: string) => ({ authorization: `Bearer ${who}` });

  beforeAll(async () => {
    bus = new MemoryBus({ ringSize: 20_000 });
    server = await streamServer({ bus });
  });
  afterAll(async () => {
    await server?.close();
    await bus?.close();
  });

  it('refuses an unauthenticated upgrade with 401 and a token without stream:read with 403', async () => {
    await expect(TestClient.open(server.url)).rejects.toMatchObject({ statusCode: 401 });
    await expect(TestClient.open(server.url, auth('badToken'))).rejects.toMatchObject({ statusCode: 403 });
    await expect(TestClient.open(server.url + '?since=-1', auth('bureau'))).rejects.toMatchObject({ statusCode: 400 });
    await expect(TestClient.open(server.url + '?layers=incident,weather', auth('bureau'))).rejects.toMatchObject({ statusCode: 400 });
  });

  it('answers a plain HTTP GET with 400 (upgrade needed)', async () => {
    const res = await server.app.inject({ url: '/api/v1/stream', headers: auth('bureau') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('Upgrade');
  });

  it('greets with hello carrying the latest seq, then streams events with their seq', async () => {
    await bus.publish(event('alert', null, 'before'));
    const c = await TestClient.open(server.url, auth('bureau'));
    await c.waitFor((x) => x.messages.length >= 1);
    expect(c.messages[0]).toMatchObject({ type: 'hello', seq: bus.lastSeq(), data: { resumed: false } });
    await bus.publish(event('incident', STATION_A, 'inc-1', { priority: 'P1' }));
    await c.waitFor((x) => x.events().length >= 1);
    expect(c.events()[0]).toMatchObject({ seq: bus.lastSeq(), type: 'incident', key: 'inc-1', data: { priority: 'P1' } });
    expect(typeof c.events()[0].at).toBe('string');
    await c.close();
  });

  it('filters by jurisdiction: a station user never gets another station’s events', async () => {
    const a = await TestClient.open(server.url, auth('stationA'));
    const b = await TestClient.open(server.url, auth('stationB'));
    const all = await TestClient.open(server.url, auth('bureau'));
    const med = await TestClient.open(server.url, auth('mediator'));
    await Promise.all([a, b, all, med].map((c) => c.waitFor((x) => x.messages.length >= 1)));
    await bus.publish(event('incident', STATION_A, 'in-a'));
    await bus.publish(event('incident', STATION_B, 'in-b'));
    await bus.publish(event('unit_status', STATION_A + 'G01/', 'grid-unit'));
    await bus.publish(event('alert', BUREAU, 'bureau-alert'));
    await bus.publish(event('alert', null, 'everyone'));
    await all.waitFor((x) => x.events().length >= 5);
    await a.waitFor((x) => x.events().some((m) => m.key === 'everyone'));
    await b.waitFor((x) => x.events().some((m) => m.key === 'everyone'));
    await med.waitFor((x) => x.events().some((m) => m.key === 'everyone'));
    expect(all.events().map((m) => m.key)).toEqual(['in-a', 'in-b', 'grid-unit', 'bureau-alert', 'everyone']);
    expect(a.events().map((m) => m.key)).toEqual(['in-a', 'grid-unit', 'everyone']);
    expect(b.events().map((m) => m.key)).toEqual(['in-b', 'everyone']);
    expect(med.events().map((m) => m.key)).toEqual(['everyone']);
    await Promise.all([a, b, all, med].map((c) => c.close()));
  });

  it('filters by the layers asked for, in the query and by message', async () => {
    const c = await TestClient.open(server.url + '?layers=incident,alert', auth('bureau'));
    await c.waitFor((x) => x.messages.length >= 1);
    expect(c.messages[0].data).toMatchObject({ layers: ['incident', 'alert'] });
    await bus.publish(event('unit_status', null, 'st-1'));
    await bus.publish(event('incident', null, 'in-1'));
    await bus.publish(event('unit_position', null, 'pos-1'));
    await c.waitFor((x) => x.events().length >= 1);
    c.send({ layers: ['unit_status'] });
    await c.waitFor((x) => x.messages.some((m) => m.type === 'layers'));
    await bus.publish(event('incident', null, 'in-2'));
    await bus.publish(event('unit_status', null, 'st-2'));
    await c.waitFor((x) => x.events().length >= 2);
    expect(c.events().map((m) => m.key)).toEqual(['in-1', 'st-2']);
    c.send({ layers: ['weather'] });
    c.send({ nonsense: 1 });
    c.send('not json at all');
    await c.waitFor((x) => x.messages.filter((m) => m.type === 'error').length >= 3);
    await c.close();
  });

  it('thins positions to one per second per unit, keeping the last one', async () => {
    const c = await TestClient.open(server.url + '?layers=unit_position', auth('bureau'));
    await c.waitFor((x) => x.messages.length >= 1);
    for (let i = 1; i <= 10; i++) {
      await bus.publish(event('unit_position', STATION_A, 'car-7', { n: i }));
      await bus.publish(event('unit_position', STATION_A, 'car-8', { n: i }));
      await sleep(95);
    }
    await sleep(1200);
    const car7 = c.events('unit_position').filter((m) => m.key === 'car-7');
    const car8 = c.events('unit_position').filter((m) => m.key === 'car-8');
    expect(car7.length).toBeGreaterThanOrEqual(1);
    expect(car7.length).toBeLessThanOrEqual(2);
    expect(car7[car7.length - 1].data).toMatchObject({ n: 10 });
    expect(car7[0].data).toMatchObject({ n: 1 });
    expect(car8[car8.length - 1].data).toMatchObject({ n: 10 });
    expect(car8.length).toBeLessThanOrEqual(2);
    await c.close();
  });

  it('loses nothing across a reconnect: resume with ?since= and with {"since"}', async () => {
    const first = bus.lastSeq();
    const N = 1500;
    let publishing = true;
    const publisher = (async () => {
      for (let i = 0; i < N; i++) {
        await bus.publish(event(i % 3 ? 'incident' : 'unit_status', STATION_A, `e${i}`, { i }));
        if (i % 10 === 0) await sleep(1);
      }
      publishing = false;
    })();
    const seen = new Set<number>();
    let last = first;
    const collect = (c: TestClient) => {
      for (const m of c.events()) {
        seen.add(m.seq);
        last = Math.max(last, m.seq);
      }
    };
    // 1st connection, killed mid-stream.
    const c1 = await TestClient.open(server.url + `?since=${first}`, auth('stationA'));
    await c1.waitFor((x) => x.events().length >= 300, 10_000);
    c1.ws.terminate();
    await sleep(20);
    collect(c1);
    expect(publishing).toBe(true);
    // 2nd connection resumes in the query string, killed too.
    const c2 = await TestClient.open(server.url + `?since=${last}`, auth('stationA'));
    await c2.waitFor((x) => x.messages.length >= 1);
    expect(c2.messages[0]).toMatchObject({ type: 'hello', data: { resumed: true } });
    await c2.waitFor((x) => x.events().length >= 300, 10_000);
    c2.ws.terminate();
    await sleep(20);
    collect(c2);
    // 3rd connection resumes by message.
    const c3 = await TestClient.open(server.url, auth('stationA'));
    await c3.waitFor((x) => x.messages.length >= 1);
    c3.send({ since: last });
    await publisher;
    const end = bus.lastSeq();
    await c3.waitFor((x) => x.events().some((m) => m.seq === end), 10_000, `seq ${end}`);
    collect(c3);
    const missing: number[] = [];
    for (let s = first + 1; s <= end; s++) if (!seen.has(s)) missing.push(s);
    expect(missing).toEqual([]);
    expect(end - first).toBe(N);
    // Each connection got its events without duplicates, and in order when it resumed on connecting
    // (c3 got live events before it asked to resume: the replayed ones come after them).
    for (const c of [c1, c2, c3]) {
      const seqs = c.events().map((m) => m.seq).filter((s) => s > first);
      if (c !== c3) expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    await c3.close();
  });

  it('re-sends the last position of each unit held back when the connection died', async () => {
    const c1 = await TestClient.open(server.url + '?layers=unit_position,incident', auth('bureau'));
    await c1.waitFor((x) => x.messages.length >= 1);
    await bus.publish(event('unit_position', STATION_A, 'car-9', { n: 1 }));
    await bus.publish(event('unit_position', STATION_A, 'car-9', { n: 2 })); // held by thinning
    await bus.publish(event('incident', STATION_A, 'in-after'));
    await c1.waitFor((x) => x.events().some((m) => m.key === 'in-after'));
    c1.ws.terminate();
    const last = Math.max(...c1.events().map((m) => m.seq));
    expect(c1.events().filter((m) => m.key === 'car-9').map((m) => (m.data as { n: number }).n)).toEqual([1]);
    const c2 = await TestClient.open(server.url + `?since=${last}&layers=unit_position,incident`, auth('bureau'));
    await c2.waitFor((x) => x.events().some((m) => m.key === 'car-9'));
    expect(c2.events().find((m) => m.key === 'car-9')!.data).toMatchObject({ n: 2 });
    await c2.close();
  });

  it('asks for a full resync when the missed events are no longer held', async () => {
    const small = new MemoryBus({ ringSize: 10 });
    const s = await streamServer({ bus: small });
    try {
      for (let i = 0; i < 30; i++) await small.publish(event('incident', null, `x${i}`));
      const c = await TestClient.open(s.url + '?since=5', auth('bureau'));
      await c.waitFor((x) => x.messages.length >= 2);
      expect(c.messages[0]).toMatchObject({ type: 'hello', seq: 30, data: { resumed: false } });
      expect(c.messages[1]).toMatchObject({ type: 'resync', seq: 30 });
      await small.publish(event('incident', null, 'live'));
      await c.waitFor((x) => x.events().length >= 1);
      expect(c.events().map((m) => [m.seq, m.key])).toEqual([[31, 'live']]);
      // A seq from a previous life of the server (restarted in-process bus) also means resync.
      const d = await TestClient.open(s.url + '?since=5000', auth('bureau'));
      await d.waitFor((x) => x.messages.length >= 2);
      expect(d.messages[1].type).toBe('resync');
      await Promise.all([c.close(), d.close()]);
    } finally {
      await s.close();
      await small.close();
    }
  });

  it('drops a client that does not keep up (backpressure) and pings idle ones', async () => {
    const b = new MemoryBus();
    let buffered = 0;
    const dropped: string[] = [];
    const sent: string[] = [];
    const sink: Sink = {
      get bufferedAmount() {
        return buffered;
      },
      send: (t) => sent.push(t),
      drop: (r) => dropped.push(r),
    };
    const client = new StreamClient(b, PRINCIPALS.bureau, sink, undefined, { maxBufferedBytes: 1000 });
    await client.start();
    await b.publish(event('incident', null, 'one'));
    buffered = 5000;
    await b.publish(event('incident', null, 'two'));
    expect(sent.length).toBe(2); // hello + one
    expect(dropped).toEqual(['backpressure']);
    await b.publish(event('incident', null, 'three'));
    expect(sent.length).toBe(2);

    const s = await streamServer({ bus: b, heartbeatMs: 100 });
    try {
      const c = await TestClient.open(s.url, auth('bureau'));
      let pings = 0;
      c.ws.on('ping', () => pings++);
      await sleep(450);
      expect(pings).toBeGreaterThanOrEqual(2);
      expect(c.ws.readyState).toBe(c.ws.OPEN);
      await c.close();
    } finally {
      await s.close();
    }
  });
});
