/**
 * A round's choice from the stale marks (domain/stale-marks.ts): hours in the order first marked, at most
 * `limit`; a mark without a station makes its hour whole; the marks cleared are exactly those of the
 * hours chosen (a later hour's marks stay for the next round).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { roundOf } from '../../src/modules/analytics/domain/stale-marks.js';

const H = (h: number) => new Date(Date.UTC(2026, 0, 1, h)).toISOString();
const mark = (id: number, h: number, station: string | null) => ({ id, hour: H(h), station_id: station });

describe('a round from the stale marks', () => {
  it('recounts only the stations marked, and an hour marked without one whole', () => {
    const r = roundOf([mark(1, 3, 'S1'), mark(2, 3, 'S2'), mark(3, 3, 'S1'), mark(4, 5, 'S1'), mark(5, 5, null), mark(6, 5, 'S3')], 10);
    expect(r.hours.whole).toEqual([H(5)]);
    expect(r.hours.pairs).toEqual([[H(3), 'S1'], [H(3), 'S2']]);
    expect(r.hours.count).toBe(2);
    expect(r.marks.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('takes at most `limit` hours, the first marked, and leaves the marks of the others', () => {
    const r = roundOf([mark(1, 7, 'S1'), mark(2, 8, 'S1'), mark(3, 9, 'S1'), mark(4, 7, 'S2'), mark(5, 9, null)], 2);
    expect(r.hours.count).toBe(2);
    expect(r.hours.pairs).toEqual([[H(7), 'S1'], [H(7), 'S2'], [H(8), 'S1']]);
    expect(r.marks.map((m) => m.id)).toEqual([1, 2, 4]);
  });

  it('never puts an hour both whole and by station, and clears a mark only when its hour is recounted for its station', () => {
    const marks = fc.array(fc.record({ hour: fc.integer({ min: 0, max: 6 }), station: fc.option(fc.constantFrom('S1', 'S2', 'S3'), { nil: null }) }), { maxLength: 40 });
    fc.assert(
      fc.property(marks, fc.integer({ min: 1, max: 8 }), (ms, limit) => {
        const read = ms.map((m, i) => mark(i + 1, m.hour, m.station));
        const r = roundOf(read, limit);
        const wholeSet = new Set(r.hours.whole);
        expect(r.hours.pairs.some(([h]) => wholeSet.has(h))).toBe(false);
        expect(new Set([...r.hours.whole, ...r.hours.pairs.map(([h]) => h)]).size).toBe(r.hours.count);
        expect(r.hours.count).toBeLessThanOrEqual(limit);
        const covered = (m: (typeof read)[number]) => wholeSet.has(m.hour) || r.hours.pairs.some(([h, s]) => h === m.hour && s === m.station_id);
        for (const m of r.marks) expect(covered(m)).toBe(true);
        // Every mark left is of an hour not chosen.
        for (const m of read.filter((x) => !r.marks.includes(x))) expect(wholeSet.has(m.hour) || r.hours.pairs.some(([h]) => h === m.hour)).toBe(false);
      }),
    );
  });
});
