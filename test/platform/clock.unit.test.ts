/** The configured time zone (src/core/clock.ts): local days in Macau, and across a DST change elsewhere. */
import { afterEach, describe, expect, it } from 'vitest';
import { addLocalDays, localDay, localDayStart, localParts, setTimeZone, timeZone, DEFAULT_TIME_ZONE } from '../../src/core/clock.js';

describe('local time in the configured zone', () => {
  afterEach(() => setTimeZone(DEFAULT_TIME_ZONE));

  it('defaults to Macau, UTC+8 all year', () => {
    expect(timeZone()).toBe('Asia/Macau');
    expect(localDay(Date.parse('2026-12-01T15:59:59Z'))).toBe('2026-12-01');
    expect(localDay(Date.parse('2026-12-01T16:00:00Z'))).toBe('2026-12-02');
    expect(localDayStart('2026-12-02').toISOString()).toBe('2026-12-01T16:00:00.000Z');
    expect(addLocalDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addLocalDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(localParts(Date.parse('2026-12-01T00:30:00Z'))).toMatchObject({ hour: 8, minute: 30, weekday: 2 });
  });

  it('follows daylight saving where the zone has it (Berlin, spring forward and back)', () => {
    setTimeZone('Europe/Berlin');
    expect(localDayStart('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z'); // CET midnight
    expect(localDayStart('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z'); // CEST midnight
    expect(localParts(Date.parse('2026-03-29T01:30:00Z')).hour).toBe(3);
    expect(addLocalDays('2026-10-24', 2)).toBe('2026-10-26');
    expect(localDay(Date.parse('2026-10-25T22:59:59Z'))).toBe('2026-10-25');
    expect(localDay(Date.parse('2026-10-25T23:00:00Z'))).toBe('2026-10-26');
  });

  it('refuses an unknown zone', () => {
    expect(() => setTimeZone('Mars/Olympus')).toThrow(/unknown time zone/);
  });
});
