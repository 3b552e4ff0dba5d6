/** Reading and appending the audit log in the database. */
import { and, asc, count, desc, eq, gt, gte, ilike, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { unitScope, type Principal } from '../../core/access.js';
import { auditHead, auditLog } from '../../db/schema.js';
import { ChainVerifier, GENESIS_HASH, rowHash, type AuditFields, type ChainCheck } from './chain.js';

export type AuditEntry = Omit<AuditFields, 'seq' | 'at'> & { at?: Date };

const AUDIT_LOCK = 7_110_001;

/**
 * Appends rows in one transaction. The advisory lock serialises appends across connections and server
 * instances, so `seq` stays gap-free and every row links to the one before it.
 */
async function appendBatch(db: Db, entries: AuditEntry[]): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1));
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const rows = entries.map((entry) => {
      seq++;
      const fields: AuditFields = { ...entry, seq, at: (entry.at ?? new Date()).toISOString(), detail: entry.detail ?? null };
      const hash = rowHash(fields, prevHash);
      const row = { ...fields, prevHash, hash };
      prevHash = hash;
      return row;
    });
    await tx.insert(auditLog).values(rows);
    if (head) await tx.update(auditHead).set({ seq, hash: prevHash }).where(eq(auditHead.id, 1));
    else await tx.insert(auditHead).values({ id: 1, seq, hash: prevHash });
    return rows.map((r) => r.seq);
  });
}

/**
 * Group commit: appends that arrive while a batch is being written wait and go together in the next
 * transaction. Under load this turns one lock + one disk flush per row into one per batch; every caller
 * still hears back only after its row is committed.
 */
class AuditWriter {
  private queue: { entry: AuditEntry; resolve: (seq: number) => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;
  constructor(private readonly db: Db) {}

  append(entry: AuditEntry): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush() {
    this.flushing = true;
    while (this.queue.length) {
      const batch = this.queue.splice(0, 500);
      try {
        const seqs = await appendBatch(this.db, batch.map((b) => b.entry));
        batch.forEach((b, i) => b.resolve(seqs[i]));
      } catch (e) {
        batch.forEach((b) => b.reject(e));
      }
    }
    this.flushing = false;
  }
}

const writers = new WeakMap<Db, AuditWriter>();

/** Appends one row to the audit log; resolves with its seq once committed. */
export function appendAudit(db: Db, entry: AuditEntry): Promise<number> {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new AuditWriter(db)));
  return w.append(entry);
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
