/**
 * Bad input gets a clear 4xx in the one error shape, never a 500: every route with a body is fed
 * malformed JSON, wrong types, unknown fields, oversized bodies and random values (fast-check).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawQuery } from '../../src/db/client.js';
import { sweepIdempotencyKeys } from '../../src/server/hooks.js';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';

function expectErrorShape(res: { statusCode: number; body: string }, where: string) {
  expect(res.statusCode, `${where}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${where}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
  const body = JSON.parse(res.body);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
}

describe.each(testDrivers())('error shape and the no-500 rule on %s', (driver) => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    admin = await t.login('admin');
  });
  afterAll(() => t?.close());

  const writeRoutes = () => t.app.routeTable.filter((r) => r.url.startsWith('/api/v1/') && r.hasBody && r.url !== '/api/v1/auth/password');
  const urlOf = (u: string) => u.replace(/:(\w+)/g, 'MO');

  it('names the missing field and speaks the caller’s language', async () => {
    const zh = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { username: 'abc' } });
    expect(zh.statusCode).toBe(400);
    expect(zh.json().error).toMatchObject({ code: 'required', field: 'displayName' });
    expect(zh.json().error.message).toContain('缺少必填字段');
    const en = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { ...admin, 'accept-language': 'en' }, payload: { username: 'abc' } });
    expect(en.json().error.message).toBe('Missing required field displayName');
  });

  it('rejects unknown fields by name', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/org/units/MO', headers: admin, payload: { name: 'x', colour: 'red' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'unknown_field', field: 'colour' });
  });

  it('over-long text names the field and the limit', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: '/api/v1/org/units/MO', headers: { ...admin, 'accept-language': 'en' }, payload: { name: 'x'.repeat(101) } });
    expect(res.json().error).toMatchObject({ code: 'too_long', field: 'name' });
    expect(res.json().error.message).toContain('100');
  });

  it('malformed JSON, wrong content type, empty and oversized bodies are 4xx on every write route', async () => {
    for (const r of writeRoutes()) {
      const url = urlOf(r.url);
      const method = r.method as 'POST';
      expectErrorShape(await t.app.inject({ method, url, headers: { ...admin, 'content-type': 'application/json' }, payload: '{"a": ' }), `${r.url} bad json`);
      expectErrorShape(await t.app.inject({ method, url, headers: { ...admin, 'content-type': 'text/plain' }, payload: 'hello' }), `${r.url} text`);
      expectErrorShape(await t.app.inject({ method, url, headers: { ...admin, 'content-type': 'application/json' }, payload: '' }), `${r.url} empty`);
      expectErrorShape(await t.app.inject({ method, url, headers: { ...admin, 'content-type': 'application/json' }, payload: JSON.stringify({ x: 'y'.repeat(1_100_000) }) }), `${r.url} huge`);
    }
  });

  it('random JSON values on every write route never yield a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writeRoutes()), fc.jsonValue({ maxDepth: 3 }), async (r, value) => {
        const res = await t.app.inject({ method: r.method as 'POST', url: urlOf(r.url), headers: { ...admin, 'content-type': 'application/json' }, payload: JSON.stringify(value) });
        expect(res.statusCode, `${r.method} ${r.url} ${JSON.stringify(value).slice(0, 100)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expectErrorShape(res, r.url);
      }),
      { numRuns: 150, seed: 110 },
    );
  });

  it('random query strings on every GET route never yield a 500', async () => {
    const gets = t.app.routeTable.filter((r) => r.url.startsWith('/api/v1/') && r.method === 'GET');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...gets), fc.dictionary(fc.constantFrom('limit', 'offset', 'q', 'kind', 'from', 'to', 'role', 'outcome', 'bbox', 'origins', 'bands'), fc.string({ maxLength: 30 })), async (r, q) => {
        const qs = new URLSearchParams(q).toString();
        const res = await t.app.inject({ url: `${urlOf(r.url)}?${qs}`, headers: admin });
        expect(res.statusCode, `${r.url}?${qs} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('unknown routes are a 404 in the error shape', async () => {
    const res = await t.app.inject({ url: '/api/v1/nothing-here', headers: admin });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('route_not_found');
  });
});

describe.each(testDrivers())('idempotent retries on %s', (driver) => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    admin = await t.login('admin');
  });
  afterAll(() => t?.close());

  it('a retry with the same Idempotency-Key returns the first answer and creates nothing new', async () => {
    const payload = { username: 'retry_user', displayName: 'Retry', password: 'password-123', roles: ['officer'], unitId: 'MO' };
    const headers = { ...admin, 'idempotency-key': 'k-123' };
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers, payload });
    expect(first.statusCode).toBe(201);
    const second = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers, payload });
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    const list = await t.app.inject({ url: '/api/v1/users?q=retry_user', headers: admin });
    expect(list.json().total).toBe(1);
    // Without the key the same body is a new request: here a duplicate username.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload })).statusCode).toBe(409);
  });

  it('the same key with a different body is refused', async () => {
    const headers = { ...admin, 'idempotency-key': 'k-456' };
    await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: { name: 'a', scopes: ['org:read'], unitId: 'MO' } });
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: { name: 'b', scopes: ['org:read'], unitId: 'MO' } });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_mismatch');
  });

  it('concurrent retries create one record', async () => {
    const payload = { name: 'concurrent', scopes: ['org:read'], unitId: 'MO' };
    const headers = { ...admin, 'idempotency-key': 'k-789' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload })));
    expect(answers.every((a) => a.statusCode === 201 || a.statusCode === 409)).toBe(true);
    const list = await t.app.inject({ url: '/api/v1/tokens', headers: admin });
    expect(list.json().items.filter((i: { name: string }) => i.name === 'concurrent')).toHaveLength(1);
  });

  it('keys older than the retention are swept; recent ones stay', async () => {
    const headers = { ...admin, 'idempotency-key': 'k-recent' };
    await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: { name: 'recent', scopes: ['org:read'], unitId: 'MO' } });
    await rawQuery(t.database.db, `insert into idempotency_keys (principal, key, method, path, request_hash, state, created_at)
      select 'user:old', 'old-' || g, 'POST', '/x', 'h', 'done', now() - interval '25 hours' from generate_series(1, 6000) g`);
    expect(await sweepIdempotencyKeys(t.database.db, 24)).toBe(6000);
    const left = await rawQuery<{ key: string }>(t.database.db, 'select key from idempotency_keys');
    expect(left.map((r) => r.key)).toContain('k-recent');
    expect(left.some((r) => r.key.startsWith('old-'))).toBe(false);
  });
});
