/**
 * "Not a police matter, transferred" straight from intake (issue 11 #8): the call is recorded — the
 * caller's words, the caller, the place, its audit row, its event and its Idempotency-Key in the one
 * statement of every create (store.ts) — already `transferred`, with its transfer to 12345/119/120/122
 * written in the same statement. It never waits in the dispatcher's queue (status `new`).
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import { TRANSFER_TARGETS, type TransferTarget } from './domain/categories.js';

/** The family of non-police matters (08 群众求助转办): what may be transferred from intake. */
export const NON_POLICE_FAMILY = '08';

export { TRANSFER_TARGETS, type TransferTarget };

/** What the create request asks: where to, why, and the receiver's reference when known. */
export interface IntakeTransferInput {
  target: TransferTarget;
  reason: string;
  externalRef?: string;
}

/** The transfer row written with the incident (store.ts, `transferred` CTE). */
export interface TransferDraft {
  id: string;
  target: TransferTarget;
  reason: string;
  externalRef: string | null;
  dueAt: Date;
}

/**
 * The transfer of a create, checked: only a non-police category (family 08) is transferred from
 * intake, and the reason is required. `dueHours`: how long the receiver has to answer.
 */
export function intakeTransferDraft(input: IntakeTransferInput, categoryCode: string, family: string, now: Date, dueHours: number): TransferDraft {
  if (family !== NON_POLICE_FAMILY) throw new AppError(400, 'not_police_matter_required', { code: categoryCode }, 'categoryCode');
  const reason = input.reason.trim();
  if (!reason) throw new AppError(400, 'reason_required', { field: 'transfer.reason' }, 'transfer.reason');
  return { id: randomUUID(), target: input.target, reason, externalRef: input.externalRef?.trim() || null, dueAt: new Date(now.getTime() + dueHours * 3_600_000) };
}
