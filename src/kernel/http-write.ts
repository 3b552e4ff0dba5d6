/**
 * A route's write (kernel/write.ts) with what its request brings: the audit entry stored in the write's
 * transaction (then chained by the audit hook) and the Idempotency-Key stored with the answer. Routes
 * that use it declare `config: { idempotency: 'in-write' }` so the hook does not claim the key first.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pendingAuditRecord, requestAuditEntry, type AuditEntry } from '../modules/audit/index.js';
import { storedAnswer } from './replay.js';
import type { Write, Writes } from './write.js';

/**
 * Runs `fn` as the request's write and answers what the route sends: the value (status `status`), or,
 * for a retry of a committed request, the stored answer with `idempotent-replayed: true`.
 */
export async function routeWrite<T>(writes: Writes, req: FastifyRequest, reply: FastifyReply, status: number, fn: (w: Write) => Promise<T>): Promise<T> {
  let entry: AuditEntry | undefined;
  const at = new Date();
  const idem = req.idempotency;
  const out = await writes.request(
    {
      status,
      idempotency: idem && req.routeOptions.config?.idempotency === 'in-write' ? idem : undefined,
      audit: {
        key: String(req.id),
        entry: (entityId) => {
          entry = requestAuditEntry(req, status, { entityId, at });
          return pendingAuditRecord(entry);
        },
      },
    },
    fn,
  );
  if (out.replayed) {
    if (idem) idem.replayed = true;
    reply.status(out.status);
    return (await storedAnswer(req, out.body)) as T;
  }
  if (idem) idem.committed = true;
  if (out.entityId) req.auditEntityId = out.entityId;
  if (entry) req.auditPending = { key: String(req.id), entry };
  reply.status(status);
  return out.value;
}
