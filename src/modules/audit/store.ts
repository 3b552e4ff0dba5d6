/** Reading and appending the audit log in the database. */
import { and, asc, count, desc, eq, gt, gte, ilike, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { unitScope, type Principal } from '../../core/access.js';
import { auditHead, auditLog } from '../../db/schema.js';
import { ChainVerifier, GENESIS_HASH, rowHash, type AuditFields, type ChainCheck } from './chain.js';

export type AuditEntry = Omit<AuditFields, 'seq' | 'at'> & { at?: Date };

const AUDIT_LOCK = 7_110_001;

/**
 * Appends one row. The advisory lock serialises appends across connections and server instances,
 * so `seq` stays gap-free and every row links to the one before it.
 */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1));
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const fields: AuditFields = { ...entry, seq, at: (entry.at ?? new Date()).toISOString(), detail: entry.detail ?? null };
    const hash = rowHash(fields, prevHash);
    await tx.insert(auditLog).values({ ...fields, prevHash, hash });
    if (head) await tx.update(auditHead).set({ seq, hash }).where(eq(auditHead.id, 1));
    else await tx.insert(auditHead).values({ id: 1, seq, hash });
    return seq;
  });
}

export interface AuditQuery {
  from?: string;
  to?: string;
  username?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  outcome?: string;
  limit: number;
  offset: number;
}

/** Rows are scoped like everything else: by the unit of the person who acted. */
export async function searchAudit(db: Db, p: Principal, q: AuditQuery) {
  const conds: SQL[] = [];
  const scope = unitScope(p, auditLog.unitId);
  if (scope) conds.push(scope);
  if (q.from) conds.push(gte(auditLog.at, new Date(q.from).toISOString()));
  if (q.to) conds.push(lte(auditLog.at, new Date(q.to).toISOString()));
  if (q.username) conds.push(eq(auditLog.username, q.username));
  if (q.action) conds.push(ilike(auditLog.action, `%${q.action.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
  if (q.entity) conds.push(eq(auditLog.entity, q.entity));
  if (q.entityId) conds.push(eq(auditLog.entityId, q.entityId));
  if (q.outcome) conds.push(eq(auditLog.outcome, q.outcome));
  const where = conds.length ? and(...conds) : undefined;
  const rows = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(q.limit).offset(q.offset);
  const [{ n }] = await db.select({ n: count() }).from(auditLog).where(where);
  return {
    items: rows.map(({ prevHash: _p, hash: _h, ...r }) => ({ ...r, at: new Date(r.at).toISOString() })),
    total: Number(n),
  };
}

/** Streams the whole log in seq order and checks every link. */
export async function verifyAudit(db: Db, onProgress?: (rows: number) => void): Promise<ChainCheck> {
  const verifier = new ChainVerifier();
  const batch = 5000;
  let after = 0;
  for (;;) {
    const rows = await db.select().from(auditLog).where(gt(auditLog.seq, after)).orderBy(asc(auditLog.seq)).limit(batch);
    for (const r of rows) {
      if (!verifier.step({ ...r, seq: Number(r.seq), roles: r.roles ?? [] })) return verifier.finish(null);
    }
    onProgress?.(rows.length);
    if (rows.length < batch) break;
    after = Number(rows[rows.length - 1].seq);
  }
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  return verifier.finish(head ? { seq: Number(head.seq), hash: head.hash } : null);
}
