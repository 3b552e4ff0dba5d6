/** Audit search and chain verification for administrators and supervisors; reading the log is itself audited. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorAnswers, Instant, Nullable, Paging, Strict } from '../../core/typebox.js';
import { searchAudit, verifyAudit } from './store.js';

/** One audit row as searchAudit shows it (the chain's hashes left out). */
export const AuditEntryView = Type.Object({
  seq: Type.Integer(),
  at: Instant,
  userId: Nullable(Type.String()),
  username: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  unitId: Nullable(Type.String()),
  action: Type.String(),
  entity: Type.String(),
  entityId: Nullable(Type.String()),
  outcome: Type.String(),
  requestId: Nullable(Type.String()),
  clientIp: Nullable(Type.String()),
  detail: Type.Unknown({ description: 'free JSON: what the action recorded' }),
});

/** The chain check (audit/chain.ts ChainCheck). */
export const ChainCheckView = Type.Union([
  Type.Object({ ok: Type.Literal(true), rows: Type.Integer(), lastSeq: Type.Integer(), lastHash: Type.String() }),
  Type.Object({ ok: Type.Literal(false), rows: Type.Integer(), firstBadSeq: Type.Integer(), reason: Type.String() }),
]);

export default async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  app.get(
    '/audit',
    {
      config: { permission: 'audit.read', audit: { entity: 'audit_log', action: 'audit.search', reads: true } },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit log (newest first)',
        querystring: Strict({
          from: Type.Optional(Instant),
          to: Type.Optional(Instant),
          username: Type.Optional(Type.String({ maxLength: 100 })),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          entity: Type.Optional(Type.String({ maxLength: 64 })),
          entityId: Type.Optional(Type.String({ maxLength: 100 })),
          outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied'), Type.Literal('rejected'), Type.Literal('error')])),
          ...Paging,
        }),
        response: { 200: Type.Object({ items: Type.Array(AuditEntryView), total: Type.Integer() }), ...ErrorAnswers },
      },
    },
    async (req) => {
      const q = req.query;
      req.auditDetail = { query: q };
      return searchAudit(db, req.principal!, { ...q, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    },
  );

  app.get(
    '/audit/verify',
    { config: { permission: 'audit.read', audit: { entity: 'audit_log', action: 'audit.verify', reads: true } }, schema: { tags: ['audit'], summary: 'Check the whole hash chain', response: { 200: ChainCheckView, ...ErrorAnswers } } },
    async () => verifyAudit(db),
  );
}
