/**
 * The figures of a span, each against last year's fair span (domain/periods.ts) with the change judged
 * (domain/significance.ts): a count's change that chance explains is "not significant", a rate always
 * comes with its two numbers, a duration read from a histogram (the interval medians) is judged by the
 * confidence intervals of its two quantiles (domain/median-change.ts). Used by GET /kpis/values and by
 * the weekly report (src/modules/reports).
 */
import { AppError } from '../../core/errors.js';
import { localDay, localDayStart } from '../../core/clock.js';
import { addCalendarDays, calendarDaysBetween } from '../../core/working-days.js';
import { isEmbedded, type Db } from '../../db/client.js';
import { mapBounded } from '../../core/bounded.js';
import type { Principal } from '../../core/access.js';
import type { KpiEntry } from '../../kernel/kernel.js';
import type { KpiDef, KpiMeasure } from '../../kernel/module.js';
import { rollupCount } from './rollups.js';
import { INTERVAL_KPI_MEASURES } from './interval-figures.js';
import { comparisonFor, runningCut, type Comparison, type Span } from './domain/periods.js';
import { countChange, rateChange } from './domain/significance.js';
import { quantileChange, quantileInterval, type QuantileInterval } from './domain/median-change.js';

/** A span longer than this is not a comparison anyone reads. */
const MAX_SPAN_DAYS = 3 * 366;

/** Figures read from the rollups instead of the owning module's raw-row measure (same definition, same answer). */
const FROM_ROLLUPS: Record<string, NonNullable<KpiDef['measure']>> = {
  'incident.count': async (db, q) => ({ value: await rollupCount(db, q.principal, q.from, q.to) }),
  ...INTERVAL_KPI_MEASURES,
};

export function invalid(field: string, zh: string, en: string) {
  return new AppError(400, 'analytics_invalid', { field, zh, en }, field);
}

export function checkedSpan(from: string, to: string): Span {
  const days = calendarDaysBetween(from, to) + 1;
  if (days < 1) throw invalid('to', '结束日期早于开始日期', 'the last day is before the first');
  if (days > MAX_SPAN_DAYS) throw invalid('to', `时间段不能超过 ${MAX_SPAN_DAYS} 天`, `a span is at most ${MAX_SPAN_DAYS} days`);
  return { from, to };
}

/** Local days → instants: from the first day's start to the start of the day after the last. */
export const instantsOf = (s: Span) => ({ from: localDayStart(s.from), to: localDayStart(addCalendarDays(s.to, 1)) });
const HOUR_MS = 3_600_000;

/**
 * The fair comparison for a span as of `now`: a span that holds today ends now, and last year's at the
 * same instant of its matching day, rounded up to the hour (the rollups' grain; domain/periods.ts runningCut).
 */
export function fairComparison(span: Span, now: Date | null = new Date()): Comparison {
  // null: whole days (a frozen report must not depend on the clock).
  if (!now) return comparisonFor(span);
  const today = localDay(now);
  return runningCut(comparisonFor(span), today, now.getTime() - localDayStart(today).getTime(), HOUR_MS);
}

const endOf = (s: Span, cut: { day: string; ms: number } | undefined) => (cut ? new Date(localDayStart(cut.day).getTime() + cut.ms) : localDayStart(addCalendarDays(s.to, 1)));

/**
 * The instants of both spans of a comparison (cut ones end at their cut). This year's is read to the same
 * time of day as last year's (the end of the running hour): nothing after now exists, and a figure that
 * divides by the span's length (a mean per day) stays the same within the hour.
 */
export function comparedInstants(c: Comparison) {
  return {
    current: { from: localDayStart(c.current.from), to: endOf(c.current, c.cut ? { day: c.cut.current.day, ms: c.cut.previous.ms } : undefined) },
    previous: { from: localDayStart(c.previous.from), to: endOf(c.previous, c.cut?.previous) },
  };
}

/** Where a running span and last year's end, as instants (null: whole days). */
export function cutView(c: Comparison | null): { current: string; previous: string } | null {
  if (!c?.cut) return null;
  return { current: new Date(localDayStart(c.cut.current.day).getTime() + c.cut.current.ms).toISOString(), previous: comparedInstants(c).previous.to.toISOString() };
}

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
/** A duration's confidence interval (seconds; a bound null when too few values for it); null: not read from a histogram. */
const ciOf = (i: QuantileInterval | null | undefined) => (i ? { low: round2(i.lower), high: round2(i.upper) } : null);
const measureView = (m: KpiMeasure, s: Span, ci: { low: number | null; high: number | null } | null = null) => ({ value: m.value, numerator: m.numerator ?? null, denominator: m.denominator ?? null, ...s, ci });

/** The KPIs that are computed, each with the measure it is computed by (the rollups' where they hold it). */
export function computedKpis(kpis: readonly KpiEntry[]): KpiEntry[] {
  // The incident rollups hold each incident's grid as well as its station: their figures scope down to a grid.
  // The interval rollup is held by station (migration 0033): a grid asked for gets its station's figure, said so.
  return kpis
    .filter((k) => k.measure || FROM_ROLLUPS[k.id])
    .map((k) => (FROM_ROLLUPS[k.id] ? { ...k, measure: FROM_ROLLUPS[k.id], finestUnit: INTERVAL_KPI_MEASURES[k.id] ? ('station' as const) : ('grid' as const) } : k));
}

const NOTHING: KpiMeasure = { value: null };
/** Figures computed at once per request on PostgreSQL (a pool of 10 connections serves several requests). */
const KPI_READS_AT_ONCE = 3;

/**
 * The figures of `kpis` (computed ones) for a span in the principal's jurisdiction, each judged against
 * last year's fair span. `principalOf` gives each KPI its own principal (kpi-scope.ts: a unit it can be
 * counted for); null: the figure is not given.
 */
export async function kpiValues(db: Db, kpis: readonly KpiEntry[], p: Principal, span: Span, compare: 'yoy' | 'none' = 'yoy', principalOf: (k: KpiEntry) => Principal | null = () => p, now: Date | null = new Date()) {
  const cmp = compare === 'none' ? null : fairComparison(span, now);
  const w = cmp ? comparedInstants(cmp) : null;
  // Reads several figures share (the five interval medians read one set of histograms) are made once.
  const memo = new Map<string, Promise<unknown>>();
  // Each figure is one or two indexed aggregates: on PostgreSQL three run at once (their own pool
  // connections; a year to date at 8 M went from p95 288 ms one after another to …), on PGlite one.
  return mapBounded(kpis, isEmbedded(db) ? 1 : KPI_READS_AT_ONCE, async (k) => {
    const kp = principalOf(k);
    const now = kp ? await k.measure!(db, { principal: kp, ...(w?.current ?? instantsOf(span)), memo }) : NOTHING;
    const before = cmp && w ? (kp ? await k.measure!(db, { principal: kp, ...w.previous, memo }) : NOTHING) : null;
    return judged(k, now, before, span, cmp);
  });
}

export type JudgedFigure = ReturnType<typeof judged>;

/** How a change was judged (null: not judged, the difference only). */
export type ChangeTest = 'poisson' | 'two_proportion' | 'quantile_interval' | null;

function judged(k: KpiEntry, now: KpiMeasure, before: KpiMeasure | null, span: Span, cmp: Comparison | null) {
  const base = { id: k.id, version: k.version, unit: k.unit ?? 'value', better: k.better ?? 'neither', rule: cmp?.rule ?? null };
  const plain = { ...base, current: measureView(now, span, now.histogram ? ciOf(quantileInterval(now.histogram.counts, now.histogram.q)) : null), previous: before && cmp ? measureView(before, cmp.previous) : null };
  if (!before || !cmp) return { ...plain, change: null, pct: null, z: null, significant: false, direction: 'same' as const, test: null as ChangeTest };
  if (k.unit === 'rate') {
    const r = rateChange({ numerator: now.numerator ?? 0, denominator: now.denominator ?? 0 }, { numerator: before.numerator ?? 0, denominator: before.denominator ?? 0 });
    return { ...plain, change: r.points, pct: null, z: r.z, significant: r.significant, direction: r.direction, test: 'two_proportion' as ChangeTest };
  }
  // A count is judged by the Poisson test only when both are whole counts (a module may declare a mean as a count).
  if (k.unit === 'count' && now.value !== null && before.value !== null && Number.isInteger(now.value) && Number.isInteger(before.value)) {
    const c = countChange(now.value, before.value, cmp.days);
    return { ...plain, change: c.change, pct: c.pct, z: c.z, significant: c.significant, direction: c.direction, test: 'poisson' as ChangeTest };
  }
  // A duration read from a histogram (a median, a percentile): judged from the two distributions (domain/median-change.ts).
  if (now.histogram && before.histogram) {
    const c = quantileChange(now.histogram.counts, before.histogram.counts, now.histogram.q);
    const [current, previous] = [measureView(now, span, ciOf(c.now)), measureView(before, cmp.previous, ciOf(c.before))];
    return { ...base, current, previous, change: c.change, pct: null, z: c.z, significant: c.significant, direction: c.direction, test: (c.change === null ? null : 'quantile_interval') as ChangeTest };
  }
  // Other durations and values: the difference only; their significance needs the distribution, not two numbers.
  return { ...plain, change: now.value !== null && before.value !== null ? now.value - before.value : null, pct: null, z: null, significant: false, direction: 'same' as const, test: null as ChangeTest };
}
