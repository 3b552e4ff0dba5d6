/** The audit row of one API request: who, which route, on what, with what outcome. */
import type { FastifyRequest } from 'fastify';
import type { AuditEntry } from './store.js';

export function outcomeOf(status: number): string {
  if (status < 400) return 'success';
  if (status === 401 || status === 403) return 'denied';
  if (status < 500) return 'rejected';
  return 'error';
}

/** The client's own X-Request-ID, recorded beside our id (bounded; never used as the row's request id). */
function clientRequestId(req: FastifyRequest): { clientRequestId?: string } {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && given.length ? { clientRequestId: given.slice(0, 128) } : {};
}

/**
 * The entry for this request answered with `status`. A write that stores its audit entry in its own
 * transaction builds it before the answer exists, with the status it will answer and its entity id.
 */
export function requestAuditEntry(req: FastifyRequest, status: number, known: { entityId?: string; at?: Date } = {}): AuditEntry {
  const cfg = req.routeOptions.config?.audit;
  const p = req.principal;
  const params = (req.params ?? {}) as Record<string, unknown>;
  return {
    at: known.at,
    userId: p?.kind === 'user' ? p.id : null,
    username: p?.username ?? null,
    roles: p?.roles ?? [],
    unitId: p?.unitId ?? null,
    action: cfg?.action ?? `${req.method} ${req.routeOptions.url}`,
    entity: cfg?.entity ?? 'api',
    entityId: known.entityId ?? req.auditEntityId ?? (typeof params.id === 'string' ? params.id : null),
    outcome: outcomeOf(status),
    requestId: String(req.id),
    clientIp: req.ip,
    detail: { status, ...(p?.kind === 'token' ? { token: true } : {}), ...clientRequestId(req), ...(req.auditDetail ?? {}) },
  };
}
