/**
 * Whether a dispute may go to police mediation (治安调解), decided at entry and naming the rule that
 * refuses it. Police mediation settles minor public-order cases arising from disputes between people,
 * both parties consenting (治安管理处罚法 art. 9). The exclusions below follow 《公安机关治安调解工作
 * 规范》(公通字〔2007〕81号) art. 4: hired violence, group fights, provocation (寻衅滋事), repeat offenders,
 * a party who starts trouble again during mediation; and cases of a criminal category, which are not
 * public-order cases at all. They are a bureau's rule as data: a bureau corrects POLICE_MEDIATION_EXCLUSIONS
 * (the categories each rule covers are incident category codes or their prefixes, see
 * src/modules/incidents/domain/categories.ts).
 */

export interface PoliceMediationFacts {
  /** Incident categories of the dispute's incidents (leaf codes such as '02010101'). */
  categoryCodes: string[];
  /** 雇凶伤害他人 */
  hiredViolence?: boolean;
  /** 结伙斗殴 / 聚众斗殴 */
  gangFight?: boolean;
  /** 寻衅滋事 */
  provocation?: boolean;
  /** 多次实施违反治安管理行为 */
  repeatOffender?: boolean;
  /** 当事人在治安调解过程中又挑起事端 */
  restartedDuringMediation?: boolean;
  /** False when a party has said they do not want mediation (mediation needs both parties' consent). */
  partiesConsent?: boolean;
}

export interface PoliceMediationRefusal {
  rule: string;
  zh: string;
  en: string;
  /** Where the rule comes from. */
  basis: string;
}

export interface PoliceMediationExclusion extends PoliceMediationRefusal {
  /** The fact that triggers the rule when true. */
  fact?: Exclude<keyof PoliceMediationFacts, 'categoryCodes' | 'partiesConsent'>;
  /** Incident categories that trigger it: a code or the prefix of a branch. */
  categories?: readonly string[];
}

const SPEC = '《公安机关治安调解工作规范》第四条';

/** In order: the first rule that applies is the one named. */
export const POLICE_MEDIATION_EXCLUSIONS: readonly PoliceMediationExclusion[] = [
  {
    rule: 'hired_violence',
    fact: 'hiredViolence',
    zh: '雇凶伤害他人的，不适用治安调解',
    en: 'Police mediation is not allowed for hired violence',
    basis: `${SPEC}（一）`,
  },
  {
    rule: 'gang_fight',
    fact: 'gangFight',
    // 聚众斗殴 (治安) and 持械斗殴 (刑事)
    categories: ['02010101', '01010103'],
    zh: '结伙斗殴、聚众斗殴的，不适用治安调解',
    en: 'Police mediation is not allowed for gang or group fights',
    basis: `${SPEC}（二）`,
  },
  {
    rule: 'provocation',
    fact: 'provocation',
    categories: ['02010102'],
    zh: '寻衅滋事的，不适用治安调解',
    en: 'Police mediation is not allowed for provocation and harassment (寻衅滋事)',
    basis: `${SPEC}（三）`,
  },
  {
    rule: 'repeat_offender',
    fact: 'repeatOffender',
    zh: '多次实施违反治安管理行为的，不适用治安调解',
    en: 'Police mediation is not allowed for repeat offenders',
    basis: `${SPEC}（四）`,
  },
  {
    rule: 'restarted_during_mediation',
    fact: 'restartedDuringMediation',
    zh: '当事人在治安调解过程中又挑起事端的，不适用治安调解',
    en: 'Police mediation is not allowed when a party starts trouble again during mediation',
    basis: `${SPEC}（五）`,
  },
  {
    rule: 'criminal_case',
    categories: ['01'],
    zh: '刑事类警情不属于治安案件，不适用治安调解',
    en: 'Police mediation applies to public-order cases only, not to a criminal category',
    basis: '《治安管理处罚法》第九条（治安调解限于违反治安管理行为）',
  },
];

const NO_CONSENT: PoliceMediationRefusal = {
  rule: 'no_consent',
  zh: '当事人明确表示不愿调解的，不适用治安调解',
  en: 'Police mediation needs both parties’ consent',
  basis: '《公安机关治安调解工作规范》第三条（经双方当事人同意）',
};

/** Null when police mediation may proceed; else the first rule that refuses it. */
export function policeMediationRefusal(facts: PoliceMediationFacts, rules: readonly PoliceMediationExclusion[] = POLICE_MEDIATION_EXCLUSIONS): PoliceMediationRefusal | null {
  const codes = facts.categoryCodes ?? [];
  for (const r of rules) {
    const byFact = r.fact !== undefined && facts[r.fact] === true;
    const byCategory = r.categories?.some((c) => codes.some((code) => code.startsWith(c))) ?? false;
    if (byFact || byCategory) return { rule: r.rule, zh: r.zh, en: r.en, basis: r.basis };
  }
  return facts.partiesConsent === false ? NO_CONSENT : null;
}
