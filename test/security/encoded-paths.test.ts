/**
 * Issue 9 C1/C2/H4: the policy is decided on the matched route, never on the raw URL. Every API route is
 * requested anonymously under encoded aliases of its path (`%61pi`, `a%70i`, `%2F`, double encoding,
 * upper-case escapes): the answer is 401 or 404 (or 400 for a path the router cannot read), never a 2xx
 * and never a 5xx, and no data changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { categories } from '../../src/db/schema.js';
import { eq } from 'drizzle-orm';

/** Encoded spellings of one path that a lenient router may decode to the same route. */
export function pathAliases(path: string): string[] {
  const noSlash = path.slice(1);
  const encodeChar = (s: string, i: number, upper = false) => {
    const hex = s.charCodeAt(i).toString(16);
    return `${s.slice(0, i)}%${upper ? hex.toUpperCase() : hex}${s.slice(i + 1)}`;
  };
  return [
    `/${encodeChar(noSlash, 0)}`, // %61pi/v1/…
    `/${encodeChar(noSlash, 1)}`, // a%70i/v1/…
    `/${encodeChar(noSlash, 2, true)}`, // ap%69/v1/… (upper-case hex)
    `/${encodeChar(noSlash, 4)}`, // api/%76 1/…
    path.replace('/api/', '/%2561pi/'), // double encoding
    path.replace('/api/v1/', '/api%2Fv1/'), // encoded slash
    path.replace('/api/v1/', '/api/v1%2F'),
    path.replace('/api/v1/', '//api/v1/'),
    path.replace('/api/v1/', '/api/./v1/'),
    path.replace('/api/v1/', '/API/v1/'),
  ];
}

describe.each(testDrivers())('encoded path aliases on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver, { dispatch: true });
  });
  afterAll(() => t?.close());

  it('anonymous requests to every route under every alias answer 401/404, never 2xx or 5xx', async () => {
    const bad: string[] = [];
    const routes = t.app.routeTable.filter((r) => r.url.startsWith('/api/v1/') && r.policy !== 'public');
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, 'x1');
      for (const url of pathAliases(path)) {
        const res = await t.app.inject({ method: route.method as 'GET', url, headers: { origin: ORIGIN, 'content-type': 'application/json' }, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: '{}' }) });
        if (res.statusCode < 300 || res.statusCode >= 500 || ![400, 401, 404, 405].includes(res.statusCode)) {
          bad.push(`${route.method} ${url} → ${res.statusCode} ${res.body.slice(0, 60)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('C1: an anonymous PATCH of a category through /%61pi/ changes nothing', async () => {
    const [before] = await t.database.db.select().from(categories).where(eq(categories.code, '01010101'));
    expect(before).toBeDefined();
    const res = await t.app.inject({ method: 'PATCH', url: '/%61pi/v1/categories/01010101', headers: { 'content-type': 'application/json' }, payload: { nameEn: 'x' } });
    expect(res.statusCode).toBe(401);
    const [after] = await t.database.db.select().from(categories).where(eq(categories.code, '01010101'));
    expect(after.nameEn).toBe(before.nameEn);
  });

  it('C2: an anonymous position report through /%61pi/ moves no unit', async () => {
    const units = (await t.app.inject({ method: 'GET', url: '/api/v1/units', headers: await t.login('dispatcher') })).json().items as { id: string }[];
    expect(units.length).toBeGreaterThan(0);
    const res = await t.app.inject({ method: 'POST', url: '/%61pi/v1/units/positions', headers: { 'content-type': 'application/json' }, payload: { unitId: units[0].id, lon: 113.55, lat: 22.2 } });
    expect(res.statusCode).toBe(401);
  });

  it('an anonymous alias request leaves a denied audit row naming the matched route', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/%61pi/v1/categories', headers: { 'content-type': 'application/json' }, payload: {} });
    expect(res.statusCode).toBe(401);
    const admin = await t.login('admin');
    const audit = (await t.app.inject({ method: 'GET', url: '/api/v1/audit?outcome=denied&limit=50', headers: admin })).json().items as { action: string }[];
    expect(audit.some((a) => a.action === 'category.create')).toBe(true);
  });
});
