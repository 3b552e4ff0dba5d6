/** Audit search and chain verification for administrators and supervisors; reading the log is itself audited. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { Instant, Paging, Strict } from '../../core/typebox.js';
import { searchAudit, verifyAudit } from './store.js';

export default async function auditRoutes(app: FastifyInstance) {
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
      },
    },
    async (req) => {
      const q = req.query as Parameters<typeof searchAudit>[2];
      req.auditDetail = { query: q };
      return searchAudit(db, req.principal!, { ...q, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    },
  );

  app.get(
    '/audit/verify',
    { config: { permission: 'audit.read', audit: { entity: 'audit_log', action: 'audit.verify', reads: true } }, schema: { tags: ['audit'], summary: 'Check the whole hash chain' } },
    async () => verifyAudit(db),
  );
}
