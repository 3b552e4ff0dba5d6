/**
 * The interval figures read back from `analytics_interval_hours` (counted by intervals.ts): n, median
 * and 90th percentile per measure × priority for a span in a jurisdiction, and the interval KPIs'
 * values (the median over all priorities; the P1 target rate with its two numbers).
 */
import type { Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import type { KpiDef, KpiMeasure, KpiQuery } from '../../kernel/module.js';
import { packedSum } from './packed-spans.js';
import { decodeKey } from './domain/interval-keys.js';
import { INTERVAL_MEASURES, type IntervalMeasure } from './intervals.js';
import { countBelow, merge, summary, type BucketCounts } from './domain/histogram.js';

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

/** The P1 target, recorded → first unit on scene (dispatch.p1_on_scene_in_target: "10 minutes by default"). Whole minutes up to 60 count exactly (they are bucket boundaries). */
export const P1_TARGET_MINUTES = Number(process.env.SHOUWANG_P1_TARGET_MINUTES ?? 10);

/** Histograms of [from, to) in the principal's scope, by measure and priority (`measures`: all when absent). */
export async function intervalHistograms(db: Db, p: Principal, from: Date, to: Date, measures?: readonly IntervalMeasure[], priority?: string): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>();
  for (const [k, n] of await packedSum(db, p, from, to, measures, priority)) {
    const { measure, priority: pr, bucket } = decodeKey(k);
    const key = `${measure}|${pr}`;
    const h = out.get(key) ?? new Map<number, number>();
    h.set(bucket, n);
    out.set(key, h);
  }
  return out;
}

export type IntervalSummary = { n: number; median: number | null; p90: number | null };
/** A summary with the histogram it was read from (for judging a median's change: domain/median-change.ts). */
export type CountedSummary = IntervalSummary & { counts: BucketCounts };

/** n, median and p90 per measure × priority (P1…P4 and 'all'), every cell present (n 0 when nothing counted). */
export async function intervalTable(db: Db, p: Principal, from: Date, to: Date): Promise<Record<string, Record<string, CountedSummary>>> {
  const hists = await intervalHistograms(db, p, from, to, INTERVAL_MEASURES);
  const table: Record<string, Record<string, CountedSummary>> = {};
  for (const m of INTERVAL_MEASURES) {
    const byPriority: BucketCounts[] = [];
    const row: Record<string, CountedSummary> = {};
    for (const pr of PRIORITIES) {
      const h = hists.get(`${m}|${pr}`) ?? new Map<number, number>();
      byPriority.push(h);
      row[pr] = { ...summary(h), counts: h };
    }
    // Incidents of an unusual priority still count in 'all'.
    const others = [...hists].filter(([k]) => k.startsWith(`${m}|`) && !PRIORITIES.some((pr) => k === `${m}|${pr}`)).map(([, h]) => h);
    const all = merge(...byPriority, ...others);
    row.all = { ...summary(all), counts: all };
    table[m] = row;
  }
  return table;
}

/**
 * Every measure's histograms of the span, read once per request when the request shares its reads
 * (`q.memo`): the five interval KPIs then unpack the tier's rows once, not five times.
 */
function sharedHistograms(db: Db, q: KpiQuery): Promise<Map<string, Map<number, number>>> {
  if (!q.memo) return intervalHistograms(db, q.principal, q.from, q.to);
  const key = `intervals|${q.principal.id}|${q.principal.unitId}|${q.from.toISOString()}|${q.to.toISOString()}`;
  let read = q.memo.get(key) as Promise<Map<string, Map<number, number>>> | undefined;
  if (!read) q.memo.set(key, (read = intervalHistograms(db, q.principal, q.from, q.to)));
  return read;
}

/** A KPI's value: the median in seconds over all priorities (the table gives them by priority), with its histogram to judge its change. */
const medianOf =
  (measure: IntervalMeasure): NonNullable<KpiDef['measure']> =>
  async (db, q) => {
    const hists = [...(await sharedHistograms(db, q))].filter(([k]) => k.startsWith(`${measure}|`)).map(([, h]) => h);
    const counts = merge(...hists);
    return { value: summary(counts).median, histogram: { counts, q: 0.5 } };
  };

/**
 * P1 incidents with a unit on scene within the target after recording ÷ P1 incidents dispatched, both from
 * the rollup: the denominator is the dispatch interval's n, the numerator the on_scene buckets below the
 * target (exact: a whole number of minutes up to an hour is a bucket boundary).
 */
async function p1InTarget(db: Db, q: { principal: Principal; from: Date; to: Date }): Promise<KpiMeasure> {
  const hists = await intervalHistograms(db, q.principal, q.from, q.to, ['dispatch', 'on_scene'], 'P1');
  const denominator = summary(hists.get('dispatch|P1') ?? new Map()).n;
  const numerator = Math.round(countBelow(hists.get('on_scene|P1') ?? new Map(), P1_TARGET_MINUTES * 60));
  return { value: denominator > 0 ? numerator / denominator : null, numerator, denominator };
}

/** The interval KPIs computed from this rollup (the ids the incidents and dispatch manifests declare). */
export const INTERVAL_KPI_MEASURES: Record<string, NonNullable<KpiDef['measure']>> = {
  'incident.answer_time': medianOf('answer'),
  'incident.intake_time': medianOf('intake'),
  'dispatch.dispatch_time': medianOf('dispatch'),
  'dispatch.travel_time': medianOf('travel'),
  'dispatch.response_time': medianOf('response'),
  'dispatch.p1_on_scene_in_target': p1InTarget,
};
