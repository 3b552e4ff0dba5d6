import { describe, expect, it } from 'vitest';
import { findCategory } from '../../../src/modules/incidents/domain/categories.js';
import { POLICE_MEDIATION_EXCLUSIONS, policeMediationRefusal, type PoliceMediationFacts } from '../../../src/modules/disputes/domain/police-mediation.js';

describe('police mediation (治安调解) at entry', () => {
  it.each([
    [{ categoryCodes: ['02030101'] }, null], // 殴打他人 between neighbours: may be mediated
    [{ categoryCodes: ['05010103'] }, null], // 邻里纠纷
    [{ categoryCodes: ['02030102'] }, null], // 家庭暴力, minor
    [{ categoryCodes: [] }, null],
    [{ categoryCodes: ['02030101'], hiredViolence: true }, 'hired_violence'],
    [{ categoryCodes: ['02010101'] }, 'gang_fight'], // 聚众斗殴
    [{ categoryCodes: ['01010103'] }, 'gang_fight'], // 持械斗殴
    [{ categoryCodes: ['02030101'], gangFight: true }, 'gang_fight'],
    [{ categoryCodes: ['02010102'] }, 'provocation'], // 寻衅滋事
    [{ categoryCodes: ['05010103'], provocation: true }, 'provocation'],
    [{ categoryCodes: ['02030101'], repeatOffender: true }, 'repeat_offender'],
    [{ categoryCodes: ['02030101'], restartedDuringMediation: true }, 'restarted_during_mediation'],
    [{ categoryCodes: ['01010102'] }, 'criminal_case'], // 故意伤害
    [{ categoryCodes: ['05010103', '01020101'] }, 'criminal_case'], // one of its incidents is criminal
    [{ categoryCodes: ['02030101'], partiesConsent: false }, 'no_consent'],
    [{ categoryCodes: ['02030101'], partiesConsent: true }, null],
    // The first rule in the list is the one named.
    [{ categoryCodes: ['02010102'], hiredViolence: true, repeatOffender: true }, 'hired_violence'],
  ] as [PoliceMediationFacts, string | null][])('%j → %s', (facts, rule) => {
    const r = policeMediationRefusal(facts);
    expect(r?.rule ?? null).toBe(rule);
    if (r) {
      expect(r.zh).toContain('不适用治安调解');
      expect(r.en).toMatch(/^Police mediation/);
      expect(r.basis).toMatch(/《.+》/);
    }
  });

  it('names the rule of the regulation it applies', () => {
    expect(policeMediationRefusal({ categoryCodes: ['02010102'] })).toEqual({
      rule: 'provocation',
      zh: '寻衅滋事的，不适用治安调解',
      en: 'Police mediation is not allowed for provocation and harassment (寻衅滋事)',
      basis: '《公安机关治安调解工作规范》第四条（三）',
    });
  });

  it('lists categories that exist in the incident tree, under the names it means', () => {
    const names = POLICE_MEDIATION_EXCLUSIONS.flatMap((r) => (r.categories ?? []).map((c) => [r.rule, findCategory(c)?.name]));
    expect(names).toEqual([
      ['gang_fight', '聚众斗殴'],
      ['gang_fight', '持械斗殴'],
      ['provocation', '寻衅滋事'],
      ['criminal_case', '刑事'],
    ]);
    expect(new Set(POLICE_MEDIATION_EXCLUSIONS.map((r) => r.rule)).size).toBe(POLICE_MEDIATION_EXCLUSIONS.length);
  });

  it('takes a bureau’s own list', () => {
    const own = [...POLICE_MEDIATION_EXCLUSIONS, { rule: 'drunk', categories: ['02010103'], zh: '醉酒滋事的，不适用治安调解', en: 'Police mediation is not allowed for drunk and disorderly', basis: '本局规定' }];
    expect(policeMediationRefusal({ categoryCodes: ['02010103'] })).toBeNull();
    expect(policeMediationRefusal({ categoryCodes: ['02010103'] }, own)?.rule).toBe('drunk');
  });
});
