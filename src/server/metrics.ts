/**
 * Prometheus metrics at GET /metrics: process defaults plus request counts and durations by route.
 * Not public (they tell an attacker the routes, the load and the errors): answered to an allowed
 * address reached directly (loopback by default; never through a proxy), to the configured
 * SHOUWANG_METRICS_TOKEN, or to an API token with the `metrics:read` scope. Others get 401/403.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppError } from '../core/errors.js';
import { principalFromToken } from '../modules/auth/service.js';

export const METRICS_SCOPE = 'metrics:read';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Throws 401/403 unless the request may read the metrics. */
async function checkMetricsAccess(app: FastifyInstance, req: FastifyRequest): Promise<void> {
  const config = app.ctx.config;
  const auth = req.headers.authorization;
  if (auth === undefined) {
    // The socket's peer, not req.ip: with a trusted proxy req.ip comes from a header the client writes.
    const proxied = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
    if (!proxied && config.metricsAllowedAddresses.includes(req.socket.remoteAddress ?? '')) return;
    throw new AppError(401, 'unauthenticated');
  }
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  if (!token) throw new AppError(401, 'unauthenticated');
  if (config.metricsToken && timingSafeEqual(digest(token), digest(config.metricsToken))) return;
  const p = await principalFromToken(app.ctx.db, token);
  if (!p) throw new AppError(401, 'unauthenticated');
  if (!p.scopes.includes(METRICS_SCOPE)) throw new AppError(403, 'forbidden_scope', { scope: METRICS_SCOPE });
}

export function installMetrics(app: FastifyInstance) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'shouwang_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'shouwang_http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true }, onRequest: (req) => checkMetricsAccess(app, req) }, async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
