/** Sessions, API tokens and sign-in against the database. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiTokens, orgUnits, sessions, users } from '../../db/schema.js';
import type { Principal } from '../../core/access.js';
import { isRole, type Role } from '../../core/roles.js';
import { isIdleExpired } from './lockout.js';
import { lookupSession, touchSession } from './session-lookup.js';

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
  credentialsEnded({ sessionId: sha256(cookieValue) });
}

export async function endAllSessions(db: Db, userId: string) {
  for (const [id, c] of sessionCache) if (c.principal.id === userId) sessionCache.delete(id);
  await db.update(sessions).set({ endedAt: new Date() }).where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)));
  credentialsEnded({ userId });
}

/** Marks a token revoked (idempotent). */
export async function revokeApiToken(db: Db, id: string) {
  await db.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
  credentialsEnded({ tokenId: id });
}

// ---------------------------------------------------------------- long-lived connections

/** Credentials that just ended on this instance: a session, all sessions of a user, or a token. */
export type EndedCredentials = { sessionId: string } | { userId: string } | { tokenId: string };
const endedListeners = new Set<(e: EndedCredentials) => void>();

/**
 * Told at once when a session ends or a token is revoked **on this instance** (sign-out, password or role
 * change, revocation), so that open connections (the event stream) can be closed without waiting. Other
 * instances find out at their next `endedPrincipals` check. Returns the unsubscribe function.
 */
export function onCredentialsEnded(f: (e: EndedCredentials) => void): () => void {
  endedListeners.add(f);
  return () => void endedListeners.delete(f);
}

function credentialsEnded(e: EndedCredentials) {
  for (const f of endedListeners) {
    try {
      f(e);
    } catch {
      /* a listener's failure is not the caller's */
    }
  }
}

/** True when these ended credentials are the ones behind `p`. */
export function isEndedPrincipal(p: Principal, e: EndedCredentials): boolean {
  if ('tokenId' in e) return p.kind === 'token' && p.id === e.tokenId;
  if (p.kind !== 'user') return false;
  return 'userId' in e ? p.id === e.userId : p.sessionId === e.sessionId;
}

export type EndReason = 'session_ended' | 'session_expired' | 'token_revoked';

/**
 * Re-checks principals held by open connections: a session signed out, ended (password or role change),
 * idle longer than allowed, or whose user was disabled; a token revoked or deleted. Returns the reason
 * for each principal that may no longer act (the others are absent from the map). Reads without
 * touching the session: an open connection is not activity, so idle expiry still applies. Two queries
 * whatever the number of principals.
 */
export async function endedPrincipals(db: Db, principals: readonly Principal[], idleMinutes: number, now = new Date()): Promise<Map<Principal, EndReason>> {
  const out = new Map<Principal, EndReason>();
  const sessionIds = [...new Set(principals.flatMap((p) => (p.kind === 'user' && p.sessionId ? [p.sessionId] : [])))];
  const tokenIds = [...new Set(principals.flatMap((p) => (p.kind === 'token' ? [p.id] : [])))];
  const sessionState = new Map<string, EndReason | null>();
  if (sessionIds.length) {
    const rows = await db
      .select({ id: sessions.id, endedAt: sessions.endedAt, lastSeenAt: sessions.lastSeenAt, disabled: users.disabled })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(inArray(sessions.id, sessionIds));
    const idle: string[] = [];
    for (const r of rows) {
      if (r.endedAt || r.disabled) sessionState.set(r.id, 'session_ended');
      else if (isIdleExpired(r.lastSeenAt, now, idleMinutes)) {
        sessionState.set(r.id, 'session_expired');
        idle.push(r.id);
      } else sessionState.set(r.id, null);
    }
    // Closed for good, as principalFromSession would on the next request.
    if (idle.length) await db.update(sessions).set({ endedAt: now }).where(and(inArray(sessions.id, idle), isNull(sessions.endedAt)));
    for (const id of idle) sessionCache.delete(id);
  }
  const tokenLive = new Set<string>();
  if (tokenIds.length) {
    const rows = await db.select({ id: apiTokens.id }).from(apiTokens).where(and(inArray(apiTokens.id, tokenIds), isNull(apiTokens.revokedAt)));
    for (const r of rows) tokenLive.add(r.id);
  }
  for (const p of principals) {
    if (p.kind === 'token') {
      if (!tokenLive.has(p.id)) out.set(p, 'token_revoked');
    } else if (!p.sessionId) {
      continue; // not from a session (tests, internal principals): nothing to re-check
    } else {
      const s = sessionState.get(p.sessionId);
      if (s !== null) out.set(p, s ?? 'session_ended'); // undefined: the row is gone
    }
  }
  return out;
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

export function userPrincipal(u: Pick<UserRow, 'id' | 'username' | 'displayName' | 'roles'>, unit: Pick<UnitRow, 'id' | 'path' | 'kind'>, sessionId?: string): Principal {
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
  // Grouped with the concurrent requests' lookups: one statement per batch (session-lookup.ts).
  const row = await lookupSession(db, id);
  if (!row || row.endedAt || row.disabled) return 'ended';
  if (isIdleExpired(row.lastSeenAt, now, idleMinutes)) {
    await db.update(sessions).set({ endedAt: now }).where(eq(sessions.id, id));
    return 'ended';
  }
  // Touch at most every 15 s: idle expiry needs minute precision, not a write per request.
  let lastSeen = row.lastSeenAt;
  if (now.getTime() - lastSeen.getTime() > 15_000) {
    await touchSession(db, id, now);
    lastSeen = now;
  }
  const principal = userPrincipal({ id: row.userId, username: row.username, displayName: row.displayName, roles: row.roles }, { id: row.unitId, path: row.unitPath, kind: row.unitKind }, id);
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
