/**
 * Open311 `POST requests` under load (issue 15 "Speed": 300 a second, p99 ≤ 100 ms): the reports of
 * concurrent requests are written together (core/batcher.ts), one statement per batch — the reports, their
 * first status event and each request's audit entry (audit_pending, chained afterwards like every write's)
 * — so one commit serves the batch instead of a transaction of four round trips per report. The row is
 * drafted beforehand by the module's own rules (CitizenReports.draft: place, routing, urgency).
 */
import { getTableColumns } from 'drizzle-orm';
import { Batcher } from '../../core/batcher.js';
import { rawQuery, type Db } from '../../db/client.js';
import { mapRow, quoteIdent, recordset, rowsJson, selectList, tableValueColumns, type ValueColumn } from '../../db/raw.js';
import { citizenReports } from './schema.js';
import type { ReportRow } from './reports.js';

type ReportInsert = typeof citizenReports.$inferInsert;

export interface IntakeDraft {
  values: ReportInsert;
  /** The note and author of the `received` event. */
  note: string | null;
  by: string;
  /** The request's audit entry (audit's pendingAuditRecord); its entityId is set to the new report's id here. */
  audit: { key: string; record: Record<string, unknown> };
}

const KEYS = ['citizenId', 'channel', 'apiKeyId', 'serviceCode', 'description', 'lon', 'lat', 'addressCode', 'addressText', 'stationId', 'unitId', 'route', 'status', 'urgent', 'token', 'createdAt', 'updatedAt'] as const;
type Slot = { d: IntakeDraft; i: number };

const COLUMNS: ValueColumn<Slot>[] = [
  ...tableValueColumns<ReportInsert>(citizenReports, [...KEYS]).map((c) => ({ ...c, get: (s: Slot) => c.get(s.d.values) })),
  { name: 'x_i', type: 'integer', get: (s) => s.i },
  { name: 'x_note', type: 'text', get: (s) => s.d.note },
  { name: 'x_by', type: 'text', get: (s) => s.d.by },
  { name: 'x_audit_key', type: 'text', get: (s) => s.d.audit.key },
  { name: 'x_audit_entry', type: 'jsonb', get: (s) => s.d.audit.record },
];

const NAMES = KEYS.map((k) => quoteIdent(getTableColumns(citizenReports)[k].name)).join(', ');

/** $1: the batch's rows (`v`). The token (unique) ties each inserted row back to its request. */
const WRITE_SQL = `with v as (select * from ${recordset('v', COLUMNS, 1)}),
     inserted as (insert into citizen_reports (${NAMES}) select ${NAMES} from v order by x_i returning *),
     events as (
       insert into citizen_report_events (report_id, status, note, by, at)
       select r.id, 'received', v.x_note, v.x_by, r.created_at from inserted r join v on v.token = r.token),
     audits as (
       insert into audit_pending (request_key, entry)
       select v.x_audit_key, jsonb_set(v.x_audit_entry, '{entityId}', to_jsonb(r.id::text)) from inserted r join v on v.token = r.token)
   select v.x_i, ${selectList(citizenReports, 'r')} from inserted r join v on v.token = r.token`;

export class Open311Intake {
  private readonly batcher = new Batcher<IntakeDraft, ReportRow>((drafts) => this.writeBatch(drafts), 200);

  constructor(private readonly db: Db) {}

  /** Resolves with the stored report once its batch has committed. */
  create(draft: IntakeDraft): Promise<ReportRow> {
    return this.batcher.run(draft);
  }

  private async write(drafts: IntakeDraft[]): Promise<ReportRow[]> {
    const raw = await rawQuery<Record<string, unknown>>(this.db, WRITE_SQL, [rowsJson(COLUMNS, drafts.map((d, i) => ({ d, i })))], 'citizen_open311_write_v1');
    const out: ReportRow[] = new Array(drafts.length);
    for (const r of raw) out[Number(r.x_i)] = mapRow<ReportRow>(citizenReports, r);
    return out;
  }

  private async writeBatch(drafts: IntakeDraft[]): Promise<(ReportRow | Error)[]> {
    try {
      return await this.write(drafts);
    } catch (e) {
      if (drafts.length === 1) return [e instanceof Error ? e : new Error(String(e))];
      // One bad row must not fail the requests it happened to share a statement with.
      const out: (ReportRow | Error)[] = [];
      for (const d of drafts) out.push(await this.write([d]).then((r) => r[0]!, (err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
      return out;
    }
  }
}
