/**
 * The packed interval key (domain/interval-keys.ts): every measure × priority × bucket has its own key and
 * comes back from it; priorities outside P1…P4 share 'other'; the SQL filters pick exactly the keys the
 * JS decoding says.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BUCKET_COUNT } from '../../src/modules/analytics/domain/histogram.js';
import { KEYED_MEASURES, KEYED_PRIORITIES, OTHER_PRIORITY, decodeKey, encodeKey, keyFilterSql } from '../../src/modules/analytics/domain/interval-keys.js';

const measure = fc.constantFrom(...KEYED_MEASURES);
const priority = fc.constantFrom(...KEYED_PRIORITIES);
const bucket = fc.integer({ min: 0, max: BUCKET_COUNT - 1 });

/** The two shapes of SQL predicate keyFilterSql writes, evaluated in JS (integer division, as Postgres does on integers). */
const evalFilter = (preds: string[], key: number) =>
  preds.every((p) => {
    const byMeasure = /^\(k \/ (\d+)\) in \(([-\d, ]+)\)$/.exec(p);
    if (byMeasure) return byMeasure[2]!.split(',').map(Number).includes(Math.trunc(key / Number(byMeasure[1])));
    const byPriority = /^\(\(k % (\d+)\) \/ (\d+)\) = (\d+)$/.exec(p);
    if (byPriority) return Math.trunc((key % Number(byPriority[1])) / Number(byPriority[2])) === Number(byPriority[3]);
    throw new Error(`unexpected predicate ${p}`);
  });

describe('packed interval keys', () => {
  it.each([
    ['answer', 'P1', 0, 0],
    ['answer', 'P4', 5, 3 * 1024 + 5],
    ['intake', 'P2', 592, 8192 + 1024 + 592],
    ['on_scene', 'P1', 10, 5 * 8192 + 10],
    ['travel', 'P9', 3, 3 * 8192 + 7 * 1024 + 3],
  ] as const)('%s %s bucket %i is key %i', (m, p, b, key) => {
    expect(encodeKey(m, p, b)).toBe(key);
  });

  it('decodes what it encodes, and keys never collide', () => {
    fc.assert(
      fc.property(measure, priority, bucket, (m, p, b) => {
        expect(decodeKey(encodeKey(m, p, b))).toEqual({ measure: m, priority: p, bucket: b });
      }),
    );
    const seen = new Set<number>();
    for (const m of KEYED_MEASURES) for (const p of [...KEYED_PRIORITIES, 'X']) for (let b = 0; b < BUCKET_COUNT; b++) seen.add(encodeKey(m, p, b));
    expect(seen.size).toBe(KEYED_MEASURES.length * (KEYED_PRIORITIES.length + 1) * BUCKET_COUNT);
  });

  it('puts every other priority under one key per measure and bucket', () => {
    expect(decodeKey(encodeKey('dispatch', 'urgent', 7))).toEqual({ measure: 'dispatch', priority: OTHER_PRIORITY, bucket: 7 });
    expect(encodeKey('dispatch', 'urgent', 7)).toBe(encodeKey('dispatch', 'P0', 7));
  });

  it('refuses what has no key', () => {
    expect(() => encodeKey('walk', 'P1', 0)).toThrow(RangeError);
    expect(() => encodeKey('answer', 'P1', BUCKET_COUNT)).toThrow(RangeError);
    expect(() => decodeKey(6 * 8192)).toThrow(RangeError);
    expect(() => decodeKey(5 * 1024)).toThrow(RangeError);
  });

  it('filters by measure and priority as decoding does', () => {
    fc.assert(
      fc.property(measure, fc.constantFrom(...KEYED_PRIORITIES, 'X'), bucket, fc.subarray([...KEYED_MEASURES]), fc.option(priority, { nil: undefined }), (m, p, b, ms, want) => {
        const key = encodeKey(m, p, b);
        const k = decodeKey(key);
        expect(evalFilter(keyFilterSql('k', ms, want), key)).toBe(ms.includes(k.measure) && (want === undefined || k.priority === want));
      }),
    );
  });
});
