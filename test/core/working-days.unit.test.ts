import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setTimeZone, timeZone } from '../../src/core/clock.js';
import {
  WorkingDayCalendar,
  addCalendarDays,
  addMonths,
  calendarTableErrors,
  dayOf,
  defaultCalendar,
  dueAtEndOfDay,
  isDay,
  mergeCalendarTables,
  shippedCalendarTable,
  weekdayOf,
} from '../../src/core/working-days.js';

const cal = defaultCalendar();
let zoneBefore = '';
beforeAll(() => {
  zoneBefore = timeZone();
  setTimeZone('Asia/Macau');
});
afterAll(() => setTimeZone(zoneBefore));

describe('the shipped PRC calendar', () => {
  it('covers 2025 and 2026, each naming its State Council notice', () => {
    expect(cal.years()).toEqual(['2025', '2026']);
    expect(cal.sourceOf('2025-06-01')).toContain('国办发明电〔2024〕12号');
    expect(cal.sourceOf('2026-06-01')).toContain('2026年部分节假日安排');
    expect(calendarTableErrors(shippedCalendarTable())).toEqual([]);
  });

  it('gives each year 13 statutory days off net of 调休 (全国年节及纪念日放假办法 as revised in 2024)', () => {
    const table = shippedCalendarTable();
    for (const year of Object.values(table.years)) {
      const weekdaysOff = year.holidays.filter((d) => weekdayOf(d) >= 1 && weekdayOf(d) <= 5).length;
      expect(weekdaysOff - year.workdays.length).toBe(13);
      expect(year.workdays.every((d) => weekdayOf(d) === 0 || weekdayOf(d) === 6)).toBe(true);
    }
  });

  it.each([
    ['2025-01-01', 'holiday'],
    ['2025-01-26', 'adjusted_workday'], // Sunday worked before Spring Festival
    ['2025-01-28', 'holiday'], // 除夕
    ['2025-02-04', 'holiday'], // 正月初七
    ['2025-02-05', 'workday'],
    ['2025-02-08', 'adjusted_workday'],
    ['2025-10-08', 'holiday'],
    ['2025-10-11', 'adjusted_workday'],
    ['2026-01-04', 'adjusted_workday'],
    ['2026-02-13', 'workday'], // the Friday before Spring Festival
    ['2026-02-14', 'adjusted_workday'], // Saturday worked
    ['2026-02-15', 'holiday'],
    ['2026-02-23', 'holiday'], // 正月初七, a Monday
    ['2026-02-24', 'workday'],
    ['2026-02-28', 'adjusted_workday'],
    ['2026-03-01', 'weekend'],
    ['2026-05-09', 'adjusted_workday'],
    ['2026-09-25', 'holiday'], // 中秋
    ['2026-09-20', 'adjusted_workday'],
    ['2026-10-07', 'holiday'],
    ['2026-10-10', 'adjusted_workday'],
  ])('%s is a %s', (day, kind) => {
    expect(cal.dayKind(day)).toBe(kind);
    expect(cal.isWorkingDay(day)).toBe(kind === 'workday' || kind === 'adjusted_workday');
  });
});

describe('counting working days', () => {
  it('across the Spring Festival week of 2026: the Saturday before is worked, nine days are off', () => {
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(cal.addWorkingDays('2026-02-13', 3)).toBe('2026-02-25');
    expect(cal.addWorkingDays('2026-02-13', 7)).toBe('2026-03-02'); // 14, 24, 25, 26, 27, 28 (Sat, worked), 2 Mar
    expect(cal.nextWorkingDay('2026-02-15')).toBe('2026-02-24');
    expect(cal.nextWorkingDay('2026-02-14')).toBe('2026-02-14');
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
    expect(cal.workingDaysBetween('2026-01-31', '2026-02-28')).toBe(16); // February 2026 has 16 working days
  });

  it('across a 调休 weekend: the Saturday 9 May 2026 is worked', () => {
    expect(cal.addWorkingDays('2026-05-07', 2)).toBe('2026-05-09');
    expect(cal.addWorkingDays('2026-05-07', 3)).toBe('2026-05-11');
    // The plain Monday–Friday count would skip that Saturday.
    const plain = new WorkingDayCalendar({ years: {} });
    expect(plain.addWorkingDays('2026-05-07', 3)).toBe('2026-05-12');
    // From the eve of May Day, the first working day is after five days off.
    expect(cal.addWorkingDays('2026-04-30', 1)).toBe('2026-05-06');
  });

  it('across the turn of the year: Sunday 4 January 2026 is worked', () => {
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    expect(cal.addWorkingDays('2025-12-31', 2)).toBe('2026-01-05');
    expect(cal.workingDaysBetween('2025-12-31', '2026-01-05')).toBe(2);
  });

  it('2025 Spring Festival: Sunday 26 January worked, 28 January – 4 February off', () => {
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-01-26');
    expect(cal.addWorkingDays('2025-01-24', 3)).toBe('2025-02-05');
  });

  it('counts back with a negative n, and n = 0 is the day itself', () => {
    expect(cal.addWorkingDays('2026-02-24', -1)).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-24', -2)).toBe('2026-02-13');
    expect(cal.addWorkingDays('2026-02-15', 0)).toBe('2026-02-15');
    expect(cal.workingDaysBetween('2026-02-24', '2026-02-13')).toBe(-2);
  });

  it('a deadline falling on a holiday moves to the next working day', () => {
    // 30 days from 16 January 2026 is 15 February, the first day of Spring Festival.
    const last = addCalendarDays('2026-01-16', 30);
    expect(last).toBe('2026-02-15');
    expect(cal.nextWorkingDay(last)).toBe('2026-02-24');
  });

  it('outside its years falls back to Monday–Friday and says so', () => {
    expect(cal.covers('2026-12-31')).toBe(true);
    expect(cal.covers('2027-01-01')).toBe(false);
    expect(cal.sourceOf('2027-01-01')).toBeNull();
    expect(cal.isWorkingDay('2027-01-01')).toBe(true); // a Friday: New Year is not known there
    expect(cal.isWorkingDay('2027-01-02')).toBe(false);
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('refuses what is not a day', () => {
    for (const bad of ['2026-02-30', '2026-2-3', '26-02-03', '', '2026-13-01']) {
      expect(isDay(bad)).toBe(false);
      expect(() => cal.isWorkingDay(bad)).toThrow(RangeError);
    }
    expect(() => cal.addWorkingDays('2026-02-13', 1.5)).toThrow(RangeError);
  });
});

describe('properties', () => {
  const day = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) }).map((t) => new Date(t).toISOString().slice(0, 10));

  it('workingDaysBetween is the inverse of addWorkingDays, whose result is a working day', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -60, max: 60 }), (d, n) => {
        const to = cal.addWorkingDays(d, n);
        expect(cal.workingDaysBetween(d, to)).toBe(n);
        if (n !== 0) expect(cal.isWorkingDay(to)).toBe(true);
      }),
    );
  });

  it('nextWorkingDay is the first working day on or after the day', () => {
    fc.assert(
      fc.property(day, (d) => {
        const next = cal.nextWorkingDay(d);
        expect(cal.isWorkingDay(next)).toBe(true);
        for (let x = d; x < next; x = addCalendarDays(x, 1)) expect(cal.isWorkingDay(x)).toBe(false);
      }),
    );
  });
});

describe('a bureau’s own table', () => {
  it('replaces the years it names and keeps the others', () => {
    const shipped = shippedCalendarTable();
    const local = { ...shipped.years['2026'], _source: '本局通知：2026-03-02 本地假日', holidays: [...shipped.years['2026'].holidays, '2026-03-02'] };
    const table = mergeCalendarTables(shipped, { years: { '2026': local, '2027': { holidays: ['2027-01-01'], workdays: [] } } });
    const bureau = new WorkingDayCalendar(table);
    expect(bureau.isWorkingDay('2026-03-02')).toBe(false);
    expect(bureau.sourceOf('2026-03-02')).toBe('本局通知：2026-03-02 本地假日');
    expect(bureau.isWorkingDay('2025-01-26')).toBe(true);
    expect(bureau.covers('2027-01-01')).toBe(true);
    expect(bureau.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2026-03-02')).toBe(true); // the shipped calendar is untouched
  });

  it('is checked: days that are not days, in another year, on both lists or a weekday worked', () => {
    const errors = calendarTableErrors({
      years: { '2026': { holidays: ['2026-02-30', '2025-12-31', '2026-02-14'], workdays: ['2026-02-14', '2026-02-13'] } },
    });
    expect(errors).toEqual([
      '2026 holidays: "2026-02-30" is not a YYYY-MM-DD day',
      '2026 holidays: 2025-12-31 is not in 2026',
      '2026: 2026-02-14 is both a holiday and a working day',
      '2026 workdays: 2026-02-13 is not a Saturday or Sunday (调休 days are weekend days)',
    ]);
    expect(() => new WorkingDayCalendar({ years: { x: { holidays: [], workdays: [] } } })).toThrow(/year "x" is not YYYY/);
    expect(calendarTableErrors(null)).toHaveLength(1);
  });
});

describe('days and instants in the platform’s zone', () => {
  it('a day ends at 23:59:59.999 local time', () => {
    expect(dueAtEndOfDay('2026-02-25').toISOString()).toBe('2026-02-25T15:59:59.999Z'); // Macau, UTC+8
    expect(dayOf(new Date('2026-02-25T15:59:59.999Z'))).toBe('2026-02-25');
    expect(dayOf(new Date('2026-02-25T16:00:00.000Z'))).toBe('2026-02-26');
  });

  it('follows a zone with daylight saving', () => {
    setTimeZone('America/New_York');
    try {
      expect(dueAtEndOfDay('2026-03-08').toISOString()).toBe('2026-03-09T03:59:59.999Z'); // EDT from 8 March
      expect(dueAtEndOfDay('2026-03-07').toISOString()).toBe('2026-03-08T04:59:59.999Z');
    } finally {
      setTimeZone('Asia/Macau');
    }
  });

  it('adds months to the same date, or the last day of a shorter month', () => {
    expect(addMonths('2026-01-15', 1)).toBe('2026-02-15');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });
});
