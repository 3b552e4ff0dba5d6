/**
 * The register's refusals, each in both languages with the field at fault when there is one: the
 * rules of this module are many and specific (a referral's state, police mediation's exclusions, an
 * agreement that both sides sign), so a refusal carries its own sentence instead of a catalogue code
 * per rule. `code` stays machine-readable for clients.
 */
import { AppError } from '../../core/errors.js';

export const DISPUTE_MESSAGES = {
  dispute_rule: { zh: '{zh}', en: '{en}' },
  dispute_invalid: { zh: '字段 {field}：{zh}', en: 'Field {field}: {en}' },
} as const;

/** A rule of the register refuses the request (409 by default: the request is well-formed, the state forbids it). */
export function refuse(zh: string, en: string, status = 409, rule = 'dispute_rule'): AppError {
  return new AppError(status, 'dispute_rule', { zh, en, rule });
}

/** A field's value is wrong for this dispute (400, naming the field). */
export function invalidField(field: string, zh: string, en: string): AppError {
  return new AppError(400, 'dispute_invalid', { field, zh, en }, field);
}
