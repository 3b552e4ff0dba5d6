import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boardOf, colourOf } from '../../../src/modules/cases/domain/board.js';
import type { ClockResult } from '../../../src/modules/cases/domain/calculator.js';

const H = 3_600_000;
const now = new Date('2026-03-10T08:00:00Z');
const clock = (dueInH: number | null, doneAt: Date | null = null): ClockResult =>
  ({ rule: 'r', zh: '', en: '', subject: null, basis: '', custody: false, startsAt: now, restarts: [], countsFrom: now, length: { amount: 1, unit: 'days' }, lastDay: null, dueAt: dueInH === null ? null : new Date(now.getTime() + dueInH * H), stops: [], excluded: 0, extensions: [], refusedExtensions: [], doneAt, explanation: [] }) as ClockResult;

describe('supervision board colours', () => {
  it.each([
    ['overdue by an hour', -1, 'red'],
    ['due in 23 h with a 24 h lead', 23, 'yellow'],
    ['due in exactly 24 h', 24, 'yellow'],
    ['due in 25 h', 25, 'green'],
    ['stopped (no due time)', null, 'grey'],
  ] as const)('%s → %s', (_name, dueInH, colour) => {
    expect(colourOf(clock(dueInH), now, 24 * H)).toBe(colour);
  });

  it('leaves out a clock that is done, even one done late', () => {
    expect(colourOf(clock(-5, new Date(now.getTime() - H)), now, 24 * H)).toBeNull();
  });

  it('orders overdue first (longest overdue first), then by time left, stopped last', () => {
    const b = boardOf([{ item: 'a', clocks: [clock(30), clock(null), clock(-2), clock(5), clock(-10)] }], now, 24 * H);
    expect(b.map((x) => [x.colour, x.leftMs === null ? null : x.leftMs / H])).toEqual([
      ['red', -10],
      ['red', -2],
      ['yellow', 5],
      ['green', 30],
      ['grey', null],
    ]);
  });

  it('never puts a later colour before an earlier one, whatever the clocks', () => {
    const rank = { red: 0, yellow: 1, green: 2, grey: 3 };
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -500, max: 500 }), { nil: null }), { maxLength: 40 }), fc.integer({ min: 0, max: 72 }), (dues, lead) => {
        const b = boardOf([{ item: 1, clocks: dues.map((d) => clock(d)) }], now, lead * H);
        expect(b).toHaveLength(dues.length);
        for (let i = 1; i < b.length; i++) expect(rank[b[i - 1]!.colour]).toBeLessThanOrEqual(rank[b[i]!.colour]);
      }),
    );
  });
});
