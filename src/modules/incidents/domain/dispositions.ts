/**
 * Disposition codes (处警结果), in the spirit of the GA/T 2000 public-security information codes: how an
 * incident ended. Recorded when an incident is closed; `D08` is set by the merge itself.
 *
 * `valid` says whether the incident counts as a valid incident (有效警情) in the KPIs: invalid calls and
 * duplicates do not.
 */

export const DISPOSITIONS = [
  { code: 'D01', name: '已立刑事案件', nameEn: 'Criminal case opened', kind: 'case', valid: true },
  { code: 'D02', name: '已立行政案件', nameEn: 'Administrative case opened', kind: 'case', valid: true },
  { code: 'D03', name: '调解处理', nameEn: 'Resolved by mediation', kind: 'resolved', valid: true },
  { code: 'D04', name: '当场处理', nameEn: 'Handled on the spot', kind: 'resolved', valid: true },
  { code: 'D05', name: '救助服务', nameEn: 'Assistance given', kind: 'service', valid: true },
  { code: 'D06', name: '移交其他部门', nameEn: 'Handed over to another agency', kind: 'transfer', valid: true },
  { code: 'D07', name: '无效警情', nameEn: 'Invalid call', kind: 'invalid', valid: false },
  { code: 'D08', name: '重复警情（合并）', nameEn: 'Duplicate (merged)', kind: 'duplicate', valid: false },
  { code: 'D09', name: '到场未发现警情', nameEn: 'Nothing found on arrival', kind: 'resolved', valid: true },
  { code: 'D99', name: '其他', nameEn: 'Other', kind: 'other', valid: true },
] as const;

export type Disposition = (typeof DISPOSITIONS)[number];
export type DispositionCode = Disposition['code'];
export type DispositionKind = Disposition['kind'];

export const DISPOSITION_CODES: readonly DispositionCode[] = DISPOSITIONS.map((d) => d.code);

/**
 * Dispositions that close an incident straight from `new`, without dispatch: 当场处理 (handled on the
 * phone: advice, information) and 无效警情.
 */
export const QUICK_CLOSE_DISPOSITIONS: readonly DispositionCode[] = ['D04', 'D07'];

/** Set by merging, not chosen when closing. */
export const MERGE_DISPOSITION: DispositionCode = 'D08';

const BY_CODE = new Map<string, Disposition>(DISPOSITIONS.map((d) => [d.code, d]));

export function isDispositionCode(x: unknown): x is DispositionCode {
  return typeof x === 'string' && BY_CODE.has(x);
}

export function findDisposition(code: string): Disposition | undefined {
  return BY_CODE.get(code);
}

/** Whether a closed incident with this disposition counts as a valid incident (有效警情). */
export function isValidIncidentDisposition(code: string): boolean {
  return BY_CODE.get(code)?.valid === true;
}
