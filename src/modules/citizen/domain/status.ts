/**
 * A citizen report's status and what may follow what (the history the citizen sees):
 *
 *   received → accepted → in_progress → resolved
 *        ↘ rejected        ↘ resolved
 *        ↘ duplicate (joins an open original)
 *   accepted / in_progress → duplicate | rejected (found later)
 *
 * Resolved, rejected and duplicate are final. Rejected and duplicate need a reason the citizen reads;
 * resolved needs an outcome. Pure; table tests in test/citizen/domain/status.test.ts.
 */
export const REPORT_STATUSES = ['received', 'accepted', 'in_progress', 'resolved', 'rejected', 'duplicate'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const OPEN_STATUSES: readonly ReportStatus[] = ['received', 'accepted', 'in_progress'];
export const FINAL_STATUSES: readonly ReportStatus[] = ['resolved', 'rejected', 'duplicate'];

const NEXT: Record<ReportStatus, readonly ReportStatus[]> = {
  received: ['accepted', 'rejected', 'duplicate', 'resolved'],
  accepted: ['in_progress', 'resolved', 'rejected', 'duplicate'],
  in_progress: ['resolved', 'rejected', 'duplicate'],
  resolved: [],
  rejected: [],
  duplicate: [],
};

export const STATUS_LABELS: Record<ReportStatus, { zh: string; en: string }> = {
  received: { zh: '已收到', en: 'Received' },
  accepted: { zh: '已受理', en: 'Accepted' },
  in_progress: { zh: '处理中', en: 'In progress' },
  resolved: { zh: '已办结', en: 'Resolved' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  duplicate: { zh: '重复上报（已并入）', en: 'Duplicate (merged)' },
};

export interface TransitionInput {
  to: ReportStatus;
  reason?: string | null;
}

export type TransitionVerdict = { ok: true } | { ok: false; code: 'not_allowed' | 'reason_required' | 'same_status'; field?: string };

/** Whether a report in `from` may move to `to` with what was given. */
export function checkTransition(from: ReportStatus, input: TransitionInput): TransitionVerdict {
  if (from === input.to) return { ok: false, code: 'same_status', field: 'status' };
  if (!NEXT[from].includes(input.to)) return { ok: false, code: 'not_allowed', field: 'status' };
  const needsReason = input.to === 'rejected' || input.to === 'resolved' || input.to === 'duplicate';
  if (needsReason && !input.reason?.trim()) return { ok: false, code: 'reason_required', field: input.to === 'resolved' ? 'outcome' : 'reason' };
  return { ok: true };
}

export function isOpen(s: ReportStatus): boolean {
  return OPEN_STATUSES.includes(s);
}

/** Open311 knows two states: open and closed. */
export function open311Status(s: ReportStatus): 'open' | 'closed' {
  return isOpen(s) ? 'open' : 'closed';
}
