/**
 * Issue 9, input and transport: deep JSON (M1), lone surrogates (M3) and NUL in path parameters (L1)
 * answer 400 naming the field; our own request ids (L6); security headers (L8); silent connections
 * closed (M12); an undecodable path in the one error shape (L10); a key whose write committed is never
 * released, even when building the answer fails (H2).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, ORIGIN, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { IncidentService } from '../../src/modules/incidents/service.js';
import { auditLog, incidents } from '../../src/db/schema.js';
import { eq } from 'drizzle-orm';

const incident = (description: string) => ({ source: 'call110', categoryCode: '01010101', location: { lon: 113.5435, lat: 22.1987 }, description, caller: { phone: '13800138000' } });

describe.each(testDrivers())('input and transport on %s', (driver) => {
  let t: TestApp;
  let calltaker: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(driver);
    calltaker = await t.login('calltaker');
  });
  afterAll(() => t?.close());

  it('M1: a body nested 100,000 deep answers 400 on every body route, never 500', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const deepObject = `{"description":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
    const bad: string[] = [];
    const bodyRoutes = t.app.routeTable.filter((r) => r.url.startsWith('/api/v1/') && r.hasBody);
    expect(bodyRoutes.length).toBeGreaterThan(20);
    for (const route of bodyRoutes) {
      const url = route.url.replace(/:(\w+)/g, 'x1');
      for (const payload of [deep, deepObject]) {
        const res = await t.app.inject({ method: route.method as 'POST', url, headers: { ...calltaker, 'content-type': 'application/json' }, payload });
        if (res.statusCode >= 500) bad.push(`${route.method} ${url} → ${res.statusCode}`);
      }
    }
    expect(bad).toEqual([]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...calltaker, 'content-type': 'application/json' }, payload: deepObject });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toMatch(/^description/);
  });

  it('M3: a lone surrogate in a name, description or username answers 400 naming the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...calltaker, 'content-type': 'application/json' }, payload: JSON.stringify(incident('x')).replace('"description":"x"', '"description":"a\\ud800b"') });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('description');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: ORIGIN, 'content-type': 'application/json', 'accept-language': 'en' }, payload: '{"username":"\\udc00","password":"x"}' });
    expect(login.statusCode).toBe(400);
    expect(login.json().error).toMatchObject({ code: 'invalid_value', field: 'username' });
    expect(login.json().error.message).toContain('username');
  });

  it('L1: NUL in a path parameter answers 400, not 500', async () => {
    const res = await t.app.inject({ url: '/api/v1/incidents/abc%00def', headers: calltaker });
    expect(res.statusCode).toBe(400);
    const res2 = await t.app.inject({ url: '/api/v1/hotline/orders/abc%00def', headers: await t.login('admin') });
    expect(res2.statusCode).toBe(400);
  });

  it('L6: a client X-Request-ID is recorded beside our own id, never used as it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...calltaker, 'x-request-id': 'forged-id-1' }, payload: incident('l6') });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-request-id']).not.toBe('forged-id-1');
    const [row] = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, res.json().id));
    expect(row.requestId).toBe(res.headers['x-request-id']);
    expect(row.detail).toMatchObject({ clientRequestId: 'forged-id-1' });
  });

  it('L8: answers carry nosniff, frame-ancestors and a CSP; API answers are not cached', async () => {
    const res = await t.app.inject({ url: '/api/v1/incidents', headers: calltaker });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    const page = await t.app.inject({ url: '/healthz' });
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('L10: an undecodable path answers 400 in the one error shape', async () => {
    const res = await t.app.inject({ url: '/api/v1/incidents/%ED%A0%80', headers: calltaker });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_value');
  });

  it('H2: when building the answer fails after the write committed, the key is kept and a retry does not create again', async () => {
    const proto = IncidentService.prototype as unknown as { createdAnswer: (...a: unknown[]) => unknown };
    const original = proto.createdAnswer;
    let failures = 0;
    proto.createdAnswer = function (...args: unknown[]) {
      if (failures++ < 1) throw new Error('fault injected after commit');
      return original.apply(this, args);
    };
    try {
      const headers = { ...calltaker, 'idempotency-key': 'h2-after-commit' };
      const first = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers, payload: incident('h2 after commit') });
      expect(first.statusCode).toBe(500);
      const second = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers, payload: incident('h2 after commit') });
      const third = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers, payload: incident('h2 after commit') });
      expect(second.statusCode).toBe(201);
      expect(third.json().id).toBe(second.json().id);
      const rows = await t.database.db.select().from(incidents).where(eq(incidents.description, 'h2 after commit'));
      expect(rows).toHaveLength(1);
    } finally {
      proto.createdAnswer = original;
    }
  });
});

describe('M12: silent connections are closed', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp('pglite', { config: { requestTimeoutMs: 1500 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  afterAll(() => t?.close());

  it('a TCP connection that never sends a byte is closed by the server', async () => {
    const closedByServer = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      const giveUp = setTimeout(() => {
        s.destroy();
        resolve(false);
      }, 20_000);
      s.on('close', () => {
        clearTimeout(giveUp);
        resolve(true);
      });
      s.on('error', () => {});
    });
    expect(closedByServer).toBe(true);
  });

  it('a request whose headers never end is closed', async () => {
    const answer = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
      let got = '';
      const giveUp = setTimeout(() => {
        s.destroy();
        resolve('still open');
      }, 20_000);
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => {
        clearTimeout(giveUp);
        resolve(got || 'closed');
      });
      s.on('error', () => {});
    });
    expect(answer).not.toBe('still open');
  });
});

describe('dates are explained, not shown as a regular expression', () => {
  it('an unstorable date names the field and the expected form', async () => {
    const t = await createTestApp('pglite', { seed: true });
    try {
      const res = await t.app.inject({ url: '/api/v1/incidents?from=0000-01-01T00:00:00Z', headers: { ...(await t.login('calltaker')), 'accept-language': 'en' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('from');
      expect(res.json().error.message).toContain('RFC 3339');
      expect(res.json().error.message).not.toContain('\\d');
    } finally {
      await t.close();
    }
  });
});
