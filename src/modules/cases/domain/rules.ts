/**
 * The statutory clocks of a case, as data (PRODUCT.md "Rules that are data, not code"): a bureau corrects
 * a length, an approver or an article, or adds a clock, in this table; `ruleErrors` checks its work.
 * Each rule names the law and article it comes from. The counting itself (start not counted, months to
 * the same date, holidays, custody) is the calculator's, after 刑事诉讼法第105条.
 *
 * Texts cited: 刑事诉讼法 (2018年修正); 公安机关办理刑事案件程序规定 (2020年修正); 治安管理处罚法
 * (2012年修正 — its 2025 revision, in force 1 January 2026, renumbers these articles: a bureau updates
 * `basis` when it applies the new text); 公安机关办理行政案件程序规定 (2020年修正); 行政强制法.
 */
import { EVENT_TYPES, EXAMINATION_KINDS, type EventType, type ExaminationKind, type FieldError } from './events.js';

export type CaseKind = 'criminal' | 'administrative';
export const CASE_KINDS: readonly CaseKind[] = ['criminal', 'administrative'];

export type LengthUnit = 'hours' | 'days' | 'working_days' | 'months';
export const LENGTH_UNITS: readonly LengthUnit[] = ['hours', 'days', 'working_days', 'months'];

export interface Length {
  amount: number;
  unit: LengthUnit;
}

export interface ExtensionRule {
  id: string;
  zh: string;
  en: string;
  basis: string;
  /** Who may approve it. */
  approvedBy: string;
  /** 'add': the period grows by up to `amount` (at least `min`); 'total': the whole period becomes up to `amount`. In the rule's unit. */
  mode: 'add' | 'total';
  amount: number;
  min?: number;
  maxTimes: number;
  /** Another extension of the same rule that must have been granted first (刑诉法第158条 after 第156条). */
  after?: string;
}

/** An interval that does not count: from a `start` event to its `end` event. */
export interface StopRule {
  start: EventType;
  end: EventType;
  /** Examination kinds that stop this clock; absent: every kind. */
  kinds?: ExaminationKind[];
  basis: string;
}

export interface Rule {
  id: string;
  zh: string;
  en: string;
  caseKinds: CaseKind[];
  basis: string;
  /** The first of these events starts the clock. */
  start: EventType[];
  length: Length;
  /** A period of custody: never moved off a holiday (刑诉法第105条第四款). */
  custody: boolean;
  /** One clock per person or thing (`subject` of the start event), not one per case. */
  perSubject: boolean;
  extensions: ExtensionRule[];
  stops: StopRule[];
  doneBy: EventType[];
  /** Events that start the count again from their own time (extensions and stops before them no longer count). */
  restartBy: EventType[];
}

const COUNTY_HEAD = '县级以上公安机关负责人';
const UNIT_HEAD = '办案部门负责人';

export const CLOCK_RULES: readonly Rule[] = [
  {
    id: 'filing_review',
    zh: '立案审查',
    en: 'Review for filing a criminal case',
    caseKinds: ['criminal'],
    basis:
      '《公安部关于改革完善受案立案制度的意见》（2015年）：刑事案件立案审查期限原则上不超过3日；涉嫌犯罪线索需要查证的，不超过7日；重大疑难复杂案件，经县级以上公安机关负责人批准，可以延长至30日。立案或者不予立案：《公安机关办理刑事案件程序规定》第一百七十八条',
    start: ['accepted'],
    length: { amount: 3, unit: 'days' },
    custody: false,
    perSubject: false,
    extensions: [
      // The 意见 names no approver for the 7 days; the head of the handling unit is this table's default.
      { id: 'clue_check', zh: '线索需要查证', en: 'Clues to be checked', basis: '受案立案制度意见：涉嫌犯罪线索需要查证的，立案审查期限不超过7日', approvedBy: UNIT_HEAD, mode: 'total', amount: 7, maxTimes: 1 },
      { id: 'major_case', zh: '重大疑难复杂案件', en: 'Major, difficult or complex case', basis: '受案立案制度意见：重大疑难复杂案件，经县级以上公安机关负责人批准，立案审查期限可以延长至30日', approvedBy: COUNTY_HEAD, mode: 'total', amount: 30, maxTimes: 1 },
    ],
    stops: [],
    doneBy: ['filed', 'not_filed'],
    restartBy: [],
  },
  {
    id: 'detention_interrogation',
    zh: '拘留后讯问',
    en: 'Interrogation after detention',
    caseKinds: ['criminal'],
    basis: '《刑事诉讼法》第八十六条：公安机关对被拘留的人，应当在拘留后的二十四小时以内进行讯问',
    start: ['detention'],
    length: { amount: 24, unit: 'hours' },
    custody: true,
    perSubject: true,
    extensions: [],
    stops: [],
    doneBy: ['questioning_started', 'released'],
    restartBy: [],
  },
  {
    id: 'arrest_request',
    zh: '提请批准逮捕',
    en: 'Request for arrest approval',
    caseKinds: ['criminal'],
    basis: '《刑事诉讼法》第九十一条第一、二款：拘留后的三日以内提请人民检察院审查批准；《公安机关办理刑事案件程序规定》第一百二十九条（延长经县级以上公安机关负责人批准）',
    start: ['detention'],
    length: { amount: 3, unit: 'days' },
    custody: true,
    perSubject: true,
    extensions: [
      { id: 'special', zh: '特殊情况', en: 'Special circumstances', basis: '《刑事诉讼法》第九十一条第一款：在特殊情况下，提请审查批准的时间可以延长一日至四日', approvedBy: COUNTY_HEAD, mode: 'add', amount: 4, min: 1, maxTimes: 1 },
      { id: 'roving_repeated_gang', zh: '流窜作案、多次作案、结伙作案的重大嫌疑分子', en: 'Major suspect of roving, repeated or gang crime', basis: '《刑事诉讼法》第九十一条第二款：提请审查批准的时间可以延长至三十日', approvedBy: COUNTY_HEAD, mode: 'total', amount: 30, maxTimes: 1 },
    ],
    stops: [],
    doneBy: ['arrest_requested', 'released'],
    restartBy: [],
  },
  {
    id: 'procuratorate_review',
    zh: '检察院审查批准逮捕',
    en: 'Procuratorate’s decision on arrest',
    caseKinds: ['criminal'],
    basis: '《刑事诉讼法》第九十一条第三款：人民检察院应当自接到提请批准逮捕书后的七日以内作出批准逮捕或者不批准逮捕的决定',
    start: ['arrest_requested'],
    length: { amount: 7, unit: 'days' },
    custody: true,
    perSubject: true,
    extensions: [],
    stops: [],
    doneBy: ['arrest_approved', 'arrest_refused', 'released'],
    restartBy: [],
  },
  {
    id: 'investigation_custody',
    zh: '逮捕后侦查羁押',
    en: 'Investigation custody after arrest',
    caseKinds: ['criminal'],
    basis: '《刑事诉讼法》第一百五十六条：逮捕后的侦查羁押期限不得超过二个月；第一百六十条：发现另有重要罪行的，自发现之日起重新计算；身份不明的，自查清其身份之日起计算',
    start: ['arrest'],
    length: { amount: 2, unit: 'months' },
    custody: true,
    perSubject: true,
    extensions: [
      { id: 'complex', zh: '案情复杂、期限届满不能终结', en: 'Complex case', basis: '《刑事诉讼法》第一百五十六条：经上一级人民检察院批准延长一个月', approvedBy: '上一级人民检察院', mode: 'add', amount: 1, maxTimes: 1 },
      { id: 'major_complex', zh: '边远地区、犯罪集团、流窜作案、涉及面广的重大复杂案件', en: 'Major complex case (remote area, criminal group, roving, wide-ranging)', basis: '《刑事诉讼法》第一百五十八条：经省、自治区、直辖市人民检察院批准或者决定，可以延长二个月', approvedBy: '省级人民检察院', mode: 'add', amount: 2, maxTimes: 1, after: 'complex' },
      { id: 'ten_years', zh: '可能判处十年有期徒刑以上刑罚', en: 'Possible sentence of ten years or more', basis: '《刑事诉讼法》第一百五十九条：依照第一百五十八条延长期限届满，仍不能侦查终结的，可以再延长二个月', approvedBy: '省级人民检察院', mode: 'add', amount: 2, maxTimes: 1, after: 'major_complex' },
    ],
    stops: [{ start: 'examination_started', end: 'examination_ended', kinds: ['psychiatric'], basis: '《刑事诉讼法》第一百四十九条：对犯罪嫌疑人作精神病鉴定的期间不计入办案期限' }],
    doneBy: ['transferred_for_prosecution', 'released', 'closed'],
    restartBy: ['other_crime_found', 'identity_established'],
  },
  {
    id: 'summons',
    zh: '传唤、拘传持续时间',
    en: 'Duration of a criminal summons',
    caseKinds: ['criminal'],
    basis: '《刑事诉讼法》第一百一十九条第二款：传唤、拘传持续的时间不得超过十二小时；《公安机关办理刑事案件程序规定》第一百九十五条（需要采取拘留、逮捕措施的，经办案部门负责人批准，不得超过二十四小时）',
    start: ['summons'],
    length: { amount: 12, unit: 'hours' },
    custody: true,
    perSubject: true,
    extensions: [{ id: 'detention_needed', zh: '案情特别重大、复杂，需要采取拘留、逮捕措施', en: 'Very serious case needing detention or arrest', basis: '《刑事诉讼法》第一百一十九条第二款：不得超过二十四小时', approvedBy: UNIT_HEAD, mode: 'total', amount: 24, maxTimes: 1 }],
    stops: [],
    doneBy: ['questioning_ended', 'detention', 'released'],
    restartBy: [],
  },
  {
    id: 'questioning',
    zh: '询问查证时间',
    en: 'Questioning after an administrative summons',
    caseKinds: ['administrative'],
    basis: '《治安管理处罚法》第八十三条第一款：传唤后应当及时询问查证，询问查证的时间不得超过八小时',
    start: ['summons'],
    length: { amount: 8, unit: 'hours' },
    custody: true,
    perSubject: true,
    extensions: [{ id: 'detention_possible', zh: '情况复杂，可能适用行政拘留处罚', en: 'Complex case; administrative detention possible', basis: '《治安管理处罚法》第八十三条第一款：询问查证的时间不得超过二十四小时', approvedBy: UNIT_HEAD, mode: 'total', amount: 24, maxTimes: 1 }],
    stops: [],
    doneBy: ['questioning_ended', 'released'],
    restartBy: [],
  },
  {
    id: 'public_order_handling',
    zh: '治安案件办理期限',
    en: 'Handling a public-order case',
    caseKinds: ['administrative'],
    basis: '《治安管理处罚法》第九十九条：办理治安案件的期限，自受理之日起不得超过三十日；《公安机关办理行政案件程序规定》第一百六十五条。调解未达成协议或者达成协议后不履行的，自该日起计算（《公安机关执行〈中华人民共和国治安管理处罚法〉有关问题的解释》十二）',
    start: ['accepted'],
    length: { amount: 30, unit: 'days' },
    custody: false,
    perSubject: false,
    extensions: [{ id: 'major_complex', zh: '案情重大、复杂', en: 'Major or complex case', basis: '《治安管理处罚法》第九十九条：经上一级公安机关批准，可以延长三十日', approvedBy: '上一级公安机关', mode: 'add', amount: 30, maxTimes: 1 }],
    stops: [{ start: 'examination_started', end: 'examination_ended', basis: '《治安管理处罚法》第九十九条：为了查明案情进行鉴定的期间，不计入办理治安案件的期限' }],
    doneBy: ['closed'],
    restartBy: ['mediation_failed'],
  },
  {
    id: 'seizure',
    zh: '扣押期限',
    en: 'Seizure',
    caseKinds: ['administrative'],
    basis: '《行政强制法》第二十五条第一款：查封、扣押的期限不得超过三十日',
    start: ['seizure'],
    length: { amount: 30, unit: 'days' },
    custody: false,
    perSubject: true,
    extensions: [{ id: 'complex', zh: '情况复杂', en: 'Complex case', basis: '《行政强制法》第二十五条第一款：经行政机关负责人批准，可以延长，但是延长期限不得超过三十日', approvedBy: COUNTY_HEAD, mode: 'add', amount: 30, maxTimes: 1 }],
    stops: [{ start: 'examination_started', end: 'examination_ended', kinds: ['item', 'valuation'], basis: '《行政强制法》第二十五条第三款：查封、扣押的期间不包括检测、检验、检疫或者技术鉴定的期间' }],
    doneBy: ['seizure_released', 'closed'],
    restartBy: [],
  },
  {
    id: 'expert_opinion_notice',
    zh: '鉴定意见告知',
    en: 'Notice of an expert opinion',
    caseKinds: ['administrative'],
    basis: '《公安机关办理行政案件程序规定》第九十七条：公安机关应当自收到鉴定意见之日起五日内将鉴定意见副本送达违法嫌疑人和被侵害人',
    start: ['expert_opinion'],
    length: { amount: 5, unit: 'days' },
    custody: false,
    perSubject: true,
    extensions: [],
    stops: [],
    doneBy: ['expert_opinion_notified'],
    restartBy: [],
  },
];

const err = (field: string, zh: string, en: string): FieldError => ({ field, zh, en });
const isEvent = (t: unknown) => EVENT_TYPES.includes(t as EventType);
const isText = (v: unknown) => typeof v === 'string' && v.trim() !== '';
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
const ARTICLE = /第[一二三四五六七八九十百零〇\d]+条/;

function extensionRuleErrors(rule: Rule, ext: ExtensionRule, i: number): FieldError[] {
  const f = `extensions[${i}]`;
  const errors: FieldError[] = [];
  if (!isText(ext?.id)) errors.push(err(`${f}.id`, '延长须有 id', 'An extension needs an id'));
  if (!isText(ext?.zh) || !isText(ext?.en)) errors.push(err(`${f}.zh`, '延长须有中英文名称', 'An extension needs a Chinese and an English name'));
  if (!isText(ext?.approvedBy)) errors.push(err(`${f}.approvedBy`, '延长须写明批准机关', 'An extension names who approves it'));
  if (!isText(ext?.basis)) errors.push(err(`${f}.basis`, '延长须写明依据', 'An extension names its legal basis'));
  if (ext?.mode !== 'add' && ext?.mode !== 'total') errors.push(err(`${f}.mode`, 'mode 须为 add 或 total', 'mode must be add or total'));
  if (!isCount(ext?.amount)) errors.push(err(`${f}.amount`, '延长数额须为正整数', 'amount must be a positive whole number'));
  else if (ext.mode === 'total' && ext.amount <= rule.length?.amount) errors.push(err(`${f}.amount`, '延长后的总期限须长于原期限', 'The extended total must be longer than the period'));
  if (ext?.min !== undefined && (!isCount(ext.min) || ext.mode !== 'add' || ext.min > ext.amount)) errors.push(err(`${f}.min`, 'min 仅用于 add，且不大于 amount', 'min applies to add only and is at most amount'));
  if (!isCount(ext?.maxTimes)) errors.push(err(`${f}.maxTimes`, '最多次数须为正整数', 'maxTimes must be a positive whole number'));
  if (ext?.after !== undefined && !rule.extensions.some((x) => x !== ext && x.id === ext.after)) errors.push(err(`${f}.after`, `没有 id 为 ${String(ext.after)} 的延长`, `No extension has the id ${String(ext.after)}`));
  return errors;
}

/** What is wrong with one rule, each error naming its field; empty when sound. */
export function ruleErrors(rule: Rule): FieldError[] {
  if (!rule || typeof rule !== 'object') return [err('rule', '规则须为对象', 'A rule must be an object')];
  const errors: FieldError[] = [];
  if (typeof rule.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(rule.id)) errors.push(err('id', 'id 须为小写字母、数字和下划线', 'id is lower-case letters, digits and _'));
  if (!isText(rule.zh) || !isText(rule.en)) errors.push(err('zh', '规则须有中英文名称', 'A rule needs a Chinese and an English name'));
  if (!isText(rule.basis) || !ARTICLE.test(rule.basis)) errors.push(err('basis', '依据须写明法律及条文（第…条）', 'basis names the law and its article (第…条)'));
  if (!Array.isArray(rule.caseKinds) || rule.caseKinds.length === 0 || !rule.caseKinds.every((k) => CASE_KINDS.includes(k)))
    errors.push(err('caseKinds', `案件类别须为：${CASE_KINDS.join('、')}`, `caseKinds must be among ${CASE_KINDS.join(', ')}`));
  if (!Array.isArray(rule.start) || rule.start.length === 0 || !rule.start.every(isEvent)) errors.push(err('start', '起算事件须为已知事件类型', 'start lists known event types'));
  if (!rule.length || !LENGTH_UNITS.includes(rule.length.unit)) errors.push(err('length.unit', `期限单位须为：${LENGTH_UNITS.join('、')}`, `length.unit must be one of ${LENGTH_UNITS.join(', ')}`));
  if (!isCount(rule.length?.amount)) errors.push(err('length.amount', '期限须为正整数', 'length.amount must be a positive whole number'));
  if (typeof rule.custody !== 'boolean') errors.push(err('custody', 'custody 须为 true 或 false', 'custody must be true or false'));
  else if (rule.custody && rule.length?.unit === 'working_days') errors.push(err('custody', '羁押期限按日历计算，不按工作日', 'A custody period counts calendar time, not working days'));
  if (typeof rule.perSubject !== 'boolean') errors.push(err('perSubject', 'perSubject 须为 true 或 false', 'perSubject must be true or false'));
  if (!Array.isArray(rule.doneBy) || rule.doneBy.length === 0 || !rule.doneBy.every(isEvent)) errors.push(err('doneBy', '完成事件须为已知事件类型', 'doneBy lists known event types'));
  else if (Array.isArray(rule.start) && rule.doneBy.some((t) => rule.start.includes(t))) errors.push(err('doneBy', '同一事件不能既起算又完成', 'An event cannot both start and complete the clock'));
  if (!Array.isArray(rule.restartBy) || !rule.restartBy.every(isEvent)) errors.push(err('restartBy', '重新计算事件须为已知事件类型', 'restartBy lists known event types'));
  if (!Array.isArray(rule.extensions)) errors.push(err('extensions', 'extensions 须为列表', 'extensions must be a list'));
  else {
    rule.extensions.forEach((ext, i) => errors.push(...extensionRuleErrors(rule, ext, i)));
    const ids = rule.extensions.map((x) => x?.id);
    if (new Set(ids).size !== ids.length) errors.push(err('extensions', '延长 id 重复', 'Two extensions share an id'));
  }
  if (!Array.isArray(rule.stops)) errors.push(err('stops', 'stops 须为列表', 'stops must be a list'));
  else
    rule.stops.forEach((s, i) => {
      if (!isEvent(s?.start) || !isEvent(s?.end) || s.start === s.end) errors.push(err(`stops[${i}]`, '停止计算须有不同的开始和结束事件', 'A stop needs distinct start and end event types'));
      if (s?.kinds !== undefined && (!Array.isArray(s.kinds) || !s.kinds.every((k) => EXAMINATION_KINDS.includes(k)))) errors.push(err(`stops[${i}].kinds`, '鉴定类别未知', 'Unknown examination kind'));
      if (!isText(s?.basis)) errors.push(err(`stops[${i}].basis`, '停止计算须写明依据', 'A stop names its legal basis'));
    });
  return errors;
}

/** A whole table: every rule sound and ids unique. Fields are prefixed `rules[i].`. */
export function ruleTableErrors(rules: readonly Rule[]): FieldError[] {
  const errors = rules.flatMap((r, i) => ruleErrors(r).map((e) => ({ ...e, field: `rules[${i}].${e.field}` })));
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r?.id)) errors.push(err(`rules[${i}].id`, `规则 id 重复：${r.id}`, `Duplicate rule id: ${r.id}`));
    seen.add(r?.id);
  });
  return errors;
}
