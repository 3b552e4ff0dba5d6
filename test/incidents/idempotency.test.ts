/**
 * Idempotency-Keys of incident creates live in the write's own transaction (issue 10): concurrent
 * requests with one key make one incident and all hear its answer; a different body under the same key
 * is refused; a key whose write never committed leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { idempotencyKeys, incidents } from '../../src/db/schema.js';

describe.each(testDrivers())('in-write Idempotency-Keys on %s', (driver) => {
  let t: TestApp;
  let calltaker: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    calltaker = await t.login('calltaker');
  });
  afterAll(() => t?.close());

  const body = (description: string) => ({ source: 'call110', categoryCode: '01010101', description, location: { lon: 113.5435, lat: 22.1987 } });
  const post = (key: string, description: string) => t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...calltaker, 'idempotency-key': key }, payload: body(description) });

  it('12 concurrent creates with one key: one incident, every answer names it', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => post('same-key-1', 'idem concurrent')));
    expect(answers.map((a) => a.statusCode).every((s) => s === 201)).toBe(true);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await t.database.db.select().from(incidents).where(eq(incidents.description, 'idem concurrent'))).toHaveLength(1);
  });

  it('a sequential retry replays; another body under the key is refused', async () => {
    const first = await post('same-key-2', 'idem retry');
    const again = await post('same-key-2', 'idem retry');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    const other = await post('same-key-2', 'something else');
    expect(other.statusCode).toBe(422);
  });

  it('a refused create leaves no key: the corrected retry with the same key goes through', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...calltaker, 'idempotency-key': 'same-key-3' }, payload: { ...body('idem refused'), categoryCode: '999999' } });
    expect(bad.statusCode).toBe(400);
    expect(await t.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'same-key-3'))).toHaveLength(0);
  });
});
