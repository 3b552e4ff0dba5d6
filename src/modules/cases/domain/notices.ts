/**
 * Supervision notices (执法监督通知书, issue 14 part 5): a legal supervisor names the problems found in a
 * case (typed, from PROBLEM_TYPES) and a due date for the answer; the case's station answers with what it
 * rectified; the supervisor verifies — accepted, or returned for rework with a new due date.
 *
 *   issued ─answer→ answered ─accept→ accepted
 *   returned ─answer→ answered ─return→ returned
 *
 * Pure: the transitions are data (NOTICE_TRANSITIONS, the web draws its forms from them), `nextNoticeState`
 * says what an action leads to or why it is refused (zh and en, naming the field).
 */

export interface Label {
  zh: string;
  en: string;
}

/** The problem types the sources count (问题类型), as the statistics group them. */
export const PROBLEM_TYPES = ['late_filing', 'overdue_custody', 'account_freeze', 'no_recording', 'documents', 'evidence', 'property', 'rights_notice', 'other'] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

export const PROBLEM_LABELS: Record<ProblemType, Label> = {
  late_filing: { zh: '受立案不及时', en: 'Late acceptance or filing' },
  overdue_custody: { zh: '超期羁押', en: 'Custody past its limit' },
  account_freeze: { zh: '冻结账户不规范', en: 'Irregular account freeze' },
  no_recording: { zh: '未全程录音录像', en: 'Not recorded throughout' },
  documents: { zh: '文书不规范', en: 'Irregular legal documents' },
  evidence: { zh: '证据收集不规范', en: 'Irregular evidence collection' },
  property: { zh: '涉案财物管理不规范', en: 'Irregular handling of seized property' },
  rights_notice: { zh: '未依法告知权利', en: 'Rights not notified' },
  other: { zh: '其他', en: 'Other' },
};

export const NOTICE_STATES = ['issued', 'answered', 'returned', 'accepted'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

export const NOTICE_STATE_LABELS: Record<NoticeState, Label> = {
  issued: { zh: '待整改回复', en: 'Awaiting answer' },
  answered: { zh: '已回复待核查', en: 'Answered, to verify' },
  returned: { zh: '退回重新整改', en: 'Returned for rework' },
  accepted: { zh: '整改合格', en: 'Accepted' },
};

/** States in which the station owes an answer (and the answer's due date runs). */
export const AWAITING_ANSWER: readonly NoticeState[] = ['issued', 'returned'];

export type NoticeActionType = 'answer' | 'accept' | 'return';
export type NoticeAction = { type: 'answer'; text: string } | { type: 'accept'; comment?: string } | { type: 'return'; comment: string; answerDueAt: Date };

export const NOTICE_TRANSITIONS: readonly { from: NoticeState; action: NoticeActionType; to: NoticeState }[] = [
  { from: 'issued', action: 'answer', to: 'answered' },
  { from: 'returned', action: 'answer', to: 'answered' },
  { from: 'answered', action: 'accept', to: 'accepted' },
  { from: 'answered', action: 'return', to: 'returned' },
];

/** Who may take each action: the station answers, the supervisor verifies. */
export const NOTICE_ACTORS: Record<NoticeActionType, 'station' | 'supervisor'> = { answer: 'station', accept: 'supervisor', return: 'supervisor' };

export interface ProblemItem {
  type: ProblemType;
  description: string;
}

export type FieldError = { field: string; zh: string; en: string };
export type NoticeStep = { ok: true; state: NoticeState } | ({ ok: false; status: 400 | 409 } & FieldError);

const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';
const DAY = 86_400_000;

/** The longest a station may be given to answer (a notice is about a case being worked now). */
export const MAX_ANSWER_DAYS = 60;

/** A new notice's items and due date, checked before anything is stored. */
export function noticeErrors(input: { items: readonly ProblemItem[]; answerDueAt: Date }, now: Date): FieldError | null {
  if (input.items.length === 0) return { field: 'items', zh: '至少列出一个问题', en: 'name at least one problem' };
  for (const [i, item] of input.items.entries()) {
    if (!(PROBLEM_TYPES as readonly string[]).includes(item.type)) return { field: `items.${i}.type`, zh: '没有这种问题类型', en: 'no such problem type' };
    if (blank(item.description)) return { field: `items.${i}.description`, zh: '请写明问题', en: 'describe the problem' };
  }
  return dueErrors(input.answerDueAt, now);
}

function dueErrors(due: Date, now: Date): FieldError | null {
  if (Number.isNaN(due.getTime())) return { field: 'answerDueAt', zh: '回复期限不是有效时间', en: 'answerDueAt is not a valid time' };
  if (due.getTime() <= now.getTime()) return { field: 'answerDueAt', zh: '回复期限须晚于现在', en: 'answerDueAt must be in the future' };
  if (due.getTime() > now.getTime() + MAX_ANSWER_DAYS * DAY) return { field: 'answerDueAt', zh: `回复期限不超过 ${MAX_ANSWER_DAYS} 天`, en: `answerDueAt is at most ${MAX_ANSWER_DAYS} days away` };
  return null;
}

/** The state after `action`, or why not: a wrong state is a 409, a missing field a 400 naming it. */
export function nextNoticeState(state: NoticeState, action: NoticeAction, now: Date): NoticeStep {
  const t = NOTICE_TRANSITIONS.find((x) => x.from === state && x.action === action.type);
  if (!t) {
    const zh = `通知书处于「${NOTICE_STATE_LABELS[state].zh}」，不能${action.type === 'answer' ? '回复' : '核查'}`;
    const en = `the notice is ${NOTICE_STATE_LABELS[state].en.toLowerCase()}: it cannot be ${action.type === 'answer' ? 'answered' : 'verified'} now`;
    return { ok: false, status: 409, field: 'state', zh, en };
  }
  if (action.type === 'answer' && blank(action.text)) return { ok: false, status: 400, field: 'text', zh: '请写明整改情况', en: 'say what was rectified' };
  if (action.type === 'return') {
    if (blank(action.comment)) return { ok: false, status: 400, field: 'comment', zh: '退回须写明理由', en: 'a return needs its reason' };
    const due = dueErrors(action.answerDueAt, now);
    if (due) return { ok: false, status: 400, ...due };
  }
  return { ok: true, state: t.to };
}

/** Overdue for its answer: the station still owes one and the due date has passed. */
export function isOverdue(n: { state: NoticeState; answerDueAt: Date }, now: Date): boolean {
  return AWAITING_ANSWER.includes(n.state) && n.answerDueAt.getTime() < now.getTime();
}

/** An answer given after the due date in force makes the notice late for good (the figures count it). */
export function answeredLate(answeredAt: Date, answerDueAt: Date): boolean {
  return answeredAt.getTime() > answerDueAt.getTime();
}
