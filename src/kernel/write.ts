/**
 * One write, one transaction: the data, the events it causes (outbox), the request's audit entry
 * (audit_pending, chained by the audit hook or, after a crash, by recoverPendingAudit) and the answer
 * stored under its Idempotency-Key all commit together or not at all. Only after the commit do the
 * in-memory effects run (`afterCommit`) and the events go out (outbox relay).
 *
 * The Idempotency-Key is inserted first, inside the transaction: a concurrent twin waits on the key's
 * row and then finds the stored answer; after a crash an uncommitted write has left no key, so the
 * retry proceeds at once (issue 10: no 409 after a restart).
 *
 * Services take a `Write` where they can be part of a larger one (`writes.within(w, …)`): an assignment
 * that moves its incident is one transaction. Inside a write every query goes through `w.tx` (PGlite
 * has one connection: a query outside the open transaction would wait for it for ever).
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditPending, idempotencyKeys } from '../db/schema.js';
import { AppError } from '../core/errors.js';
import { stageEvents, type Committed, type OutboxDraft, type OutboxRelay } from './outbox.js';

export interface Write {
  /** The open transaction: every read and write of this write goes through it. */
  readonly tx: Db;
  /** Stages an event; `local` goes to in-process handlers on this instance with it. */
  emit(event: OutboxDraft, local?: unknown): void;
  /** Runs once the transaction has committed (in-memory state, caches); never after a rollback. */
  afterCommit(f: () => void): void;
  /** Runs when the write rolls back: memory changed on the way is read again from the database. */
  onRollback(f: () => void): void;
  /** The entity the request's audit row names (the first one given wins). */
  entity(id: string): void;
}

/** What a request adds to its write: the audit entry and the Idempotency-Key (kernel/http-write.ts). */
export interface WriteRequest {
  audit?: { key: string; entry(entityId: string | undefined): Record<string, unknown> };
  idempotency?: { principal: string; key: string; method: string; path: string; requestHash: string };
  /** The status a success answers with (stored with the key). */
  status: number;
}

/** What a committed write stored under an Idempotency-Key (undefined when none did). */
export async function storedKey(db: Db, principal: string, key: string) {
  const [stored] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.principal, principal), eq(idempotencyKeys.key, key)));
  return stored;
}

export type WriteOutcome<T> = { replayed: false; value: T; entityId?: string } | { replayed: true; status: number; body: unknown };

export class Writes {
  constructor(
    private readonly db: Db,
    private readonly relay: OutboxRelay,
  ) {}

  get origin() {
    return this.relay.origin;
  }

  /** Runs `fn` as one write of its own (no request: background work, timers, the roster). */
  async run<T>(fn: (w: Write) => Promise<T>): Promise<T> {
    const out = await this.request(undefined, fn);
    if (out.replayed) throw new Error('a write without a request cannot be a replay');
    return out.value;
  }

  /** Joins the caller's write when there is one, else runs its own. */
  within<T>(w: Write | undefined, fn: (w: Write) => Promise<T>): Promise<T> {
    return w ? fn(w) : this.run(fn);
  }

  /**
   * A request's write. `answer` turns the value into what is stored under the Idempotency-Key (default:
   * the value itself), and must be what the route sends.
   */
  async request<T>(req: WriteRequest | undefined, fn: (w: Write) => Promise<T>, answer: (v: T) => unknown = (v) => v): Promise<WriteOutcome<T>> {
    const staged: { draft: OutboxDraft; local: unknown }[] = [];
    const after: (() => void)[] = [];
    const undo: (() => void)[] = [];
    let entityId: string | undefined;
    const result = await this.db.transaction(async (tx) => {
      const idem = req?.idempotency;
      if (idem) {
        const claimed = await tx
          .insert(idempotencyKeys)
          .values({ principal: idem.principal, key: idem.key, method: idem.method, path: idem.path, requestHash: idem.requestHash, state: 'pending' })
          .onConflictDoNothing()
          .returning({ key: idempotencyKeys.key });
        if (!claimed.length) {
          // Committed by an earlier request (a retry) or a twin that was still running (we waited for it).
          const [stored] = await tx.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.principal, idem.principal), eq(idempotencyKeys.key, idem.key)));
          if (!stored || stored.state !== 'done') throw new AppError(409, 'idempotency_in_progress');
          if (stored.requestHash !== idem.requestHash) throw new AppError(422, 'idempotency_mismatch', {}, 'Idempotency-Key');
          return { replayed: true as const, status: stored.status ?? req.status, body: stored.response };
        }
      }
      const w: Write = {
        tx: tx as unknown as Db,
        emit: (draft, local) => void staged.push({ draft, local }),
        afterCommit: (f) => void after.push(f),
        onRollback: (f) => void undo.push(f),
        entity: (id) => void (entityId ??= id),
      };
      const value = await fn(w);
      const seqs = await stageEvents(tx as unknown as Db, this.relay.origin, staged.map((s) => s.draft));
      if (req?.audit) await tx.insert(auditPending).values({ requestKey: req.audit.key, entry: req.audit.entry(entityId) });
      if (idem) {
        await tx
          .update(idempotencyKeys)
          .set({ state: 'done', status: req.status, response: (answer(value) ?? null) as never })
          .where(and(eq(idempotencyKeys.principal, idem.principal), eq(idempotencyKeys.key, idem.key)));
      }
      return { replayed: false as const, value, seqs };
    }).catch((err: unknown) => {
      for (const f of undo) f();
      throw err;
    });
    if (result.replayed) return result;
    for (const f of after) f();
    const at = new Date().toISOString();
    const events: Committed[] = staged.map((s, i) => ({ seq: result.seqs[i], bus: { type: s.draft.topic, unitPath: s.draft.unitPath, key: s.draft.key, at, data: s.draft.data }, local: s.local }));
    this.relay.committed(events);
    return { replayed: false, value: result.value, entityId };
  }
}
