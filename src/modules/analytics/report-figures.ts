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

/** Every computed KPI for `span` in the principal's jurisdiction, each against last year's fair span. */
export async function judgedFigures(db: Db, kpis: readonly KpiEntry[], principal: Principal, span: Span): Promise<JudgedFigure[]> {
  // Whole days, never cut by the clock: the same snapshot gives the same report.
  return kpiValues(db, computedKpis(kpis), principal, span, 'yoy', () => principal, null);
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
