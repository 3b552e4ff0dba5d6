/** API tokens for machine clients: created by administrators, shown once, stored hashed. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { desc, eq } from 'drizzle-orm';
import { apiTokens, orgUnits } from '../../db/schema.js';
import { AppError, notFound } from '../../core/errors.js';
import { ErrorAnswers, IdParams, NoContent, Nullable, Strict, TypedStringEnum, Instant } from '../../core/typebox.js';
import { coversUnit, unitScope } from '../../core/access.js';
import type { TokenScopeDef } from '../../kernel/module.js';
import { getUnit } from '../org/index.js';
import { createApiToken, revokeApiToken } from './service.js';

export interface TokenRouteOptions {
  /** Every scope the modules declare (`kernel.tokenScopes`): what a token may be given. */
  tokenScopes: readonly TokenScopeDef[];
}

/** A token as the list shows it: never the secret, only its first characters. */
export const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  unitId: Type.String(),
  unitName: Type.String(),
  createdBy: Nullable(Type.String()),
  createdAt: Instant,
  lastUsedAt: Nullable(Instant),
  revokedAt: Nullable(Instant),
});

type Row = { t: typeof apiTokens.$inferSelect; unit: typeof orgUnits.$inferSelect };
const view = (r: Row) => ({
  id: r.t.id,
  name: r.t.name,
  prefix: r.t.prefix,
  scopes: r.t.scopes,
  unitId: r.t.unitId,
  unitName: r.unit.name,
  createdBy: r.t.createdBy,
  createdAt: r.t.createdAt.toISOString(),
  lastUsedAt: r.t.lastUsedAt?.toISOString() ?? null,
  revokedAt: r.t.revokedAt?.toISOString() ?? null,
});

export default async function tokenRoutes(fastify: FastifyInstance, opts: TokenRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  // Built here, not at module load: the catalogue is composed from every manifest at start.
  const Scope = TypedStringEnum(opts.tokenScopes.map((s) => s.id));
  const select = () => db.select({ t: apiTokens, unit: orgUnits }).from(apiTokens).innerJoin(orgUnits, eq(orgUnits.id, apiTokens.unitId));

  app.get('/tokens', { config: { permission: 'token.manage' }, schema: { tags: ['tokens'], summary: 'API tokens in my jurisdiction (never the secret)', response: { 200: Type.Object({ items: Type.Array(TokenView) }), ...ErrorAnswers } } }, async (req) => ({
    items: (await select().where(unitScope(req.principal!, apiTokens.unitId)).orderBy(desc(apiTokens.createdAt))).map(view),
  }));

  app.post(
    '/tokens',
    {
      config: { permission: 'token.manage', audit: { entity: 'api_token', action: 'token.create' } },
      schema: {
        tags: ['tokens'],
        summary: 'Create a token; the secret is in this answer only',
        body: Strict({ name: Type.String({ minLength: 1, maxLength: 100 }), scopes: Type.Array(Scope, { minItems: 1, maxItems: opts.tokenScopes.length, uniqueItems: true }), unitId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 201: Type.Object({ token: Type.String({ description: 'the secret: shown in this answer only' }), item: TokenView }), ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const unit = await getUnit(db, req.principal!, b.unitId).catch(() => {
        throw new AppError(400, 'invalid_value', { field: 'unitId', detail: 'no such unit in your jurisdiction' }, 'unitId');
      });
      const { id, token } = await createApiToken(db, { name: b.name, scopes: b.scopes, unitId: unit.id, createdBy: req.principal!.username });
      req.auditEntityId = id;
      req.auditDetail = { scopes: b.scopes, unitId: unit.id };
      const [row] = await select().where(eq(apiTokens.id, id));
      return reply.status(201).send({ token, item: view(row) });
    },
  );

  app.post(
    '/tokens/:id/revoke',
    { config: { permission: 'token.manage', audit: { entity: 'api_token', action: 'token.revoke' } }, schema: { tags: ['tokens'], summary: 'Revoke a token at once', params: IdParams, response: { 204: NoContent, ...ErrorAnswers } } },
    async (req, reply) => {
      const { id } = req.params;
      const [row] = await select().where(eq(apiTokens.id, id));
      if (!row || !coversUnit(req.principal!, row.unit.path)) throw notFound('api_token');
      if (!row.t.revokedAt) await revokeApiToken(db, id);
      return reply.status(204).send(null);
    },
  );
}
