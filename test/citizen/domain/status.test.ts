import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkTransition, FINAL_STATUSES, open311Status, REPORT_STATUSES, type ReportStatus } from '../../../src/modules/citizen/domain/status.js';

describe('report status machine', () => {
  it.each<[ReportStatus, ReportStatus, string | null, string]>([
    ['received', 'accepted', null, 'ok'],
    ['received', 'rejected', '不属于公安管辖', 'ok'],
    ['received', 'rejected', null, 'reason_required'],
    ['received', 'rejected', '   ', 'reason_required'],
    ['received', 'duplicate', '与 #12 重复', 'ok'],
    ['received', 'in_progress', null, 'not_allowed'],
    ['accepted', 'in_progress', null, 'ok'],
    ['accepted', 'resolved', '已劝离', 'ok'],
    ['accepted', 'resolved', null, 'reason_required'],
    ['in_progress', 'resolved', '已处理', 'ok'],
    ['in_progress', 'accepted', null, 'not_allowed'],
    ['resolved', 'accepted', null, 'not_allowed'],
    ['rejected', 'accepted', null, 'not_allowed'],
    ['duplicate', 'received', null, 'not_allowed'],
    ['accepted', 'accepted', null, 'same_status'],
  ])('%s → %s (reason %s): %s', (from, to, reason, want) => {
    const v = checkTransition(from, { to, reason });
    expect(v.ok ? 'ok' : v.code).toBe(want);
  });

  it('final states have no way out, and Open311 sees them closed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FINAL_STATUSES), fc.constantFrom(...REPORT_STATUSES), (from, to) => {
        expect(checkTransition(from, { to, reason: 'x' }).ok).toBe(false);
        expect(open311Status(from)).toBe('closed');
      }),
    );
    expect(open311Status('received')).toBe('open');
    expect(open311Status('in_progress')).toBe('open');
  });
});
