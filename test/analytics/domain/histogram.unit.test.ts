import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUCKET_COUNT, OVERFLOW_BUCKET, boundsOf, bucketOf, countBelow, histogramOf, isBoundary, merge, percentile, summary } from '../../../src/modules/analytics/domain/histogram.js';

/** Nearest rank, as Postgres' percentile_disc: the value of rank ⌈q·n⌉. */
const exact = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)]!;

describe('interval buckets', () => {
  it.each([
    [0, 0, 0, 1],
    [0.4, 0, 0, 1],
    [8, 8, 8, 9],
    [119.99, 119, 119, 120],
    [120, 120, 120, 125],
    [124.9, 120, 120, 125],
    [599, 215, 595, 600],
    [600, 216, 600, 630],
    [3599, 315, 3570, 3600],
    [3600, 316, 3600, 3900],
    [86_399, 591, 86_100, 86_400],
    [86_400, 592, 86_400, Infinity],
    [10 ** 7, 592, 86_400, Infinity],
  ])('%s s falls in bucket %i = [%i, %s)', (s, bucket, lower, upper) => {
    expect(bucketOf(s)).toBe(bucket);
    expect(boundsOf(bucket)).toEqual({ lower, upper });
  });

  it('does not count negative or unknown durations', () => {
    for (const s of [-1, -0.001, null, undefined, NaN, Infinity]) expect(bucketOf(s)).toBeNull();
  });

  it('buckets tile the line without gaps: each starts where the one before ends', () => {
    expect(BUCKET_COUNT).toBe(OVERFLOW_BUCKET + 1);
    for (let b = 1; b < BUCKET_COUNT; b++) expect(boundsOf(b).lower).toBe(boundsOf(b - 1).upper);
    expect(() => boundsOf(BUCKET_COUNT)).toThrow(RangeError);
  });

  it('whole-minute targets up to an hour are boundaries (so "within 10 minutes" counts exactly)', () => {
    for (let m = 1; m <= 60; m++) expect(isBoundary(m * 60)).toBe(true);
    expect(isBoundary(601)).toBe(false);
    expect(countBelow(histogramOf([10, 599.9, 600, 601, 4000]), 600)).toBe(2);
  });
});

describe('percentiles from buckets', () => {
  it.each([
    [[10], 0.5, 10.5],
    [[10, 10, 10, 10], 0.5, 10.5],
    [[1, 2, 3, 4], 0.5, 2 + 1],
    [[5, 5, 50, 50], 0.9, 50 + 0.8],
    [[200, 200, 200, 200, 200], 0.9, 200 + 0.9 * 5],
    [[100_000, 100_000], 0.5, 86_400],
  ])('%j at q=%s → %s', (xs, q, expected) => {
    expect(percentile(histogramOf(xs), q)).toBeCloseTo(expected, 9);
  });

  it('answers null for nothing counted and refuses a quantile outside (0, 1]', () => {
    expect(percentile(new Map(), 0.5)).toBeNull();
    expect(summary(new Map())).toEqual({ n: 0, median: null, p90: null });
    expect(() => percentile(histogramOf([1]), 0)).toThrow(RangeError);
    expect(() => percentile(histogramOf([1]), 1.5)).toThrow(RangeError);
  });

  it('merging histograms is the histogram of the values together', () => {
    const a = [3, 7, 130, 900];
    const b = [7, 7, 5000, -3];
    expect(merge(histogramOf(a), histogramOf(b))).toEqual(histogramOf([...a, ...b]));
  });

  it('is within the width of the bucket of the exact percentile (property)', () => {
    const duration = fc.oneof(fc.double({ min: 0, max: 120, noNaN: true }), fc.double({ min: 0, max: 3600, noNaN: true }), fc.double({ min: 0, max: 86_399, noNaN: true }));
    fc.assert(
      fc.property(fc.array(duration, { minLength: 1, maxLength: 300 }), fc.constantFrom(0.5, 0.9, 0.25, 0.99, 1), (xs, q) => {
        const truth = exact(xs, q);
        const { lower, upper } = boundsOf(bucketOf(truth)!);
        const est = percentile(histogramOf(xs), q)!;
        expect(Math.abs(est - truth)).toBeLessThanOrEqual(upper - lower);
        expect(est).toBeGreaterThanOrEqual(lower);
        expect(est).toBeLessThanOrEqual(upper);
      }),
      { numRuns: 500 },
    );
  });

  it('is the same however the histogram was split and merged (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 100 }), fc.nat(100), (xs, cut) => {
        const k = cut % (xs.length + 1);
        expect(summary(merge(histogramOf(xs.slice(0, k)), histogramOf(xs.slice(k))))).toEqual(summary(histogramOf(xs)));
      }),
    );
  });
});
