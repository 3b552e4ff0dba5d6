/**
 * The video inspection log (视频巡查, issue 14): a supervisor watches a recording and records it in order
 * or with a problem. Problems are typed like the supervision notices' so the statistics group them
 * together. Pure: what a record must hold, the refusal naming its field (zh and en).
 */
import { PROBLEM_TYPES, type ProblemType } from '../../cases/index.js';

export { PROBLEM_TYPES, type ProblemType };

export const INSPECTION_RESULTS = ['ok', 'problem'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export interface InspectionInput {
  result: InspectionResult;
  problemType?: ProblemType;
  note?: string;
}

export interface FieldRefusal {
  field: string;
  zh: string;
  en: string;
}

/** null when the record is complete; a problem names its type, a record in order has none. */
export function inspectionRefusal(i: InspectionInput): FieldRefusal | null {
  if (i.result === 'problem' && !i.problemType) return { field: 'problemType', zh: '发现问题时须选择问题类型', en: 'a problem needs its problem type' };
  if (i.result === 'ok' && i.problemType) return { field: 'problemType', zh: '检查无问题时不填问题类型', en: 'a recording in order has no problem type' };
  return null;
}
