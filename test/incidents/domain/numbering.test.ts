import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  addLocalDays,
  formatIncidentNumber,
  localDay,
  localDayCompact,
  localDayStart,
  localParts,
  parseIncidentNumber,
} from '../../../src/modules/incidents/domain/numbering.js';

describe('local day (Asia/Macau, UTC+8, no DST)', () => {
  it('crosses midnight at 16:00 UTC', () => {
    expect(localDay(new Date('2025-03-16T15:59:59.999Z'))).toBe('2025-03-16');
    expect(localDay(new Date('2025-03-16T16:00:00.000Z'))).toBe('2025-03-17');
    expect(localDay(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(localDay(new Date('2024-02-28T16:30:00Z'))).toBe('2024-02-29');
    expect(localDay(Date.UTC(2025, 6, 1, 0, 0))).toBe('2025-07-01'); // summer: still +8
    expect(localDayCompact(new Date('2025-03-16T16:00:00Z'))).toBe('20250317');
    expect(localParts(new Date('2025-03-16T16:00:00Z'))).toMatchObject({ hour: 0, weekday: 1 });
  });

  it('localDayStart / addLocalDays round-trip', () => {
    expect(localDayStart('2025-03-17').toISOString()).toBe('2025-03-16T16:00:00.000Z');
    expect(addLocalDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addLocalDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(() => localDayStart('2025-3-1')).toThrow();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4102444800000 }), (t) => {
        const day = localDay(t);
        const start = localDayStart(day).getTime();
        expect(start).toBeLessThanOrEqual(t);
        expect(t - start).toBeLessThan(86_400_000);
      }),
    );
  });
});

describe('incident numbers', () => {
  it('J + station + local date + 4-digit sequence', () => {
    expect(formatIncidentNumber('MO0101', new Date('2025-03-16T15:59:00Z'), 1)).toBe('JMO0101202503160001');
    expect(formatIncidentNumber('MO0101', new Date('2025-03-16T16:00:00Z'), 42)).toBe('JMO0101202503170042');
    expect(formatIncidentNumber('MO0101', new Date('2025-03-16T16:00:00Z'), 9999)).toBe('JMO0101202503179999');
  });

  it('five digits past 9999', () => {
    expect(formatIncidentNumber('MO0101', new Date('2025-03-16T16:00:00Z'), 10000)).toBe('JMO01012025031710000');
  });

  it('rejects bad input', () => {
    expect(() => formatIncidentNumber('MO0101', new Date(), 0)).toThrow();
    expect(() => formatIncidentNumber('MO0101', new Date(), 1.5)).toThrow();
    // Station codes follow the organisation's code rule (core/typebox.ts ORG_CODE_PATTERN): no spaces, slashes, dots.
    for (const code of ['MO 01', 'MO/01', 'MO.01', '', 'MO%01']) expect(() => formatIncidentNumber(code, new Date(), 1)).toThrow();
    expect(formatIncidentNumber('RT_X-1', new Date('2025-03-16T16:00:00Z'), 7)).toBe('JRT_X-1202503170007');
    expect(() => formatIncidentNumber('MO0101', new Date(NaN), 1)).toThrow();
  });

  it('parses back', () => {
    expect(parseIncidentNumber('JMO0101202503170042', 6)).toEqual({ stationCode: 'MO0101', day: '2025-03-17', seq: 42 });
    expect(parseIncidentNumber('JMO0101202503170042')).toEqual({ stationCode: 'MO0101', day: '2025-03-17', seq: 42 });
    expect(parseIncidentNumber('JMO01012025031710000', 6)).toEqual({ stationCode: 'MO0101', day: '2025-03-17', seq: 10000 });
    expect(parseIncidentNumber('X123')).toBeNull();
    fc.assert(
      fc.property(fc.constantFrom('MO0101', 'MO0302', 'S1'), fc.integer({ min: 0, max: 4102444800000 }), fc.integer({ min: 1, max: 99999 }), (code, t, seq) => {
        const n = formatIncidentNumber(code, t, seq);
        expect(parseIncidentNumber(n, code.length)).toEqual({ stationCode: code, day: localDay(t), seq });
      }),
    );
  });
});
