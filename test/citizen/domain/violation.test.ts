/** 随手拍 rules: plates, evidence and time, the same-violation window and the one-reward verdict (tables). */
import { describe, expect, it } from 'vitest';
import { checkViolationReport, normalisePlate, rewardVerdict, sameViolation, VIOLATION_RULES, type ObservedViolation } from '../../../src/modules/citizen/domain/violation.js';

const now = new Date('2026-12-01T10:00:00Z');
const at = (min: number) => new Date(now.getTime() + min * 60_000);
const base: ObservedViolation = { reportId: 1, plate: '粤A12345', violationType: 'bus_lane', observedAt: at(0), lon: 113.55, lat: 22.19 };
const north = (m: number) => base.lat + m / 111_195;

describe('plates', () => {
  it.each([
    ['粤A 12345', '粤A12345'],
    ['粤a·d12345', '粤AD12345'],
    ['MA-12-34', 'MA1234'],
    ['ｍａ１２３４', 'MA1234'],
    ['12', null],
    ['粤12345', null],
    ['ABCDEFG', null],
    ['', null],
  ])('%s → %s', (raw, want) => expect(normalisePlate(raw)).toBe(want));
});

describe('evidence and time', () => {
  it.each([
    [1, at(-10), 'mediaIds'],
    [2, at(-10), null],
    [6, at(-10), null],
    [7, at(-10), 'mediaIds'],
    [2, at(4), null],
    [2, at(6), 'observedAt'],
    [2, at(-7 * 1440 + 1), null],
    [2, at(-7 * 1440 - 1), 'observedAt'],
    [2, new Date('nonsense'), 'observedAt'],
  ])('%i photos at %s → %s', (photos, observedAt, field) => expect(checkViolationReport({ photos, observedAt }, now)?.field ?? null).toBe(field));
});

describe('the same violation and the one reward', () => {
  it.each([
    [{}, true],
    [{ observedAt: at(VIOLATION_RULES.windowMinutes) }, true],
    [{ observedAt: at(-VIOLATION_RULES.windowMinutes - 1) }, false],
    [{ lat: north(190) }, true],
    [{ lat: north(210) }, false],
    [{ plate: '粤A12346' }, false],
    [{ violationType: 'red_light' }, false],
  ])('%o → %s', (change, same) => expect(sameViolation(base, { ...base, reportId: 2, ...change })).toBe(same));

  it('rewards when no rewarded report shows the violation, else a duplicate of the earliest that does', () => {
    expect(rewardVerdict(base, [])).toEqual({ verdict: 'valid', rewarded: true });
    expect(rewardVerdict(base, [{ ...base, reportId: 9, observedAt: at(-200) }])).toEqual({ verdict: 'valid', rewarded: true });
    expect(rewardVerdict(base, [{ ...base, reportId: 1 }])).toEqual({ verdict: 'valid', rewarded: true }); // itself
    expect(rewardVerdict(base, [{ ...base, reportId: 7, observedAt: at(5) }, { ...base, reportId: 8, observedAt: at(-5) }])).toEqual({ verdict: 'duplicate', rewardOf: 8 });
  });
});
