/**
 * Issue 9 L10: the documented 2,000-point coverage and ETA requests do not fit in a URL (request lines
 * over 16 KB are refused before the API), so both routes also take their parameters as a POST body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

describe('roads: parameters in a POST body', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    headers = await t.login('dispatcher');
  });
  afterAll(() => t?.close());

  const points = (n: number) => Array.from({ length: n }, (_, i) => `${(113.54 + (i % 40) * 0.0005).toFixed(5)},${(22.19 + Math.floor(i / 40) * 0.0004).toFixed(5)}`).join(';');

  it('coverage for 2,000 origins: too long for a URL, answered as a POST', async () => {
    const origins = points(2000);
    expect(`/api/v1/roads/coverage?origins=${origins}`.length).toBeGreaterThan(16 * 1024);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/roads/coverage', headers, payload: { origins } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().origins.given).toBe(2000);
  });

  it('ETA as a POST answers what the GET answers', async () => {
    const q = { to: '113.5435,22.1987', from: points(5) };
    const get = await t.app.inject({ url: `/api/v1/roads/eta?to=${q.to}&from=${q.from}`, headers });
    const post = await t.app.inject({ method: 'POST', url: '/api/v1/roads/eta', headers, payload: q });
    expect(post.statusCode).toBe(200);
    expect(post.json()).toEqual(get.json());
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/roads/eta', headers, payload: { to: '200,0', from: points(1) } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('to');
  });
});
