/**
 * Cross-cutting request handling, in order: language → principal (cookie or bearer token) →
 * route policy → CSRF origin check → (validation) → idempotency → handler → audit row.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { and, eq, lt } from 'drizzle-orm';
import { AppError, errorBody, pickLang } from '../core/errors.js';
import { policyAllows, type Principal } from '../core/access.js';
import { isTrustedOrigin, presentedOrigin } from '../core/origin.js';
import { idempotencyKeys } from '../db/schema.js';
import { rawQuery, type Db } from '../db/client.js';
import { columnList, recordset, rowsJson, tableValueColumns } from '../db/raw.js';
import { Batcher } from '../core/batcher.js';
import { SESSION_COOKIE, principalFromSession, principalFromToken } from '../modules/auth/service.js';
import { appendAudit } from '../modules/audit/store.js';
import { storedAnswer } from '../kernel/replay.js';
import { requestAuditEntry } from '../modules/audit/request-entry.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A matched route pattern of the API (where principals, policies and audit apply). */
export function isApiRoute(route: string | undefined): boolean {
  return route !== undefined && route.startsWith('/api/');
}

/** Routes outside the API that answer everyone: probes, metrics (restricted by its own check), docs, the web app. */
const NON_API_ROUTES = [/^\/open311\/v2\//, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/, /^\/docs(\/|$)/, /^\/\*$/, /^\/$/];

export function clientIp(req: FastifyRequest): string {
  return req.ip;
}

async function resolvePrincipal(app: FastifyInstance, req: FastifyRequest): Promise<Principal | null> {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) throw new AppError(401, 'unauthenticated');
    const p = await principalFromToken(app.ctx.db, m[1]);
    if (!p) throw new AppError(401, 'unauthenticated');
    return p;
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  const p = await principalFromSession(app.ctx.db, cookie, app.ctx.config.sessionIdleMinutes);
  if (p === 'ended') {
    req.sessionEnded = true;
    return null;
  }
  return p;
}

/** Cookie-authenticated writes must come from our own pages: the Origin (or Referer) must be ours. */
function checkOrigin(app: FastifyInstance, req: FastifyRequest) {
  const origin = presentedOrigin(req);
  if (origin && isTrustedOrigin(req, origin, app.ctx.config.trustedOrigins)) return;
  throw new AppError(403, 'csrf_origin', { origin: origin ?? '(none)' });
}

export function installRequestHooks(app: FastifyInstance) {
  app.decorateRequest('principal', null);
  app.decorateRequest('lang', 'zh');
  app.decorateRequest('sessionEnded', false);

  app.addHook('onRequest', async (req) => {
    req.lang = pickLang(req.headers['accept-language']);
    // Decide on the route the router matched, never on the raw URL: `/%61pi/…` is routed to `/api/…`.
    const route = req.routeOptions.url;
    if (route === undefined || !isApiRoute(route)) {
      if (route !== undefined && !NON_API_ROUTES.some((r) => r.test(route))) {
        // Fail closed: a route outside the API that nobody declared public answers no one.
        req.log.error({ route }, 'route outside the API has no policy');
        throw new AppError(403, 'forbidden');
      }
      return;
    }
    req.principal = await resolvePrincipal(app, req);
    const policy = req.routeOptions.config?.policy;
    // Fail closed: an API route without a declared policy answers no one (the route-table test catches it).
    if (!policy) {
      req.log.error({ route }, 'route has no policy');
      throw new AppError(403, 'forbidden');
    }
    const verdict = policyAllows(policy, req.principal);
    if (verdict === 'unauthenticated') throw new AppError(401, req.sessionEnded ? 'session_expired' : 'unauthenticated');
    if (verdict === 'forbidden') {
      const scope = policy !== 'public' && req.principal?.kind === 'token' ? policy.tokenScopes?.[0] : undefined;
      throw scope ? new AppError(403, 'forbidden_scope', { scope }) : new AppError(403, 'forbidden');
    }
    // Cookies ride along on cross-site requests; bearer tokens do not, so only cookie writes need the check.
    if (!SAFE_METHODS.has(req.method) && req.headers.authorization === undefined && (req.cookies?.[SESSION_COOKIE] || req.principal)) {
      checkOrigin(app, req);
    }
  });

  installIdempotency(app);
  installAudit(app);
}

// ---------------------------------------------------------------- idempotency

/** A key left pending by a request that never finished (crash) may be retried after this long. */
const PENDING_TAKEOVER_MS = Number(process.env.SHOUWANG_IDEMPOTENCY_TAKEOVER_MS ?? 30_000);

function requestHash(req: FastifyRequest): string {
  return createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
}

type NewKey = typeof idempotencyKeys.$inferInsert;
const CLAIM_COLUMNS = tableValueColumns<NewKey>(idempotencyKeys, ['principal', 'key', 'method', 'path', 'requestHash', 'state']);
const CLAIM_SQL = `insert into idempotency_keys (${columnList(CLAIM_COLUMNS)}) select * from ${recordset('k', CLAIM_COLUMNS, 1)} on conflict do nothing returning principal, key`;
const claimers = new WeakMap<Db, Batcher<NewKey, boolean>>();

/**
 * Claims keys (inserts them as pending) for concurrent requests in one statement; answers, per key,
 * whether this request got it. Creates that must survive a crash exactly once store their answer in
 * their own transaction (see incidents/store.ts) and mark the claim `committed`.
 */
function claimKey(db: Db, row: NewKey): Promise<boolean> {
  let b = claimers.get(db);
  if (!b) {
    b = new Batcher<NewKey, boolean>(async (rows) => {
      // One key twice in a batch: the first claim wins, the second is a concurrent retry.
      const unique = [...new Map(rows.map((r) => [`${r.principal}\u0000${r.key}`, r])).values()];
      const claimed = new Set<string>();
      for (const r of await rawQuery<{ principal: string; key: string }>(db, CLAIM_SQL, [rowsJson(CLAIM_COLUMNS, unique)], 'idempotency_claim_v2')) claimed.add(`${r.principal}\u0000${r.key}`);
      return rows.map((r) => {
        const k = `${r.principal}\u0000${r.key}`;
        return unique.includes(r) && claimed.has(k);
      });
    });
    claimers.set(db, b);
  }
  return b.run(row);
}

/** Stored answers are kept this long: clients retry within minutes; the table must not grow for ever. */
const RETENTION_HOURS = Number(process.env.SHOUWANG_IDEMPOTENCY_RETENTION_HOURS ?? 24);

/** Deletes keys older than the retention, a slice at a time (PGlite serves requests in between); answers how many. */
export async function sweepIdempotencyKeys(db: Db, olderThanHours = RETENTION_HOURS): Promise<number> {
  let removed = 0;
  for (;;) {
    const rows = await rawQuery(db, `delete from idempotency_keys where ctid in (select ctid from idempotency_keys where created_at < now() - make_interval(secs => $1) limit 5000) returning 1`, [olderThanHours * 3600]);
    removed += rows.length;
    if (rows.length < 5000) return removed;
  }
}

function installIdempotency(app: FastifyInstance) {
  const sweep = setInterval(() => {
    sweepIdempotencyKeys(app.ctx.db).catch((err: unknown) => app.log.warn({ err }, 'idempotency: sweeping old keys failed'));
  }, 10 * 60_000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || key.length < 1 || key.length > 200) {
      throw new AppError(400, 'invalid_value', { field: 'Idempotency-Key', detail: '1–200 characters' }, 'Idempotency-Key');
    }
    const principal = req.principal ? `${req.principal.kind}:${req.principal.id}` : `anon:${req.ip}`;
    const db = app.ctx.db;
    const hash = requestHash(req);
    if (req.routeOptions.config?.idempotency === 'in-write') {
      // The write stores the key in its own statement (a plain insert): an uncommitted write leaves no
      // claim, so a retry after a crash proceeds at once. No lookup here (it would cost every create a
      // round trip): a retry or a concurrent twin fails the write on the key's row and is then answered
      // from what the first one stored (incidents/service.ts answerOfTwin).
      req.idempotency = { principal, key, method: req.method, path: req.routeOptions.url ?? req.url, requestHash: hash };
      return;
    }
    if (await claimKey(db, { principal, key, method: req.method, path: req.routeOptions.url ?? req.url, requestHash: hash, state: 'pending' })) {
      req.idempotency = { principal, key, method: req.method, path: req.routeOptions.url ?? req.url, requestHash: hash };
      return;
    }
    const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
    if (!row) throw new AppError(409, 'idempotency_in_progress');
    if (row.requestHash !== hash) throw new AppError(422, 'idempotency_mismatch', {}, 'Idempotency-Key');
    if (row.state === 'done') {
      reply.header('idempotent-replayed', 'true');
      return reply.status(row.status ?? 200).send(await storedAnswer(req, row.response));
    }
    // A pending row left by a crashed request may be taken over after a while.
    if (Date.now() - row.createdAt.getTime() < PENDING_TAKEOVER_MS) throw new AppError(409, 'idempotency_in_progress');
    const taken = await db
      .update(idempotencyKeys)
      .set({ createdAt: new Date() })
      .where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key), eq(idempotencyKeys.state, 'pending'), lt(idempotencyKeys.createdAt, new Date(Date.now() - PENDING_TAKEOVER_MS))))
      .returning({ key: idempotencyKeys.key });
    if (!taken.length) throw new AppError(409, 'idempotency_in_progress');
    req.idempotency = { principal, key, method: req.method, path: req.routeOptions.url ?? req.url, requestHash: hash };
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotency;
    if (!idem) return payload;
    req.idempotency = undefined;
    if (idem.replayed) reply.header('idempotent-replayed', 'true');
    // Stored with the write itself. Never released, even if building the answer failed after the commit:
    // a retry must find the write, not make it again.
    if (idem.committed) return payload;
    const where = and(eq(idempotencyKeys.principal, idem.principal), eq(idempotencyKeys.key, idem.key));
    // In-write keys exist only if the write committed (then `committed` is set above).
    if (req.routeOptions.config?.idempotency === 'in-write') return payload;
    if (reply.statusCode >= 500) {
      // Nothing was done for certain: let the client retry with the same key.
      await app.ctx.db.delete(idempotencyKeys).where(where);
      return payload;
    }
    let body: unknown = null;
    if (typeof payload === 'string' && payload.length) {
      try {
        body = JSON.parse(payload);
      } catch {
        body = payload;
      }
    }
    await app.ctx.db.update(idempotencyKeys).set({ state: 'done', status: reply.statusCode, response: body }).where(where);
    return payload;
  });
}

// ---------------------------------------------------------------- audit

/** Every write, and every read of routes marked `audit.reads`, leaves one row in the audit log. */
function installAudit(app: FastifyInstance) {
  // onSend, not onResponse: the row is written before the client hears the answer.
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    if (req.auditDone || !isApiRoute(req.routeOptions.url)) return payload;
    const isWrite = !SAFE_METHODS.has(req.method);
    if (!isWrite && !req.routeOptions.config?.audit?.reads && !req.auditRead) return payload;
    req.auditDone = true;
    // A write that stored its entry in its own transaction: chain that very entry (it says what was
    // committed, even if building the answer failed afterwards).
    const pending = req.auditPending;
    const entry = pending ? { ...pending.entry, detail: { ...(pending.entry.detail as object), ...req.auditDetail }, pendingKey: pending.key } : requestAuditEntry(req, reply.statusCode);
    if (pending && req.routeOptions.config?.audit?.chain === 'after-answer') {
      // Durable already (audit_pending, in the write's commit): chained right after, off the answer's path.
      appendAudit(app.ctx.db, entry).catch((err: unknown) => req.log.error({ err }, 'audit append failed; the pending entry is chained by the next sweep'));
      return payload;
    }
    try {
      await appendAudit(app.ctx.db, entry);
    } catch (err) {
      // A write without its audit row is not a success: the caller must not take it for one.
      req.log.error({ err }, 'audit append failed');
      if (reply.statusCode < 400 && !pending) {
        reply.status(500).type('application/json; charset=utf-8');
        return JSON.stringify(errorBody(new AppError(500, 'audit_failed', { requestId: String(req.id) }), req.lang));
      }
    }
    return payload;
  });
}
