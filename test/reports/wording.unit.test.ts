/** The weekly report's 同比 of a duration (issue 16): judged from its histograms (z given), or the difference only (z null). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { yoyText } from '../../src/modules/reports/wording.js';

const judged = { unit: 'seconds', pct: null, z: 1.2 } as const;

describe('the report’s 同比 of a duration', () => {
  it.each([
    ['judged, not significant', { ...judged, significant: false, direction: 'same', change: 12.4 }, '无显著变化'],
    ['judged, significantly shorter', { ...judged, z: -4.1, significant: true, direction: 'down', change: -31.6 }, '较去年同期缩短 32 秒（显著）'],
    ['judged, significantly longer', { ...judged, z: 9, significant: true, direction: 'up', change: 300 }, '较去年同期延长 300 秒（显著）'],
    ['judged, nothing to compare', { ...judged, significant: false, direction: 'same', change: null }, '无可比数据'],
    ['judged in hours', { ...judged, unit: 'hours', significant: true, direction: 'down', change: -1.26 }, '较去年同期缩短 1.3 小时（显著）'],
    // A frozen snapshot of before (no test) and other modules' medians: the difference, as before.
    ['not judged', { unit: 'seconds', significant: false, direction: 'same', change: 4.07, pct: null }, '较去年同期增加 4 秒'],
    ['not judged, the same', { unit: 'seconds', significant: false, direction: 'same', change: -0.03, pct: null, z: null }, '与去年同期持平'],
    ['not judged, in days', { unit: 'days', significant: false, direction: 'same', change: -2, pct: null, z: null }, '较去年同期减少 2.0 天'],
    ['judged with an open interval (z 0)', { ...judged, z: 0, significant: false, direction: 'same', change: 40 }, '无显著变化'],
  ] as const)('%s', (_, f, text) => {
    expect(yoyText(f)).toBe(text);
  });

  it('says 无显著变化 for every judged change that is not significant, and names the direction of every one that is', () => {
    fc.assert(
      fc.property(fc.double({ min: -5_000, max: 5_000, noNaN: true }), fc.boolean(), (change, significant) => {
        const direction = !significant ? 'same' : change > 0 ? 'up' : 'down';
        const text = yoyText({ ...judged, z: significant ? Math.sign(change) * 4 : 1, significant, direction, change });
        if (!significant) expect(text).toBe('无显著变化');
        else expect(text).toBe(`较去年同期${change > 0 ? '延长' : '缩短'} ${Math.abs(change).toFixed(0)} 秒（显著）`);
      }),
    );
  });
});
