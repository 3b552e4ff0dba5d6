import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeZone, timeZone } from '../../../src/core/clock.js';
import { addCalendarDays, dayOf, defaultCalendar, dueAtEndOfDay, WorkingDayCalendar, type CalendarTable } from '../../../src/core/working-days.js';
import { computeClocks, type ClockResult } from '../../../src/modules/cases/domain/calculator.js';
import { EXAMINATION_KINDS, type CaseEvent, type EventType } from '../../../src/modules/cases/domain/events.js';
import { CLOCK_RULES } from '../../../src/modules/cases/domain/rules.js';

const cal = defaultCalendar();
const MINUTE = 60_000;
/** Monday 6 January 2025, Macau: the shipped calendar covers 2025 and 2026. */
const T0 = Date.parse('2025-01-06T00:00:00+08:00');
const SPAN_MINUTES = 600 * 24 * 60;

let zoneBefore = '';
beforeAll(() => {
  zoneBefore = timeZone();
  setTimeZone('Asia/Macau');
});
afterAll(() => setTimeZone(zoneBefore));

const STEP_TYPES: EventType[] = [
  'accepted', 'filed', 'not_filed', 'summons', 'questioning_started', 'questioning_ended', 'detention', 'arrest_requested', 'arrest_approved', 'arrest_refused', 'arrest',
  'released', 'seizure', 'seizure_released', 'expert_opinion', 'expert_opinion_notified', 'other_crime_found', 'identity_established', 'mediation_failed', 'transferred_for_prosecution', 'closed',
];
const EXTENSION_IDS = [...new Set(CLOCK_RULES.flatMap((r) => r.extensions.map((x) => x.id)))];

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Often within days of each other, so that events meet inside one another's periods; sometimes far apart. */
const arbAt = fc.oneof(fc.integer({ min: 0, max: 10 * 24 * 60 }), fc.integer({ min: 0, max: SPAN_MINUTES })).map((m) => new Date(T0 + m * MINUTE));
const arbSubject = opt(fc.constantFrom('A', 'B'));
/** Drops the keys left undefined: an event as it would be stored. */
const clean = (e: Record<string, unknown>) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as unknown as CaseEvent;

/** Any event a case may record, valid or not: the calculator must cope with all of them. */
const arbEvent: fc.Arbitrary<CaseEvent> = fc.oneof(
  fc.record({ type: fc.constantFrom(...STEP_TYPES), at: arbAt, subject: arbSubject }).map(clean),
  fc.record({ type: fc.constant('examination_started' as const), at: arbAt, subject: arbSubject, kind: fc.constantFrom(...EXAMINATION_KINDS), ref: opt(fc.constantFrom('x', 'y')) }).map(clean),
  fc.record({ type: fc.constant('examination_ended' as const), at: arbAt, subject: arbSubject, ref: opt(fc.constantFrom('x', 'y')) }).map(clean),
  fc
    .record({
      type: fc.constant('extension' as const),
      at: arbAt,
      subject: arbSubject,
      rule: fc.constantFrom(...CLOCK_RULES.map((r) => r.id)),
      extension: opt(fc.constantFrom(...EXTENSION_IDS)),
      approver: opt(fc.constantFrom('李明', '省人民检察院')),
      amount: opt(fc.integer({ min: 1, max: 40 })),
    })
    .map(clean),
);
/** A clock's start and, mostly, its completion a little later: so that most lists hold clocks run and done. */
const arbStory = fc
  .record({ rule: fc.constantFrom(...CLOCK_RULES), at: arbAt, subject: arbSubject, doneAfter: opt(fc.integer({ min: 0, max: 40 * 24 * 60 })), pick: fc.nat() })
  .map(({ rule, at, subject, doneAfter, pick }) => [
    clean({ type: rule.start[pick % rule.start.length], at, subject }),
    ...(doneAfter === undefined ? [] : [clean({ type: rule.doneBy[pick % rule.doneBy.length], at: new Date(at.getTime() + doneAfter * MINUTE), subject })]),
  ]);
const arbEvents = fc.tuple(fc.array(arbStory, { minLength: 1, maxLength: 4 }), fc.array(arbEvent, { maxLength: 20 })).map(([stories, more]) => [...stories.flat(), ...more]);
/** With corrections: ids, replacements and voided records. */
const arbCorrection = fc.tuple(opt(fc.constantFrom('e1', 'e2', 'e3', 'e4')), opt(fc.constantFrom('e1', 'e2', 'e3', 'e4')), fc.boolean());
const arbEventsWithCorrections = fc
  .tuple(arbEvents, fc.array(arbCorrection, { minLength: 30, maxLength: 30 }))
  .map(([events, corrections]) =>
    events.map((e, i) => {
      const [id, replaces, voids] = corrections[i];
      return clean({ ...e, id, replaces, type: voids && replaces ? 'voided' : e.type });
    }),
  );

const key = (r: ClockResult) => `${r.rule}/${r.subject ?? ''}`;

describe('properties of the clocks', () => {
  it('adding later events never makes a completed clock undone, nor moves its due time', () => {
    // Restarts are what could reopen a clock: drawn often.
    const RESTARTS = [...new Set(CLOCK_RULES.flatMap((r) => r.restartBy))];
    const arbRestart = fc.record({ type: fc.constantFrom(...RESTARTS), at: arbAt, subject: arbSubject }).map(clean);
    const arbLater = fc.array(fc.tuple(fc.oneof(arbEvent, arbRestart), fc.integer({ min: 1, max: 30 * 24 * 60 })), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(arbEvents, arbLater, (events, extra) => {
        const last = Math.max(...events.map((e) => e.at.getTime()));
        const later = extra.map(([e, after]) => ({ ...e, at: new Date(last + after * MINUTE) }));
        const before = computeClocks(events, CLOCK_RULES, cal);
        const now = new Map(computeClocks([...events, ...later], CLOCK_RULES, cal).map((r) => [key(r), r]));
        for (const r of before.filter((x) => x.doneAt !== null)) {
          expect(now.get(key(r))?.doneAt).toEqual(r.doneAt);
          expect(now.get(key(r))?.dueAt).toEqual(r.dueAt);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stops are never counted twice: last day with stops = last day without + the days of their union (day- and month-based rules)', () => {
    const cases = [
      { rule: 'public_order_handling', start: 'accepted' as const, kind: 'injury' as const, subject: undefined, days: 30 },
      { rule: 'investigation_custody', start: 'arrest' as const, kind: 'psychiatric' as const, subject: 'A', days: 59 },
    ];
    const arbStop = fc.record({ from: fc.integer({ min: 0, max: 28 }), length: fc.integer({ min: 0, max: 12 }), fromMinute: fc.integer({ min: 0, max: 1439 }), toMinute: fc.integer({ min: 0, max: 1439 }), twice: fc.boolean() });
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 1439 }), fc.array(arbStop, { maxLength: 5 }), (c, startDay, startMinute, stops) => {
        const day0 = T0 + startDay * 24 * 60 * MINUTE;
        const start: CaseEvent = clean({ type: c.start, at: new Date(day0 + startMinute * MINUTE), subject: c.subject });
        const examinations: CaseEvent[] = [];
        const excludedDays = new Set<string>();
        stops.forEach((s, i) => {
          // Inside the period as first set, so every excluded day is reached.
          const from = new Date(day0 + s.from * 24 * 60 * MINUTE + s.fromMinute * MINUTE);
          const toDay = Math.min(s.from + s.length, c.days - 1);
          const to = new Date(Math.max(from.getTime(), day0 + toDay * 24 * 60 * MINUTE + s.toMinute * MINUTE));
          for (let d = addCalendarDays(dayOf(from), 1); d <= dayOf(to); d = addCalendarDays(d, 1)) excludedDays.add(d);
          // Some stops recorded twice under another ref: the same days, still excluded once.
          for (const ref of s.twice ? [`s${i}`, `t${i}`] : [`s${i}`]) {
            examinations.push(clean({ type: 'examination_started', at: from, kind: c.kind, ref, subject: c.subject }));
            examinations.push(clean({ type: 'examination_ended', at: to, ref, subject: c.subject }));
          }
        });
        const find = (events: CaseEvent[]) => computeClocks(events, CLOCK_RULES, cal).find((r) => r.rule === c.rule)!;
        const without = find([start]);
        const withStops = find([start, ...examinations]);
        expect(withStops.excluded).toBe(excludedDays.size);
        expect(withStops.lastDay).toBe(addCalendarDays(without.lastDay!, excludedDays.size));
      }),
    );
  });

  it('a custody clock is never moved by the calendar’s holidays', () => {
    const custody = CLOCK_RULES.filter((r) => r.custody).map((r) => r.id);
    const arbHolidays = fc.uniqueArray(fc.integer({ min: 0, max: 729 }), { maxLength: 120 });
    fc.assert(
      fc.property(arbEvents, arbHolidays, (events, offsets) => {
        const table: CalendarTable = { years: { '2025': { holidays: [], workdays: [] }, '2026': { holidays: [], workdays: [] } } };
        for (const o of offsets) {
          const d = addCalendarDays('2025-01-01', o);
          table.years[d.slice(0, 4)].holidays.push(d);
        }
        const other = new WorkingDayCalendar(table);
        const pick = (c: WorkingDayCalendar) => computeClocks(events, CLOCK_RULES, c).filter((r) => custody.includes(r.rule));
        const shipped = pick(cal);
        expect(pick(other).map((r) => [key(r), r.lastDay, r.dueAt])).toEqual(shipped.map((r) => [key(r), r.lastDay, r.dueAt]));
        for (const r of shipped) if (r.lastDay !== null) expect(r.dueAt).toEqual(dueAtEndOfDay(r.lastDay));
      }),
    );
  });

  it('is deterministic and independent of the order of the events, corrections included', () => {
    fc.assert(
      fc.property(arbEventsWithCorrections.chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length }))), ([events, shuffled]) => {
        const once = computeClocks(events, CLOCK_RULES, cal);
        expect(computeClocks(events, CLOCK_RULES, cal)).toEqual(once);
        expect(computeClocks(shuffled, CLOCK_RULES, cal)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });
});
