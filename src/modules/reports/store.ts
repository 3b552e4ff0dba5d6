/**
 * Generating, listing and reading reports (weekly and period). A generation composes the snapshot
 * (outside any transaction: it reads a lot), then, under an advisory lock of its kind, label and unit,
 * compares it with the last report of that kind, label and unit: the same hash → that report is answered
 * and nothing is stored; another hash → a new revision with notes naming every figure that changed.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { underPath, type Principal } from '../../core/access.js';
import { notFound } from '../../core/errors.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import type { Write } from '../../kernel/write.js';
import { getUnit, rootUnit, type UnitRow } from '../org/index.js';
import { reports } from './schema.js';
import { composeReport, type ReportUnit } from './compose.js';
import { snapshotHash } from './domain/canonical.js';
import { revisionNotes, type RevisionNote } from './domain/revisions.js';
import type { ReportKind, ReportSnapshot, ReportSpan } from './domain/snapshot.js';

export type ReportRow = typeof reports.$inferSelect;

export interface Composed {
  period: ReportSpan;
  unit: ReportUnit;
  snapshot: ReportSnapshot;
  hash: string;
}

const asUnit = (u: UnitRow): ReportUnit => ({ id: u.id, name: u.name, kind: u.kind, path: u.path });

/** The whole organisation as a principal (the Monday job and the CLI act for the bureau). */
export function bureauPrincipal(root: UnitRow): Principal {
  return { kind: 'user', id: 'system', username: 'system', displayName: 'system', roles: ['admin'], unitId: root.id, unitPath: root.path, unitKind: root.kind, scopes: [] };
}

/** The unit a report covers: the one asked for (inside the asker's jurisdiction), else the asker's own (the bureau for a bureau user). */
export async function reportUnit(db: Db, asker: Principal | null, unitId?: string): Promise<ReportUnit> {
  const root = await rootUnit(db);
  if (!root) throw notFound('org_unit');
  const p = asker ?? bureauPrincipal(root);
  return asUnit(await getUnit(db, p, unitId ?? p.unitId));
}

export async function compose(db: Db, kpis: readonly KpiEntry[], unit: ReportUnit, period: ReportSpan): Promise<Composed> {
  const snapshot = await composeReport(db, kpis, unit, period);
  return { period, unit, snapshot, hash: snapshotHash(snapshot) };
}

/** The last report of a kind, label (the ISO week or the period's days; the `week` column) and unit. */
export async function latestOf(db: Db, kind: ReportKind, label: string, unitId: string): Promise<ReportRow | undefined> {
  const [r] = await db.select().from(reports).where(and(eq(reports.kind, kind), eq(reports.week, label), eq(reports.unitId, unitId))).orderBy(desc(reports.revision)).limit(1);
  return r;
}

/** One generation of a kind, label and unit at a time, across instances (the revision numbers stay a sequence); held until the write commits. */
export async function lockReport(w: Write, kind: ReportKind, label: string, unitId: string) {
  await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`reports:${kind}:${label}:${unitId}`}))`);
}

/** Stores the composed report unless the last one of its kind, label and unit has the same hash (then answers that one). */
export async function storeComposed(w: Write, c: Composed, createdBy: string): Promise<{ row: ReportRow; created: boolean }> {
  const { kind, label, from, to } = c.period;
  await lockReport(w, kind, label, c.unit.id);
  const last = await latestOf(w.tx, kind, label, c.unit.id);
  if (last && last.snapshotHash === c.hash) return { row: last, created: false };
  const notes: RevisionNote[] = last ? revisionNotes(last.snapshot as ReportSnapshot, c.snapshot) : [];
  const [row] = await w.tx
    .insert(reports)
    .values({ id: randomUUID(), kind, week: label, fromDay: from, toDay: to, unitId: c.unit.id, unitPath: c.unit.path, revision: (last?.revision ?? 0) + 1, snapshot: c.snapshot, snapshotHash: c.hash, revisesId: last?.id ?? null, revisionNotes: notes, createdBy })
    .returning();
  w.entity(row!.id);
  return { row: row!, created: true };
}

/** Reports inside the asker's jurisdiction, the latest span's end first (weeks and periods together). */
export async function listReports(db: Db, p: Principal, q: { week?: string; kind?: ReportKind; limit?: number; offset?: number }) {
  return db
    .select({ id: reports.id, kind: reports.kind, week: reports.week, fromDay: reports.fromDay, toDay: reports.toDay, unitId: reports.unitId, revision: reports.revision, snapshotHash: reports.snapshotHash, revisesId: reports.revisesId, revisionNotes: reports.revisionNotes, createdAt: reports.createdAt, createdBy: reports.createdBy, unitName: sql<string>`${reports.snapshot}->'unit'->>'name'`, asOf: sql<string>`${reports.snapshot}->>'asOf'` })
    .from(reports)
    .where(and(underPath(reports.unitPath, p.unitPath), q.week ? eq(reports.week, q.week) : undefined, q.kind ? eq(reports.kind, q.kind) : undefined))
    .orderBy(desc(reports.toDay), desc(reports.fromDay), desc(reports.createdAt), desc(reports.revision))
    .limit(q.limit ?? 50)
    .offset(q.offset ?? 0);
}

/** One report inside the asker's jurisdiction (outside looks the same as absent). */
export async function getReport(db: Db, p: Principal, id: string): Promise<ReportRow> {
  const [r] = await db.select().from(reports).where(and(eq(reports.id, id), underPath(reports.unitPath, p.unitPath)));
  if (!r) throw notFound('report');
  return r;
}
