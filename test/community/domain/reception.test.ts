import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isOpenAt, nextOpening, receptionAt, scheduleProblem, USUAL_HOURS, type WeeklyHours, type Weekday } from '../../../src/modules/community/domain/reception.js';

// Instants written in Shanghai local time (+08:00, no daylight saving since 1991).
const at = (local: string) => Date.parse(`${local}+08:00`);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

describe('reception hours of a police room (Asia/Shanghai local time)', () => {
  // 2026-12-07 is a Monday.
  it.each([
    ['Monday 08:59 — closed, opens at 09:00', '2026-12-07T08:59:00', false, null, '2026-12-07T09:00:00'],
    ['Monday 09:00 — open (opens inclusive)', '2026-12-07T09:00:00', true, '2026-12-07T12:00:00', '2026-12-07T14:00:00'],
    ['Monday 12:00 — lunch break (closes exclusive)', '2026-12-07T12:00:00', false, null, '2026-12-07T14:00:00'],
    ['Monday 17:29 — open until 17:30', '2026-12-07T17:29:59', true, '2026-12-07T17:30:00', '2026-12-08T09:00:00'],
    ['Friday 18:00 — opens Saturday morning', '2026-12-11T18:00:00', false, null, '2026-12-12T09:00:00'],
    ['Saturday 12:30 — closed over Sunday, opens Monday', '2026-12-12T12:30:00', false, null, '2026-12-14T09:00:00'],
    ['Sunday 23:59 — opens Monday 09:00', '2026-12-13T23:59:00', false, null, '2026-12-14T09:00:00'],
  ])('%s', (_name, local, open, closes, next) => {
    const t = at(local);
    const s = receptionAt(USUAL_HOURS, t);
    expect(s.open).toBe(open);
    expect(isOpenAt(USUAL_HOURS, t)).toBe(open);
    expect(iso(s.closesAt)).toBe(closes === null ? null : iso(at(closes)));
    expect(iso(s.nextOpensAt)).toBe(iso(at(next)));
  });

  it('a room open through midnight stays open; a room open always never opens "next"; no hours never opens', () => {
    const night: WeeklyHours = [
      { day: 5, opens: '20:00', closes: '24:00' },
      { day: 6, opens: '00:00', closes: '02:00' },
    ];
    const s = receptionAt(night, at('2026-12-11T23:00:00'));
    expect(s).toMatchObject({ open: true });
    expect(iso(s.closesAt)).toBe(iso(at('2026-12-12T02:00:00')));
    expect(iso(s.nextOpensAt)).toBe(iso(at('2026-12-18T20:00:00')));
    // Saturday 00:00 continues Friday's opening: it is no "opening".
    expect(iso(nextOpening(night, at('2026-12-11T21:00:00')))).toBe(iso(at('2026-12-18T20:00:00')));
    const always: WeeklyHours = ([1, 2, 3, 4, 5, 6, 7] as const).map((day) => ({ day, opens: '00:00', closes: '24:00' }));
    expect(receptionAt(always, at('2026-12-09T03:00:00'))).toEqual({ open: true, closesAt: null, nextOpensAt: null });
    expect(receptionAt([], at('2026-12-09T03:00:00'))).toEqual({ open: false, closesAt: null, nextOpensAt: null });
  });

  it('a schedule is checked, naming the interval at fault', () => {
    expect(scheduleProblem(USUAL_HOURS)).toBeNull();
    expect(scheduleProblem([{ day: 8 as Weekday, opens: '09:00', closes: '10:00' }])?.field).toBe('hours.0.day');
    expect(scheduleProblem([{ day: 1, opens: '9:00', closes: '10:00' }])?.field).toBe('hours.0.opens');
    expect(scheduleProblem([{ day: 1, opens: '10:00', closes: '10:00' }])?.field).toBe('hours.0.closes');
    expect(scheduleProblem([{ day: 1, opens: '09:00', closes: '12:00' }, { day: 1, opens: '11:00', closes: '13:00' }])?.field).toBe('hours.1');
    expect(scheduleProblem([{ day: 1, opens: '09:00', closes: '12:00' }, { day: 1, opens: '12:00', closes: '13:00' }])).toBeNull();
  });

  it('property: open ⇔ inside an interval; the next opening is later, open, and nothing opens before it', () => {
    const slot = fc.integer({ min: 0, max: 47 }); // half hours
    const interval = fc.tuple(fc.integer({ min: 1, max: 7 }), slot, fc.integer({ min: 1, max: 12 })).map(([day, s, len]) => {
      const hhmm = (m: number) => (m >= 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
      return { day: day as Weekday, opens: hhmm(s * 30), closes: hhmm(Math.min(1440, s * 30 + len * 30)) };
    });
    // Non-overlapping schedules: keep an interval only if it does not overlap one kept before.
    const schedule = fc.array(interval, { maxLength: 8 }).map((xs) => {
      const kept: WeeklyHours = [];
      for (const x of xs) if (scheduleProblem([...kept, x]) === null) kept.push(x);
      return kept;
    });
    const instant = fc.integer({ min: at('2026-01-05T00:00:00'), max: at('2026-12-28T00:00:00') });
    fc.assert(
      fc.property(schedule, instant, (hours, t) => {
        const s = receptionAt(hours, t);
        expect(s.open).toBe(isOpenAt(hours, t));
        if (s.open && s.closesAt !== null) {
          expect(s.closesAt).toBeGreaterThan(t);
          expect(isOpenAt(hours, s.closesAt - 1)).toBe(true);
          expect(isOpenAt(hours, s.closesAt)).toBe(false);
        }
        if (s.nextOpensAt === null) {
          if (!s.open) expect(hours).toHaveLength(0);
          return;
        }
        const from = s.open ? s.closesAt! : t;
        expect(s.nextOpensAt).toBeGreaterThan(from);
        expect(isOpenAt(hours, s.nextOpensAt)).toBe(true);
        expect(isOpenAt(hours, s.nextOpensAt - 60_000)).toBe(false);
        // Closed all the time between (schedules are on half hours: checking each half hour is enough).
        for (let x = Math.ceil((from + 1) / 1_800_000) * 1_800_000; x < s.nextOpensAt; x += 1_800_000) expect(isOpenAt(hours, x)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
