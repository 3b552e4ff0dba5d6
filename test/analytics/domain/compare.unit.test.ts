import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addCalendarDays, defaultCalendar, weekdayOf } from '../../../src/core/working-days.js';
import { comparisonFor, isoWeekOf, isoWeekSpan, isoWeeksIn, monthOnMonth, parseIsoWeek, runningCut, shiftedSpan, spanDays, weekOnWeek, yearToDate } from '../../../src/modules/analytics/domain/periods.js';
import { festivalOnFestival, festivalsIn, festivalWindow } from '../../../src/modules/analytics/domain/festivals.js';
import { countChange, rateChange } from '../../../src/modules/analytics/domain/significance.js';

const cal = defaultCalendar();
const anyDay = fc.integer({ min: Date.UTC(2001, 0, 1), max: Date.UTC(2039, 11, 31) }).map((t) => new Date(t).toISOString().slice(0, 10));

describe('periods compared with last year', () => {
  it.each([
    ['2026-12-02', '2026-01-01', '2025-01-01', '2025-12-02', 336, 336],
    ['2024-02-29', '2024-01-01', '2023-01-01', '2023-02-28', 60, 59],
    ['2025-02-28', '2025-01-01', '2024-01-01', '2024-02-28', 59, 59],
    ['2025-03-01', '2025-01-01', '2024-01-01', '2024-03-01', 60, 61],
    ['2026-01-01', '2026-01-01', '2025-01-01', '2025-01-01', 1, 1],
  ])('year to date %s: %s → today against %s → %s', (today, from, pFrom, pTo, days, pDays) => {
    const c = yearToDate(today);
    expect(c).toMatchObject({ rule: 'to_date', current: { from, to: today }, previous: { from: pFrom, to: pTo }, days: { current: days, previous: pDays } });
  });

  it.each([
    ['2026-12-02', 2026, 49],
    ['2027-01-01', 2026, 53],
    ['2024-12-30', 2025, 1],
    ['2021-01-03', 2020, 53],
    ['2026-01-01', 2026, 1],
    ['2025-12-29', 2026, 1],
  ])('ISO week of %s is %i-W%i', (day, year, week) => expect(isoWeekOf(day)).toEqual({ year, week }));

  it('knows the years with 53 ISO weeks', () => {
    expect([2015, 2020, 2026, 2032].map(isoWeeksIn)).toEqual([53, 53, 53, 53]);
    expect([2021, 2024, 2025, 2027].map(isoWeeksIn)).toEqual([52, 52, 52, 52]);
    expect(() => isoWeekSpan(2025, 53)).toThrow(RangeError);
    expect(parseIsoWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    expect(parseIsoWeek('2025-W53')).toBeNull();
    expect(parseIsoWeek('2026-48')).toBeNull();
  });

  it('sets a week against the same ISO week last year, Monday to Sunday; week 53 against week 52', () => {
    expect(weekOnWeek(2026, 48)).toMatchObject({ rule: 'iso_week', current: { from: '2026-11-23', to: '2026-11-29' }, previous: { from: '2025-11-24', to: '2025-11-30' } });
    expect(weekOnWeek(2026, 53)).toMatchObject({ rule: 'iso_week_53', current: { from: '2026-12-28', to: '2027-01-03' }, previous: { from: '2025-12-22', to: '2025-12-28' } });
    expect(weekOnWeek(2021, 1)).toMatchObject({ current: { from: '2021-01-04' }, previous: { from: '2019-12-30', to: '2020-01-05' } });
  });

  it('sets a month against the same month, to date while it runs; February of a leap year is one day longer', () => {
    expect(monthOnMonth('2024-02')).toMatchObject({ current: { from: '2024-02-01', to: '2024-02-29' }, previous: { from: '2023-02-01', to: '2023-02-28' }, days: { current: 29, previous: 28 } });
    expect(monthOnMonth('2026-12', '2026-12-02')).toMatchObject({ current: { to: '2026-12-02' }, previous: { from: '2025-12-01', to: '2025-12-02' } });
    expect(() => monthOnMonth('2026-13')).toThrow(RangeError);
  });

  it('chooses the fair comparison for a span', () => {
    expect(comparisonFor({ from: '2026-11-23', to: '2026-11-29' }).rule).toBe('iso_week');
    expect(comparisonFor({ from: '2026-01-01', to: '2026-06-30' }).rule).toBe('to_date');
    expect(comparisonFor({ from: '2026-03-01', to: '2026-03-31' }).rule).toBe('month');
    expect(comparisonFor({ from: '2026-03-05', to: '2026-04-20' })).toMatchObject({ rule: 'shift_52_weeks', previous: { from: '2025-03-06', to: '2025-04-21' } });
    expect(() => comparisonFor({ from: '2026-03-05', to: '2026-03-01' })).toThrow(RangeError);
  });

  it('properties: weeks are Monday–Sunday; every previous span has the same weekdays or the same dates; lengths differ by a leap day at most', () => {
    fc.assert(
      fc.property(anyDay, (day) => {
        const w = isoWeekOf(day);
        const span = isoWeekSpan(w.year, w.week);
        expect(weekdayOf(span.from)).toBe(1);
        expect(span.from <= day && day <= span.to).toBe(true);
        const ww = weekOnWeek(w.year, w.week);
        expect(weekdayOf(ww.previous.from)).toBe(1);
        expect(spanDays(ww.previous)).toBe(7);
        const s = shiftedSpan({ from: day, to: addCalendarDays(day, 10) });
        expect(weekdayOf(s.previous.from)).toBe(weekdayOf(day));
        const ytd = yearToDate(day);
        expect(Math.abs(ytd.days.current - ytd.days.previous)).toBeLessThanOrEqual(1);
        expect(ytd.previous.to.slice(5) === day.slice(5) || day.endsWith('02-29')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('festival windows', () => {
  it('sets the 2026 Spring Festival break against the 2025 one, though one is in February and the other in January', () => {
    const c = festivalOnFestival('spring', 2026, cal);
    expect(c).toMatchObject({ rule: 'festival', current: { from: '2026-02-15', to: '2026-02-23' }, previous: { from: '2025-01-28', to: '2025-02-04' }, days: { current: 9, previous: 8 } });
  });

  it('falls back to the festival day ± 3 where the calendar does not cover the year, and refuses a year it does not know', () => {
    expect(festivalWindow('spring', 2024, cal)).toEqual({ from: '2024-02-07', to: '2024-02-13', fromCalendar: false });
    expect(festivalWindow('national', 2026, cal)).toEqual({ from: '2026-10-01', to: '2026-10-07', fromCalendar: true });
    expect(() => festivalWindow('spring', 2040, cal)).toThrow(RangeError);
  });

  it('names the festivals a span runs into (January 2025 holds the Spring Festival, January 2026 does not)', () => {
    expect(festivalsIn({ from: '2025-01-01', to: '2025-01-31' }, cal).map((f) => f.festival)).toContain('spring');
    expect(festivalsIn({ from: '2026-01-05', to: '2026-01-31' }, cal).map((f) => f.festival)).not.toContain('spring');
  });
});

describe('is a change real', () => {
  it.each([
    // now, before, significant, direction
    [9, 4, false, 'same'], // the "+125 %" that is noise
    [0, 0, false, 'same'],
    [130, 100, false, 'same'],
    [150, 100, true, 'up'],
    [60, 100, true, 'down'],
    [1000, 900, true, 'up'],
    [10, 0, true, 'up'],
  ])('%i against %i: significant %s', (now, before, significant, direction) => {
    const c = countChange(now, before);
    expect(c).toMatchObject({ now, before, significant, direction });
    expect(Math.abs(c.z) > 3).toBe(significant);
  });

  it('compares per day when the spans differ in length, and has no percentage against nothing', () => {
    expect(countChange(60, 59, { current: 60, previous: 59 })).toMatchObject({ expected: 60, change: 0, pct: 0 });
    expect(countChange(5, 0).pct).toBeNull();
    expect(() => countChange(-1, 3)).toThrow(RangeError);
    expect(() => countChange(1.5, 3)).toThrow(RangeError);
  });

  it('rates keep their two numbers and are judged with the two-proportion test', () => {
    const small = rateChange({ numerator: 9, denominator: 10 }, { numerator: 8, denominator: 10 });
    expect(small).toMatchObject({ now: { numerator: 9, denominator: 10, rate: 0.9 }, before: { numerator: 8, denominator: 10 }, points: 10, significant: false });
    expect(rateChange({ numerator: 9890, denominator: 10000 }, { numerator: 9786, denominator: 10000 })).toMatchObject({ significant: true, direction: 'up' });
    expect(rateChange({ numerator: 0, denominator: 0 }, { numerator: 5, denominator: 10 })).toMatchObject({ points: null, z: null, significant: false });
    expect(rateChange({ numerator: 10, denominator: 10 }, { numerator: 10, denominator: 10 })).toMatchObject({ z: 0, significant: false });
    expect(() => rateChange({ numerator: 11, denominator: 10 }, { numerator: 1, denominator: 2 })).toThrow(RangeError);
  });

  it('property: swapping now and before flips the sign of z', () => {
    fc.assert(fc.property(fc.nat(10_000), fc.nat(10_000), (a, b) => Math.abs(countChange(a, b).z + countChange(b, a).z) <= 0.011));
  });
});

describe('a span that holds today is cut at the same instant of last year', () => {
  const H = 3_600_000;
  it.each([
    // today, span, time into today, last year's cut day, days now, days last year
    ['2026-12-03', { from: '2026-01-01', to: '2026-12-03' }, 7 * H, '2025-12-03', 336 + 7 / 24, 336 + 7 / 24, 'to_date'],
    // A leap day this year: 1 Jan → 5 Mar 2028 holds one day more than 1 Jan → 5 Mar 2027.
    ['2028-03-05', { from: '2028-01-01', to: '2028-03-05' }, 12 * H, '2027-03-05', 64.5, 63.5, 'to_date'],
    // 29 February against 28 February.
    ['2028-02-29', { from: '2028-01-01', to: '2028-02-29' }, 6 * H, '2027-02-28', 59.25, 58.25, 'to_date'],
    // A running month: the same date last year.
    ['2026-12-03', { from: '2026-12-01', to: '2026-12-03' }, 18 * H, '2025-12-03', 2.75, 2.75, 'month'],
    // This week, Monday → Sunday, on its Thursday: last year's same ISO week, its Thursday.
    ['2026-12-03', { from: '2026-11-30', to: '2026-12-06' }, 9 * H, '2025-12-04', 3.375, 3.375, 'iso_week'],
    // 30 days to today: 52 weeks back, the same weekday.
    ['2026-12-03', { from: '2026-11-04', to: '2026-12-03' }, 1 * H, '2025-12-04', 29 + 1 / 24, 29 + 1 / 24, 'shift_52_weeks'],
  ] as const)('%s in %o at %i ms: last year up to %s', (today, span, ms, previousDay, days, previousDays, rule) => {
    const c = runningCut(comparisonFor(span), today, ms);
    expect(c.rule).toBe(rule);
    expect(c.cut).toEqual({ current: { day: today, ms }, previous: { day: previousDay, ms } });
    expect(c.days.current).toBeCloseTo(days, 9);
    expect(c.days.previous).toBeCloseTo(previousDays, 9);
  });

  it('cuts last year at the end of the running hour when it is counted by hours, its days to there', () => {
    const c = runningCut(yearToDate('2026-12-03'), '2026-12-03', 7 * H + 40 * 60_000, H);
    expect(c.cut).toEqual({ current: { day: '2026-12-03', ms: 7 * H + 40 * 60_000 }, previous: { day: '2025-12-03', ms: 8 * H } });
    expect(c.days.current).toBeCloseTo(336 + 7.666666 / 24, 6);
    expect(c.days.previous).toBeCloseTo(336 + 8 / 24, 9);
    // 23:30 is cut at midnight, the next day's start.
    expect(runningCut(yearToDate('2026-12-03'), '2026-12-03', 23.5 * H, H).cut!.previous.ms).toBe(24 * H);
  });

  it('leaves a span without today, or with nothing of it passed, whole', () => {
    const past = comparisonFor({ from: '2026-11-23', to: '2026-11-29' });
    expect(runningCut(past, '2026-12-03', 5_000)).toEqual(past);
    const first = comparisonFor({ from: '2026-12-03', to: '2026-12-03' });
    expect(runningCut(first, '2026-12-03', 0)).toEqual(first);
    expect(() => runningCut(first, '2026-12-03', 86_400_000)).toThrow(RangeError);
  });

  it('judges a running span per day: the same rate of incidents is no change', () => {
    const c = runningCut(yearToDate('2026-12-03'), '2026-12-03', 12 * H);
    // 100 incidents a day both years: 336.5 days each side.
    const change = countChange(33_650, 33_650, c.days);
    expect([change.change, change.significant]).toEqual([0, false]);
  });

  it('never ends last year before it starts nor after it ends, and counts days of both at the same time of day', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 86_399_999 }), (from, into, len, ms) => {
        const span = { from, to: addCalendarDays(from, Math.max(into, len)) };
        const today = addCalendarDays(from, into);
        const c = runningCut(comparisonFor(span), today, ms);
        expect(c.cut!.previous.day >= c.previous.from && c.cut!.previous.day <= c.previous.to).toBe(true);
        expect(c.days.current - Math.floor(c.days.current)).toBeCloseTo(ms / 86_400_000, 9);
        expect(Math.abs(c.days.current - c.days.previous)).toBeLessThanOrEqual(1.000001);
      }),
    );
  });
});
