import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestApp, ORIGIN, sessionCookie, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { sessions, users } from '../../src/db/schema.js';
import { forgetCachedSessions } from '../../src/modules/auth/service.js';

describe.each(testDrivers())('sign-in, sessions and tokens on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  const login = (username: string, password: string, lang = 'zh-CN') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, headers: { origin: ORIGIN, 'accept-language': lang } });

  it('signs in with an HttpOnly SameSite=Strict cookie and answers /me with roles and unit', async () => {
    const res = await login('dispatcher', 'shouwang-demo');
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'sw_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(res.json().user.roles).toEqual(['dispatcher']);
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: sessionCookie(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'dispatcher', roles: ['dispatcher'], unit: { kind: 'bureau' } });
  });

  it('answers 401 without a session, in the caller’s language', async () => {
    const zh = await t.app.inject({ url: '/api/v1/me' });
    expect(zh.statusCode).toBe(401);
    expect(zh.json().error.code).toBe('unauthenticated');
    expect(zh.json().error.message).toBe('请先登录');
    const en = await t.app.inject({ url: '/api/v1/me', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.json().error.message).toBe('Sign-in required');
  });

  it('refuses wrong passwords and locks the account for 10 minutes after 5 failures', async () => {
    for (let i = 0; i < 4; i++) expect((await login('analyst', 'wrong-password')).statusCode).toBe(401);
    const fifth = await login('analyst', 'wrong-password', 'en');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('account_locked');
    // Locked: even the right password is refused.
    expect((await login('analyst', 'shouwang-demo')).statusCode).toBe(423);
    const [u] = await t.database.db.select().from(users).where(eq(users.username, 'analyst'));
    const minutes = (u.lockedUntil!.getTime() - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(9.5);
    expect(minutes).toBeLessThanOrEqual(10);
    // When the lock has passed, the right password works again.
    await t.database.db.update(users).set({ lockedUntil: new Date(Date.now() - 1000) }).where(eq(users.username, 'analyst'));
    expect((await login('analyst', 'shouwang-demo')).statusCode).toBe(200);
  });

  it('ends a session idle for more than 30 minutes', async () => {
    const headers = await t.login('officer');
    expect((await t.app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(200);
    await t.database.db.update(sessions).set({ lastSeenAt: sql`now() - interval '31 minutes'` });
    forgetCachedSessions(); // the rows changed behind the server's back, as 31 minutes of silence would
    const res = await t.app.inject({ url: '/api/v1/me', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('session_expired');
  });

  it('keeps a session alive while it is used within 30 minutes', async () => {
    const headers = await t.login('chief');
    await t.database.db.update(sessions).set({ lastSeenAt: sql`now() - interval '29 minutes'` });
    forgetCachedSessions();
    expect((await t.app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(200);
  });

  it('rejects cookie writes from another origin or without one (CSRF)', async () => {
    const { cookie } = await t.login('admin');
    const body = { name: 'x', scopes: ['roads:read'], unitId: 'MO' };
    const evil = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: body, headers: { cookie, origin: 'https://evil.example' } });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().error.code).toBe('csrf_origin');
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: body, headers: { cookie } });
    expect(none.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: body, headers: { cookie, origin: ORIGIN } });
    expect(ok.statusCode).toBe(201);
  });

  it('logs out, after which the cookie no longer works', async () => {
    const headers = await t.login('mediator');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/me', headers })).statusCode).toBe(401);
  });

  it('changes the password: the old one stops working', async () => {
    const headers = await t.login('community');
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { currentPassword: 'shouwang-demo', newPassword: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.field).toBe('newPassword');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload: { currentPassword: 'shouwang-demo', newPassword: 'a-new-long-password' } });
    expect(res.statusCode).toBe(204);
    expect((await login('community', 'shouwang-demo')).statusCode).toBe(401);
    expect((await login('community', 'a-new-long-password')).statusCode).toBe(200);
  });

  it('API tokens: shown once, stored hashed, limited to their scopes, revocable', async () => {
    const admin = await t.login('admin');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: admin, payload: { name: 'alarm gateway', scopes: ['org:read'], unitId: 'MO' } });
    expect(created.statusCode).toBe(201);
    const { token, item } = created.json();
    expect(token).toMatch(/^sw_/);
    const list = await t.app.inject({ url: '/api/v1/tokens', headers: admin });
    expect(JSON.stringify(list.json())).not.toContain(token);
    const bearer = { authorization: `Bearer ${token}` };
    // In scope: the organisation; out of scope: users and the audit log.
    expect((await t.app.inject({ url: '/api/v1/org/units', headers: bearer })).statusCode).toBe(200);
    const denied = await t.app.inject({ url: '/api/v1/audit', headers: bearer });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('forbidden_scope');
    expect((await t.app.inject({ url: '/api/v1/users', headers: bearer })).statusCode).toBe(403);
    // Bearer writes need no Origin (no cookie rides along), but a bad token is a 401.
    expect((await t.app.inject({ url: '/api/v1/org/units', headers: { authorization: 'Bearer sw_nope' } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/tokens/${item.id}/revoke`, headers: admin })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/org/units', headers: bearer })).statusCode).toBe(401);
  });
});
