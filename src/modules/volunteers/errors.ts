/** The module's refusals, each in both languages and naming the field at fault when there is one. */
import { AppError } from '../../core/errors.js';

export const VOLUNTEER_MESSAGES = {
  volunteer_rule: { zh: '{zh}', en: '{en}' },
  volunteer_invalid: { zh: '字段 {field}：{zh}', en: 'Field {field}: {en}' },
} as const;

/** A rule refuses the request (409 by default: well-formed, but the state forbids it). */
export function refuse(zh: string, en: string, status = 409): AppError {
  return new AppError(status, 'volunteer_rule', { zh, en });
}

/** A field's value is wrong (400 by default, naming the field). */
export function invalidField(field: string, zh: string, en: string, status = 400): AppError {
  return new AppError(status, 'volunteer_invalid', { field, zh, en }, field);
}
