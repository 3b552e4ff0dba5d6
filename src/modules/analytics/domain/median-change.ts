/**
 * Is a median's change real? (issue 16.) A duration figure (answer, dispatch, travel time) is a median
 * read from a histogram (histogram.ts); two medians differ by chance as surely as two counts do. The
 * median's distribution-free confidence interval comes from the histogram's own counts: the median of n
 * values lies between the values of rank n/2 − z·√n/2 and n/2 + z·√n/2 + 1 (binomial order statistics,
 * the sign test's interval), with z = Z_THRESHOLD as for counts and rates. The change is significant when
 * this year's and last year's intervals do not overlap (conservative); otherwise "no significant change".
 * Too few values for an interval bound (under a dozen or so) leave it open: never significant. Pure.
 */
import { percentile, total, type BucketCounts } from './histogram.js';
import { Z_THRESHOLD } from './significance.js';

export interface MedianInterval {
  n: number;
  median: number;
  /** null: open (too few values below the median for a bound). */
  lower: number | null;
  /** null: open. */
  upper: number | null;
}

/** The median and its confidence interval (z standard errors of the rank); null when nothing was counted. */
export function medianInterval(counts: BucketCounts, z = Z_THRESHOLD): MedianInterval | null {
  const n = total(counts);
  if (n <= 0) return null;
  const half = (z * Math.sqrt(n)) / 2;
  const lowRank = Math.floor(n / 2 - half);
  const highRank = Math.ceil(n / 2 + half) + 1;
  return {
    n,
    median: percentile(counts, 0.5)!,
    lower: lowRank >= 1 ? percentile(counts, lowRank / n) : null,
    upper: highRank <= n ? percentile(counts, highRank / n) : null,
  };
}

export interface MedianChange {
  now: MedianInterval | null;
  before: MedianInterval | null;
  /** Seconds, now − before; null when either side has nothing. */
  change: number | null;
  significant: boolean;
  direction: 'up' | 'down' | 'same';
}

/** This span's median against last year's, judged by their intervals. */
export function medianChange(now: BucketCounts, before: BucketCounts, z = Z_THRESHOLD): MedianChange {
  const [a, b] = [medianInterval(now, z), medianInterval(before, z)];
  if (!a || !b) return { now: a, before: b, change: null, significant: false, direction: 'same' };
  const up = a.lower !== null && b.upper !== null && a.lower > b.upper;
  const down = a.upper !== null && b.lower !== null && a.upper < b.lower;
  return { now: a, before: b, change: Math.round((a.median - b.median) * 100) / 100, significant: up || down, direction: up ? 'up' : down ? 'down' : 'same' };
}
