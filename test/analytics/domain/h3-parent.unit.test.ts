/** The parent of an H3 cell by its bits (SQL's way on a database without H3) is h3-js's cellToParent. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellToParent, latLngToCell } from 'h3-js';
import { cellParent } from '../../../src/modules/analytics/domain/h3-parent.js';
import { localMonths, monthPlan, type LocalCalendar } from '../../../src/modules/analytics/domain/tiers.js';

describe('cellParent', () => {
  it('equals cellToParent for random places, resolutions 9 → 0…9 and 8 → 0…8', () => {
    fc.assert(
      fc.property(fc.double({ min: -85, max: 85, noNaN: true }), fc.double({ min: -179.9, max: 179.9, noNaN: true }), fc.integer({ min: 8, max: 9 }), fc.integer({ min: 0, max: 9 }), (lat, lon, from, to) => {
        const cell = latLngToCell(lat, lon, from);
        const res = Math.min(to, from);
        expect(cellParent(cell, res)).toBe(cellToParent(cell, res));
      }),
      { numRuns: 2000 },
    );
  });
});

const OFFSET = 8 * 3_600_000;
const CAL: LocalCalendar = {
  dayOf: (t) => new Date(t.getTime() + OFFSET).toISOString().slice(0, 10),
  dayStart: (d) => new Date(Date.parse(`${d}T00:00:00Z`) - OFFSET),
};

describe('monthPlan', () => {
  it('covers [from, to) exactly once: whole local months, the rest as few hour ranges as possible', () => {
    const base = Date.UTC(2025, 10, 3);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 900 * 24 }), fc.integer({ min: 1, max: 800 * 24 }), (h, len) => {
        const from = new Date(base + h * 3_600_000);
        const to = new Date(from.getTime() + len * 3_600_000);
        const p = monthPlan(from, to, CAL);
        const parts: [number, number][] = p.hours.map((r) => [r.from.getTime(), r.to.getTime()]);
        if (p.months) parts.push([CAL.dayStart(p.months.from).getTime(), CAL.dayStart(p.months.to).getTime()]);
        parts.sort((a, b) => a[0] - b[0]);
        expect(parts[0]![0]).toBe(from.getTime());
        expect(parts.at(-1)![1]).toBe(to.getTime());
        for (let i = 1; i < parts.length; i++) expect(parts[i]![0]).toBe(parts[i - 1]![1]);
        expect(p.hours.length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 500 },
    );
  });

  it('reads a year to date on 15 March as two months and half a month of hours', () => {
    const p = monthPlan(CAL.dayStart('2026-01-01'), CAL.dayStart('2026-03-16'), CAL);
    expect(p.months).toEqual({ from: '2026-01-01', to: '2026-03-01' });
    expect(p.hours).toEqual([{ from: CAL.dayStart('2026-03-01'), to: CAL.dayStart('2026-03-16') }]);
  });
});

describe('localMonths', () => {
  it('covers the first and the last instant with whole local months, each its instants and its days', () => {
    // 2025-11-30T17:00Z is already 1 December in UTC+8; 2026-02-01T00:00Z is 1 February 08:00.
    const r = localMonths(new Date('2025-11-30T17:00:00Z'), new Date('2026-02-01T00:00:00Z'), CAL);
    expect(r.map((x) => x.first)).toEqual(['2025-12-01', '2026-01-01', '2026-02-01']);
    expect(r[0]!.from.toISOString()).toBe('2025-11-30T16:00:00.000Z');
    expect(r.at(-1)!.to.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(r.at(-1)!.next).toBe('2026-03-01');
    for (let i = 1; i < r.length; i++) expect(r[i]!.from).toEqual(r[i - 1]!.to);
    expect(localMonths(new Date('2026-05-31T15:00:00Z'), new Date('2026-05-31T15:00:00Z'), CAL).map((x) => x.first)).toEqual(['2026-05-01']);
  });
});
