/**
 * The interval hour rows counted in JS for a rebuild (domain/interval-rows.ts): the durations intervals.ts
 * defines, exact in microseconds at bucket bounds, keys ascending and each once. That they equal the SQL's
 * rows is checked against the rounds in test/analytics/rebuild.db.test.ts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { durationsOf, packedHourRows, type TimedIncident } from '../../src/modules/analytics/domain/interval-rows.js';
import { decodeKey } from '../../src/modules/analytics/domain/interval-keys.js';
import { bucketOf } from '../../src/modules/analytics/domain/histogram.js';

const T = Date.parse('2026-03-01T10:20:00Z') * 1000;
const S = 1_000_000;
const incident = (o: Partial<TimedIncident>): TimedIncident => ({ station: 'S1', priority: 'P1', called: null, answered: null, recorded: T, dispatched: null, onScene: null, ...o });

describe('interval hour rows in JS', () => {
  it.each([
    ['all times known', incident({ called: T - 50 * S, answered: T - 40 * S, dispatched: T + 20 * S, onScene: T + 620 * S }), { answer: 10, intake: 40, dispatch: 20, travel: 600, response: 660, on_scene: 620 }],
    ['no answer time: response from recorded', incident({ dispatched: T + 30 * S, onScene: T + 90 * S }), { answer: null, intake: null, dispatch: 30, travel: 60, response: 90, on_scene: 90 }],
    ['dispatched before recorded: no on-scene clock, dispatch negative', incident({ dispatched: T - S, onScene: T + 100 * S }), { answer: null, intake: null, dispatch: -1, travel: 101, response: 100, on_scene: null }],
    ['microseconds kept', incident({ answered: T - 119_999_999 }), { answer: null, intake: 119.999999, dispatch: null, travel: null, response: null, on_scene: null }],
  ])('%s', (_, i, want) => {
    expect(Object.fromEntries(durationsOf(i))).toEqual(want);
  });

  it('puts a duration on a bucket bound in the bucket above, a microsecond less in the one below', () => {
    const [at] = packedHourRows([incident({ answered: T - 120 * S })]);
    const [below] = packedHourRows([incident({ answered: T - 120 * S + 1 })]);
    expect(at!.keys.map((k) => decodeKey(k).bucket)).toEqual([bucketOf(120)]);
    expect(below!.keys.map((k) => decodeKey(k).bucket)).toEqual([bucketOf(119.5)]);
  });

  it('counts per recorded UTC hour and station; negative and unknown durations nowhere; other priorities as other', () => {
    const rows = packedHourRows([
      incident({ answered: T - 5 * S }),
      incident({ answered: T + 5 * S, recorded: T + 10 * S }),
      incident({ answered: T - 5 * S, station: 'S2', priority: 'X9' }),
      incident({ answered: T + 39 * 60 * S + 5 * S, recorded: T + 39 * 60 * S }),
      incident({ recorded: T + 40 * 60 * S, answered: T + 40 * 60 * S - 3 * S }),
    ]);
    expect(rows.map((r) => [r.hour, r.station_id, r.keys.map((k) => decodeKey(k)), r.counts])).toEqual([
      ['2026-03-01T10:00:00.000Z', 'S1', [{ measure: 'intake', priority: 'P1', bucket: 5 }], [2]],
      ['2026-03-01T10:00:00.000Z', 'S2', [{ measure: 'intake', priority: 'other', bucket: 5 }], [1]],
      ['2026-03-01T11:00:00.000Z', 'S1', [{ measure: 'intake', priority: 'P1', bucket: 3 }], [1]],
    ]);
  });

  it('counts every known, non-negative duration once, under ascending keys', () => {
    const time = fc.option(fc.integer({ min: -3_600 * S, max: 90_000 * S }), { nil: null });
    const arb = fc.array(fc.record({ station: fc.constantFrom('S1', 'S2'), priority: fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5', null), called: time, answered: time, recorded: fc.integer({ min: 0, max: 7_200 * S }), dispatched: time, onScene: time }), { maxLength: 40 });
    fc.assert(
      fc.property(arb, (raw) => {
        const incidents = raw.map((i) => ({ ...i, recorded: T + i.recorded, called: i.called === null ? null : T + i.called, answered: i.answered === null ? null : T + i.answered, dispatched: i.dispatched === null ? null : T + i.dispatched, onScene: i.onScene === null ? null : T + i.onScene }));
        const rows = packedHourRows(incidents);
        const counted = rows.reduce((n, r) => n + r.counts.reduce((a, b) => a + b, 0), 0);
        const want = incidents.reduce((n, i) => n + durationsOf(i).filter(([, s]) => s !== null && s >= 0).length, 0);
        expect(counted).toBe(want);
        for (const r of rows) expect(r.keys).toEqual([...new Set(r.keys)].sort((a, b) => a - b));
      }),
    );
  });
});
