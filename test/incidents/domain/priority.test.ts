import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  normalizeZh,
  priorityOverrideNeedsReason,
  priorityRank,
  suggestCategories,
  suggestPriority,
} from '../../../src/modules/incidents/domain/priority.js';
import { leafCategories, PRIORITIES } from '../../../src/modules/incidents/domain/categories.js';

const NOISE = '02020202';
const FAMILY = '05010101';
const ASSAULT = '02030101';
const LOST = '06020101';

describe('suggestPriority', () => {
  it('starts from the category default', () => {
    expect(suggestPriority(NOISE, '楼上噪音扰民，影响休息')).toEqual({
      priority: 'P4',
      reasons: ['类别“噪音扰民”默认P4'],
      reasonCodes: [{ code: 'category_default', params: { category: NOISE, name: '噪音扰民', nameEn: 'Noise nuisance', priority: 'P4' } }],
    });
    expect(suggestPriority(FAMILY, '夫妻因家务事吵架').priority).toBe('P3');
    expect(['P3', 'P4']).toContain(suggestPriority(NOISE, '隔壁装修噪音扰民').priority);
  });

  it('持刀 → P1 with a reason', () => {
    const s = suggestPriority(FAMILY, '丈夫持刀威胁妻子');
    expect(s.priority).toBe('P1');
    expect(s.reasons).toContain('描述含“持刀”→P1');
  });

  it('traditional characters: 著火 / 有人受傷 / 搶劫 / 槍', () => {
    expect(suggestPriority(NOISE, '對面大廈著火了').priority).toBe('P1');
    expect(suggestPriority(NOISE, '對面大廈著火了').reasons).toContain('描述含“着火”→P1');
    expect(suggestPriority(LOST, '有人受傷').priority).toBe('P2');
    expect(suggestPriority(LOST, '我被人搶劫').priority).toBe('P1');
    expect(suggestPriority(LOST, '聽到槍聲').priority).toBe('P1');
    expect(normalizeZh('著火 傷 兒童 樓')).toBe('着火 伤 儿童 楼');
  });

  it('life-threatening words give P1', () => {
    for (const d of ['有人起火', '有人昏迷不醒', '被人绑架了', '有人要跳楼', '听到爆炸声', '小孩走失了', '孩子不见了', '有人落水', '家里煤气泄漏', '满身是血']) {
      expect(suggestPriority(LOST, d).priority, d).toBe('P1');
    }
  });

  it('injury, trapped, fights give P2', () => {
    for (const d of ['有人受伤', '有人被困电梯', '两个人打架', '手在流血', '地上有把刀']) expect(suggestPriority(LOST, d).priority, d).toBe('P2');
  });

  it('negated and hypothetical danger does not count', () => {
    expect(suggestPriority('03010102', '两车刮擦，没有人受伤').priority).toBe('P3');
    expect(suggestPriority('03010102', '追尾，无人受伤').priority).toBe('P3');
    expect(suggestPriority(NOISE, '放鞭炮很吵，担心引起火灾').priority).toBe('P4');
    expect(suggestPriority(NOISE, '燃放烟花，引起火警误报').priority).toBe('P4');
  });

  it('in progress raises one level, alone never above P2', () => {
    const s = suggestPriority(FAMILY, '夫妻正在吵架');
    expect(s.priority).toBe('P2');
    expect(s.reasons.some((r) => r.includes('正在'))).toBe(true);
    expect(suggestPriority(NOISE, '邻居还在唱歌').priority).toBe('P3');
    expect(suggestPriority(ASSAULT, '对方正在打人').priority).toBe('P2');
    expect(suggestPriority(FAMILY, '吵架', { inProgress: true }).priority).toBe('P2');
  });

  it('device alarms are P1; unknown categories start at P3', () => {
    expect(suggestPriority(LOST, '', { source: 'device_alarm' }).priority).toBe('P1');
    expect(suggestPriority('nope', '')).toEqual({ priority: 'P3', reasons: ['未知类别，默认P3'], reasonCodes: [{ code: 'category_unknown', params: { category: 'nope', priority: 'P3' } }] });
    expect(suggestPriority('01', '').priority).toBe('P3');
  });

  it('property: never less urgent than the leaf default', () => {
    const leaves = leafCategories();
    fc.assert(
      fc.property(fc.constantFrom(...leaves), fc.string({ maxLength: 30 }), (leaf, text) => {
        const s = suggestPriority(leaf.code, text);
        expect(priorityRank(s.priority)).toBeLessThanOrEqual(priorityRank(leaf.defaultPriority!));
        expect(s.reasons.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('priorityOverrideNeedsReason', () => {
  it('true only when the chosen priority is less urgent', () => {
    expect(priorityOverrideNeedsReason('P1', 'P2')).toBe(true);
    expect(priorityOverrideNeedsReason('P2', 'P4')).toBe(true);
    expect(priorityOverrideNeedsReason('P3', 'P3')).toBe(false);
    expect(priorityOverrideNeedsReason('P3', 'P1')).toBe(false);
    for (const a of PRIORITIES) for (const b of PRIORITIES) expect(priorityOverrideNeedsReason(a, b)).toBe(priorityRank(b) > priorityRank(a));
  });
});

describe('suggestCategories', () => {
  it('finds leaves by keyword, traditional text too, best first', () => {
    expect(suggestCategories('我的电动车被偷了')[0].code).toBe('01020204');
    expect(suggestCategories('樓上噪音好大')[0].code).toBe('02020202');
    expect(suggestCategories('')).toEqual([]);
  });
});
