/** Sessions, API tokens and sign-in against the database. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiTokens, orgUnits, sessions, users } from '../../db/schema.js';
import type { Principal } from '../../core/access.js';
import { isRole, type Role } from '../../core/roles.js';
import { isIdleExpired } from './lockout.js';

export const SESSION_COOKIE = 'sw_session';
export const TOKEN_PREFIX = 'sw_';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = () => randomBytes(32).toString('base64url');

export async function createSession(db: Db, userId: string, clientIp: string, userAgent: string): Promise<string> {
  const cookieValue = secret();
  await db.insert(sessions).values({ id: sha256(cookieValue), userId, clientIp, userAgent: userAgent.slice(0, 300) });
  return cookieValue;
}

export async function endSession(db: Db, cookieValue: string) {
  sessionCache.delete(sha256(cookieValue));
  await db.update(sessions).set({ endedAt: new Date() }).where(eq(sessions.id, sha256(cookieValue)));
}

export async function endAllSessions(db: Db, userId: string) {
  for (const [id, c] of sessionCache) if (c.principal.id === userId) sessionCache.delete(id);
  await db.update(sessions).set({ endedAt: new Date() }).where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)));
}

/**
 * A few seconds of memory per session spare the database a lookup on every request of a busy console.
 * Sign-out, password change and role changes on this instance drop the entry at once; on another
 * instance (PostgreSQL deployments) they take effect within SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 5_000;
const sessionCache = new Map<string, { principal: Principal; lastSeen: Date; cachedAt: number }>();

/** For tests that change session rows behind the server's back. */
export function forgetCachedSessions() {
  sessionCache.clear();
}

type UnitRow = typeof orgUnits.$inferSelect;
type UserRow = typeof users.$inferSelect;

export function userPrincipal(u: UserRow, unit: UnitRow, sessionId?: string): Principal {
  return {
    kind: 'user',
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles.filter(isRole) as Role[],
    unitId: unit.id,
    unitPath: unit.path,
    unitKind: unit.kind,
    scopes: [],
    sessionId,
  };
}

/**
 * Resolves a session cookie. Returns the principal, or 'ended' when the session is unknown, was
 * signed out or has been idle longer than allowed (it is then closed for good).
 */
export async function principalFromSession(db: Db, cookieValue: string, idleMinutes: number, now = new Date()): Promise<Principal | 'ended'> {
  const id = sha256(cookieValue);
  const cached = sessionCache.get(id);
  if (cached && now.getTime() - cached.cachedAt < SESSION_CACHE_MS && !isIdleExpired(cached.lastSeen, now, idleMinutes)) return cached.principal;
  sessionCache.delete(id);
  const [row] = await db
    .select({ s: sessions, u: users, unit: orgUnits })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
    .where(eq(sessions.id, id));
  if (!row || row.s.endedAt || row.u.disabled) return 'ended';
  if (isIdleExpired(row.s.lastSeenAt, now, idleMinutes)) {
    await db.update(sessions).set({ endedAt: now }).where(eq(sessions.id, id));
    return 'ended';
  }
  // Touch at most every 15 s: idle expiry needs minute precision, not a write per request.
  let lastSeen = row.s.lastSeenAt;
  if (now.getTime() - lastSeen.getTime() > 15_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
    lastSeen = now;
  }
  const principal = userPrincipal(row.u, row.unit, id);
  if (sessionCache.size > 10_000) sessionCache.clear();
  sessionCache.set(id, { principal, lastSeen, cachedAt: now.getTime() });
  return principal;
}

export async function createApiToken(db: Db, input: { name: string; scopes: string[]; unitId: string; createdBy: string | null }) {
  const token = TOKEN_PREFIX + secret();
  const id = randomUUID();
  await db.insert(apiTokens).values({ id, name: input.name, prefix: token.slice(0, 10), tokenHash: sha256(token), scopes: input.scopes, unitId: input.unitId, createdBy: input.createdBy });
  return { id, token };
}

export async function principalFromToken(db: Db, token: string): Promise<Principal | null> {
  const [row] = await db
    .select({ t: apiTokens, unit: orgUnits })
    .from(apiTokens)
    .innerJoin(orgUnits, eq(orgUnits.id, apiTokens.unitId))
    .where(eq(apiTokens.tokenHash, sha256(token)));
  if (!row || row.t.revokedAt) return null;
  const now = new Date();
  if (!row.t.lastUsedAt || now.getTime() - row.t.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.t.id));
  }
  return {
    kind: 'token',
    id: row.t.id,
    username: `token:${row.t.name}`,
    displayName: row.t.name,
    roles: [],
    unitId: row.unit.id,
    unitPath: row.unit.path,
    unitKind: row.unit.kind,
    scopes: row.t.scopes,
  };
}

/** Scopes a machine client can be given. Later modules add theirs here. */
export const TOKEN_SCOPES: { id: string; zh: string; en: string }[] = [
  { id: 'roads:read', zh: '读取路网与行程时间', en: 'Read the road network and travel times' },
  { id: 'org:read', zh: '读取组织机构', en: 'Read the organisation tree' },
  { id: 'audit:read', zh: '读取审计日志', en: 'Read the audit log' },
  { id: 'incidents:write', zh: '创建警情（接入系统）', en: 'Create incidents (integrations)' },
  { id: 'hotline12345', zh: '12345 热线对接（工单转入、移交回复）', en: '12345 hotline gateway (orders in, transfer answers)' },
  { id: 'addresses:read', zh: '查询标准地址', en: 'Search standard addresses' },
  { id: 'avl:write', zh: '上报警力位置（车载/网关）', en: 'Report unit positions (AVL gateways)' },
  { id: 'stream:read', zh: '订阅实时事件流', en: 'Subscribe to the real-time event stream' },
];
