import { describe, expect, it } from 'vitest';
import { computeStats, median, type StatsCase, type StatsNotice } from '../../../src/modules/cases/domain/stats.js';

const H = 3_600_000;
const now = new Date('2026-03-10T08:00:00Z');
const at = (h: number) => new Date(now.getTime() + h * H);
const w = { from: at(-30 * 24), to: now, now, leadMs: 24 * H };
const clock = (dueH: number | null, doneH: number | null = null) => ({ dueAt: dueH === null ? null : at(dueH), doneAt: doneH === null ? null : at(doneH) });
const kase = (stationId: string, officer: string, clocks: ReturnType<typeof clock>[], closedH: number | null = null): StatsCase => ({ stationId, officer, clocks, closedAt: closedH === null ? null : at(closedH) });
const notice = (stationId: string, officer: string, o: Partial<StatsNotice>): StatsNotice => ({ stationId, officer, state: 'issued', issuedAt: at(-48), answerDueAt: at(48), firstAnsweredAt: null, late: false, problems: ['documents'], ...o });

describe('case supervision figures', () => {
  it('median of none, odd and even counts', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('counts overdue cases (now or finished late in the period), yellow clocks and the median time left at completion', () => {
    const cases = [
      kase('A', 'li', [clock(-2), clock(10)]), // overdue now; one yellow
      kase('A', 'li', [clock(100, 50)]), // finished only in the future (a later step recorded ahead): still running now, green
      kase('A', 'wang', [clock(-10, -20), clock(-100, -90)]), // done 10 h early, and 10 h late (overdue in period)
      kase('B', 'chen', [clock(30), clock(null)]), // green, stopped
      kase('B', 'chen', [clock(-5)], -6), // closed case: its running clock is not watched
      kase('B', 'chen', [clock(-40 * 24, -41 * 24)]), // done before the period: not in the median
    ];
    const s = computeStats(cases, [], w);
    expect(s).toMatchObject({ cases: 6, overdue: 2, yellow: 1, medianLeftAtCompletionHours: 0 });
    expect(s.byStation).toEqual([
      expect.objectContaining({ stationId: 'A', cases: 3, overdue: 2, yellow: 1, medianLeftAtCompletionHours: 0 }),
      expect.objectContaining({ stationId: 'B', cases: 3, overdue: 0, yellow: 0, medianLeftAtCompletionHours: null }),
    ]);
    expect(s.byOfficer[0]).toMatchObject({ officer: 'li', stationId: 'A', overdue: 1, yellow: 1 });
    expect(s.byOfficer.find((o) => o.officer === 'wang')).toMatchObject({ overdue: 1, medianLeftAtCompletionHours: 0 });
  });

  it('counts notices of the period answered on time, those overdue now, and problems by type', () => {
    const notices = [
      notice('A', 'li', { state: 'accepted', firstAnsweredAt: at(-24), problems: ['late_filing', 'documents'] }),
      notice('A', 'li', { state: 'answered', firstAnsweredAt: at(-1), late: true, problems: ['documents'] }),
      notice('A', 'wang', { state: 'issued', answerDueAt: at(-3), problems: ['account_freeze'] }), // overdue now
      notice('B', 'chen', { state: 'issued', issuedAt: at(-60 * 24), answerDueAt: at(-50 * 24) }), // before the period, still overdue
    ];
    const s = computeStats([], notices, w);
    expect(s).toMatchObject({ noticesTotal: 3, noticesOnTime: 1, noticesOverdue: 2 });
    expect(s.problemsByType).toEqual([
      { type: 'documents', count: 2 },
      { type: 'late_filing', count: 1 },
      { type: 'account_freeze', count: 1 },
    ]);
    expect(s.byStation.map((x) => [x.stationId, x.noticesTotal, x.noticesOnTime, x.noticesOverdue])).toEqual([
      ['A', 3, 1, 1],
      ['B', 0, 0, 1],
    ]);
  });
});
