/** User administration: accounts, roles, units; every change is a permission change and audited. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { and, asc, count, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { orgUnits, users } from '../../db/schema.js';
import { AppError, notFound } from '../../core/errors.js';
import { ErrorAnswers, IdParams, NoContent, Nullable, Paging, Strict, TypedStringEnum, Instant, INSTANT_PATTERN } from '../../core/typebox.js';
import { coversUnit, maskPhone, unitScope, type Principal } from '../../core/access.js';
import { ROLES } from '../../core/roles.js';
import { getUnit } from '../org/index.js';
import { endAllSessions, hashPassword, MIN_PASSWORD_LENGTH } from '../auth/index.js';
import type { Db } from '../../db/client.js';
import { insertingUser } from './unique-username.js';

const RoleName = TypedStringEnum(ROLES);
const Roles = Type.Array(RoleName, { minItems: 1, maxItems: ROLES.length, uniqueItems: true });
const Phone = Type.String({ minLength: 3, maxLength: 20, pattern: '^\\+?[0-9 -]{3,20}$' });

/** An account as administrators see it (phone masked). */
export const UserAccountView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  unitId: Type.String(),
  unitName: Type.String(),
  phone: Nullable(Type.String({ description: 'masked' })),
  disabled: Type.Boolean(),
  lockedUntil: Nullable(Type.String({ format: 'date-time', pattern: INSTANT_PATTERN, description: 'set while a sign-in lock-out lasts' })),
  lastLoginAt: Nullable(Instant),
  createdAt: Instant,
});

type Row = { u: typeof users.$inferSelect; unit: typeof orgUnits.$inferSelect };

function view(r: Row) {
  return {
    id: r.u.id,
    username: r.u.username,
    displayName: r.u.displayName,
    roles: r.u.roles,
    unitId: r.u.unitId,
    unitName: r.unit.name,
    phone: maskPhone(r.u.phone),
    disabled: r.u.disabled,
    lockedUntil: r.u.lockedUntil && r.u.lockedUntil.getTime() > Date.now() ? r.u.lockedUntil.toISOString() : null,
    lastLoginAt: r.u.lastLoginAt?.toISOString() ?? null,
    createdAt: r.u.createdAt.toISOString(),
  };
}

async function loadUser(db: Db, p: Principal, id: string): Promise<Row> {
  const [r] = await db.select({ u: users, unit: orgUnits }).from(users).innerJoin(orgUnits, eq(orgUnits.id, users.unitId)).where(eq(users.id, id));
  if (!r || !coversUnit(p, r.unit.path)) throw notFound('user');
  return r;
}

export default async function userRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/users',
    {
      config: { permission: 'user.manage', audit: { entity: 'user', action: 'user.list', reads: true } },
      schema: {
        tags: ['users'],
        summary: 'Users in my jurisdiction (phone masked)',
        querystring: Strict({ q: Type.Optional(Type.String({ maxLength: 64 })), role: Type.Optional(RoleName), unitId: Type.Optional(Type.String({ maxLength: 64 })), ...Paging }),
        response: { 200: Type.Object({ items: Type.Array(UserAccountView), total: Type.Integer() }), ...ErrorAnswers },
      },
    },
    async (req) => {
      const q = req.query;
      const conds: (SQL | undefined)[] = [unitScope(req.principal!, users.unitId)];
      if (q.q) {
        const pat = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        conds.push(or(ilike(users.username, pat), ilike(users.displayName, pat)));
      }
      if (q.role) conds.push(sql`${q.role} = any(${users.roles})`);
      if (q.unitId) conds.push(eq(users.unitId, q.unitId));
      const where = and(...conds);
      // The id last: pages must not repeat or skip anyone, whatever the sort key (M10).
      const rows = await db.select({ u: users, unit: orgUnits }).from(users).innerJoin(orgUnits, eq(orgUnits.id, users.unitId)).where(where).orderBy(asc(users.username), asc(users.id)).limit(q.limit ?? 50).offset(q.offset ?? 0);
      const [{ n }] = await db.select({ n: count() }).from(users).where(where);
      return { items: rows.map(view), total: Number(n) };
    },
  );

  app.post(
    '/users',
    {
      config: { permission: 'user.manage', audit: { entity: 'user', action: 'user.create' } },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: Strict({
          username: Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
          displayName: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ maxLength: 256 }),
          roles: Roles,
          unitId: Type.String({ minLength: 1, maxLength: 64 }),
          phone: Type.Optional(Type.Union([Phone, Type.Null()])),
        }),
        response: { 201: UserAccountView, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (b.password.length < MIN_PASSWORD_LENGTH) throw new AppError(400, 'weak_password', { limit: MIN_PASSWORD_LENGTH }, 'password');
      const unit = await getUnit(db, req.principal!, b.unitId).catch(() => {
        throw new AppError(400, 'invalid_value', { field: 'unitId', detail: 'no such unit in your jurisdiction' }, 'unitId');
      });
      const id = randomUUID();
      const passwordHash = await hashPassword(b.password);
      await insertingUser(() => db.insert(users).values({ id, username: b.username, displayName: b.displayName, passwordHash, roles: b.roles, unitId: unit.id, phone: b.phone ?? null, mustChangePassword: true }));
      req.auditEntityId = id;
      req.auditDetail = { roles: b.roles, unitId: unit.id };
      return reply.status(201).send(view(await loadUser(db, req.principal!, id)));
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'user.manage', audit: { entity: 'user', action: 'user.update' } },
      schema: {
        tags: ['users'],
        summary: 'Change a user’s name, roles, unit, phone or disabled flag',
        params: IdParams,
        body: Strict(
          { displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), roles: Type.Optional(Roles), unitId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), disabled: Type.Optional(Type.Boolean()), phone: Type.Optional(Type.Union([Phone, Type.Null()])) },
          { minProperties: 1 },
        ),
        response: { 200: UserAccountView, ...ErrorAnswers },
      },
    },
    async (req) => {
      const p = req.principal!;
      const { id } = req.params;
      const b = req.body;
      const current = await loadUser(db, p, id);
      if (b.unitId) {
        await getUnit(db, p, b.unitId).catch(() => {
          throw new AppError(400, 'invalid_value', { field: 'unitId', detail: 'no such unit in your jurisdiction' }, 'unitId');
        });
      }
      if (id === p.id && (b.disabled || (b.roles && !b.roles.includes('admin')))) {
        throw new AppError(409, 'conflict', { detail: 'administrators cannot disable themselves or drop their own admin role' });
      }
      await db.update(users).set({ ...b, updatedAt: new Date() }).where(eq(users.id, id));
      if (b.disabled || b.roles || b.unitId) await endAllSessions(db, id);
      req.auditDetail = { before: { roles: current.u.roles, unitId: current.u.unitId, disabled: current.u.disabled }, after: { roles: b.roles, unitId: b.unitId, disabled: b.disabled } };
      return view(await loadUser(db, p, id));
    },
  );

  app.post(
    '/users/:id/reset-password',
    {
      config: { permission: 'user.manage', audit: { entity: 'user', action: 'user.reset_password' } },
      schema: { tags: ['users'], summary: 'Set a new password (the user must change it at next sign-in)', params: IdParams, body: Strict({ newPassword: Type.String({ maxLength: 256 }) }), response: { 204: NoContent, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const { id } = req.params;
      const { newPassword } = req.body;
      await loadUser(db, req.principal!, id);
      if (newPassword.length < MIN_PASSWORD_LENGTH) throw new AppError(400, 'weak_password', { limit: MIN_PASSWORD_LENGTH }, 'newPassword');
      await db.update(users).set({ passwordHash: await hashPassword(newPassword), mustChangePassword: true, failedAttempts: 0, lockedUntil: null, lastFailedAt: null, updatedAt: new Date() }).where(eq(users.id, id));
      await endAllSessions(db, id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/users/:id/unlock',
    { config: { permission: 'user.manage', audit: { entity: 'user', action: 'user.unlock' } }, schema: { tags: ['users'], summary: 'Lift a sign-in lock-out', params: IdParams, response: { 204: NoContent, ...ErrorAnswers } } },
    async (req, reply) => {
      const { id } = req.params;
      await loadUser(db, req.principal!, id);
      await db.update(users).set({ failedAttempts: 0, lockedUntil: null, lastFailedAt: null }).where(eq(users.id, id));
      return reply.status(204).send(null);
    },
  );
}
