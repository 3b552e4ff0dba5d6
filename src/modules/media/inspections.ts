/**
 * The video inspection log (视频巡查): its jurisdiction scope, the answer shape and the KPI
 * `media.inspections` (inspections in the period). Routes in routes-inspections.ts.
 */
import { and, count, eq, gte, lt } from 'drizzle-orm';
import { unitScope, type Principal } from '../../core/access.js';
import type { Db } from '../../db/client.js';
import type { KpiMeasure, KpiQuery } from '../../kernel/module.js';
import type { CaseScope } from '../cases/index.js';
import { mediaInspections } from './schema.js';
import type { InspectionResult, ProblemType } from './domain/inspections.js';

export type InspectionRow = typeof mediaInspections.$inferSelect;

/** Inspections sit at the recording's station, scoped like the recordings (a grid user: its station). */
export function inspectionScope(p: CaseScope) {
  if (p.unitKind === 'station') return eq(mediaInspections.stationId, p.unitId);
  if (p.unitKind === 'grid') return eq(mediaInspections.stationId, p.unitPath.split('/').filter(Boolean).at(-2) ?? p.unitId);
  return unitScope(p as Principal, mediaInspections.stationId);
}

export function inspectionView(r: InspectionRow) {
  return {
    id: r.id,
    mediaId: r.mediaId,
    caseId: r.caseId,
    stationId: r.stationId,
    inspector: r.inspector,
    at: r.at.toISOString(),
    result: r.result as InspectionResult,
    problemType: r.problemType as ProblemType | null,
    note: r.note,
  };
}

/** KPI media.inspections: inspections recorded in [from, to) in the principal's jurisdiction. */
export async function inspectionCount(db: Db, q: KpiQuery): Promise<KpiMeasure> {
  const [r] = await db.select({ n: count() }).from(mediaInspections).where(and(inspectionScope(q.principal), gte(mediaInspections.at, q.from), lt(mediaInspections.at, q.to)));
  return { value: Number(r?.n ?? 0) };
}
