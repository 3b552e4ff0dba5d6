/**
 * Issue 9 "keep probing": every route, every field of its query string and body, each hostile value
 * class named in the issue (dates that parse but cannot be stored, NUL, lone surrogates, huge numbers,
 * wrong types, SQL and LIKE metacharacters), as a bureau admin who may call almost everything. The
 * answer may be anything but a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';

const HOSTILE: unknown[] = [
  '2016-12-31T23:59:60Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59-14:00',
  '+275760-09-13T00:00:00Z',
  'a\u0000b',
  '\ud800',
  "x' or '1'='1",
  '%_\\',
  'x'.repeat(10_000),
  1e308,
  -1e308,
  2 ** 63,
  -1,
  1.5,
  true,
  null,
  [],
  {},
];

/** The top-level properties a route's schema declares for `part`. */
function properties(schema: unknown, part: 'querystring' | 'body'): string[] {
  const s = (schema as Record<string, { properties?: Record<string, unknown> }> | undefined)?.[part];
  return s?.properties ? Object.keys(s.properties) : [];
}

describe.each(testDrivers())('hostile field values on %s', (driver) => {
  let t: TestApp;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver, { dispatch: true, addresses: true });
    admin = await t.login('admin');
  });
  afterAll(() => t?.close());

  it('no query field and no body field of any route answers 5xx', async () => {
    const failures: string[] = [];
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/v1/') && !r.url.endsWith('/stream') && !['/api/v1/auth/logout', '/api/v1/auth/password'].includes(r.url));
    let requests = 0;
    for (const route of routes) {
      const url = route.url.replace(/:(\w+)/g, 'x1');
      for (const field of properties(route.schema, 'querystring')) {
        for (const value of HOSTILE) {
          if (typeof value === 'object' && value !== null) continue;
          const qs = `${encodeURIComponent(field)}=${encodeURIComponent(String(value).replace(/[\ud800-\udfff]/g, '\ufffd'))}`;
          const res = await t.app.inject({ method: route.method as 'GET', url: `${url}?${qs}`, headers: admin, ...(route.hasBody ? { payload: {} } : {}) });
          requests++;
          if (res.statusCode >= 500) failures.push(`${route.method} ${url}?${field}=${String(value).slice(0, 30)} → ${res.statusCode} ${res.body.slice(0, 80)}`);
        }
      }
      if (!route.hasBody) continue;
      for (const field of properties(route.schema, 'body')) {
        for (const value of HOSTILE) {
          const res = await t.app.inject({ method: route.method as 'POST', url, headers: { ...admin, 'content-type': 'application/json' }, payload: JSON.stringify({ [field]: value }) });
          requests++;
          if (res.statusCode >= 500) failures.push(`${route.method} ${url} {${field}: ${JSON.stringify(value)?.slice(0, 30)}} → ${res.statusCode} ${res.body.slice(0, 80)}`);
        }
      }
    }
    expect(requests).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  });
});
