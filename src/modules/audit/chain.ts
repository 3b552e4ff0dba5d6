/**
 * Pure hash-chain logic of the audit log: each row's hash covers its own fields and the previous
 * row's hash, so changing or removing any row breaks every later link.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
  seq: number;
  at: string; // ISO 8601 with milliseconds, UTC
  userId: string | null;
  username: string | null;
  roles: string[];
  unitId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  outcome: string;
  requestId: string | null;
  clientIp: string | null;
  detail: unknown;
}

export interface AuditRow extends AuditFields {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted, so the hash does not depend on how the database stores jsonb. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Timestamps come back from the two drivers in different text forms; hash the instant, not the text. */
export function normaliseInstant(at: string | Date): string {
  return new Date(at).toISOString();
}

export function rowHash(fields: AuditFields, prevHash: string): string {
  const payload = canonicalJson([
    fields.seq,
    normaliseInstant(fields.at),
    fields.userId,
    fields.username,
    fields.roles,
    fields.unitId,
    fields.action,
    fields.entity,
    fields.entityId,
    fields.outcome,
    fields.requestId,
    fields.clientIp,
    fields.detail ?? null,
    prevHash,
  ]);
  return createHash('sha256').update(payload).digest('hex');
}

export type ChainCheck =
  | { ok: true; rows: number; lastSeq: number; lastHash: string }
  | { ok: false; rows: number; firstBadSeq: number; reason: string };

/**
 * Walks rows in seq order (the caller streams them in batches through `step`) and reports the first
 * row that is missing, altered or out of place. `head` is the stored chain head, checked at the end.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private failure: { firstBadSeq: number; reason: string } | null = null;

  step(row: AuditRow): boolean {
    if (this.failure) return false;
    if (row.seq !== this.expectedSeq) {
      return this.fail(this.expectedSeq, row.seq > this.expectedSeq ? `row ${this.expectedSeq} is missing (next row is ${row.seq})` : `row ${row.seq} is out of order`);
    }
    if (row.prevHash !== this.prevHash) return this.fail(row.seq, `row ${row.seq} does not link to row ${row.seq - 1} (previous row changed or removed)`);
    if (rowHash(row, row.prevHash) !== row.hash) return this.fail(row.seq, `row ${row.seq} was changed after it was written`);
    this.prevHash = row.hash;
    this.expectedSeq++;
    this.count++;
    return true;
  }

  finish(head: { seq: number; hash: string } | null): ChainCheck {
    if (this.failure) return { ok: false, rows: this.count, ...this.failure };
    const lastSeq = this.expectedSeq - 1;
    if (head && (head.seq !== lastSeq || head.hash !== this.prevHash)) {
      return head.seq > lastSeq
        ? { ok: false, rows: this.count, firstBadSeq: lastSeq + 1, reason: `rows ${lastSeq + 1}..${head.seq} were removed from the end` }
        : { ok: false, rows: this.count, firstBadSeq: head.seq + 1, reason: `rows after ${head.seq} were not written through the log` };
    }
    if (!head && lastSeq > 0) return { ok: false, rows: this.count, firstBadSeq: 1, reason: 'the chain head is missing' };
    return { ok: true, rows: this.count, lastSeq, lastHash: this.prevHash };
  }

  private fail(seq: number, reason: string): false {
    this.failure = { firstBadSeq: seq, reason };
    return false;
  }
}
