/** The period report's pure parts: the period a request names, its wording, the hot spots' revision notes. */
import { describe, expect, it } from 'vitest';
import { choosePeriod, MAX_PERIOD_DAYS, PeriodInputError } from '../../src/modules/reports/domain/periods.js';
import { revisionNotes } from '../../src/modules/reports/domain/revisions.js';
import type { HotSpotRow, PeriodSnapshot, WeeklySnapshot } from '../../src/modules/reports/domain/snapshot.js';
import { hotSpotYoy, periodDays, spanWord, zhSpan } from '../../src/modules/reports/wording.js';
import { reportTitle } from '../../src/modules/reports/docx.js';
import { comparisonFor, reportCut } from '../../src/modules/analytics/index.js';

const spot = (cell: string, count: number, over: Partial<HotSpotRow> = {}): HotSpotRow => ({ cell, lat: 22.19, lon: 113.54, stationId: 's1', stationName: '新口岸派出所', count, previous: 2, expected: 2, change: count - 2, pct: null, z: 0, significant: false, direction: 'same', ...over });

function period(over: Partial<PeriodSnapshot> = {}): PeriodSnapshot {
  return {
    format: 1,
    kind: 'period',
    label: '2026-11-01~2026-11-30',
    from: '2026-11-01',
    to: '2026-11-30',
    timeZone: 'Asia/Macau',
    compare: { from: '2025-11-01', to: '2025-11-30', rule: 'month' },
    unit: { id: 'MO', name: '市局', kind: 'bureau' },
    asOf: '2026-12-01T00:00:00.000Z',
    headline: [],
    families: [{ family: '01', zh: '刑事警情', en: 'Criminal', current: 10, previous: 8, change: 2, pct: 25, z: 0.6, significant: false, direction: 'same' }],
    heat: Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0)),
    notable: [],
    notableTotal: 0,
    hotspots: { resolution: 8, total: 2, cells: [spot('88411c0001fffff', 5), spot('88411c0003fffff', 3)] },
    ...over,
  };
}

const fieldOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof PeriodInputError) return [e.field, e.en, e.zh];
    throw e;
  }
  return null;
};

describe('the period a request names', () => {
  const today = '2026-12-03';
  it('takes whole days, first ≤ last ≤ today, and labels them', () => {
    expect(choosePeriod({ from: '2026-11-01', to: '2026-11-30' }, today)).toEqual({ kind: 'period', label: '2026-11-01~2026-11-30', from: '2026-11-01', to: '2026-11-30' });
    expect(choosePeriod({ from: today, to: today }, today).label).toBe(`${today}~${today}`);
    expect(choosePeriod({ from: '2025-10-30', to: today }, today).from).toBe('2025-10-30'); // 400 days
  });

  it('names the field at fault, in both languages', () => {
    expect(fieldOf(() => choosePeriod({ to: today }, today))?.[0]).toBe('from');
    expect(fieldOf(() => choosePeriod({ from: today }, today))?.[0]).toBe('to');
    expect(fieldOf(() => choosePeriod({ from: '2026-02-30', to: today }, today))?.[0]).toBe('from');
    expect(fieldOf(() => choosePeriod({ from: '2026-11-01', to: '2026-11-31' }, today))?.[0]).toBe('to');
    expect(fieldOf(() => choosePeriod({ from: '2026-11-30', to: '2026-11-01' }, today))).toEqual(['to', 'the last day is before the first', '结束日期早于开始日期']);
    expect(fieldOf(() => choosePeriod({ from: '2026-11-01', to: '2026-12-04' }, today))?.[1]).toMatch(/after today/);
    const long = fieldOf(() => choosePeriod({ from: '2025-10-29', to: today }, today));
    expect(long?.[0]).toBe('to');
    expect(long?.[1]).toContain(`at most ${MAX_PERIOD_DAYS} days (this one is 401)`);
    expect(long?.[2]).toMatch(/不能超过 400 天/);
  });

  it('is compared as analytics compares a span: a month, a year to date, or 52 weeks back', () => {
    expect(comparisonFor({ from: '2026-11-01', to: '2026-11-30' }).rule).toBe('month');
    expect(comparisonFor({ from: '2026-01-01', to: '2026-11-30' }).rule).toBe('to_date');
    const shifted = comparisonFor({ from: '2026-10-15', to: '2026-11-14' });
    expect(shifted).toMatchObject({ rule: 'shift_52_weeks', previous: { from: '2025-10-16', to: '2025-11-15' } });
  });
});

describe('the period report wording', () => {
  it('titles a period with its days, the year once unless it crosses one', () => {
    expect(zhSpan('2026-11-01', '2026-11-30')).toBe('2026年11月1日至11月30日');
    expect(zhSpan('2025-12-01', '2026-01-31')).toBe('2025年12月1日至2026年1月31日');
    expect(reportTitle(period())).toBe('守望 市局 2026年11月1日至11月30日警情报告');
    const week: WeeklySnapshot = { ...period(), kind: 'weekly', week: '2026-W48' } as never;
    expect(reportTitle(week)).toBe('守望 市局 2026年第48周警情周报');
    expect([spanWord(period()), spanWord(week)]).toEqual(['本期', '本周']);
    expect(periodDays('2026-11-01', '2026-11-30')).toBe(30);
  });

  it('judges a hot spot as any count: 无显著变化 unless significant', () => {
    expect(hotSpotYoy(spot('c', 3))).toBe('无显著变化');
    expect(hotSpotYoy(spot('c', 30, { previous: 5, expected: 5, change: 25, pct: 500, z: 6.5, significant: true, direction: 'up' }))).toBe('同比上升 500.0%');
  });
});

describe('the hot spots in revision notes', () => {
  it('are empty when nothing changed', () => {
    expect(revisionNotes(period(), period())).toEqual([]);
  });

  it('name a hot spot whose count changed, one newly listed and one no longer listed, for the period', () => {
    const after = period({ hotspots: { resolution: 8, total: 2, cells: [spot('88411c0001fffff', 6), spot('88411c0005fffff', 3)] } });
    const en = revisionNotes(period(), after).map((n) => n.en);
    expect(en).toEqual([
      'hot spot 新口岸派出所 area 88411c0001fffff incidents for the period revised from 5 to 6',
      'hot spot 新口岸派出所 area 88411c0005fffff now listed (3 incidents)',
      'hot spot 新口岸派出所 area 88411c0003fffff no longer listed',
    ]);
    expect(revisionNotes(period(), after)[0]!.zh).toBe('热点 新口岸派出所辖区 88411c0001fffff 本期警情由 5 起修订为 6 起');
  });

  it('say the section was added when the last report was stored before hot spots existed', () => {
    const old = period({ hotspots: undefined });
    expect(revisionNotes(old, period())).toEqual([{ zh: '新增“热点区域”一节', en: 'the hot spots section was added' }]);
    expect(revisionNotes(old, old)).toEqual([]);
  });

  it('say 本期 / for the period for the figures of a period', () => {
    const after = period({ families: [{ ...period().families[0]!, current: 9 }] });
    expect(revisionNotes(period(), after)[0]).toEqual({ zh: '本期刑事警情警情由 10 起修订为 9 起', en: 'figure Criminal incidents for the period revised from 10 to 9' });
  });
});

describe('reportCut: where a report on a span that holds today ends (from its data, never the clock)', () => {
  const todayStart = new Date('2026-12-02T16:00:00Z'); // 2026-12-03 00:00 in UTC+8
  const span = { from: '2026-11-24', to: '2026-12-03' };
  it.each([
    ['a past span is whole days', { from: '2026-11-01', to: '2026-11-30' }, new Date('2026-12-03T01:00:00Z'), null],
    ['a span not yet begun is not cut', { from: '2026-12-04', to: '2026-12-10' }, null, null],
    ['the last change today', span, new Date('2026-12-03T01:23:00Z'), '2026-12-03T01:23:00.000Z'],
    ['no change today: the start of today', span, new Date('2026-12-01T09:00:00Z'), todayStart.toISOString()],
    ['no incidents at all: the start of today', span, null, todayStart.toISOString()],
    ['a change stamped tomorrow (a clock ahead) is not a time of today', span, new Date('2026-12-03T16:30:00Z'), todayStart.toISOString()],
  ] as const)('%s', (_name, s, last, want) => {
    const got = reportCut(s, '2026-12-03', todayStart, last);
    expect(got ? got.toISOString() : null).toBe(want);
  });
});
