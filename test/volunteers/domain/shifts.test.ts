import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkinWindow, hoursServed, pointsFor, shiftProblems, shortageDue, signupWindow } from '../../../src/modules/volunteers/domain/shifts.js';

const H = 3_600_000;
const start = new Date('2026-12-05T10:00:00Z');
const shift = { startsAt: start, endsAt: new Date(start.getTime() + 4 * H), signupOpensHours: 72 };
const at = (hoursFromStart: number) => new Date(start.getTime() + hoursFromStart * H);

describe('sign-up window', () => {
  it.each([
    [-100, 'not_open_yet'],
    [-72.01, 'not_open_yet'],
    [-72, 'ok'],
    [-1, 'ok'],
    [0, 'closed'],
    [2, 'closed'],
  ] as const)('%s h from the start: %s', (h, expected) => {
    const r = signupWindow(shift, at(h));
    expect(r.ok ? 'ok' : r.reason).toBe(expected);
  });
  it('tells when it opens', () => {
    const r = signupWindow(shift, at(-100));
    expect(!r.ok && r.opensAt?.toISOString()).toBe(at(-72).toISOString());
  });
});

describe('check-in window (grace before the start)', () => {
  it.each([
    [-1, 15, 'too_early'],
    [-0.26, 15, 'too_early'],
    [-0.25, 15, 'ok'],
    [-0.25, 0, 'too_early'],
    [0, 0, 'ok'],
    [3.99, 15, 'ok'],
    [4, 15, 'ended'],
    [5, 15, 'ended'],
  ] as const)('%s h from the start, grace %s min: %s', (h, grace, expected) => {
    const r = checkinWindow(shift, at(h), grace);
    expect(r.ok ? 'ok' : r.reason).toBe(expected);
  });
});

describe('hours and points', () => {
  it('counts check-in to check-out, capped at the shift’s end and not before its start', () => {
    expect(hoursServed(shift, at(0), at(4))).toBe(4);
    expect(hoursServed(shift, at(-0.25), at(2))).toBe(2);
    expect(hoursServed(shift, at(1), at(9))).toBe(3);
    expect(hoursServed(shift, at(1), at(1.5))).toBe(0.5);
    expect(hoursServed(shift, at(5), at(6))).toBe(0);
  });
  it('points: one per half hour, two more for the whole shift', () => {
    expect(pointsFor(shift, 4)).toBe(10);
    expect(pointsFor(shift, 3.95)).toBe(9);
    expect(pointsFor(shift, 1.2)).toBe(2);
    expect(pointsFor(shift, 0)).toBe(0);
  });
  it('property: hours never exceed the shift nor the time present', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true }), (inH, stayH) => {
        const h = hoursServed(shift, at(inH), at(inH + stayH));
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(4);
        expect(h).toBeLessThanOrEqual(Math.round(stayH * 100) / 100 + 0.01);
      }),
    );
  });
});

describe('shortage and input', () => {
  it('is due within 24 h of the start when fewer than the minimum signed', () => {
    const s = { startsAt: start, minPeople: 3, taken: 2, cancelled: false };
    expect(shortageDue(s, at(-25))).toBe(false);
    expect(shortageDue(s, at(-24))).toBe(true);
    expect(shortageDue(s, at(-1))).toBe(true);
    expect(shortageDue(s, at(0))).toBe(false);
    expect(shortageDue({ ...s, taken: 3 }, at(-2))).toBe(false);
    expect(shortageDue({ ...s, cancelled: true }, at(-2))).toBe(false);
  });
  it('names the field at fault', () => {
    expect(shiftProblems({ startsAt: at(1), endsAt: at(0), minPeople: 1, maxPeople: 2, signupOpensHours: 72 })?.field).toBe('endsAt');
    expect(shiftProblems({ startsAt: at(0), endsAt: at(30), minPeople: 1, maxPeople: 2, signupOpensHours: 72 })?.field).toBe('endsAt');
    expect(shiftProblems({ startsAt: at(0), endsAt: at(2), minPeople: 3, maxPeople: 2, signupOpensHours: 72 })?.field).toBe('maxPeople');
    expect(shiftProblems({ startsAt: at(0), endsAt: at(2), minPeople: 2, maxPeople: 2, signupOpensHours: 72 })).toBeNull();
  });
});
