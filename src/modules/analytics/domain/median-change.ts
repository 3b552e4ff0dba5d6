/**
 * Is a median's change real? (issue 16.) A duration figure (answer, dispatch, travel time) is a median
 * read from a histogram (histogram.ts); two medians differ by chance as surely as two counts do. The
 * median's distribution-free confidence interval comes from the histogram's own counts: the median of n
 * values lies between the values of rank n/2 − z·√n/2 and n/2 + z·√n/2 + 1 (binomial order statistics,
 * the sign test's interval), with z = Z_THRESHOLD as for counts and rates. Any other quantile q (a 90th
 * percentile) the same way: ranks n·q ∓ z·√(n·q·(1 − q)). The change is significant when this year's and
 * last year's intervals do not overlap (conservative); otherwise "no significant change". Too few values
 * for an interval bound (under a dozen or so for a median, more for a p90) leave it open: never
 * significant. Its z is the change over the two facing half-widths ÷ z (each one side's standard error in
 * seconds, summed): |z| > 3 exactly when the intervals do not overlap, 0 when a facing bound is open. Pure.
 */
import { percentile, total, type BucketCounts } from './histogram.js';
import { Z_THRESHOLD } from './significance.js';

export interface QuantileInterval {
  n: number;
  /** Which quantile (0.5: the median). */
  q: number;
  /** The quantile read from the histogram (seconds). */
  value: number;
  /** null: open (too few values below it for a bound). */
  lower: number | null;
  /** null: open. */
  upper: number | null;
}

export type MedianInterval = QuantileInterval & { median: number };

/** The q-th quantile (0 < q < 1) and its confidence interval (z standard errors of the rank); null when nothing was counted. */
export function quantileInterval(counts: BucketCounts, q: number, z = Z_THRESHOLD): QuantileInterval | null {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile ${q} outside (0, 1)`);
  const n = total(counts);
  if (n <= 0) return null;
  const half = z * Math.sqrt(n * q * (1 - q));
  const lowRank = Math.floor(n * q - half);
  const highRank = Math.ceil(n * q + half) + 1;
  return {
    n,
    q,
    value: percentile(counts, q)!,
    lower: lowRank >= 1 ? percentile(counts, lowRank / n) : null,
    upper: highRank <= n ? percentile(counts, highRank / n) : null,
  };
}

/** The median and its confidence interval; null when nothing was counted. */
export function medianInterval(counts: BucketCounts, z = Z_THRESHOLD): MedianInterval | null {
  const m = quantileInterval(counts, 0.5, z);
  return m && { ...m, median: m.value };
}

export interface QuantileChange<I extends QuantileInterval = QuantileInterval> {
  now: I | null;
  before: I | null;
  /** Seconds, now − before; null when either side has nothing. */
  change: number | null;
  /** The change in summed standard errors (|z| > threshold ⇔ significant); 0 when a facing bound is open; null when either side has nothing. */
  z: number | null;
  significant: boolean;
  direction: 'up' | 'down' | 'same';
}

export type MedianChange = QuantileChange<MedianInterval>;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The change over the facing half-widths (now's lower and before's upper when it rose), scaled so the threshold is the overlap. */
function zOf(a: QuantileInterval, b: QuantileInterval, threshold: number): number {
  const d = a.value - b.value;
  if (d === 0) return 0;
  const [near, far] = d > 0 ? [a.lower, b.upper] : [a.upper, b.lower];
  // An open bound: the interval reaches without limit, nothing separates them.
  if (near === null || far === null) return 0;
  const width = Math.abs(a.value - near) + Math.abs(far - b.value);
  return width > 0 ? (threshold * d) / width : 0;
}

/** Two intervals judged: a change only when they do not overlap (an open bound never separates them). */
function judge<I extends QuantileInterval>(a: I | null, b: I | null, threshold: number): QuantileChange<I> {
  if (!a || !b) return { now: a, before: b, change: null, z: null, significant: false, direction: 'same' };
  const up = a.lower !== null && b.upper !== null && a.lower > b.upper;
  const down = a.upper !== null && b.lower !== null && a.upper < b.lower;
  return { now: a, before: b, change: round2(a.value - b.value), z: round2(zOf(a, b, threshold)), significant: up || down, direction: up ? 'up' : down ? 'down' : 'same' };
}

/** This span's q-th quantile against last year's, judged by their intervals. */
export function quantileChange(now: BucketCounts, before: BucketCounts, q: number, z = Z_THRESHOLD): QuantileChange {
  return judge(quantileInterval(now, q, z), quantileInterval(before, q, z), z);
}

/** This span's median against last year's, judged by their intervals. */
export function medianChange(now: BucketCounts, before: BucketCounts, z = Z_THRESHOLD): MedianChange {
  return judge(medianInterval(now, z), medianInterval(before, z), z);
}
