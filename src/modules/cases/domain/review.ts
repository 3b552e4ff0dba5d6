/**
 * Case review (一案一评, issue 14 part 5): a closed case is scored on a checklist. The checklist is data
 * (a bureau corrects a weight or adds an item without code); each item is met, partly met, not met, or
 * not applicable (left out of the denominator). Score = Σ weight × factor ÷ Σ applicable weight × 100,
 * rounded to one decimal. Pure, with table tests.
 */
import type { Label, FieldError, ProblemType } from './notices.js';

export interface ChecklistItem {
  id: string;
  zh: string;
  en: string;
  weight: number;
  /** The problem type an unmet item counts as in the figures. */
  problem: ProblemType;
}

export const REVIEW_CHECKLIST: readonly ChecklistItem[] = [
  { id: 'filing', zh: '受案、立案及时规范', en: 'Case accepted and filed on time and properly', weight: 15, problem: 'late_filing' },
  { id: 'custody', zh: '强制措施合法，羁押不超期', en: 'Coercive measures lawful, no custody past its limit', weight: 20, problem: 'overdue_custody' },
  { id: 'evidence', zh: '证据收集全面、合法', en: 'Evidence collected fully and lawfully', weight: 20, problem: 'evidence' },
  { id: 'recording', zh: '执法全程录音录像并关联', en: 'Enforcement recorded throughout and linked', weight: 10, problem: 'no_recording' },
  { id: 'property', zh: '涉案财物（扣押、冻结）处置规范', en: 'Seized or frozen property handled properly', weight: 10, problem: 'property' },
  { id: 'documents', zh: '法律文书齐全、规范', en: 'Legal documents complete and proper', weight: 15, problem: 'documents' },
  { id: 'rights', zh: '依法告知当事人权利', en: 'Parties told their rights', weight: 10, problem: 'rights_notice' },
];

export const ITEM_RESULTS = ['met', 'partial', 'unmet', 'na'] as const;
export type ItemResult = (typeof ITEM_RESULTS)[number];

export const ITEM_RESULT_LABELS: Record<ItemResult, Label> = {
  met: { zh: '符合', en: 'Met' },
  partial: { zh: '部分符合', en: 'Partly met' },
  unmet: { zh: '不符合', en: 'Not met' },
  na: { zh: '不适用', en: 'Not applicable' },
};

const FACTOR: Record<Exclude<ItemResult, 'na'>, number> = { met: 1, partial: 0.5, unmet: 0 };

export const GRADES = ['excellent', 'good', 'pass', 'fail'] as const;
export type Grade = (typeof GRADES)[number];

export const GRADE_LABELS: Record<Grade, Label> = {
  excellent: { zh: '优秀', en: 'Excellent' },
  good: { zh: '良好', en: 'Good' },
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
};

/** Lowest score of each grade, best first. */
export const GRADE_FLOORS: readonly [Grade, number][] = [
  ['excellent', 90],
  ['good', 80],
  ['pass', 60],
  ['fail', 0],
];

export interface ItemScore {
  id: string;
  result: ItemResult;
  note?: string;
}

export function gradeOf(score: number): Grade {
  return GRADE_FLOORS.find(([, floor]) => score >= floor)![0];
}

/** Every checklist item once, each with a known result; a partly or not met item says why. */
export function reviewErrors(items: readonly ItemScore[], checklist: readonly ChecklistItem[] = REVIEW_CHECKLIST): FieldError | null {
  const seen = new Set<string>();
  for (const [i, it] of items.entries()) {
    if (!checklist.some((c) => c.id === it.id)) return { field: `items.${i}.id`, zh: '评查表中没有这一项', en: 'no such checklist item' };
    if (seen.has(it.id)) return { field: `items.${i}.id`, zh: '同一项只能评一次', en: 'an item is scored once' };
    seen.add(it.id);
    if (!(ITEM_RESULTS as readonly string[]).includes(it.result)) return { field: `items.${i}.result`, zh: '没有这种评查结果', en: 'no such result' };
    if ((it.result === 'partial' || it.result === 'unmet') && !it.note?.trim()) return { field: `items.${i}.note`, zh: '不符合或部分符合须写明问题', en: 'say what was wrong' };
  }
  const missing = checklist.find((c) => !seen.has(c.id));
  if (missing) return { field: 'items', zh: `缺少评查项「${missing.zh}」`, en: `the item "${missing.en}" is missing` };
  if (items.every((it) => it.result === 'na')) return { field: 'items', zh: '至少一项须适用', en: 'at least one item must apply' };
  return null;
}

/** The score out of 100 (one decimal) and its grade; not-applicable items leave the denominator. */
export function scoreReview(items: readonly ItemScore[], checklist: readonly ChecklistItem[] = REVIEW_CHECKLIST): { score: number; grade: Grade } {
  let got = 0;
  let out = 0;
  for (const it of items) {
    if (it.result === 'na') continue;
    const w = checklist.find((c) => c.id === it.id)?.weight ?? 0;
    got += w * FACTOR[it.result];
    out += w;
  }
  const score = out === 0 ? 0 : Math.round((got / out) * 1000) / 10;
  return { score, grade: gradeOf(score) };
}

/** The problem types a review found (its partly or not met items), for the figures. */
export function reviewProblems(items: readonly ItemScore[], checklist: readonly ChecklistItem[] = REVIEW_CHECKLIST): ProblemType[] {
  return items.filter((it) => it.result === 'unmet' || it.result === 'partial').map((it) => checklist.find((c) => c.id === it.id)!.problem);
}
