/**
 * Interval histograms (issue 16): a duration in seconds is kept as the count of its fixed bucket, so the
 * medians and 90th percentiles of any span and jurisdiction are a sum of rollup rows, not a sort of raw
 * ones. Buckets are fine where the figures live (a call answered in 8 s or 9 s) and coarser later (an
 * arrival after 41 or 41.5 minutes is the same story). Pure: no database, no clock.
 *
 * A percentile read from buckets lies in the same bucket as the exact one (nearest rank), so it is off
 * by at most that bucket's width: 1 s under 2 minutes, 5 s under 10 minutes, 30 s under an hour.
 */

/** Consecutive runs of equal-width buckets, in seconds: [from, to) cut every `width`. */
export const SEGMENTS = [
  { from: 0, to: 120, width: 1 },
  { from: 120, to: 600, width: 5 },
  { from: 600, to: 3600, width: 30 },
  { from: 3600, to: 86_400, width: 300 },
] as const;

/** The first bucket index of each segment, and the one overflow bucket after them (a day or more). */
const FIRSTS: number[] = [];
let next = 0;
for (const s of SEGMENTS) {
  FIRSTS.push(next);
  next += (s.to - s.from) / s.width;
}
export const OVERFLOW_BUCKET = next;
export const OVERFLOW_FROM = SEGMENTS[SEGMENTS.length - 1]!.to;
export const BUCKET_COUNT = OVERFLOW_BUCKET + 1;

/** Counts by bucket index (absent = 0). */
export type BucketCounts = ReadonlyMap<number, number>;

/** The bucket of a duration; null for a negative or unknown one (those are not counted). */
export function bucketOf(seconds: number | null | undefined): number | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  for (let i = 0; i < SEGMENTS.length; i++) {
    const s = SEGMENTS[i]!;
    if (seconds < s.to) return FIRSTS[i]! + Math.floor((seconds - s.from) / s.width);
  }
  return OVERFLOW_BUCKET;
}

/** [lower, upper) of a bucket in seconds; the overflow bucket's upper is Infinity. */
export function boundsOf(bucket: number): { lower: number; upper: number } {
  if (!Number.isInteger(bucket) || bucket < 0 || bucket > OVERFLOW_BUCKET) throw new RangeError(`no bucket ${bucket}`);
  if (bucket === OVERFLOW_BUCKET) return { lower: OVERFLOW_FROM, upper: Infinity };
  let i = SEGMENTS.length - 1;
  while (FIRSTS[i]! > bucket) i--;
  const s = SEGMENTS[i]!;
  const lower = s.from + (bucket - FIRSTS[i]!) * s.width;
  return { lower, upper: lower + s.width };
}

/** True when `seconds` is a bucket boundary: counts below it are then exact (a target in whole minutes up to an hour is). */
export function isBoundary(seconds: number): boolean {
  if (seconds === 0 || seconds === OVERFLOW_FROM) return true;
  const b = bucketOf(seconds);
  return b !== null && b !== OVERFLOW_BUCKET && boundsOf(b).lower === seconds;
}

export function total(counts: BucketCounts): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

/** Sums histograms (hours, stations, priorities): counts add. */
export function merge(...parts: BucketCounts[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of parts) for (const [b, n] of p) if (n) out.set(b, (out.get(b) ?? 0) + n);
  return out;
}

/**
 * The q-th quantile (0 < q ≤ 1): the bucket holding the value of rank ⌈q·n⌉, and within it linear
 * interpolation as if its values were spread evenly. The overflow bucket answers its lower bound (a day).
 * Null when nothing was counted.
 */
export function percentile(counts: BucketCounts, q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile ${q} outside (0, 1]`);
  const n = total(counts);
  if (n <= 0) return null;
  const rank = q * n;
  let below = 0;
  for (const b of [...counts.keys()].sort((x, y) => x - y)) {
    const c = counts.get(b)!;
    if (c <= 0) continue;
    if (below + c >= rank) {
      const { lower, upper } = boundsOf(b);
      if (upper === Infinity) return lower;
      return lower + ((rank - below) / c) * (upper - lower);
    }
    below += c;
  }
  return null; // unreachable: the last bucket reaches n
}

/** Values counted below `seconds` (exact when it is a boundary; otherwise the bucket holding it is split evenly). */
export function countBelow(counts: BucketCounts, seconds: number): number {
  let n = 0;
  for (const [b, c] of counts) {
    const { lower, upper } = boundsOf(b);
    if (upper <= seconds) n += c;
    else if (lower < seconds && upper !== Infinity) n += (c * (seconds - lower)) / (upper - lower);
  }
  return n;
}

/** n, median and 90th percentile of a histogram (seconds; null when empty). */
export function summary(counts: BucketCounts): { n: number; median: number | null; p90: number | null } {
  return { n: total(counts), median: percentile(counts, 0.5), p90: percentile(counts, 0.9) };
}

/** A histogram of raw durations (tests, and a check against the SQL bucketing). */
export function histogramOf(seconds: readonly (number | null)[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of seconds) {
    const b = bucketOf(s);
    if (b !== null) out.set(b, (out.get(b) ?? 0) + 1);
  }
  return out;
}
