/**
 * Issue 9, sign-in and user items: the lock-out counts atomically (H1), also counts wrong current
 * passwords (M14) and answers the same for unknown names (L5); sign-in and the event stream refuse
 * foreign origins (L3, L2); usernames are unique case-insensitively (L4), also under concurrent
 * creates (M11); the users list pages on a unique key (M10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, ORIGIN, sessionCookie, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { users } from '../../src/db/schema.js';
import { createUserFromCli } from '../../src/modules/users/bootstrap.js';
import { AppError } from '../../src/core/errors.js';

const PASSWORD = 'right-password-1';
const TRUSTED = 'https://console.example';

const statuses = (rs: LightMyRequestResponse[]) => rs.map((r) => r.statusCode);
const histogram = (rs: LightMyRequestResponse[]) => statuses(rs).reduce<Record<number, number>>((h, s) => ({ ...h, [s]: (h[s] ?? 0) + 1 }), {});

/** Opens a WebSocket; resolves with 'open' or the refused upgrade's HTTP status. */
function tryStream(url: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', reject);
  });
}

describe.each(testDrivers())('sign-in and user security on %s', (driver) => {
  let t: TestApp;
  let admin: Record<string, string>;
  let streamUrl: string;
  let ownOrigin: string;
  let n = 0;

  beforeAll(async () => {
    t = await createTestApp(driver, { roads: false, config: { trustedOrigins: [TRUSTED] } });
    admin = await t.login('admin');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    ownOrigin = address;
    streamUrl = address.replace('http', 'ws') + '/api/v1/stream';
  });
  afterAll(() => t?.close());

  const login = (username: string, password: string, headers: Record<string, string> = { origin: ORIGIN }) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers });
  const createUser = (username: string, password = PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { username, displayName: username, password, roles: ['officer'], unitId: 'MO' } });
  /** A fresh account of its own for each test (locks must not leak between tests). */
  const freshUser = async () => {
    const username = `sec${driver.slice(0, 2)}${++n}`;
    const res = await createUser(username);
    expect(res.statusCode, res.body).toBe(201);
    return username;
  };
  const lockedUntil = async (username: string) => (await t.database.db.select().from(users).where(eq(users.username, username)))[0].lockedUntil;

  describe('H1 / L5: the lock-out', () => {
    it('locks after 40 concurrent wrong passwords: at most 4 are answered 401, the rest 423, and the right password is then refused', async () => {
      const username = await freshUser();
      const all = await Promise.all(Array.from({ length: 40 }, () => login(username, 'wrong-password')));
      const h = histogram(all);
      expect(h[401] ?? 0).toBeLessThanOrEqual(t.config.maxFailedLogins - 1);
      expect((h[401] ?? 0) + (h[423] ?? 0)).toBe(40);
      expect((await lockedUntil(username))!.getTime()).toBeGreaterThan(Date.now());
      const right = await login(username, PASSWORD);
      expect(right.statusCode).toBe(423);
      expect(right.json().error.code).toBe('account_locked');
    });

    it('answers an unknown name exactly like an existing one, one at a time and concurrently', async () => {
      const known = await freshUser();
      const unknown = `nobody${driver}`;
      const seq = async (name: string) => {
        const out: string[] = [];
        for (let i = 0; i < t.config.maxFailedLogins + 1; i++) {
          const r = await login(name, 'wrong-password');
          out.push(`${r.statusCode} ${r.json().error.code}`);
        }
        return out;
      };
      const knownSeq = await seq(known);
      expect(knownSeq.at(-1)).toBe('423 account_locked');
      expect(await seq(unknown)).toEqual(knownSeq);

      const known2 = await freshUser();
      const burst = (name: string) => Promise.all(Array.from({ length: 20 }, () => login(name, 'wrong-password')));
      expect(histogram(await burst(`nobody2${driver}`))).toEqual(histogram(await burst(known2)));
    });

    it('counts upper- and lower-case spellings of one name together', async () => {
      const username = await freshUser();
      for (let i = 0; i < t.config.maxFailedLogins - 1; i++) expect((await login(i % 2 ? username.toUpperCase() : username, 'wrong')).statusCode).toBe(401);
      expect((await login(username.toUpperCase(), 'wrong')).statusCode).toBe(423);
    });
  });

  describe('M14: wrong current passwords on a password change', () => {
    it('count towards the same lock-out, also concurrently', async () => {
      const username = await freshUser();
      const { cookie } = await t.login(username, PASSWORD);
      const change = (currentPassword: string) =>
        t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie, origin: ORIGIN }, payload: { currentPassword, newPassword: 'another-password-2' } });
      const all = await Promise.all(Array.from({ length: 20 }, () => change('wrong-password')));
      const h = histogram(all);
      expect(h[400] ?? 0).toBeLessThanOrEqual(t.config.maxFailedLogins - 1);
      expect((h[400] ?? 0) + (h[423] ?? 0)).toBe(20);
      // Locked: the right current password is refused too, and so is signing in.
      expect((await change(PASSWORD)).statusCode).toBe(423);
      expect((await login(username, PASSWORD)).statusCode).toBe(423);
    });

    it('a right current password clears the count', async () => {
      const username = await freshUser();
      const { cookie } = await t.login(username, PASSWORD);
      for (let i = 0; i < t.config.maxFailedLogins - 1; i++) expect((await login(username, 'wrong')).statusCode).toBe(401);
      const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie, origin: ORIGIN }, payload: { currentPassword: PASSWORD, newPassword: 'another-password-2' } });
      expect(ok.statusCode).toBe(204);
      expect((await login(username, 'wrong')).statusCode).toBe(401);
    });
  });

  describe('L3: sign-in from a foreign origin (login CSRF)', () => {
    it('is refused with csrf_origin and sets no cookie', async () => {
      const username = await freshUser();
      const foreign: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, { referer: 'https://evil.example/page' }];
      for (const headers of foreign) {
        const res = await login(username, PASSWORD, headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
        expect(res.json().error.code).toBe('csrf_origin');
        expect(res.cookies.find((c) => c.name === 'sw_session')).toBeUndefined();
      }
    });

    it('is accepted from our own origin, a trusted one, or without any (API clients)', async () => {
      const username = await freshUser();
      const ours: Record<string, string>[] = [{ origin: ORIGIN }, { origin: TRUSTED }, { referer: `${ORIGIN}/login` }, {}];
      for (const headers of ours) {
        const res = await login(username, PASSWORD, headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(200);
        expect(sessionCookie(res)).toMatch(/^sw_session=/);
      }
    });
  });

  describe('L4 / M11: usernames', () => {
    it('are unique whatever the case; sign-in matches the lower-case name', async () => {
      for (const name of ['ADMIN', 'Admin']) {
        const res = await createUser(name);
        expect(res.statusCode, name).toBe(409);
        expect(res.json().error).toMatchObject({ code: 'duplicate', field: 'username' });
      }
      const res = await login('ADMIN', 'shouwang-demo');
      expect(res.statusCode).toBe(200);
      expect(res.json().user.username).toBe('admin');
    });

    it('10 concurrent creates of one name (in several spellings): one 201, nine 409', async () => {
      const base = `dupe${driver}`;
      const names = Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? base : i % 3 === 1 ? base.toUpperCase() : `Dupe${driver}`));
      const all = await Promise.all(names.map((name) => createUser(name)));
      expect(histogram(all)).toEqual({ 201: 1, 409: 9 });
      for (const r of all.filter((r) => r.statusCode === 409)) expect(r.json().error).toMatchObject({ code: 'duplicate', field: 'username' });
    });

    it('concurrent CLI creates of one name: one succeeds, the others are duplicates', async () => {
      const name = `cli${driver}`;
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => createUserFromCli(t.database.db, { username: i % 2 ? name.toUpperCase() : name, displayName: 'cli', password: PASSWORD, roles: ['officer'] })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r) => r.status === 'rejected')) {
        const err = (r as PromiseRejectedResult).reason as AppError;
        expect(err).toBeInstanceOf(AppError);
        expect(err.status).toBe(409);
        expect(err.code).toBe('duplicate');
      }
    });
  });

  describe('M10: the users list', () => {
    it('pages without repeating or skipping anyone', async () => {
      const full = await t.app.inject({ url: '/api/v1/users?limit=500', headers: admin });
      const { items, total } = full.json() as { items: { id: string }[]; total: number };
      expect(items).toHaveLength(total);
      const paged: string[] = [];
      for (let offset = 0; offset < total; offset += 3) {
        const page = await t.app.inject({ url: `/api/v1/users?limit=3&offset=${offset}`, headers: admin });
        paged.push(...(page.json().items as { id: string }[]).map((u) => u.id));
      }
      expect(paged).toEqual(items.map((u) => u.id));
    });
  });

  describe('L2: the event stream', () => {
    it('refuses an upgrade from a foreign origin, with a cookie or a token', async () => {
      const { cookie } = await t.login('dispatcher');
      expect(await tryStream(streamUrl, { cookie, origin: 'https://evil.example' })).toBe(403);
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'stream-origin', scopes: ['stream:read'], unitId: 'MO' } });
      const token = created.json().token as string;
      expect(await tryStream(streamUrl, { authorization: `Bearer ${token}`, origin: 'https://evil.example' })).toBe(403);
    });

    it('accepts our own origin, a trusted one, and clients that send none', async () => {
      const { cookie } = await t.login('dispatcher');
      expect(await tryStream(streamUrl, { cookie, origin: ownOrigin })).toBe('open');
      expect(await tryStream(streamUrl, { cookie, origin: TRUSTED })).toBe('open');
      expect(await tryStream(streamUrl, { cookie })).toBe('open');
    });
  });
});
