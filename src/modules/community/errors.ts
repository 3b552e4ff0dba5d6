/** Community policing's refusals, in both languages, naming the field at fault. */
import { AppError } from '../../core/errors.js';

export const COMMUNITY_MESSAGES = {
  community_rule: { zh: '{zh}', en: '{en}' },
  community_invalid: { zh: '字段 {field}：{zh}', en: 'Field {field}: {en}' },
} as const;

/** A field's value is wrong (400, naming the field). */
export function invalidField(field: string, zh: string, en: string): AppError {
  return new AppError(400, 'community_invalid', { field, zh, en }, field);
}

/** The request is well-formed but a rule refuses it (409 unless told). */
export function refuse(zh: string, en: string, status = 409): AppError {
  return new AppError(status, 'community_rule', { zh, en });
}
