/**
 * The two database paths every 110 call takes — writing the new incident and looking for its
 * duplicates — grouped across concurrent requests (see core/batcher.ts) and written as hand-made SQL
 * from the schema's column definitions (db/raw.ts). Under load one statement carries many creates:
 * the per-station daily counter is advanced once per station for the whole batch, so numbers stay
 * gap-free and unique, and every caller still hears back only after its own row is committed.
 */
import { getTableColumns } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rawQuery } from '../../db/client.js';
import { mapRow, quoteIdent, recordset, rowsJson, selectList, tableValueColumns, type ValueColumn } from '../../db/raw.js';
import { Batcher } from '../../core/batcher.js';
import { StatisticsKeeper } from '../../db/statistics.js';
import { seesEverything, type Principal } from '../../core/access.js';
import { incidentEvents, incidents } from './schema.js';
import { isStationCode, localDay } from './domain/numbering.js';
import { OPEN_STATUSES } from './domain/lifecycle.js';
import { distanceMeters } from './domain/proximity.js';
import type { TransferDraft } from './intake-transfer.js';

type IncidentRow = typeof incidents.$inferSelect;
type IncidentEventInsert = typeof incidentEvents.$inferInsert;

export interface IncidentDraft {
  /** Everything but the number, which the counter gives inside the transaction. */
  row: Omit<IncidentRow, 'number'>;
  stationCode: string;
  /** Who recorded it and why the priority: the `created` event (its time and status are the row's). */
  event: Pick<IncidentEventInsert, 'userId' | 'username' | 'detail'>;
  /**
   * What is stored under the Idempotency-Key (a reference the answer is rebuilt from, see
   * server/hooks.ts), in the same transaction so that both survive a crash or neither.
   */
  idempotency?: { principal: string; key: string; method: string; path: string; requestHash: string; response: () => Promise<unknown> };
  /**
   * A 12345 work order this incident answers, recorded in the same statement: the order's reference is
   * the key of hotline_orders, so of concurrent posts of one order only one incident commits.
   */
  hotlineOrder?: { externalRef: string; tokenId: string | null };
  /**
   * The request's audit entry (audit's pendingAuditRecord), stored in the same statement: an
   * acknowledged create always has its audit record, even if the process dies before chaining it.
   */
  audit?: { key: string; record: Record<string, unknown> };
  /** Not a police matter (intake-transfer.ts): its transfer, written in the same statement. */
  transfer?: TransferDraft;
  /** The writing instance: the `created` event goes into the outbox under its name (kernel/outbox.ts). */
  origin: string;
}

/** A committed create: the row and the sequence number of its `created` event in the outbox. */
export interface WrittenIncident {
  row: IncidentRow;
  seq: number;
}

/** Whether a write failed on a unique index or key (`constraint`: its name), on either driver. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.code === '23505') return !constraint || e.constraint === constraint || String(e.message).includes(constraint);
  return e.cause !== undefined && e.cause !== err && isUniqueViolation(e.cause, constraint);
}

const INCIDENT_KEYS = (Object.keys(getTableColumns(incidents)) as (keyof IncidentRow & string)[]).filter((k) => k !== 'number');

/** One row of the batch: the incident, its place in the day's sequence, its event and what its key stores. */
interface Slot {
  d: IncidentDraft;
  day: string;
  dayCompact: string;
  /** How many of the batch go to this station and day, and this one's position among them (1-based). */
  n: number;
  k: number;
  answer: unknown;
}

const SLOT_COLUMNS: ValueColumn<Slot>[] = [
  ...tableValueColumns<IncidentRow>(incidents, INCIDENT_KEYS).map((c) => ({ ...c, get: (s: Slot) => c.get(s.d.row as IncidentRow) })),
  { name: 'x_station_code', type: 'text', get: (s) => s.d.stationCode },
  { name: 'x_day', type: 'text', get: (s) => s.day },
  { name: 'x_day_compact', type: 'text', get: (s) => s.dayCompact },
  { name: 'x_n', type: 'integer', get: (s) => s.n },
  { name: 'x_k', type: 'integer', get: (s) => s.k },
  { name: 'x_event_detail', type: 'jsonb', get: (s) => s.d.event.detail ?? null },
  { name: 'x_event_user_id', type: 'text', get: (s) => s.d.event.userId ?? null },
  { name: 'x_event_username', type: 'text', get: (s) => s.d.event.username ?? null },
  { name: 'x_idem_principal', type: 'text', get: (s) => s.d.idempotency?.principal ?? null },
  { name: 'x_idem_key', type: 'text', get: (s) => s.d.idempotency?.key ?? null },
  { name: 'x_idem_method', type: 'text', get: (s) => s.d.idempotency?.method ?? null },
  { name: 'x_idem_path', type: 'text', get: (s) => s.d.idempotency?.path ?? null },
  { name: 'x_idem_hash', type: 'text', get: (s) => s.d.idempotency?.requestHash ?? null },
  { name: 'x_idem_answer', type: 'jsonb', get: (s) => (s.d.idempotency ? s.answer : null) },
  { name: 'x_order_ref', type: 'text', get: (s) => s.d.hotlineOrder?.externalRef ?? null },
  { name: 'x_order_token', type: 'text', get: (s) => s.d.hotlineOrder?.tokenId ?? null },
  { name: 'x_audit_key', type: 'text', get: (s) => s.d.audit?.key ?? null },
  { name: 'x_audit_entry', type: 'jsonb', get: (s) => s.d.audit?.record ?? null },
  { name: 'x_origin', type: 'text', get: (s) => s.d.origin },
  { name: 'x_transfer_id', type: 'text', get: (s) => s.d.transfer?.id ?? null },
  { name: 'x_transfer_target', type: 'text', get: (s) => s.d.transfer?.target ?? null },
  { name: 'x_transfer_reason', type: 'text', get: (s) => s.d.transfer?.reason ?? null },
  { name: 'x_transfer_ref', type: 'text', get: (s) => s.d.transfer?.externalRef ?? null },
  { name: 'x_transfer_due', type: 'timestamp with time zone', get: (s) => s.d.transfer?.dueAt.toISOString() ?? null },
];

/**
 * The whole batch in ONE statement (so one implicit transaction and one round trip): advance each
 * station's daily counter by its share of the batch, number the incidents from it (the same format as
 * domain/numbering.ts: `J` + station + local YYYYMMDD + sequence of at least 4 digits), insert them and
 * their `created` events, 12345 orders and transfers, and mark their Idempotency-Keys done.
 */
async function writeDrafts(db: Db, drafts: IncidentDraft[]): Promise<WrittenIncident[]> {
  const groups = new Map<string, { stationCode: string; day: string; n: number }>();
  const slots: Slot[] = drafts.map((d) => {
    if (!isStationCode(d.stationCode)) throw new RangeError(`bad station code: ${d.stationCode}`);
    const day = localDay(d.row.recordedAt);
    const key = `${d.stationCode}\u0000${day}`;
    const g = groups.get(key) ?? groups.set(key, { stationCode: d.stationCode, day, n: 0 }).get(key)!;
    g.n++;
    return { d, day, dayCompact: day.replaceAll('-', ''), n: 0, k: g.n, answer: null };
  });
  for (const s of slots) s.n = groups.get(`${s.d.stationCode}\u0000${s.day}`)!.n;
  await Promise.all(slots.map(async (s) => (s.answer = s.d.idempotency ? await s.d.idempotency.response() : null)));

  // Counter rows are locked in one order (sorted), so concurrent batches of other instances cannot deadlock.
  const counters = [...groups.values()].sort((a, b) => (a.stationCode + a.day < b.stationCode + b.day ? -1 : 1));
  const params = [JSON.stringify(counters.map((c) => ({ station_code: c.stationCode, day: c.day, last_seq: c.n }))), rowsJson(SLOT_COLUMNS, slots)];
  const rows = await rawQuery<{ id: string; number: string; seq: string | number }>(db, WRITE_SQL, params, 'incident_write_v9');
  const written = new Map(rows.map((r) => [r.id, r]));
  return drafts.map((d) => {
    const w = written.get(d.row.id);
    if (!w) throw new Error(`incident ${d.row.id} was not written`);
    return { row: { ...d.row, number: w.number }, seq: Number(w.seq) };
  });
}

const INCIDENT_COLUMNS = INCIDENT_KEYS.map((k) => quoteIdent(getTableColumns(incidents)[k].name)).join(', ');

/** The write statement: $1 the counters to advance, $2 the batch's rows (`v`). */
const WRITE_SQL = `with counters as (
       insert into incident_counters (station_code, day, last_seq) select * from json_to_recordset($1::json) as c (station_code text, day text, last_seq integer)
       on conflict (station_code, day) do update set last_seq = incident_counters.last_seq + excluded.last_seq
       returning station_code, day, last_seq),
     numbered as (
       select v.*, 'J' || v.x_station_code || v.x_day_compact || lpad(s.seq::text, greatest(4, length(s.seq::text)), '0') as number
       from ${recordset('v', SLOT_COLUMNS, 2)}
       join counters c on c.station_code = v.x_station_code and c.day = v.x_day
       cross join lateral (select c.last_seq - v.x_n + v.x_k as seq) s),
     inserted as (
       insert into incidents (${INCIDENT_COLUMNS}, number) select ${INCIDENT_COLUMNS}, number from numbered returning id, number),
     events as (
       insert into incident_events (incident_id, at, type, to_status, user_id, username, detail)
       select id, recorded_at, 'created', status, x_event_user_id, x_event_username, x_event_detail from numbered),
     orders as (
       -- a second post of one order fails here on the key, and its incident with it (isUniqueViolation)
       insert into hotline_orders (external_ref, incident_id, received_at, token_id)
       select x_order_ref, id, recorded_at, x_order_token from numbered where x_order_ref is not null),
     transferred as (
       -- not a police matter (intake-transfer.ts): handed over in the same statement, never queued
       insert into transfers (id, incident_id, station_id, target, reason, external_ref, status, sent_at, due_at, created_by)
       select x_transfer_id, id, station_id, x_transfer_target, x_transfer_reason, x_transfer_ref, 'sent', recorded_at, x_transfer_due, created_by from numbered where x_transfer_id is not null),
     audits as (
       insert into audit_pending (request_key, entry)
       select x_audit_key, x_audit_entry from numbered where x_audit_key is not null),
     answers as (
       -- a plain insert: the key exists only once its write committed; a concurrent request with the
       -- same key waits here on the key's row and then fails the whole statement (isUniqueViolation)
       insert into idempotency_keys (principal, key, method, path, request_hash, state, status, response)
       select x_idem_principal, x_idem_key, x_idem_method, x_idem_path, x_idem_hash, 'done', 201, x_idem_answer from numbered where x_idem_key is not null),
     outboxed as (
       -- the 'created' event, thin: its data is built from the row on delivery (kernel/outbox.ts)
       insert into outbox (topic, key, event, origin) select 'incident', id, 'created', x_origin from numbered returning seq, key)
     select i.id, i.number, o.seq from inserted i join outboxed o on o.key = i.id`;

export class IncidentWriter {
  private readonly batcher = new Batcher<IncidentDraft, WrittenIncident>((drafts) => this.writeBatch(drafts), 200);
  /** Keeps the duplicate lookup on its index as the table grows (see db/statistics.ts). */
  private readonly statistics: StatisticsKeeper;

  constructor(private readonly db: Db) {
    this.statistics = new StatisticsKeeper(db, 'incidents');
  }

  /** Resolves with the stored row once its transaction has committed. */
  create(draft: IncidentDraft): Promise<WrittenIncident> {
    return this.batcher.run(draft);
  }

  private async writeBatch(drafts: IncidentDraft[]): Promise<(WrittenIncident | Error)[]> {
    try {
      const rows = await writeDrafts(this.db, drafts);
      this.statistics.noteWrites(rows.length);
      return rows;
    } catch (e) {
      if (drafts.length === 1) return [e instanceof Error ? e : new Error(String(e))];
      // One bad draft must not fail the calls it happened to share a transaction with.
      const out: (WrittenIncident | Error)[] = [];
      for (const d of drafts) {
        try {
          out.push((await writeDrafts(this.db, [d]))[0]);
        } catch (err) {
          out.push(err instanceof Error ? err : new Error(String(err)));
        }
      }
      return out;
    }
  }
}

// ------------------------------------------------------------------ duplicates

export interface DuplicateQuery {
  principal: Principal;
  family: string;
  lon: number;
  lat: number;
  at: Date;
  excludeId?: string;
  radiusM: number;
  windowMin: number;
  /** At most this many, nearest first. */
  limit: number;
}

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

const degLat = (m: number) => m / 111_320;
const degLon = (m: number, lat: number) => m / (111_320 * Math.cos((lat * Math.PI) / 180));

/** One lookup of the batch: a box around the point, a time window, the asker's unit path prefix. */
const LOOKUP_COLUMNS: ValueColumn<{ x: DuplicateQuery; i: number }>[] = [
  { name: 'i', type: 'integer', get: ({ i }) => i },
  { name: 'family', type: 'text', get: ({ x }) => x.family },
  { name: 'lat0', type: 'double precision', get: ({ x }) => x.lat - degLat(x.radiusM) },
  { name: 'lat1', type: 'double precision', get: ({ x }) => x.lat + degLat(x.radiusM) },
  { name: 'lon0', type: 'double precision', get: ({ x }) => x.lon - degLon(x.radiusM, x.lat) },
  { name: 'lon1', type: 'double precision', get: ({ x }) => x.lon + degLon(x.radiusM, x.lat) },
  { name: 't0', type: 'timestamp with time zone', get: ({ x }) => new Date(x.at.getTime() - x.windowMin * 60_000).toISOString() },
  { name: 't1', type: 'timestamp with time zone', get: ({ x }) => new Date(x.at.getTime() + x.windowMin * 60_000).toISOString() },
  { name: 'exclude', type: 'text', get: ({ x }) => x.excludeId ?? '' },
  { name: 'scope', type: 'text', get: ({ x }) => (seesEverything(x.principal) ? null : x.principal.unitPath) },
  { name: 'clat', type: 'double precision', get: ({ x }) => x.lat },
  { name: 'clon', type: 'double precision', get: ({ x }) => x.lon },
  { name: 'lon_scale', type: 'double precision', get: ({ x }) => Math.cos((x.lat * Math.PI) / 180) },
  { name: 'lim', type: 'integer', get: ({ x }) => x.limit },
];

/** Per lookup (LATERAL): open incidents of the family in the box and window, in scope, nearest first. */
const DUPLICATES_SQL = `select q.i as q_index, ${selectList(incidents, 'c')}
       from ${recordset('q', LOOKUP_COLUMNS, 1)}
       cross join lateral (
         select * from incidents c
         where c.category_family = q.family and c.status in (${OPEN_LIST})
           and c.recorded_at between q.t0 and q.t1
           and c.lat between q.lat0 and q.lat1 and c.lon between q.lon0 and q.lon1
           and c.id <> q.exclude
           and (q.scope is null
             or c.station_id in (select id from org_units where starts_with(path, q.scope))
             or c.grid_id in (select id from org_units where starts_with(path, q.scope)))
         order by (c.lat - q.clat) ^ 2 + ((c.lon - q.clon) * q.lon_scale) ^ 2
         limit q.lim) c`;

/**
 * Open incidents of the same category family near a point and time, nearest first, within the
 * asker's jurisdiction. Concurrent lookups are answered by one statement (a LATERAL join per lookup).
 */
export class DuplicateFinder {
  private readonly batcher = new Batcher<DuplicateQuery, IncidentRow[]>((qs) => this.findBatch(qs), 200);

  constructor(private readonly db: Db) {}

  find(query: DuplicateQuery): Promise<IncidentRow[]> {
    return this.batcher.run(query);
  }

  private async findBatch(qs: DuplicateQuery[]): Promise<IncidentRow[][]> {
    const raw = await rawQuery<Record<string, unknown>>(this.db, DUPLICATES_SQL, [rowsJson(LOOKUP_COLUMNS, qs.map((x, i) => ({ x, i })))], 'incident_duplicates_v3');
    const out: IncidentRow[][] = qs.map(() => []);
    for (const r of raw) out[Number(r.q_index)].push(mapRow<IncidentRow>(incidents, r));
    return qs.map((x, i) =>
      out[i]
        .map((r) => ({ r, d: distanceMeters({ lon: x.lon, lat: x.lat }, { lon: r.lon!, lat: r.lat! }) }))
        .filter((c) => c.d <= x.radiusM)
        .sort((a, b) => a.d - b.d || Math.abs(a.r.recordedAt.getTime() - x.at.getTime()) - Math.abs(b.r.recordedAt.getTime() - x.at.getTime()))
        .map((c) => c.r),
    );
  }
}
