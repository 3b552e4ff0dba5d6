/**
 * The figures of a week for the weekly report (src/modules/reports): every computed KPI judged against
 * last year's fair span exactly as GET /kpis/values does, and incidents by category family from the rollups.
 */
import type { Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import { computedKpis, fairComparison, kpiValues, type JudgedFigure } from './figures.js';
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
export async function judgedFigures(db: Db, kpis: readonly KpiEntry[], principal: Principal, span: Span, cutAt: Date | null = null): Promise<ReportFigure[]> {
  // Whole days unless the span holds today; then both spans end at the same time of day as `cutAt`, an
  // instant the report takes from its data, never from the clock (reportCut): the same data, the same report.
  const figures = await kpiValues(db, computedKpis(kpis), principal, span, 'yoy', () => principal, cutAt);
  return figures.map(({ test: _test, current, previous, ...f }) => ({ ...f, current: sideOf(current), previous: previous && sideOf(previous) }));
}

/**
 * A report on a span that holds today compares it with last year up to the same time of day: the instant
 * is the last change to the span's incidents (the start of today when there is none today), so
 * regenerating on the same data gives the same cut and the same hash. Null: the span is whole past days.
 */
export function reportCut(span: Span, today: string, todayStart: Date, lastChange: Date | null): Date | null {
  if (span.to < today || span.from > today) return null;
  const sinceStart = lastChange ? lastChange.getTime() - todayStart.getTime() : 0;
  return lastChange && sinceStart > 0 && sinceStart < 86_400_000 ? lastChange : todayStart;
}

/** The comparison a report reads: the fair one of the span, cut at `cutAt` (reportCut) when it holds today. */
export function reportComparison(span: Span, cutAt: Date | null) {
  return fairComparison(span, cutAt);
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
