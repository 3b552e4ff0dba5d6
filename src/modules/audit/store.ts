/** Reading and appending the audit log in the database. */
import { and, asc, count, desc, eq, gt, gte, ilike, lte, type SQL } from 'drizzle-orm';
import { rawQuery, rawTransaction, type Db } from '../../db/client.js';
import { columnList, recordset, rowsJson, tableValueColumns, type ValueColumn } from '../../db/raw.js';
import { Batcher } from '../../core/batcher.js';
import { storableText } from '../../core/text.js';
import { unitScope, type Principal } from '../../core/access.js';
import { auditHead, auditLog } from '../../db/schema.js';
import { ChainVerifier, GENESIS_HASH, rowHash, type AuditFields, type ChainCheck } from './chain.js';

export type AuditEntry = Omit<AuditFields, 'seq' | 'at'> & {
  at?: Date;
  /**
   * Set when the entry was already stored in `audit_pending` by the write's own transaction (see
   * writeAuditPending): chaining it removes that row in the same statement, and a row left by a crash is
   * chained at the next start (recoverPendingAudit). Not part of the hashed fields.
   */
  pendingKey?: string;
};

const AUDIT_LOCK = 7_110_001;

type AuditRow = typeof auditLog.$inferInsert;
const AUDIT_KEYS: (keyof AuditRow & string)[] = ['seq', 'at', 'userId', 'username', 'roles', 'unitId', 'action', 'entity', 'entityId', 'outcome', 'requestId', 'clientIp', 'detail', 'prevHash', 'hash'];
const AUDIT_COLUMNS: ValueColumn<AuditRow>[] = tableValueColumns<AuditRow>(auditLog, AUDIT_KEYS);
const AUDIT_COLS = columnList(AUDIT_COLUMNS);
const AUDIT_INSERT = `insert into audit_log (${AUDIT_COLS}) select ${AUDIT_COLS} from ${recordset('r', AUDIT_COLUMNS, 1)}`;
/**
 * Rows after the head we wrote last; the head moves only if it is still there ($1 the old seq, $2/$3 the
 * new head); the pending copies of the rows ($5) go in the same statement.
 */
const AUDIT_APPEND_AFTER = `with h as (update audit_head set seq = $2, hash = $3 where id = 1 and seq = $1 returning seq),
     ins as (insert into audit_log (${AUDIT_COLS}) select ${AUDIT_COLS} from ${recordset('r', AUDIT_COLUMNS, 4)} where exists (select 1 from h)),
     pending as (delete from audit_pending where request_key in (select json_array_elements_text($5::json)) and exists (select 1 from h))
     select count(*)::int as moved from h`;

type Head = { seq: number; hash: string };

/** Deepest nesting of an audit detail that is stored; deeper parts are cut (details are ours, not user documents). */
const MAX_DETAIL_DEPTH = 8;

/**
 * A string the database can store: lone surrogates and NUL become U+FFFD. Hashed as stored, so the
 * chain verifies; a caller's odd input can never make its audit row (or the rows grouped with it) fail.
 */
function storable(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DETAIL_DEPTH) return '…';
  if (Array.isArray(value)) return value.map((v) => storable(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[storable(k) as string] = storable(v, depth + 1);
  return out;
}

function storableEntry(e: AuditEntry): AuditEntry {
  const text = (v: string | null) => (v === null ? null : (storable(v) as string));
  return {
    ...e,
    userId: text(e.userId),
    username: text(e.username),
    roles: e.roles.map((r) => storable(r) as string),
    unitId: text(e.unitId),
    action: storable(e.action) as string,
    entity: storable(e.entity) as string,
    entityId: text(e.entityId),
    outcome: storable(e.outcome) as string,
    requestId: text(e.requestId),
    clientIp: text(e.clientIp),
    detail: storable(e.detail ?? null),
  };
}

/** Chains entries after `head`: each row carries the hash of the one before it. */
function chain(entries: AuditEntry[], head: Head) {
  let { seq, hash: prevHash } = head;
  const rows = entries.map((raw) => {
    const { pendingKey: _pending, ...entry } = storableEntry(raw);
    seq++;
    const fields: AuditFields = { ...entry, seq, at: (entry.at ?? new Date()).toISOString(), detail: entry.detail ?? null };
    const hash = rowHash(fields, prevHash);
    const row = { ...fields, prevHash, hash };
    prevHash = hash;
    return row;
  });
  return { rows, head: { seq, hash: prevHash } };
}

/**
 * The safe way: in one transaction under an advisory lock (serialising appends across connections and
 * server instances), read the head, append, move the head. Used at start and whenever the head moved
 * under us (another instance appended).
 */
async function appendLocked(db: Db, entries: AuditEntry[]): Promise<{ seqs: number[]; head: Head }> {
  return rawTransaction(db, async (q) => {
    await q('select pg_advisory_xact_lock($1)', [AUDIT_LOCK], 'audit_lock_v1');
    // FOR UPDATE: a one-statement append of another instance waits for us, then finds the head moved.
    const [h] = await q<{ seq: string | number; hash: string }>('select seq, hash from audit_head where id = 1 for update', [], 'audit_head_v2');
    // A pending entry already chained by a recovery (another instance's start) is not chained twice.
    const keys = pendingKeys(entries);
    const stillPending = new Set(keys.length ? (await q<{ request_key: string }>(PENDING_DELETE, [JSON.stringify(keys)], 'audit_pending_delete_v1')).map((r) => r.request_key) : []);
    const toChain = entries.filter((e) => e.pendingKey === undefined || stillPending.has(e.pendingKey));
    const { rows, head } = chain(toChain, h ? { seq: Number(h.seq), hash: h.hash } : { seq: 0, hash: GENESIS_HASH });
    if (rows.length) await q(AUDIT_INSERT, [rowsJson(AUDIT_COLUMNS, rows)], 'audit_insert_v2');
    await q('insert into audit_head (id, seq, hash) values (1, $1, $2) on conflict (id) do update set seq = excluded.seq, hash = excluded.hash', [head.seq, head.hash], 'audit_head_set_v1');
    const seqOf = new Map(toChain.map((e, i) => [e, rows[i].seq]));
    return { seqs: entries.map((e) => seqOf.get(e) ?? 0), head };
  });
}

const PENDING_DELETE = 'delete from audit_pending where request_key in (select json_array_elements_text($1::json)) returning request_key';

function pendingKeys(entries: AuditEntry[]): string[] {
  return entries.flatMap((e) => (e.pendingKey === undefined ? [] : [e.pendingKey]));
}

/**
 * Stores audit entries inside the caller's own write (a CTE or statement of its transaction): the
 * acknowledged write and its audit record are durable together. The entry is then chained by
 * appendAudit with the same `pendingKey`, or after a crash by recoverPendingAudit.
 */
export function pendingAuditRecord(entry: AuditEntry): Record<string, unknown> {
  const { pendingKey: _key, ...stored } = storableEntry(entry);
  return { ...stored, at: (entry.at ?? new Date()).toISOString() };
}
export function pendingAuditJson(entry: AuditEntry): string {
  return JSON.stringify(pendingAuditRecord(entry));
}

/**
 * Chains the audit entries that writes stored but nobody chained (the process died between the two),
 * oldest first, under the lock; answers how many. Run at start and then every minute for entries older
 * than a minute: a writer still alive elsewhere finds its entry gone and does not chain it again
 * (appendLocked).
 */
export async function recoverPendingAudit(db: Db, minAgeMs = 0): Promise<number> {
  let recovered = 0;
  for (;;) {
    const n = await rawTransaction(db, async (q) => {
      await q('select pg_advisory_xact_lock($1)', [AUDIT_LOCK], 'audit_lock_v1');
      const [h] = await q<{ seq: string | number; hash: string }>('select seq, hash from audit_head where id = 1 for update', [], 'audit_head_v2');
      const pending = await q<{ request_key: string; entry: AuditEntry & { at: string } }>('delete from audit_pending where request_key in (select request_key from audit_pending where created_at <= now() - make_interval(secs => $1) order by created_at, request_key limit 1000) returning request_key, entry', [minAgeMs / 1000]);
      if (!pending.length) return 0;
      pending.sort((a, b) => (a.entry.at < b.entry.at ? -1 : a.entry.at > b.entry.at ? 1 : 0));
      const { rows, head } = chain(
        pending.map((p) => ({ ...p.entry, at: new Date(p.entry.at), detail: { ...(p.entry.detail as object), recovered: true } })),
        h ? { seq: Number(h.seq), hash: h.hash } : { seq: 0, hash: GENESIS_HASH },
      );
      await q(AUDIT_INSERT, [rowsJson(AUDIT_COLUMNS, rows)], 'audit_insert_v2');
      await q('insert into audit_head (id, seq, hash) values (1, $1, $2) on conflict (id) do update set seq = excluded.seq, hash = excluded.hash', [head.seq, head.hash], 'audit_head_set_v1');
      return rows.length;
    });
    recovered += n;
    if (n < 1000) return recovered;
  }
}

/**
 * The fast way, one statement: chain onto the head we last wrote, moving the head only if it is still
 * where we left it (the row lock on the head orders concurrent appenders; a loser sees a changed seq and
 * writes nothing). Answers null when the head had moved.
 */
async function appendAfter(db: Db, entries: AuditEntry[], known: Head): Promise<{ seqs: number[]; head: Head } | null> {
  const { rows, head } = chain(entries, known);
  const [r] = await rawQuery<{ moved: number }>(db, AUDIT_APPEND_AFTER, [known.seq, head.seq, head.hash, rowsJson(AUDIT_COLUMNS, rows), JSON.stringify(pendingKeys(entries))], 'audit_append_after_v2');
  return r && Number(r.moved) === 1 ? { seqs: rows.map((x) => x.seq), head } : null;
}

/**
 * Group commit (core/batcher.ts): appends that arrive while a batch is being written wait and go
 * together in the next transaction, so under load one disk flush serves many rows; every caller still
 * hears back only after its row is committed. The writer remembers the head it wrote last, so a batch
 * is one statement unless another instance appended meanwhile.
 */
class AuditWriter {
  private readonly batcher: Batcher<AuditEntry, number>;
  private head: Head | null = null;
  constructor(private readonly db: Db) {
    this.batcher = new Batcher((entries) => this.appendBatch(entries), 500);
  }

  append(entry: AuditEntry): Promise<number> {
    return this.batcher.run(entry);
  }

  /** A batch that fails is written again one row at a time: only the row that cannot be written fails. */
  private async appendBatch(entries: AuditEntry[]): Promise<(number | Error)[]> {
    try {
      return await this.appendRows(entries);
    } catch (e) {
      if (entries.length === 1) throw e;
      const out: (number | Error)[] = [];
      for (const entry of entries) {
        try {
          out.push((await this.appendRows([entry]))[0]);
        } catch (err) {
          out.push(err instanceof Error ? err : new Error(String(err)));
        }
      }
      return out;
    }
  }

  private async appendRows(entries: AuditEntry[]): Promise<number[]> {
    try {
      const done = (this.head && (await appendAfter(this.db, entries, this.head))) || (await appendLocked(this.db, entries));
      this.head = done.head;
      return done.seqs;
    } catch (e) {
      this.head = null; // not sure where the head is now: read it under the lock next time
      throw e;
    }
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
