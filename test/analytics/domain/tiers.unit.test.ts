/**
 * The tier plan splits [from, to) into hour, day and month parts that cover every instant exactly once
 * (property), and uses the coarsest tier it can (table).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tierPlan, touchedDays, type LocalCalendar } from '../../../src/modules/analytics/domain/tiers.js';
import { addCalendarDays } from '../../../src/core/working-days.js';

/** UTC+8 with no summer time, as Asia/Macau and Asia/Shanghai. */
const OFFSET = 8 * 3_600_000;
const CAL: LocalCalendar = {
  dayOf: (t) => new Date(t.getTime() + OFFSET).toISOString().slice(0, 10),
  dayStart: (d) => new Date(Date.parse(`${d}T00:00:00Z`) - OFFSET),
};
const start = (d: string) => CAL.dayStart(d);
const HOUR = 3_600_000;

/** The instants [from, to) each part covers, as millisecond ranges. */
function pieces(from: Date, to: Date): [number, number][] {
  const p = tierPlan(from, to, CAL);
  const out: [number, number][] = p.hours.map((h) => [h.from.getTime(), h.to.getTime()]);
  for (const d of p.days) out.push([start(d.from).getTime(), start(d.to).getTime()]);
  if (p.months) out.push([start(p.months.from).getTime(), start(p.months.to).getTime()]);
  return out.sort((a, b) => a[0] - b[0]);
}

describe('tierPlan', () => {
  it('covers [from, to) exactly once, without gaps or overlaps', () => {
    const base = Date.UTC(2025, 10, 3);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 900 * 24 }), fc.integer({ min: 0, max: 800 * 24 }), fc.integer({ min: 0, max: 59 }), (h, len, minute) => {
        const from = new Date(base + h * HOUR + minute * 60_000);
        const to = new Date(from.getTime() + len * HOUR);
        const ps = pieces(from, to);
        if (len === 0) {
          expect(ps).toEqual([]);
          return;
        }
        expect(ps[0]![0]).toBe(from.getTime());
        expect(ps.at(-1)![1]).toBe(to.getTime());
        for (let i = 1; i < ps.length; i++) expect(ps[i]![0]).toBe(ps[i - 1]![1]);
        for (const [a, b] of ps) expect(a).toBeLessThan(b);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['a local day', '2026-03-05', '2026-03-06', { hours: 0, days: [['2026-03-05', '2026-03-06']], months: null }],
    ['a whole month', '2026-02-01', '2026-03-01', { hours: 0, days: [], months: ['2026-02-01', '2026-03-01'] }],
    ['year to date on 15 March', '2026-01-01', '2026-03-16', { hours: 0, days: [['2026-03-01', '2026-03-16']], months: ['2026-01-01', '2026-03-01'] }],
    ['a week across a month end', '2026-03-30', '2026-04-06', { hours: 0, days: [['2026-03-30', '2026-04-06']], months: null }],
    ['mid-month to mid-month', '2026-01-20', '2026-04-10', { hours: 0, days: [['2026-01-20', '2026-02-01'], ['2026-04-01', '2026-04-10']], months: ['2026-02-01', '2026-04-01'] }],
  ])('%s', (_name, from, to, want) => {
    const p = tierPlan(start(from), start(to), CAL);
    expect(p.hours.length).toBe(want.hours);
    expect(p.days.map((d) => [d.from, d.to])).toEqual(want.days);
    expect(p.months ? [p.months.from, p.months.to] : null).toEqual(want.months);
  });

  it('reads a span inside one day from the hour rows only', () => {
    const from = new Date(start('2026-03-05').getTime() + 3 * HOUR);
    const p = tierPlan(from, new Date(from.getTime() + 5 * HOUR), CAL);
    expect(p).toEqual({ hours: [{ from, to: new Date(from.getTime() + 5 * HOUR) }], days: [], months: null });
  });

  it('names the local days and months a round touched (an hour after 16:00 UTC is the next local day)', () => {
    const t = touchedDays([new Date('2026-02-28T15:00:00Z'), new Date('2026-02-28T16:00:00Z'), new Date('2026-02-28T17:00:00Z')], CAL);
    expect(t).toEqual({ days: ['2026-02-28', '2026-03-01'], months: ['2026-02-01', '2026-03-01'] });
    expect(addCalendarDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});
