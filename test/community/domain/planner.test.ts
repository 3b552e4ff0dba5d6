import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareDoors, coverage, planGrid, reasonOf, type Door } from '../../../src/modules/community/domain/planner.js';
import { anchorOf, importPlan, readCivicGrids } from '../../../src/modules/community/domain/civic.js';
import { addDays, mondayOf } from '../../../src/modules/community/domain/week.js';

const WEEK = 7 * 86_400_000;

/**
 * Works the plans week after week, as officers do: every planned door is visited (some visits are kept
 * back by the week's `skips`, which the next week's plan takes first). Returns the visit sequence.
 */
function simulate(codes: string[], owners: string[], quotas: number[], weeks: number, priorities: Map<string, Partial<Door>>, skipsByWeek: string[][]) {
  const state = new Map<string, { visits: number; last: number | null }>(codes.map((c) => [c, { visits: 0, last: null }]));
  const sequence: string[] = [];
  for (let w = 0; w < weeks; w++) {
    const doors: Door[] = codes.map((code) => ({ code, visits: state.get(code)!.visits, lastVisitedAt: state.get(code)!.last, ...priorities.get(code) }));
    const plan = planGrid({ doors, owners, quota: (o) => quotas[owners.indexOf(o)] ?? 0, skipped: new Set(skipsByWeek[w] ?? []) });
    let t = w * WEEK;
    // Every owner works their list in order; interleaved as the week goes.
    const lists = [...plan.values()];
    const longest = Math.max(0, ...lists.map((l) => l.length));
    for (let i = 0; i < longest; i++) {
      for (const l of lists) {
        const d = l[i];
        if (!d) continue;
        const s = state.get(d.code)!;
        s.visits++;
        s.last = ++t;
        sequence.push(d.code);
      }
    }
  }
  return sequence;
}

/** The fairness rule on a sequence of visits: no door gets its (k+1)-th visit while another has fewer than k. */
function onceBeforeTwice(codes: string[], sequence: string[]): boolean {
  const count = new Map(codes.map((c) => [c, 0]));
  for (const code of sequence) {
    const k = count.get(code)!;
    if ([...count.values()].some((n) => n < k)) return false;
    count.set(code, k + 1);
  }
  return true;
}

const gridArb = fc.record({
  doors: fc.integer({ min: 1, max: 60 }),
  owners: fc.integer({ min: 1, max: 3 }),
  quotas: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 3, maxLength: 3 }),
  weeks: fc.integer({ min: 1, max: 12 }),
  disputes: fc.array(fc.nat(59), { maxLength: 6 }),
  repeats: fc.array(fc.nat(59), { maxLength: 6 }),
});

describe('visit planner', () => {
  it('every door of a grid is visited once before any twice (property, with disputes and repeat-incident addresses)', () => {
    fc.assert(
      fc.property(gridArb, (g) => {
        const codes = Array.from({ length: g.doors }, (_, i) => `A${String(i).padStart(3, '0')}`);
        const owners = Array.from({ length: g.owners }, (_, i) => `officer-${i}`);
        const priorities = new Map<string, Partial<Door>>();
        for (const i of g.disputes) if (codes[i]) priorities.set(codes[i]!, { openDisputes: 1 });
        for (const i of g.repeats) if (codes[i]) priorities.set(codes[i]!, { ...priorities.get(codes[i]!), repeatIncidents: 4 });
        const seq = simulate(codes, owners, g.quotas, g.weeks, priorities, []);
        expect(onceBeforeTwice(codes, seq)).toBe(true);
        // And the plans are worked to their size: as many visits as the quotas ask, a door at most once a week.
        expect(seq.length).toBe(g.weeks * Math.min(g.doors, g.quotas.slice(0, g.owners).reduce((a, b) => a + b, 0)));
      }),
      { numRuns: 300 },
    );
  });

  it('from any history: the planned doors are always among those with the fewest visits', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ visits: fc.nat(5), last: fc.option(fc.nat(1_000_000)), dispute: fc.boolean() }), { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 30 }), (rows, quota) => {
        const doors: Door[] = rows.map((r, i) => ({ code: `D${i}`, visits: r.last === null ? 0 : Math.max(1, r.visits), lastVisitedAt: r.last, openDisputes: r.dispute ? 1 : 0 }));
        const planned = planGrid({ doors, owners: ['x'], quota: () => quota }).get('x')!;
        const chosen = new Set(planned.map((p) => p.code));
        const maxChosen = Math.max(...planned.map((p) => p.visits));
        // No door left out has fewer visits than a planned one.
        for (const d of doors) if (!chosen.has(d.code)) expect(d.visits).toBeGreaterThanOrEqual(maxChosen);
        expect(planned.length).toBe(Math.min(quota, doors.length));
      }),
    );
  });

  it('open disputes first, then repeat-incident addresses, then never visited, then the oldest visit', () => {
    const doors: Door[] = [
      { code: 'old', visits: 0, lastVisitedAt: null },
      { code: 'recent', visits: 1, lastVisitedAt: 900 },
      { code: 'oldest', visits: 1, lastVisitedAt: 100 },
      { code: 'repeat', visits: 0, lastVisitedAt: null, repeatIncidents: 3 },
      { code: 'dispute', visits: 0, lastVisitedAt: null, openDisputes: 1 },
    ];
    const plan = planGrid({ doors, owners: ['o'], quota: () => 5 }).get('o')!;
    expect(plan.map((p) => p.code)).toEqual(['dispute', 'repeat', 'old', 'oldest', 'recent']);
    expect(plan.map((p) => p.reason)).toEqual(['open_dispute', 'repeat_incidents', 'never_visited', 'oldest_visit', 'oldest_visit']);
    expect(reasonOf(doors[1]!)).toBe('oldest_visit');
    expect([...doors].sort(compareDoors)[0]!.code).toBe('dispute');
  });

  it('co-owners never hold the same door; a skipped door leaves the plan and the next fills in', () => {
    const doors: Door[] = Array.from({ length: 10 }, (_, i) => ({ code: `D${i}`, visits: 0, lastVisitedAt: null }));
    const plan = planGrid({ doors, owners: ['b', 'a'], quota: () => 3, skipped: new Set(['D0']) });
    const all = [...plan.values()].flat().map((p) => p.code);
    expect(new Set(all).size).toBe(6);
    expect(all).not.toContain('D0');
    expect(plan.get('a')!.map((p) => p.code)).toEqual(['D1', 'D3', 'D5']);
    // Quota used up (visits done this week): nothing more is planned.
    expect(planGrid({ doors, owners: ['a'], quota: () => -2 }).get('a')).toEqual([]);
  });

  it('coverage is visited ÷ doors, none for a grid without doors', () => {
    expect(coverage(3, 12)).toBe(0.25);
    expect(coverage(0, 0)).toBeNull();
  });
});

describe('weeks', () => {
  it('Monday of a day; whole weeks apart', () => {
    expect(mondayOf('2026-12-02')).toBe('2026-11-30');
    expect(mondayOf('2026-11-30')).toBe('2026-11-30');
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    fc.assert(fc.property(fc.integer({ min: 0, max: 40_000 }), (n) => {
      const day = addDays('1990-01-01', n);
      const m = mondayOf(day);
      expect(new Date(`${m}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(mondayOf(addDays(m, 6))).toBe(m);
    }));
  });
});

describe('civic grids from GeoJSON', () => {
  const square = (x: number, y: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] });
  const fcOf = (features: unknown[]) => ({ type: 'FeatureCollection', features });
  it('reads features with their codes; errors name the field', () => {
    const ok = readCivicGrids(fcOf([{ type: 'Feature', properties: { code: '820001-001', name: '一号网格' }, geometry: square(113.5, 22.1) }]));
    expect(ok).toMatchObject({ ok: true, features: [{ code: '820001-001', name: '一号网格' }] });
    const cases: [unknown, string][] = [
      [{ type: 'Feature' }, 'type'],
      [fcOf([]), 'features'],
      [fcOf([{ type: 'Feature', properties: { code: 'x' }, geometry: square(0, 0) }]), 'features.0.properties.code'],
      [fcOf([{ type: 'Feature', properties: { code: 'AB-12' }, geometry: square(0, 0) }, { type: 'Feature', properties: { code: 'AB-12' }, geometry: square(1, 1) }]), 'features.1.properties.code'],
      [fcOf([{ type: 'Feature', properties: { code: 'AB-12' }, geometry: { type: 'Point', coordinates: [0, 0] } }]), 'features.0.geometry'],
      [fcOf([{ type: 'Feature', properties: { code: 'AB-12' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 2]]] } }]), 'features.0.geometry'],
      [fcOf([{ type: 'Feature', properties: { code: 'AB-12' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 'x'], [0, 0]]] } }]), 'features.0.geometry'],
    ];
    for (const [input, field] of cases) {
      const r = readCivicGrids(input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(r.error.field).toBe(field);
    }
  });
  it('a changed polygon is the next version; the same one is unchanged', () => {
    const a = { code: 'AB-12', name: 'A', geometry: square(0, 0) as never };
    const current = new Map([['AB-12', { version: 2, geometry: square(0, 0), name: 'A' }]]);
    expect(importPlan([a], current)).toEqual([{ code: 'AB-12', action: 'unchanged', version: 2 }]);
    expect(importPlan([{ ...a, geometry: square(1, 1) as never }], current)).toEqual([{ code: 'AB-12', action: 'changed', version: 3 }]);
    expect(importPlan([{ ...a, code: 'CD-34' }], current)).toEqual([{ code: 'CD-34', action: 'new', version: 1 }]);
    expect(anchorOf(square(0, 0) as never)).toEqual([0.005, 0.005]);
  });
});
