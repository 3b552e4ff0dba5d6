/**
 * The pure parts of the command wall and the chief's home (issue 16): the wall's stage scale (1920×1080
 * design, letterboxed on other shapes; 3840×2160 is exactly ×2), counting by key, and the home's spans
 * (the week starts on Monday; the year to date on 1 January).
 */
import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { fitScale, tally } from '../../web/src/wall/layout.js';
import { homeSpan } from '../../web/src/home/spans.js';

describe('the wall’s stage', () => {
  it('fills 1920×1080 at ×1 and 3840×2160 at ×2, letterboxes other shapes in the middle', () => {
    expect(fitScale(1920, 1080)).toEqual({ scale: 1, left: 0, top: 0 });
    expect(fitScale(3840, 2160)).toEqual({ scale: 2, left: 0, top: 0 });
    // An ultra-wide screen: the height decides, the stage sits in the middle.
    expect(fitScale(2560, 1080)).toEqual({ scale: 1, left: 320, top: 0 });
    // 16:10: the width decides.
    const r = fitScale(1920, 1200);
    expect(r.scale).toBe(1);
    expect(r.top).toBe(60);
  });

  it('counts keys, largest first, ties by key', () => {
    expect(tally(['b', 'a', 'b', 'c', 'a', 'b'])).toEqual([
      { key: 'b', n: 3 },
      { key: 'a', n: 2 },
      { key: 'c', n: 1 },
    ]);
    expect(tally([])).toEqual([]);
  });
});

describe('the chief’s home spans', () => {
  it('today, this week from Monday, the year from 1 January', () => {
    const wed = dayjs('2026-12-02T10:00:00');
    expect(homeSpan('today', wed)).toEqual({ from: '2026-12-02', to: '2026-12-02' });
    expect(homeSpan('week', wed)).toEqual({ from: '2026-11-30', to: '2026-12-02' });
    expect(homeSpan('ytd', wed)).toEqual({ from: '2026-01-01', to: '2026-12-02' });
    // A Sunday belongs to the week that began six days before; a Monday starts its own.
    expect(homeSpan('week', dayjs('2026-12-06T23:00:00'))).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(homeSpan('week', dayjs('2026-11-30T00:30:00'))).toEqual({ from: '2026-11-30', to: '2026-11-30' });
  });
});
