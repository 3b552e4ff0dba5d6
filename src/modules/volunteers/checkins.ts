/**
 * The check-in's hot path (issue 13 "Speed": 500 check-ins a second, p99 ≤ 50 ms). Concurrent check-ins
 * are grouped (core/batcher.ts) and a batch is ONE statement, one commit, whatever its size: it reads the
 * sign-ups with their shifts and team membership and, for the plain case, sets the check-in time and
 * stores the Idempotency-Key with its answer and the request's audit entry (audit_pending, chained by the
 * audit hook as for every write). The window and the geofence are tested in JS beforehand, on the shift's
 * times and prepared polygon (bounding box first) cached per shift: a shift's times and area never change
 * once created (no route edits them; cancelling is a sign-up status the statement reads, and drops the
 * entry); the statement writes only if the shift's times are still the cached ones.
 *
 * Only the plain case goes this way: a volunteer (not staff) with a confirmed sign-up not yet checked in.
 * Everything else — not signed up, pending, already checked in, a second request with the same key or
 * for the same shift and person in the batch, an unknown shift, a sign-up checked in by another instance
 * meanwhile — answers `null` and the route runs the ordinary kernel write (service.checkIn), which
 * answers it exactly. Refusals (window, area) are the same errors as the ordinary write's, with nothing
 * written, and only for the plain case (others get the ordinary write's answer).
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
  /** The request's audit entry as stored in audit_pending (audit's pendingAuditRecord), its entityId set by the statement. */
  audit: (at: Date) => { key: string; record: Record<string, unknown> };
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

/** A shift as the check-in needs it, cached. */
interface CachedShift {
  startsAt: Date;
  endsAt: Date;
  fence: PreparedFence;
}

interface Item {
  i: number;
  r: CheckinRequest;
  shift: CachedShift;
  /** Refused in JS (window or area): read only, refused if it is the plain case. */
  refusal: Error | null;
  at: Date;
  answer: Omit<CheckinView, 'id' | 'createdAt'>;
  audit: { key: string; record: Record<string, unknown> } | null;
}

const COLUMNS: ValueColumn<Item>[] = [
  { name: 'i', type: 'integer', get: (x) => x.i },
  { name: 'shift_id', type: 'text', get: (x) => x.r.shiftId },
  { name: 'user_id', type: 'text', get: (x) => x.r.p.id },
  { name: 'go', type: 'boolean', get: (x) => x.refusal === null },
  { name: 'at', type: 'timestamp with time zone', get: (x) => x.at.toISOString() },
  { name: 'exp_starts', type: 'timestamp with time zone', get: (x) => x.shift.startsAt.toISOString() },
  { name: 'exp_ends', type: 'timestamp with time zone', get: (x) => x.shift.endsAt.toISOString() },
  { name: 'idem_principal', type: 'text', get: (x) => x.r.idempotency?.principal ?? null },
  { name: 'idem_key', type: 'text', get: (x) => x.r.idempotency?.key ?? null },
  { name: 'idem_method', type: 'text', get: (x) => x.r.idempotency?.method ?? null },
  { name: 'idem_path', type: 'text', get: (x) => x.r.idempotency?.path ?? null },
  { name: 'idem_hash', type: 'text', get: (x) => x.r.idempotency?.requestHash ?? null },
  { name: 'answer', type: 'jsonb', get: (x) => x.answer },
  { name: 'audit_key', type: 'text', get: (x) => x.audit?.key ?? null },
  { name: 'audit_entry', type: 'jsonb', get: (x) => x.audit?.record ?? null },
];

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * The batch's sign-ups as they are (`cur`); those of the plain case with `go` get the check-in time
 * (`updated`), and only theirs the key's answer (the JS answer with the sign-up's id and creation time)
 * and the audit entry (with the sign-up as its entity). A key stored before fails the whole statement on
 * its unique index (then every item goes the ordinary way, which replays or refuses it).
 */
const CHECKIN_SQL = `with v as (select * from ${recordset('v', COLUMNS, 1)}),
     cur as (
       select v.*, s.id as signup_id, s.status, s.checked_in_at is not null as checked_in,
         to_char(s.created_at at time zone 'UTC', ${ISO}) as created_iso,
         sh.starts_at = v.exp_starts and sh.ends_at = v.exp_ends as same_times,
         exists (select 1 from volunteer_members m where m.team_id = sh.team_id and m.user_id = v.user_id) as member
       from v
       join volunteer_signups s on s.shift_id = v.shift_id and s.user_id = v.user_id
       join volunteer_shifts sh on sh.id = s.shift_id),
     updated as (
       update volunteer_signups s set checked_in_at = c.at from cur c
       where s.id = c.signup_id and c.go and c.member and c.same_times and s.status = 'confirmed' and s.checked_in_at is null
       returning s.id),
     done as (select c.* from cur c join updated u on u.id = c.signup_id),
     answers as (
       insert into idempotency_keys (principal, key, method, path, request_hash, state, status, response)
       select idem_principal, idem_key, idem_method, idem_path, idem_hash, 'done', 200, answer || jsonb_build_object('id', signup_id, 'createdAt', created_iso)
       from done where idem_key is not null),
     audits as (insert into audit_pending (request_key, entry) select audit_key, audit_entry || jsonb_build_object('entityId', signup_id) from done)
   select c.i, c.signup_id, c.status, c.checked_in, c.created_iso, c.same_times, c.member, u.id is not null as written
   from cur c left join updated u on u.id = c.signup_id`;

interface Row {
  i: number;
  signup_id: string;
  status: string;
  checked_in: boolean;
  created_iso: string;
  same_times: boolean;
  member: boolean;
  written: boolean;
}

const SHIFTS_SQL = `select id, starts_at, ends_at, area from volunteer_shifts where id in (select json_array_elements_text($1::json))`;

const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

export class CheckinWriter {
  private readonly batcher = new Batcher<CheckinRequest, CheckinView | null>((items) => this.process(items), 500);
  /** Shifts by id: times and prepared area (they never change once created; see forget). */
  private readonly shifts = new Map<string, CachedShift>();

  constructor(
    private readonly db: Db,
    private readonly opts: { graceMinutes: number; now: () => Date },
  ) {}

  /** The check-in's answer, a refusal (thrown), or null: take the ordinary write. */
  checkIn(r: CheckinRequest): Promise<CheckinView | null> {
    if (!isVolunteerOnly(r.p)) return Promise.resolve(null);
    return this.batcher.run(r);
  }

  /** Drops a shift's cached times and area (a shift changed on this instance). */
  forget(shiftId: string): void {
    this.shifts.delete(shiftId);
  }

  /** The shifts not cached yet, read in one statement. */
  private async loadShifts(ids: string[]): Promise<void> {
    const missing = [...new Set(ids.filter((id) => !this.shifts.has(id)))];
    if (!missing.length) return;
    const rows = await rawQuery<{ id: string; starts_at: unknown; ends_at: unknown; area: unknown }>(this.db, SHIFTS_SQL, [JSON.stringify(missing)], 'volunteer_checkin_shifts_v1');
    if (this.shifts.size + rows.length > 5000) this.shifts.clear();
    for (const s of rows) {
      const area = (typeof s.area === 'string' ? JSON.parse(s.area) : s.area) as GeoPolygon;
      this.shifts.set(s.id, { startsAt: toDate(s.starts_at), endsAt: toDate(s.ends_at), fence: prepareFence(area) });
    }
  }

  private async process(requests: CheckinRequest[]): Promise<(CheckinView | null | Error)[]> {
    const out: (CheckinView | null | Error)[] = requests.map(() => null);
    await this.loadShifts(requests.map((r) => r.shiftId));
    const now = this.opts.now();
    const items: Item[] = [];
    const seen = new Set<string>();
    requests.forEach((r, i) => {
      const shift = this.shifts.get(r.shiftId);
      // Twins in one batch (same shift and person, or same key) and unknown shifts: the ordinary write.
      const person = `${r.shiftId}\u0000${r.p.id}`;
      const key = r.idempotency ? `\u0001${r.idempotency.principal}\u0000${r.idempotency.key}` : '';
      if (!shift || seen.has(person) || (key && seen.has(key))) return;
      seen.add(person);
      if (key) seen.add(key);
      let refusal: Error | null = null;
      try {
        assertCheckin(shift, r.at, now, this.opts.graceMinutes, shift.fence);
      } catch (e) {
        refusal = e as Error;
      }
      const answer = { shiftId: r.shiftId, userId: r.p.id, displayName: r.p.displayName, status: 'confirmed' as const, checkedInAt: now.toISOString(), checkedOutAt: null };
      items.push({ i, r, shift, refusal, at: now, answer, audit: refusal ? null : r.audit(now) });
    });
    if (!items.length) return out;
    let rows: Row[];
    try {
      rows = await rawQuery<Row>(this.db, CHECKIN_SQL, [rowsJson(COLUMNS, items)], 'volunteer_checkin_v2');
    } catch {
      // A key used before (its unique index): nothing of the batch was written; each goes the ordinary way.
      return out;
    }
    const byIndex = new Map(items.map((x) => [x.i, x]));
    for (const row of rows) {
      const item = byIndex.get(row.i)!;
      if (!row.same_times) this.shifts.delete(item.r.shiftId); // changed elsewhere: read again next time
      if (row.written) out[row.i] = { id: row.signup_id, ...item.answer, createdAt: row.created_iso };
      else if (item.refusal && row.same_times && row.member && row.status === 'confirmed' && !row.checked_in) out[row.i] = item.refusal;
    }
    return out;
  }
}
