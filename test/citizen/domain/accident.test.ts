import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACCIDENT_STATUSES,
  agreementText,
  FINAL_ACCIDENT,
  hashShareCode,
  mayTryCode,
  newShareCode,
  nextAccident,
  normalisePlate,
  normaliseShareCode,
  SHARE_CODE,
  type AccidentEvent,
  type AccidentState,
  type AccidentStatus,
} from '../../../src/modules/citizen/domain/accident.js';

const state = (status: AccidentStatus, o: Partial<AccidentState> = {}): AccidentState => ({ status, joined: status !== 'drafted', completeA: true, completeB: status !== 'drafted', confirmedA: false, confirmedB: false, ...o });
const outcome = (s: AccidentState, e: AccidentEvent) => {
  const v = nextAccident(s, e);
  return v.ok ? v.state.status : v.code;
};

describe('快处快赔 state machine', () => {
  it.each<[string, AccidentState, AccidentEvent, string]>([
    ['B joins a draft', state('drafted'), { type: 'join' }, 'joined'],
    ['nobody joins twice', state('joined'), { type: 'join' }, 'not_allowed'],
    ['no review before B joined', state('drafted'), { type: 'submit', by: 'a' }, 'not_joined'],
    ['submit once both joined', state('joined'), { type: 'submit', by: 'b' }, 'submitted'],
    ['submit needs both statements', state('joined', { completeB: false }), { type: 'submit', by: 'a' }, 'incomplete'],
    ['the officer decides a submitted one', state('submitted'), { type: 'determine', liability: 'a_main', reason: '甲方变道未让行' }, 'liability_determined'],
    ['a decision needs a reason', state('submitted'), { type: 'determine', liability: 'equal', reason: '  ' }, 'reason_required'],
    ['an unknown liability', state('submitted'), { type: 'determine', liability: 'a_half', reason: 'x' }, 'bad_liability'],
    ['no decision before submit', state('joined'), { type: 'determine', liability: 'equal', reason: 'x' }, 'not_allowed'],
    ['A confirms: still waiting for B', state('liability_determined'), { type: 'confirm', by: 'a' }, 'liability_determined'],
    ['B confirms after A: agreed', state('liability_determined', { confirmedA: true }), { type: 'confirm', by: 'b' }, 'agreed'],
    ['A cannot confirm twice', state('liability_determined', { confirmedA: true }), { type: 'confirm', by: 'a' }, 'already_confirmed'],
    ['no confirmation before the decision', state('submitted'), { type: 'confirm', by: 'a' }, 'not_allowed'],
    ['close with the insurer reference', state('agreed', { confirmedA: true, confirmedB: true }), { type: 'close', insurerRef: 'PICC-2026-001' }, 'closed'],
    ['close needs the reference', state('agreed'), { type: 'close', insurerRef: ' ' }, 'insurer_ref_required'],
    ['close only when agreed', state('liability_determined', { confirmedA: true }), { type: 'close', insurerRef: 'X' }, 'not_allowed'],
    ['injury in a draft: 110', state('drafted'), { type: 'escalate', reason: 'injury' }, 'escalated_to_110'],
    ['refusal after the decision: 110', state('liability_determined', { confirmedA: true }), { type: 'escalate', reason: 'refusal' }, 'escalated_to_110'],
    ['no escalation after agreement', state('agreed'), { type: 'escalate', reason: 'refusal' }, 'not_allowed'],
    ['the officer rejects a submitted one', state('submitted'), { type: 'reject', reason: '涉及人员受伤' }, 'rejected'],
    ['a rejection needs a reason', state('submitted'), { type: 'reject', reason: '' }, 'reason_required'],
    ['withdraw before the decision', state('submitted'), { type: 'withdraw', by: 'a' }, 'withdrawn'],
    ['no withdrawing after the decision', state('liability_determined'), { type: 'withdraw', by: 'b' }, 'not_allowed'],
  ])('%s', (_name, s, e, want) => {
    expect(outcome(s, e)).toBe(want);
  });

  const events: fc.Arbitrary<AccidentEvent> = fc.oneof(
    fc.constant<AccidentEvent>({ type: 'join' }),
    fc.constantFrom<AccidentEvent>({ type: 'submit', by: 'a' }, { type: 'submit', by: 'b' }, { type: 'confirm', by: 'a' }, { type: 'confirm', by: 'b' }, { type: 'withdraw', by: 'a' }, { type: 'withdraw', by: 'b' }),
    fc.record({ type: fc.constant('determine' as const), liability: fc.constantFrom('a_full', 'b_full', 'equal', 'a_main', 'b_main', 'none'), reason: fc.constantFrom('', '追尾', '变道') }),
    fc.record({ type: fc.constant('close' as const), insurerRef: fc.constantFrom('', 'R1') }),
    fc.record({ type: fc.constant('reject' as const), reason: fc.constantFrom('', '不适用') }),
    fc.record({ type: fc.constant('escalate' as const), reason: fc.constantFrom('injury' as const, 'refusal' as const) }),
  );

  it('property: any event sequence — agreed only with both confirmations and a joined B, finals are final, statuses known', () => {
    fc.assert(
      fc.property(fc.array(events, { maxLength: 30 }), (seq) => {
        let s: AccidentState = { status: 'drafted', joined: false, completeA: true, completeB: false, confirmedA: false, confirmedB: false };
        for (const e of seq) {
          const before = s;
          const v = nextAccident(s, e);
          if (e.type === 'join' && v.ok) s = { ...v.state, completeB: true };
          else if (v.ok) s = v.state;
          expect(ACCIDENT_STATUSES).toContain(s.status);
          if (FINAL_ACCIDENT.includes(before.status)) expect(v.ok).toBe(false);
          if (s.status === 'agreed' || s.status === 'closed') expect(s.confirmedA && s.confirmedB && s.joined).toBe(true);
          if (s.status === 'submitted') expect(s.joined).toBe(true);
          // Once agreed the online path cannot be abandoned: only close moves it.
          if (before.status === 'agreed' && v.ok) expect(s.status).toBe('closed');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('shared code and plates', () => {
  it('codes are 6 digits, hashed with the secret (not reversible from the hash alone), typed with spaces accepted', () => {
    for (let i = 0; i < 50; i++) expect(newShareCode()).toMatch(/^\d{6}$/);
    const h = hashShareCode('s1', '123456');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toBe(hashShareCode('s2', '123456'));
    expect(h).toBe(hashShareCode('s1', '123456'));
    expect(normaliseShareCode(' 123 456 ')).toBe('123456');
    expect(normaliseShareCode('12345')).toBeNull();
    expect(normaliseShareCode('12345a')).toBeNull();
  });

  it('wrong tries are limited', () => {
    expect(SHARE_CODE.ttlMs).toBe(30 * 60_000);
    expect(mayTryCode(0)).toBe(true);
    expect(mayTryCode(SHARE_CODE.wrongPerCitizen - 1)).toBe(true);
    expect(mayTryCode(SHARE_CODE.wrongPerCitizen)).toBe(false);
  });

  it.each([
    ['粤A12345', '粤A12345'],
    ['粤a 123 45', '粤A12345'],
    ['粤AD12345', '粤AD12345'],
    ['MX-12-34', 'MX1234'],
    ['AA-12-34', 'AA1234'],
    ['M-123456', 'M123456'],
    ['12345', null],
    ['hello world', null],
  ])('plate %s → %s', (input, want) => {
    expect(normalisePlate(input)).toBe(want);
  });

  it('the agreement names both plates, insurers, the liability, time, place and the officer’s number', () => {
    const text = agreementText({ id: 7, occurredAt: '2026-12-03 09:10', place: '新马路与南湾大马路交界', a: { plate: '粤A12345', insurer: '中国人保', statement: '我直行' }, b: { plate: 'MX1234', insurer: '平安保险', statement: '我变道' }, liability: 'b_main', reason: '乙方变道未让行', officerName: '王警官', officerNo: '012345', unitName: '中区派出所', determinedAt: '2026-12-03 09:30' }).join('\n');
    for (const s of ['粤A12345', 'MX1234', '中国人保', '平安保险', '甲方负次要责任，乙方负主要责任', '2026-12-03 09:10', '新马路与南湾大马路交界', '警号 012345', 'KPKC-7']) expect(text).toContain(s);
  });
});
