import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../../src/modules/realtime/memory-bus.js';
import { createEventBus } from '../../src/modules/realtime/index.js';
import { EventRing } from '../../src/modules/realtime/ring.js';
import type { SequencedEvent } from '../../src/modules/realtime/types.js';
import { event } from './helpers.js';

describe('in-process event bus', () => {
  it('numbers events from 1 and delivers them to every subscriber in order', async () => {
    const bus = new MemoryBus();
    const a: SequencedEvent[] = [];
    const b: number[] = [];
    bus.subscribe((e) => a.push(e));
    const unsub = bus.subscribe((e) => b.push(e.seq));
    expect(bus.lastSeq()).toBe(0);
    await bus.publish(event('incident', '/MO/', 'i1'));
    await bus.publish(event('alert', null, 'a1'));
    unsub();
    await bus.publish(event('unit_status', '/MO/', 'u1'));
    expect(a.map((e) => [e.seq, e.type, e.key])).toEqual([
      [1, 'incident', 'i1'],
      [2, 'alert', 'a1'],
      [3, 'unit_status', 'u1'],
    ]);
    expect(b).toEqual([1, 2]);
    expect(bus.lastSeq()).toBe(3);
  });

  it('keeps going when one subscriber throws', async () => {
    const logs: string[] = [];
    const bus = new MemoryBus({ log: (m) => logs.push(m) });
    const got: number[] = [];
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((e) => got.push(e.seq));
    await bus.publish(event('incident', null, 'x'));
    expect(got).toEqual([1]);
    expect(logs[0]).toMatch(/boom/);
  });

  it('answers since() with the events after a seq', async () => {
    const bus = new MemoryBus();
    for (let i = 0; i < 10; i++) await bus.publish(event('incident', null, `i${i}`));
    expect(bus.since(0)).toMatchObject({ complete: true });
    expect(bus.since(0).events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(bus.since(7).events.map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(bus.since(10)).toEqual({ events: [], complete: true });
    // A seq the bus never issued: the client saw an earlier life of the server.
    expect(bus.since(11).complete).toBe(false);
  });

  it('drops the oldest events beyond the ring size and says so', async () => {
    const bus = new MemoryBus({ ringSize: 5 });
    for (let i = 0; i < 12; i++) await bus.publish(event('incident', null, `i${i}`));
    expect(bus.since(7)).toMatchObject({ complete: true });
    expect(bus.since(7).events.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    const old = bus.since(6);
    expect(old.complete).toBe(false);
    expect(old.events.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(bus.since(0).complete).toBe(false);
    expect(bus.lastSeq()).toBe(12);
  });

  it('defaults to a 50,000-event ring', async () => {
    const bus = new MemoryBus();
    for (let i = 0; i < 50_010; i++) await bus.publish(event('unit_position', null, 'u'));
    expect(bus.since(10).complete).toBe(true);
    expect(bus.since(10).events.length).toBe(50_000);
    expect(bus.since(9).complete).toBe(false);
  });

  it('is what createEventBus gives without a NATS URL', async () => {
    const bus = await createEventBus({});
    expect(bus.kind).toBe('memory');
    await bus.close();
    await expect(bus.publish(event('alert', null, 'x'))).rejects.toThrow(/closed/);
  });
});

describe('event ring', () => {
  const ev = (seq: number): SequencedEvent => ({ seq, type: 'incident', unitPath: null, key: String(seq), at: '', data: null });

  it('finds events after a seq across the wrap-around and with gaps', () => {
    const r = new EventRing(4, 100);
    expect(r.since(100)).toEqual({ events: [], complete: true });
    expect(r.since(99).complete).toBe(false);
    for (const s of [101, 102, 105, 106, 107, 109]) r.push(ev(s));
    expect(r.floor).toBe(102);
    expect(r.since(104).events.map((e) => e.seq)).toEqual([105, 106, 107, 109]);
    expect(r.since(106).events.map((e) => e.seq)).toEqual([107, 109]);
    expect(r.since(102).complete).toBe(true);
    expect(r.since(101).complete).toBe(false);
    expect(r.push(ev(109))).toBe(false);
    expect(r.last).toBe(109);
  });
});
