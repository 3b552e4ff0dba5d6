/** Pure media rules: HTTP byte ranges, assignment windows with margin, step coverage, retention. */
import { describe, expect, it } from 'vitest';
import { contentRange, parseRange } from '../../../src/modules/media/domain/range.js';
import { expired, linkageFigure, matchingAssignments, stepCovered } from '../../../src/modules/media/domain/linkage.js';

describe('parseRange', () => {
  it.each([
    [undefined, 1000, { kind: 'whole' }],
    ['bytes=0-99', 1000, { kind: 'partial', range: { start: 0, end: 99 } }],
    ['bytes=900-', 1000, { kind: 'partial', range: { start: 900, end: 999 } }],
    ['bytes=900-5000', 1000, { kind: 'partial', range: { start: 900, end: 999 } }],
    ['bytes=-100', 1000, { kind: 'partial', range: { start: 900, end: 999 } }],
    ['bytes=-5000', 1000, { kind: 'partial', range: { start: 0, end: 999 } }],
    ['bytes=1000-', 1000, { kind: 'unsatisfiable' }],
    ['bytes=-0', 1000, { kind: 'unsatisfiable' }],
    ['bytes=5-2', 1000, { kind: 'whole' }],
    ['items=0-1', 1000, { kind: 'whole' }],
    ['bytes=abc', 1000, { kind: 'whole' }],
    ['bytes=0-1, 5-6', 1000, { kind: 'partial', range: { start: 0, end: 1 } }],
  ] as const)('%s of %i bytes', (header, size, want) => expect(parseRange(header, size)).toEqual(want));

  it('writes Content-Range', () => {
    expect(contentRange({ start: 0, end: 9 }, 100)).toBe('bytes 0-9/100');
    expect(contentRange(null, 100)).toBe('bytes */100');
  });
});

describe('linkage rules', () => {
  const T = (m: number) => new Date(Date.UTC(2026, 0, 1, 8, m));
  const windows = [
    { id: 'a1', incidentId: 'i1', assignedAt: T(0), endedAt: T(30) },
    { id: 'a2', incidentId: 'i2', assignedAt: T(40), endedAt: T(70) },
    { id: 'a3', incidentId: 'i3', assignedAt: T(200), endedAt: null },
  ];
  const ids = (from: number, to: number, margin = 5) => matchingAssignments({ from: T(from), to: T(to) }, windows, margin * 60_000, T(300)).map((w) => w.id);

  it('matches every window the recording overlaps, widened by the margin; a running one is open to now', () => {
    expect(ids(20, 45)).toEqual(['a1', 'a2']);
    expect(ids(-20, -3)).toEqual(['a1']);
    expect(ids(-20, -6)).toEqual([]);
    expect(ids(34, 36)).toEqual(['a1', 'a2']);
    expect(ids(34, 36, 0)).toEqual([]);
    expect(ids(250, 260)).toEqual(['a3']);
  });

  it('a step is covered by a recording around its time or one naming it', () => {
    const step = { id: 'e1', at: T(10) };
    expect(stepCovered(step, [{ from: T(0), to: T(5) }], 5 * 60_000)).toBe(true);
    expect(stepCovered(step, [{ from: T(0), to: T(4) }], 5 * 60_000)).toBe(false);
    expect(stepCovered(step, [{ from: T(100), to: T(110), eventId: 'e1' }], 0)).toBe(true);
  });

  it('rate = linked ÷ required, null when nothing was required', () => {
    expect(linkageFigure(4, 3, 1)).toEqual({ required: 4, linked: 3, justified: 1, missing: 0, rate: 0.75 });
    expect(linkageFigure(0, 0, 0).rate).toBeNull();
  });

  it('keeps at least 183 days, evidence and major cases for good', () => {
    const now = new Date(Date.UTC(2026, 6, 1));
    const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);
    expect(expired({ recordedTo: ago(184), hold: false }, 183, false, now)).toBe(true);
    expect(expired({ recordedTo: ago(182), hold: false }, 183, false, now)).toBe(false);
    expect(expired({ recordedTo: ago(100), hold: false }, 30, false, now)).toBe(false);
    expect(expired({ recordedTo: ago(400), hold: true }, 183, false, now)).toBe(false);
    expect(expired({ recordedTo: ago(400), hold: false }, 183, true, now)).toBe(false);
  });
});
