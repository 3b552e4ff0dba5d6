import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { histogramOf, percentile } from '../../../src/modules/analytics/domain/histogram.js';
import { medianChange, medianInterval } from '../../../src/modules/analytics/domain/median-change.js';

/** n values spread evenly from `from` by `step` seconds. */
const spread = (n: number, from: number, step: number) => histogramOf(Array.from({ length: n }, (_, i) => from + i * step));

describe('a median’s change judged from the two histograms', () => {
  it.each([
    // n now, now from, step, n before, before from, step, significant, direction
    ['a few calls each side: never judged', 5, 40, 2, 5, 10, 2, false, 'same'],
    ['one value each side: never judged', 1, 90, 0, 1, 10, 0, false, 'same'],
    ['many calls, medians 30 s apart', 400, 20, 0.2, 400, 50, 0.2, true, 'down'],
    ['many calls, medians 2 s apart in a wide spread', 200, 10, 1, 200, 12, 1, false, 'same'],
    ['slower this year', 300, 300, 1, 300, 120, 1, true, 'up'],
  ] as const)('%s', (_, n, from, step, nb, fromB, stepB, significant, direction) => {
    const c = medianChange(spread(n, from, step), spread(nb, fromB, stepB));
    expect([c.significant, c.direction]).toEqual([significant, direction]);
    expect(c.change).toBeCloseTo(c.now!.median - c.before!.median, 1);
  });

  it('says nothing when a side has no values', () => {
    expect(medianChange(new Map(), spread(50, 10, 1))).toMatchObject({ now: null, change: null, significant: false, direction: 'same' });
  });

  it('gives an interval that holds the median, open below a dozen values', () => {
    expect(medianInterval(spread(8, 10, 1))).toMatchObject({ lower: null, upper: null });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 300 }), (xs) => {
        const h = histogramOf(xs);
        const m = medianInterval(h)!;
        expect(m.median).toBe(percentile(h, 0.5));
        if (m.lower !== null) expect(m.lower).toBeLessThanOrEqual(m.median);
        if (m.upper !== null) expect(m.upper).toBeGreaterThanOrEqual(m.median);
        // The same histogram against itself is never a change.
        expect(medianChange(h, h).significant).toBe(false);
      }),
    );
  });
});
