import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCalendar } from '../../../src/core/working-days.js';
import type { ClockResult } from '../../../src/modules/cases/domain/calculator.js';
import { DEFAULT_WARNING_CONFIG, digestDay, digestOf, planWarnings, warningLevel, yellowFrom, type StoredWarning, type WarningConfig } from '../../../src/modules/cases/domain/warnings.js';

const H = 3_600_000;
const cal = defaultCalendar();
const now = new Date('2026-03-10T08:00:00Z'); // Tuesday 16:00 in Beijing time
const clock = (dueInH: number | null, extra: Partial<ClockResult> = {}): ClockResult =>
  ({ rule: 'filing_review', zh: '立案审查', en: 'Filing review', subject: null, basis: '', custody: false, startsAt: now, restarts: [], countsFrom: now, length: { amount: 3, unit: 'days' }, lastDay: null, dueAt: dueInH === null ? null : new Date(now.getTime() + dueInH * H), stops: [], excluded: 0, extensions: [], refusedExtensions: [], doneAt: null, explanation: [], ...extra }) as ClockResult;
const stored = (c: ClockResult, level: 'yellow' | 'red', resolvedAt: Date | null = null, id = `${level}-1`): StoredWarning => ({ id, rule: c.rule, subject: c.subject ?? '', level, dueAt: c.dueAt!, resolvedAt });
const cfg: WarningConfig = DEFAULT_WARNING_CONFIG;

describe('warning levels', () => {
  it.each([
    ['due in 30 h', 30, null],
    ['due in 24 h (the lead)', 24, 'yellow'],
    ['due in 1 min', 1 / 60, 'yellow'],
    ['overdue by a minute', -1 / 60, 'red'],
    ['stopped', null, null],
  ] as const)('%s → %s', (_n, due, level) => {
    expect(warningLevel(clock(due), now, { hours: 24 }, cal)).toBe(level);
  });

  it('a done clock never warns, even a late one', () => {
    expect(warningLevel(clock(-5, { doneAt: new Date(now.getTime() - H) }), now, { hours: 24 }, cal)).toBeNull();
  });

  it('a working-day lead counts back over days off: due Monday → yellow from the Friday before', () => {
    const due = new Date('2026-03-16T15:59:59.999Z'); // end of Monday 16 March, Beijing time
    expect(yellowFrom({ dueAt: due }, { workingDays: 1 }, cal)!.toISOString()).toBe('2026-03-12T16:00:00.000Z'); // Friday 13 March 00:00
    // Across the 2026 National Day week: due Thursday 8 October → from Wednesday 30 September.
    expect(yellowFrom({ dueAt: new Date('2026-10-08T15:59:59.999Z') }, { workingDays: 1 }, cal)!.toISOString()).toBe('2026-09-29T16:00:00.000Z');
  });

  it('the short custody clocks have their own lead (a 24 h detention is not yellow from its start)', () => {
    const interrogation = clock(20, { rule: 'detention_interrogation' });
    expect(warningLevel(interrogation, now, cfg.perRule.detention_interrogation!, cal)).toBeNull();
    expect(warningLevel(clock(5, { rule: 'detention_interrogation' }), now, cfg.perRule.detention_interrogation!, cal)).toBe('yellow');
  });
});

describe('planWarnings: once per clock, level and due time', () => {
  it('raises yellow before due, and not again once stored', () => {
    const c = clock(10);
    expect(planWarnings([c], [], now, cfg, cal).raise.map((r) => r.level)).toEqual(['yellow']);
    expect(planWarnings([c], [stored(c, 'yellow')], now, cfg, cal)).toEqual({ raise: [], resolve: [], reopen: [] });
  });

  it('raises red after due and resolves the yellow of the same due time', () => {
    const c = clock(-1);
    const p = planWarnings([c], [stored(c, 'yellow')], now, cfg, cal);
    expect(p.raise.map((r) => r.level)).toEqual(['red']);
    expect(p.resolve).toEqual([{ id: 'yellow-1', resolution: 'overdue' }]);
  });

  it('a stopped, done or voided clock raises nothing and its open warnings are resolved', () => {
    const c = clock(10);
    const w = stored(c, 'yellow');
    expect(planWarnings([clock(null)], [w], now, cfg, cal)).toEqual({ raise: [], resolve: [{ id: w.id, resolution: 'stopped' }], reopen: [] });
    expect(planWarnings([clock(10, { doneAt: now })], [w], now, cfg, cal).resolve).toEqual([{ id: w.id, resolution: 'done' }]);
    expect(planWarnings([], [w], now, cfg, cal).resolve).toEqual([{ id: w.id, resolution: 'gone' }]);
    expect(planWarnings([c], [w], now, cfg, cal, true)).toEqual({ raise: [], resolve: [{ id: w.id, resolution: 'closed' }], reopen: [] });
  });

  it('an extension that moves the due time later resolves the old warning; the new due time warns when it comes near', () => {
    const before = clock(10);
    const w = stored(before, 'yellow');
    const extended = clock(10 + 4 * 24);
    expect(planWarnings([extended], [w], now, cfg, cal)).toEqual({ raise: [], resolve: [{ id: w.id, resolution: 'due_moved' }], reopen: [] });
    const later = new Date(now.getTime() + 4 * 24 * H);
    const p = planWarnings([extended], [{ ...w, resolvedAt: now }], later, cfg, cal);
    expect(p.raise.map((r) => [r.level, r.dueAt.getTime()])).toEqual([['yellow', extended.dueAt!.getTime()]]);
  });

  it('a resolved warning whose due time comes back (a voided extension) reopens quietly instead of firing twice', () => {
    const c = clock(10);
    expect(planWarnings([c], [stored(c, 'yellow', now)], now, cfg, cal)).toEqual({ raise: [], resolve: [], reopen: ['yellow-1'] });
  });

  it('per-subject clocks warn separately', () => {
    const a = clock(2, { rule: 'arrest_request', subject: '张三' });
    const b = clock(2, { rule: 'arrest_request', subject: '李四' });
    const p = planWarnings([a, b], [stored(a, 'yellow')], now, cfg, cal);
    expect(p.raise.map((r) => r.clock.subject)).toEqual(['李四']);
  });

  it('property: replanning with what was raised raises nothing more (once), whatever the clocks and time', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -200, max: 200 }), { nil: null }), { maxLength: 12 }), fc.integer({ min: 0, max: 100 }), (dues, step) => {
        const clocks = dues.map((d, i) => clock(d, { subject: `s${i}` }));
        const t = new Date(now.getTime() + step * H);
        const first = planWarnings(clocks, [], t, cfg, cal);
        for (const r of first.raise) expect(r.level === 'red' ? t.getTime() > r.dueAt.getTime() : t.getTime() <= r.dueAt.getTime()).toBe(true);
        const kept: StoredWarning[] = first.raise.map((r, i) => ({ id: String(i), rule: r.clock.rule, subject: r.clock.subject ?? '', level: r.level, dueAt: r.dueAt, resolvedAt: null }));
        const again = planWarnings(clocks, kept, t, cfg, cal);
        expect(again.raise).toEqual([]);
        expect(again.resolve).toEqual([]);
      }),
    );
  });
});

describe('daily digest', () => {
  it('lists overdue clocks first, then those due within 24 h by due time; not later ones, stopped or done', () => {
    const lines = digestOf([{ item: 'A', clocks: [clock(30), clock(5, { subject: 'x' }), clock(-3, { subject: 'y' }), clock(null), clock(2, { doneAt: now })] }, { item: 'B', clocks: [clock(1)] }], now, 24);
    expect(lines.map((l) => [l.item, l.overdue, (l.clock.dueAt!.getTime() - now.getTime()) / H])).toEqual([
      ['A', true, -3],
      ['B', false, 1],
      ['A', false, 5],
    ]);
  });

  it('is due from the configured local hour (Beijing time)', () => {
    expect(digestDay(new Date('2026-03-10T23:30:00Z'), 8)).toBeNull(); // 07:30 on the 11th
    expect(digestDay(new Date('2026-03-11T00:00:00Z'), 8)).toBe('2026-03-11'); // 08:00
  });
});
