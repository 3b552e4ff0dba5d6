import { describe, expect, it } from 'vitest';
import { NOTICE_STATES, NOTICE_TRANSITIONS, PROBLEM_LABELS, PROBLEM_TYPES, answeredLate, isOverdue, nextNoticeState, noticeErrors, type NoticeAction, type NoticeState } from '../../../src/modules/cases/domain/notices.js';

const now = new Date('2026-03-10T08:00:00Z');
const D = 86_400_000;
const inDays = (n: number) => new Date(now.getTime() + n * D);

describe('supervision notice state machine', () => {
  const answer: NoticeAction = { type: 'answer', text: '已补录音录像并说明' };
  const accept: NoticeAction = { type: 'accept' };
  const back: NoticeAction = { type: 'return', comment: '说明不充分', answerDueAt: inDays(3) };
  it.each([
    ['issued', answer, 'answered'],
    ['returned', answer, 'answered'],
    ['answered', accept, 'accepted'],
    ['answered', back, 'returned'],
  ] as [NoticeState, NoticeAction, NoticeState][])('%s —%o→ %s', (from, action, to) => {
    expect(nextNoticeState(from, action, now)).toEqual({ ok: true, state: to });
  });

  it.each([
    ['issued', accept],
    ['issued', back],
    ['answered', answer],
    ['accepted', answer],
    ['accepted', accept],
    ['accepted', back],
    ['returned', accept],
  ] as [NoticeState, NoticeAction][])('%s refuses %o with a 409 on the state', (from, action) => {
    const r = nextNoticeState(from, action, now);
    expect(r).toMatchObject({ ok: false, status: 409, field: 'state' });
  });

  it('every state but accepted has a way out; accepted is final', () => {
    for (const s of NOTICE_STATES) expect(NOTICE_TRANSITIONS.some((t) => t.from === s)).toBe(s !== 'accepted');
  });

  it.each([
    [{ type: 'answer', text: '  ' }, 'text'],
    [{ type: 'return', comment: '', answerDueAt: inDays(3) }, 'comment'],
    [{ type: 'return', comment: '重做', answerDueAt: inDays(-1) }, 'answerDueAt'],
    [{ type: 'return', comment: '重做', answerDueAt: inDays(61) }, 'answerDueAt'],
  ] as [NoticeAction, string][])('a bad %o names %s (400, zh and en)', (action, field) => {
    const r = nextNoticeState(action.type === 'answer' ? 'issued' : 'answered', action, now);
    expect(r).toMatchObject({ ok: false, status: 400, field });
    if (!r.ok) {
      expect(r.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(r.en).toMatch(/[a-z]/);
    }
  });
});

describe('a new notice', () => {
  it.each([
    [[], inDays(3), 'items'],
    [[{ type: 'bribery', description: 'x' }], inDays(3), 'items.0.type'],
    [[{ type: 'documents', description: 'ok' }, { type: 'evidence', description: ' ' }], inDays(3), 'items.1.description'],
    [[{ type: 'documents', description: 'ok' }], now, 'answerDueAt'],
    [[{ type: 'documents', description: 'ok' }], new Date('nope'), 'answerDueAt'],
  ])('%o due %s → %s', (items, due, field) => {
    expect(noticeErrors({ items: items as never, answerDueAt: due }, now)?.field).toBe(field);
  });
  it('takes good items', () => {
    expect(noticeErrors({ items: [{ type: 'account_freeze', description: '冻结未附审批表' }], answerDueAt: inDays(5) }, now)).toBeNull();
  });
  it('every problem type has both labels', () => {
    for (const p of PROBLEM_TYPES) expect(PROBLEM_LABELS[p].zh && PROBLEM_LABELS[p].en).toBeTruthy();
    expect(PROBLEM_LABELS.late_filing.zh).toBe('受立案不及时');
  });
});

describe('overdue and late answers', () => {
  it.each([
    ['issued', -1, true],
    ['returned', -1, true],
    ['issued', 1, false],
    ['answered', -1, false],
    ['accepted', -5, false],
  ] as [NoticeState, number, boolean][])('%s due %i days from now: overdue %s', (state, days, overdue) => {
    expect(isOverdue({ state, answerDueAt: inDays(days) }, now)).toBe(overdue);
  });
  it('an answer at the due time is on time, a second later is late', () => {
    expect(answeredLate(now, now)).toBe(false);
    expect(answeredLate(new Date(now.getTime() + 1000), now)).toBe(true);
  });
});
