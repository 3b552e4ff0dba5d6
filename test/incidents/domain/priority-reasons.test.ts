/** Issue 11 item 22: the priority suggestion's reasons are codes with parameters, so the web can show them in English. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DANGER_RULE_KEYS, priorityReasonZh, suggestPriority } from '../../../src/modules/incidents/domain/priority.js';
import { leafCategories } from '../../../src/modules/incidents/domain/categories.js';

const NOISE = '02020202';
const FAMILY = '05010101';
const LOST = '06020101';

describe('priority reasons as codes', () => {
  it('a danger word: the rule key, its Chinese label and the priority it gives', () => {
    const s = suggestPriority(FAMILY, '丈夫持刀威胁妻子');
    expect(s.reasonCodes).toEqual([
      { code: 'category_default', params: { category: FAMILY, name: '家庭纠纷', nameEn: 'Family dispute', priority: 'P3' } },
      { code: 'keyword', params: { rule: 'knife_held', word: '持刀', priority: 'P1' } },
    ]);
    expect(s.reasons).toEqual(['类别“家庭纠纷”默认P3', '描述含“持刀”→P1']);
  });

  it('traditional text gives the same rule', () => {
    expect(suggestPriority(NOISE, '對面大廈著火了').reasonCodes[1]).toEqual({ code: 'keyword', params: { rule: 'fire', word: '着火', priority: 'P1' } });
  });

  it('in progress: the word found, or null when the caller said so', () => {
    expect(suggestPriority(FAMILY, '夫妻正在吵架').reasonCodes[1]).toEqual({ code: 'in_progress', params: { word: '正在', priority: 'P2' } });
    const s = suggestPriority(FAMILY, '吵架', { inProgress: true });
    expect(s.reasonCodes[1]).toEqual({ code: 'in_progress', params: { word: null, priority: 'P2' } });
    expect(s.reasons[1]).toBe('正在发生→P2');
  });

  it('device alarm and a category that is not a leaf', () => {
    expect(suggestPriority(LOST, '', { source: 'device_alarm' }).reasonCodes[1]).toEqual({ code: 'device_alarm', params: { priority: 'P1' } });
    expect(suggestPriority('01', '').reasonCodes).toEqual([{ code: 'category_not_leaf', params: { category: '01', name: '刑事', nameEn: 'Criminal', priority: 'P3' } }]);
    expect(suggestPriority('01', '').reasons).toEqual(['类别“刑事”不是末级类别，默认P3']);
  });

  it('the stored category (an administrator may rename it) names the reason in both languages', () => {
    const s = suggestPriority(NOISE, 'x', { category: { name: '噪音扰民（夜间）', nameEn: 'Noise at night', leaf: true, defaultPriority: 'P2' } });
    expect(s.reasonCodes).toEqual([{ code: 'category_default', params: { category: NOISE, name: '噪音扰民（夜间）', nameEn: 'Noise at night', priority: 'P2' } }]);
  });

  it('property: the Chinese reasons are the codes rendered, one for one; every rule key is known', () => {
    fc.assert(
      fc.property(fc.constantFrom(...leafCategories()), fc.constantFrom('', '持刀', '正在打架', '有人受伤流血', '孩子不见了', '老人找不到了', '醉驾'), fc.boolean(), (leaf, text, alarm) => {
        const s = suggestPriority(leaf.code, text, { source: alarm ? 'device_alarm' : undefined });
        expect(s.reasons).toEqual(s.reasonCodes.map(priorityReasonZh));
        for (const r of s.reasonCodes) {
          if (r.code === 'keyword') expect(DANGER_RULE_KEYS).toContain(r.params.rule);
          expect(JSON.stringify(r.params)).toContain(`"priority":"P`);
        }
      }),
      { numRuns: 200 },
    );
  });
});
