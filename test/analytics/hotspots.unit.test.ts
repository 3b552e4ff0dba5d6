/** Hot spots' pure parts: the cell of a point, parents summed, cells judged, ordered and cut at the limit, the span resolution 9 allows. */
import { describe, expect, it } from 'vitest';
import { cellToChildren, cellToParent, getResolution, latLngToCell } from 'h3-js';
import { cellOf } from '../../src/modules/analytics/hotspots.js';
import { hotCells, toResolution } from '../../src/modules/analytics/hotspot-routes.js';
import { MAX_STREET_SPAN_DAYS, resolutionAllowed, spanDays } from '../../src/modules/analytics/domain/hotspot-span.js';
import { addCalendarDays, calendarDaysBetween } from '../../src/core/working-days.js';

describe('hot spots', () => {
  it('places a point in its resolution-9 cell, and nothing for coordinates no cell holds', () => {
    expect(cellOf(22.19, 113.54)).toBe(latLngToCell(22.19, 113.54, 9));
    expect(getResolution(cellOf(22.19, 113.54)!)).toBe(9);
    for (const [lat, lon] of [[Number.NaN, 113.5], [91, 0], [0, 181], [Number.POSITIVE_INFINITY, 0]]) expect(cellOf(lat!, lon!)).toBeNull();
  });

  it('sums children into their parents', () => {
    const parent = latLngToCell(22.19, 113.54, 7);
    const kids = cellToChildren(parent, 9).slice(0, 5);
    const counts = new Map(kids.map((c, i) => [c, i + 1]));
    expect(toResolution(counts, 7)).toEqual(new Map([[parent, 15]]));
    const at8 = toResolution(counts, 8);
    expect([...at8.values()].reduce((a, b) => a + b, 0)).toBe(15);
    for (const c of at8.keys()) expect(cellToParent(c, 7)).toBe(parent);
    expect(toResolution(counts, 9)).toBe(counts);
  });

  it('judges every cell of either year, busiest first, then last year’s busiest, cut at the limit', () => {
    const now = new Map([['a', 3], ['b', 40], ['c', 3]]);
    const before = new Map([['b', 10], ['d', 30], ['c', 2]]);
    const { cells, total } = hotCells(now, before, { current: 7, previous: 7 }, 3);
    expect(total).toBe(4);
    expect(cells.map((c) => c.cell)).toEqual(['b', 'c', 'a']);
    expect(cells[0]).toMatchObject({ count: 40, previous: 10, significant: true, direction: 'up' });
    expect(cells[1]).toMatchObject({ count: 3, previous: 2, significant: false, direction: 'same' });
    // A cell emptied since last year is a real fall.
    expect(hotCells(now, before, { current: 7, previous: 7 }, 10).cells.find((c) => c.cell === 'd')).toMatchObject({ count: 0, previous: 30, significant: true, direction: 'down' });
    // Spans of unequal length compare per day (a leap day).
    expect(hotCells(new Map([['x', 366]]), new Map([['x', 365]]), { current: 366, previous: 365 }, 1).cells[0]).toMatchObject({ expected: 366, change: 0 });
  });

  it(`allows resolution 9 for at most ${MAX_STREET_SPAN_DAYS} days, counted as the route counts them (the web counts with spanDays)`, () => {
    for (const from of ['2026-01-01', '2026-02-15', '2024-02-20', '2026-03-20', '2026-10-20']) {
      for (const n of [0, 1, 29, 30, 31, 32, 365]) {
        const to = addCalendarDays(from, n);
        expect(spanDays(from, to)).toBe(calendarDaysBetween(from, to) + 1);
      }
      expect(resolutionAllowed(9, spanDays(from, addCalendarDays(from, MAX_STREET_SPAN_DAYS - 1)))).toBe(true);
      expect(resolutionAllowed(9, spanDays(from, addCalendarDays(from, MAX_STREET_SPAN_DAYS)))).toBe(false);
      expect(resolutionAllowed(8, spanDays(from, addCalendarDays(from, 365)))).toBe(true);
    }
  });
});
