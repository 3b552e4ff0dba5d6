/**
 * The figures of a week for the weekly report (src/modules/reports): every computed KPI judged against
 * last year's fair span exactly as GET /kpis/values does, and incidents by category family from the rollups.
 */
import type { Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import { computedKpis, kpiValues, type JudgedFigure } from './figures.js';
import { refreshStale, rollupScope } from './rollups.js';
import { incidentSum } from './span-rollups.js';
import type { Span } from './domain/periods.js';

type Side = NonNullable<JudgedFigure['previous']>;
/** A figure as the report's snapshot holds it: the answer of GET /kpis/values without `test` and the durations' `ci`. */
export type ReportFigure = Omit<JudgedFigure, 'test' | 'current' | 'previous'> & { current: Omit<Side, 'ci'>; previous: Omit<Side, 'ci'> | null };

const sideOf = ({ ci: _ci, ...m }: Side) => m;

/**
 * Every computed KPI for `span` in the principal's jurisdiction, each against last year's fair span. The
 * snapshot's format is unchanged: a judged duration says so by its `z` (null when not judged), so a report
 * frozen before durations were judged (z null) reads as it did.
 */
export async function judgedFigures(db: Db, kpis: readonly KpiEntry[], principal: Principal, span: Span): Promise<ReportFigure[]> {
  // Whole days, never cut by the clock: the same snapshot gives the same report.
  const figures = await kpiValues(db, computedKpis(kpis), principal, span, 'yoy', () => principal, null);
  return figures.map(({ test: _test, current, previous, ...f }) => ({ ...f, current: sideOf(current), previous: previous && sideOf(previous) }));
}

/** Incidents in [from, to) in scope by category family, from the rollup. */
export async function familyCounts(db: Db, p: Principal, from: Date, to: Date): Promise<Record<string, number>> {
  const rows = (await incidentSum(db, p, rollupScope(p), from, to, ['family'])) as { family: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.family, Number(r.n)]));
}

/** Brings the rollups up to date (every stale hour recounted): a frozen report reads settled figures. */
export async function settleRollups(db: Db): Promise<void> {
  await refreshStale(db);
}
