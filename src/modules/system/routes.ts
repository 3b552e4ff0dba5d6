/** Liveness and readiness probes. */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ErrorAnswers } from '../../core/typebox.js';

export default async function systemRoutes(app: FastifyInstance) {
  app.get('/healthz', { schema: { tags: ['system'], summary: 'Alive', response: { 200: Type.Object({ status: Type.String() }) } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['system'], summary: 'Ready: the database answers', response: { 200: Type.Object({ status: Type.String(), database: Type.String() }), 503: ErrorAnswers['5xx'] } } }, async (_req, reply) => {
    try {
      await app.ctx.database.ping();
      return { status: 'ready', database: app.ctx.database.driver };
    } catch {
      return reply.status(503).send({ error: { code: 'unavailable', message: 'database unreachable' } });
    }
  });
}
