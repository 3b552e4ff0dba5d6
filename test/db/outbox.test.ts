/**
 * The outbox relay and the write unit on both drivers: a committed write's events go out once, in
 * order, with its audit entry and Idempotency-Key answer; a rolled-back write leaves nothing; rows a
 * crashed instance left behind are taken over by another relay and rebuilt by their topic's enricher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import { rawQuery } from '../../src/db/client.js';
import { OutboxRelay, stageEvents } from '../../src/kernel/outbox.js';
import { Writes } from '../../src/kernel/write.js';
import type { BusEvent } from '../../src/modules/realtime/types.js';

describe.each(testDrivers())('outbox on %s', (driver) => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await freshDatabase(driver);
  });
  afterAll(() => d?.close());

  const rows = async () => rawQuery<{ seq: string; key: string; origin: string }>(d.db, 'select seq, key, origin from outbox order by seq');
  const pending = async (key: string) => (await rawQuery(d.db, 'select 1 from audit_pending where request_key = $1', [key])).length;

  it('delivers a committed write’s events in order, with its audit entry and key answer in the same transaction', async () => {
    const seen: BusEvent[] = [];
    const handled: unknown[] = [];
    const relay = new OutboxRelay({ db: d.db, publish: (e) => void seen.push(e), origin: 'A' });
    relay.on('alert', (_e, local) => void handled.push(local));
    const writes = new Writes(d.db, relay);
    const idem = { principal: 'user:u1', key: 'k-1', method: 'POST', path: '/x', requestHash: 'h' };
    const out = await writes.request({ status: 201, idempotency: idem, audit: { key: 'req-1', entry: (id) => ({ action: 'x', entityId: id }) } }, async (w) => {
      w.emit({ topic: 'alert', key: 'a1', event: 'raised', unitPath: null, data: { n: 1 } }, 'local-1');
      w.emit({ topic: 'alert', key: 'a1', event: 'acked', unitPath: null, data: { n: 2 } });
      w.entity('a1');
      return { ok: true };
    });
    expect(out).toMatchObject({ replayed: false, value: { ok: true }, entityId: 'a1' });
    expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
    expect(handled).toEqual(['local-1', undefined]);
    expect(await pending('req-1')).toBe(1);
    await relay.stop();
    expect(await rows()).toEqual([]); // delivered rows are deleted
    // The same key again: the stored answer, nothing run, nothing sent.
    const again = await writes.request({ status: 201, idempotency: idem }, async () => {
      throw new Error('must not run');
    });
    expect(again).toEqual({ replayed: true, status: 201, body: { ok: true } });
    expect(seen).toHaveLength(2);
  });

  it('a rolled-back write sends nothing and leaves no key, no audit entry and no row', async () => {
    const seen: BusEvent[] = [];
    const relay = new OutboxRelay({ db: d.db, publish: (e) => void seen.push(e), origin: 'A' });
    const writes = new Writes(d.db, relay);
    const idem = { principal: 'user:u1', key: 'k-2', method: 'POST', path: '/x', requestHash: 'h' };
    let undone = 0;
    await expect(
      writes.request({ status: 200, idempotency: idem, audit: { key: 'req-2', entry: () => ({}) } }, async (w) => {
        w.emit({ topic: 'alert', key: 'a2', event: 'raised', unitPath: null, data: {} });
        w.onRollback(() => undone++);
        await w.tx.execute('select 1');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(seen).toEqual([]);
    expect(undone).toBe(1);
    expect(await pending('req-2')).toBe(0);
    expect((await rawQuery(d.db, "select 1 from idempotency_keys where key = 'k-2'")).length).toBe(0);
    expect(await rows()).toEqual([]);
    // …so the retry runs at once.
    const retry = await writes.request({ status: 200, idempotency: idem }, async () => 'done');
    expect(retry).toMatchObject({ replayed: false, value: 'done' });
    await relay.stop();
  });

  it('leftovers of a crashed instance are taken over, rebuilt by the enricher, delivered in order, once', async () => {
    // Instance X committed these and died before delivering them.
    await d.db.transaction(async (tx) => {
      await stageEvents(tx as never, 'X', [
        { topic: 'incident', key: 'i1', event: 'created', unitPath: '/MO/', data: null },
        { topic: 'alert', key: 'a3', event: 'raised', unitPath: null, data: { n: 3 } },
        { topic: 'incident', key: 'i1', event: 'transition', unitPath: '/MO/', data: null },
      ]);
    });
    await rawQuery(d.db, "update outbox set created_at = now() - interval '1 minute'");
    const seen: BusEvent[] = [];
    const relay = new OutboxRelay({ db: d.db, publish: (e) => void seen.push(e), origin: 'B', orphanAfterMs: 5000 });
    relay.enrich('incident', async (stored) => stored.map((s) => ({ seq: s.seq, bus: { type: 'incident', unitPath: s.unitPath, key: s.key, at: s.at.toISOString(), data: { event: s.event, rebuilt: true } } })));
    expect(await relay.sweep()).toBe(3);
    expect(seen.map((e) => `${e.type}:${(e.data as { event?: string }).event ?? (e.data as { n: number }).n}`)).toEqual(['incident:created', 'alert:3', 'incident:transition']);
    expect(await rows()).toEqual([]);
    expect(await relay.sweep()).toBe(0); // nothing twice
    // A fresh row of a live instance is not taken over.
    await d.db.transaction(async (tx) => void (await stageEvents(tx as never, 'Y', [{ topic: 'alert', key: 'a4', event: 'raised', unitPath: null, data: {} }])));
    expect(await relay.sweep()).toBe(0);
    expect((await rows()).map((r) => r.origin)).toEqual(['Y']);
    await relay.stop();
  });
});
