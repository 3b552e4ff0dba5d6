/** Sign-in, sign-out, the current user and password change. */
import { permissionsOf } from '../../kernel/compose.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { eq, sql } from 'drizzle-orm';
import { orgUnits, users } from '../../db/schema.js';
import { AppError } from '../../core/errors.js';
import { ErrorAnswers, NoContent, Strict } from '../../core/typebox.js';
import type { Principal } from '../../core/access.js';
import { appendAudit } from '../audit/index.js';
import { foreignOrigin } from '../../core/origin.js';
import { clearUserFailures, countNameAttempt, countUserAttempt, lockedAfterFailure, mayCheckPassword, sweepLoginFailures, type Attempt } from './lockout.js';
import { dummyVerify, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';
import { SESSION_COOKIE, createSession, endAllSessions, endSession, userPrincipal } from './service.js';

export const UserView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  unit: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), kind: Type.String(), path: Type.String() }),
  permissions: Type.Array(Type.String(), { description: 'Named permissions the user holds (kernel catalogue): the web shows its menu from them' }),
  mustChangePassword: Type.Boolean(),
});

export async function userView(app: FastifyInstance, p: Principal) {
  const [row] = await app.ctx.db
    .select({ u: users, unit: orgUnits })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.unitId))
    .where(eq(users.id, p.id));
  if (!row) throw new AppError(401, 'unauthenticated');
  return {
    id: row.u.id,
    username: row.u.username,
    displayName: row.u.displayName,
    roles: row.u.roles,
    unit: { id: row.unit.id, code: row.unit.code, name: row.unit.name, kind: row.unit.kind, path: row.unit.path },
    mustChangePassword: row.u.mustChangePassword,
    // What the web's menu is built from (the catalogue of every manifest); routes still check each request.
    permissions: permissionsOf(app.kernel, p),
  };
}

async function auditLogin(app: FastifyInstance, req: FastifyRequest, username: string, outcome: string, user?: typeof users.$inferSelect, reason?: string) {
  req.auditDone = true;
  await appendAudit(app.ctx.db, {
    userId: user?.id ?? null,
    username,
    roles: user?.roles ?? [],
    unitId: user?.unitId ?? null,
    action: 'auth.login',
    entity: 'session',
    entityId: null,
    outcome,
    requestId: String(req.id),
    clientIp: req.ip,
    detail: reason ? { reason } : null,
  });
}

function setSessionCookie(app: FastifyInstance, reply: FastifyReply, value: string) {
  reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: process.env.SHOUWANG_COOKIE_SECURE === '1',
  });
}

const lockedError = (a: Attempt) => new AppError(423, 'account_locked', { until: a.lockedUntil!.toISOString() });

export default async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const rule = { maxFailures: config.maxFailedLogins, lockMinutes: config.lockoutMinutes };

  // Counts of names without an account are kept only while they matter (lockout.ts).
  const sweep = setInterval(() => {
    sweepLoginFailures(db).catch((err: unknown) => app.log.warn({ err }, 'lock-out: sweeping old counts failed'));
  }, 10 * 60_000);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.post(
    '/auth/login',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password; sets the session cookie',
        body: Strict({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 200: Type.Object({ user: UserView }), ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      // Login CSRF: a page elsewhere must not sign the browser into an account of its choosing. Clients
      // that send no Origin and no Referer (curl, API clients) are not browsers acting for a page.
      const foreign = foreignOrigin(req, config.trustedOrigins);
      if (foreign !== undefined) {
        await auditLogin(app, req, username, 'failure', undefined, 'foreign origin');
        throw new AppError(403, 'csrf_origin', { origin: foreign });
      }
      // Names are unique whatever the case; `ADMIN` signs in as `admin`.
      const [user] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
      // Counted before the password is checked, and names without an account alike (lockout.ts): the
      // answers never tell whether an account exists, and concurrent guesses cannot pass the limit.
      const attempt = user ? await countUserAttempt(db, user.id, rule) : await countNameAttempt(db, username, rule);
      if (!mayCheckPassword(attempt, rule)) {
        await auditLogin(app, req, username, 'failure', user, 'locked');
        throw lockedError(attempt);
      }
      const ok = user ? await verifyPassword(user.passwordHash, password) : await dummyVerify(password).then(() => false);
      if (!user || !ok) {
        const locked = lockedAfterFailure(attempt, rule);
        const reason = user ? 'wrong password' : 'unknown user';
        await auditLogin(app, req, username, 'failure', user, locked ? `${reason}; locked` : reason);
        if (locked) throw lockedError(attempt);
        throw new AppError(401, 'bad_credentials');
      }
      if (user.disabled) {
        await clearUserFailures(db, user.id); // the password was right all the same
        await auditLogin(app, req, username, 'failure', user, 'disabled');
        throw new AppError(403, 'account_disabled');
      }
      await clearUserFailures(db, user.id, { lastLoginAt: new Date() });
      const cookieValue = await createSession(db, user.id, req.ip, String(req.headers['user-agent'] ?? ''));
      setSessionCookie(app, reply, cookieValue);
      await auditLogin(app, req, username, 'success', user);
      const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, user.unitId));
      return { user: await userView(app, userPrincipal(user, unit)) };
    },
  );

  app.post(
    '/auth/logout',
    { config: { permission: 'session.own', audit: { entity: 'session', action: 'auth.logout' } }, schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 204: NoContent, ...ErrorAnswers } } },
    async (req, reply) => {
      const cookieValue = req.cookies[SESSION_COOKIE];
      if (cookieValue) await endSession(db, cookieValue);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    { config: { permission: 'session.own' }, schema: { tags: ['auth'], summary: 'The signed-in user with roles and unit', response: { 200: UserView, ...ErrorAnswers } } },
    async (req) => userView(app, req.principal!),
  );

  app.post(
    '/auth/password',
    {
      config: { permission: 'session.own', audit: { entity: 'user', action: 'auth.password_change' } },
      schema: {
        tags: ['auth'],
        summary: 'Change own password (ends the other sessions)',
        body: Strict({ currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ maxLength: 256 }) }),
        response: { 204: NoContent, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const { currentPassword, newPassword } = req.body;
      const p = req.principal!;
      if (p.kind !== 'user') throw new AppError(403, 'forbidden');
      req.auditEntityId = p.id;
      // Guessing the current password through a session is guessing a password: the sign-in count applies.
      const attempt = await countUserAttempt(db, p.id, rule);
      if (!mayCheckPassword(attempt, rule)) throw lockedError(attempt);
      const [user] = await db.select().from(users).where(eq(users.id, p.id));
      if (!(await verifyPassword(user.passwordHash, currentPassword))) {
        if (lockedAfterFailure(attempt, rule)) throw lockedError(attempt);
        throw new AppError(400, 'wrong_password', {}, 'currentPassword');
      }
      await clearUserFailures(db, p.id);
      if (newPassword.length < MIN_PASSWORD_LENGTH) throw new AppError(400, 'weak_password', { limit: MIN_PASSWORD_LENGTH }, 'newPassword');
      await db.update(users).set({ passwordHash: await hashPassword(newPassword), mustChangePassword: false, updatedAt: new Date() }).where(eq(users.id, p.id));
      await endAllSessions(db, p.id);
      const cookieValue = await createSession(db, p.id, req.ip, String(req.headers['user-agent'] ?? ''));
      setSessionCookie(app, reply, cookieValue);
      return reply.status(204).send(null);
    },
  );
}
