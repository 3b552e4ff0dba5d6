import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { histogramOf, percentile } from '../../../src/modules/analytics/domain/histogram.js';
import { medianChange, medianInterval, quantileChange, quantileInterval } from '../../../src/modules/analytics/domain/median-change.js';

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

describe('any quantile’s change (a 90th percentile) judged the same way', () => {
  it.each([
    // q, n now, now from, step, n before, before from, step, significant, direction
    ['p90 of a few calls: never judged', 0.9, 20, 40, 1, 20, 10, 1, false, 'same'],
    ['p90, the slow tail 60 s longer', 0.9, 500, 20, 0.2, 500, 20, 0.08, true, 'up'],
    ['p90, the same spread a second apart', 0.9, 300, 10, 0.2, 300, 11, 0.2, false, 'same'],
    ['p10, the fast calls faster', 0.1, 400, 5, 0.1, 400, 30, 0.1, true, 'down'],
    ['the median as q = 0.5', 0.5, 400, 20, 0.2, 400, 50, 0.2, true, 'down'],
  ] as const)('%s', (_, q, n, from, step, nb, fromB, stepB, significant, direction) => {
    const c = quantileChange(spread(n, from, step), spread(nb, fromB, stepB), q);
    expect([c.significant, c.direction]).toEqual([significant, direction]);
    expect(c.now!.value).toBe(percentile(spread(n, from, step), q));
  });

  it('refuses a quantile outside (0, 1)', () => {
    for (const q of [0, 1, -0.5, 1.5, Number.NaN]) expect(() => quantileInterval(spread(10, 1, 1), q)).toThrow(RangeError);
  });

  it('is the median’s interval at q = 0.5; holds its quantile; narrows as n grows; never judges a histogram against itself', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (xs, q) => {
        const h = histogramOf(xs);
        const m = medianInterval(h)!;
        expect(quantileInterval(h, 0.5)).toEqual({ n: m.n, q: 0.5, value: m.median, lower: m.lower, upper: m.upper });
        const i = quantileInterval(h, q)!;
        expect(i.value).toBe(percentile(h, q));
        if (i.lower !== null) expect(i.lower).toBeLessThanOrEqual(i.value);
        if (i.upper !== null) expect(i.upper).toBeGreaterThanOrEqual(i.value);
        expect(quantileChange(h, h, q)).toMatchObject({ significant: false, z: 0 });
        // The same distribution four times over: the interval only narrows (the rank's error grows as √n, not n).
        const four = histogramOf([...xs, ...xs, ...xs, ...xs]);
        const wide = quantileInterval(four, q)!;
        if (i.lower !== null) expect(wide.lower).toBeGreaterThanOrEqual(i.lower - 1e-9);
        if (i.upper !== null) expect(wide.upper).toBeLessThanOrEqual(i.upper + 1e-9);
      }),
    );
  });

  it('judges a shift by a few bucket widths significant once enough values are counted, and symmetrically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 600 }), fc.integer({ min: 20, max: 60 }), fc.constantFrom(0.5, 0.9), (n, shift, q) => {
        const [a, b] = [spread(n, 10, 0.1), spread(n, 10 + shift, 0.1)];
        const up = quantileChange(b, a, q);
        const down = quantileChange(a, b, q);
        expect([up.significant, up.direction]).toEqual([true, 'up']);
        expect([down.significant, down.direction]).toEqual([true, 'down']);
        expect(up.change).toBeCloseTo(-down.change!, 6);
      }),
    );
  });
});

describe('a quantile change’s z', () => {
  it('is over 3 exactly when the intervals do not overlap, its sign the direction; 0 when a facing bound is open', () => {
    expect(medianChange(spread(5, 40, 2), spread(5, 10, 2))).toMatchObject({ z: 0, significant: false });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(0.5, 0.9),
        (xs, ys, q) => {
          const c = quantileChange(histogramOf(xs), histogramOf(ys), q);
          // z is rounded to 2 places: at the threshold itself it may read 3 either way.
          if (c.significant) expect(Math.abs(c.z!)).toBeGreaterThanOrEqual(3);
          else expect(Math.abs(c.z!)).toBeLessThanOrEqual(3);
          if (c.significant) expect(Math.sign(c.z!)).toBe(c.direction === 'up' ? 1 : -1);
          if (c.change !== 0) expect(c.z === 0 || Math.sign(c.z!) === Math.sign(c.change!)).toBe(true);
        },
      ),
    );
  });
});
