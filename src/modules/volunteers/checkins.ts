/**
 * The check-in's hot path (issue 13 "Speed": 500 check-ins a second, p99 ≤ 50 ms). Concurrent check-ins
 * are grouped (core/batcher.ts) and a batch costs two statements whatever its size: one read of the
 * sign-ups with their shifts, and one write — the check-in time, the Idempotency-Key with its answer and
 * the request's audit entry (audit_pending, chained by the audit hook as for every write) — in one
 * implicit transaction, one commit. The window and the geofence are tested in JS on the shift's prepared
 * polygon (cached: no route changes a shift's area).
 *
 * Only the plain case goes this way: a volunteer (not staff) with a confirmed sign-up not yet checked in.
 * Everything else — not signed up, pending, already checked in, a second request with the same key or
 * for the same sign-up in the batch, a sign-up checked in by another instance meanwhile — answers
 * `null` and the route runs the ordinary kernel write (service.checkIn), which answers it exactly.
 * Refusals (window, area) are the same errors as the ordinary write's, with nothing written.
 */
import { Batcher } from '../../core/batcher.js';
import type { Principal } from '../../core/access.js';
import { rawQuery, type Db } from '../../db/client.js';
import { recordset, rowsJson, type ValueColumn } from '../../db/raw.js';
import { prepareFence, type GeoPolygon, type PreparedFence } from './domain/geofence.js';
import { assertCheckin } from './checkin-rules.js';
import { isVolunteerOnly } from './service.js';

export interface CheckinRequest {
  p: Principal;
  shiftId: string;
  at: { lon: number; lat: number };
  idempotency?: { principal: string; key: string; method: string; path: string; requestHash: string };
  /** The request's audit entry once the sign-up and time are known (audit's pendingAuditRecord). */
  audit: (signupId: string, at: Date) => { key: string; record: Record<string, unknown> };
}

/** What the route answers (service.signupView's shape). */
export interface CheckinView {
  id: string;
  shiftId: string;
  userId: string;
  displayName: string;
  status: 'confirmed';
  createdAt: string;
  checkedInAt: string | null;
  checkedOutAt: string | null;
}

interface ReadRow {
  i: number;
  signup_id: string;
  status: string;
  checked_in_at: unknown;
  created_at: unknown;
  starts_at: unknown;
  ends_at: unknown;
  member: boolean;
  area: unknown;
}

const READ_COLUMNS: ValueColumn<{ i: number; r: CheckinRequest; needArea: boolean }>[] = [
  { name: 'i', type: 'integer', get: (x) => x.i },
  { name: 'shift_id', type: 'text', get: (x) => x.r.shiftId },
  { name: 'user_id', type: 'text', get: (x) => x.r.p.id },
  { name: 'need_area', type: 'boolean', get: (x) => x.needArea },
];

/** The batch's sign-ups (shift and user), with their shift's times, the team membership and (when not cached) the area. */
const READ_SQL = `select q.i, s.id as signup_id, s.status, s.checked_in_at, s.created_at, sh.starts_at, sh.ends_at,
    exists (select 1 from volunteer_members m where m.team_id = sh.team_id and m.user_id = q.user_id) as member,
    case when q.need_area then sh.area end as area
  from ${recordset('q', READ_COLUMNS, 1)}
  join volunteer_signups s on s.shift_id = q.shift_id and s.user_id = q.user_id
  join volunteer_shifts sh on sh.id = s.shift_id`;

interface Accepted {
  signupId: string;
  at: Date;
  idem: CheckinRequest['idempotency'];
  answer: CheckinView;
  audit: { key: string; record: Record<string, unknown> };
}

const WRITE_COLUMNS: ValueColumn<Accepted>[] = [
  { name: 'signup_id', type: 'text', get: (a) => a.signupId },
  { name: 'at', type: 'timestamp with time zone', get: (a) => a.at.toISOString() },
  { name: 'idem_principal', type: 'text', get: (a) => a.idem?.principal ?? null },
  { name: 'idem_key', type: 'text', get: (a) => a.idem?.key ?? null },
  { name: 'idem_method', type: 'text', get: (a) => a.idem?.method ?? null },
  { name: 'idem_path', type: 'text', get: (a) => a.idem?.path ?? null },
  { name: 'idem_hash', type: 'text', get: (a) => a.idem?.requestHash ?? null },
  { name: 'answer', type: 'jsonb', get: (a) => a.answer },
  { name: 'audit_key', type: 'text', get: (a) => a.audit.key },
  { name: 'audit_entry', type: 'jsonb', get: (a) => a.audit.record },
];

/**
 * One statement, one commit: the check-ins that still apply (confirmed, not checked in) are set, and only
 * theirs get the key's answer and the audit entry. A key stored before fails the whole statement on its
 * unique index (then every item of the batch goes the ordinary way, which replays or refuses it).
 */
const WRITE_SQL = `with v as (select * from ${recordset('v', WRITE_COLUMNS, 1)}),
     updated as (
       update volunteer_signups s set checked_in_at = v.at from v
       where s.id = v.signup_id and s.status = 'confirmed' and s.checked_in_at is null
       returning s.id),
     done as (select v.* from v join updated u on u.id = v.signup_id),
     answers as (
       insert into idempotency_keys (principal, key, method, path, request_hash, state, status, response)
       select idem_principal, idem_key, idem_method, idem_path, idem_hash, 'done', 200, answer from done where idem_key is not null),
     audits as (insert into audit_pending (request_key, entry) select audit_key, audit_entry from done)
   select signup_id from done`;

const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

export class CheckinWriter {
  private readonly batcher = new Batcher<CheckinRequest, CheckinView | null>((items) => this.process(items), 500);
  /** Prepared areas by shift id (a shift's area never changes once created). */
  private readonly fences = new Map<string, PreparedFence>();

  constructor(
    private readonly db: Db,
    private readonly opts: { graceMinutes: number; now: () => Date },
  ) {}

  /** The check-in's answer, a refusal (thrown), or null: take the ordinary write. */
  checkIn(r: CheckinRequest): Promise<CheckinView | null> {
    if (!isVolunteerOnly(r.p)) return Promise.resolve(null);
    return this.batcher.run(r);
  }

  private async process(items: CheckinRequest[]): Promise<(CheckinView | null | Error)[]> {
    const out: (CheckinView | null | Error)[] = items.map(() => null);
    const read = items.map((r, i) => ({ i, r, needArea: !this.fences.has(r.shiftId) }));
    const rows = await rawQuery<ReadRow>(this.db, READ_SQL, [rowsJson(READ_COLUMNS, read)], 'volunteer_checkin_read_v1');
    const now = this.opts.now();
    const accepted: { i: number; a: Accepted }[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      const r = items[row.i]!;
      if (row.area && !this.fences.has(r.shiftId)) {
        if (this.fences.size > 5000) this.fences.clear();
        this.fences.set(r.shiftId, prepareFence((typeof row.area === 'string' ? JSON.parse(row.area) : row.area) as GeoPolygon));
      }
      const fence = this.fences.get(r.shiftId);
      const keyOf = r.idempotency ? `${r.idempotency.principal}\u0000${r.idempotency.key}` : '';
      // Twins in one batch (same sign-up or same key) and anything but the plain case: the ordinary write.
      if (!fence || !row.member || row.status !== 'confirmed' || row.checked_in_at || seen.has(row.signup_id) || (keyOf && seen.has(keyOf))) continue;
      seen.add(row.signup_id);
      if (keyOf) seen.add(keyOf);
      try {
        assertCheckin({ startsAt: toDate(row.starts_at), endsAt: toDate(row.ends_at) }, r.at, now, this.opts.graceMinutes, fence);
      } catch (e) {
        out[row.i] = e as Error;
        continue;
      }
      const answer: CheckinView = { id: row.signup_id, shiftId: r.shiftId, userId: r.p.id, displayName: r.p.displayName, status: 'confirmed', createdAt: toDate(row.created_at).toISOString(), checkedInAt: now.toISOString(), checkedOutAt: null };
      accepted.push({ i: row.i, a: { signupId: row.signup_id, at: now, idem: r.idempotency, answer, audit: r.audit(row.signup_id, now) } });
    }
    if (!accepted.length) return out;
    let written: Set<string>;
    try {
      written = new Set((await rawQuery<{ signup_id: string }>(this.db, WRITE_SQL, [rowsJson(WRITE_COLUMNS, accepted.map((x) => x.a))], 'volunteer_checkin_write_v1')).map((x) => x.signup_id));
    } catch {
      // A key used before (its unique index): nothing of the batch was written; each goes the ordinary way.
      return out.map((o) => (o instanceof Error ? o : null));
    }
    for (const { i, a } of accepted) out[i] = written.has(a.signupId) ? a.answer : null;
    return out;
  }
}
