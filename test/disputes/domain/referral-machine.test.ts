import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CLOSE_OUTCOMES_FROM,
  REFERRAL_ACTIONS,
  REFERRAL_STATES,
  allowedReferralActions,
  disputeStatusFrom,
  mayActOnReferral,
  nextReferralState,
  type ReferralAction,
  type ReferralActionType,
  type ReferralState,
} from '../../../src/modules/disputes/domain/referral-machine.js';
import { OUTCOMES } from '../../../src/modules/disputes/domain/vocabulary.js';

/** A well-formed action of each type (the close outcome fits the state it closes from). */
function valid(type: ReferralActionType, from: ReferralState): ReferralAction {
  switch (type) {
    case 'accept':
    case 'start_session':
      return { type };
    case 'decline':
    case 'fail':
    case 'cancel':
      return { type, reason: '当事人不在本辖区' };
    case 'mediated':
      return { type, hasAgreement: true };
    case 'close':
      return { type, outcome: from === 'failed' ? 'no_agreement' : 'agreement' };
    case 'reassign':
      return { type, reason: '改派司法所', agencyId: 'A2' };
  }
}

// Rows: state; columns: accept, decline, start_session, mediated, fail, close, cancel, reassign. '-' = refused.
const MATRIX: Record<ReferralState, string> = {
  pending: '      accepted  declined  -             -         -       -       cancelled  pending',
  accepted: '     -         -         in_mediation  -         -       -       cancelled  -',
  declined: '     -         -         -             -         -       -       -          pending',
  in_mediation: ' -         -         in_mediation  mediated  failed  -       cancelled  -',
  mediated: '     -         -         -             -         -       closed  -          -',
  failed: '       -         -         -             -         -       closed  -          -',
  closed: '       -         -         -             -         -       -       -          -',
  cancelled: '    -         -         -             -         -       -       -          -',
};

describe('the referral state machine, every state × action', () => {
  const cases = REFERRAL_STATES.flatMap((state) => {
    const row = MATRIX[state].trim().split(/\s+/);
    return REFERRAL_ACTIONS.map((action, i) => [state, action, row[i]] as const);
  });
  it('covers all 64 pairs', () => expect(cases).toHaveLength(64));

  it.each(cases)('%s + %s → %s', (state, action, expected) => {
    const r = nextReferralState(state, valid(action, state));
    if (expected === '-') {
      expect(r).toMatchObject({ ok: false, code: 'referral_transition_not_allowed' });
      if (!r.ok) expect(r.zh.length * r.en.length).toBeGreaterThan(0);
    } else {
      expect(r).toEqual({ ok: true, state: expected });
    }
  });
});

describe('what each action must carry', () => {
  it.each([
    ['pending', { type: 'decline', reason: '' }, 'reason_required'],
    ['pending', { type: 'decline', reason: '   ' }, 'reason_required'],
    ['in_mediation', { type: 'fail', reason: '' }, 'reason_required'],
    ['accepted', { type: 'cancel', reason: '\n' }, 'reason_required'],
    ['in_mediation', { type: 'mediated', hasAgreement: false }, 'agreement_required'],
    ['mediated', { type: 'close', outcome: '' }, 'outcome_required'],
    ['mediated', { type: 'close', outcome: 'settled' }, 'outcome_unknown'],
    ['mediated', { type: 'close', outcome: 'no_agreement' }, 'outcome_not_allowed'],
    ['failed', { type: 'close', outcome: 'agreement' }, 'outcome_not_allowed'],
    ['failed', { type: 'close', outcome: 'agreement_performed' }, 'outcome_not_allowed'],
  ] as [ReferralState, ReferralAction, string][])('%s + %j is refused: %s', (state, action, code) => {
    const r = nextReferralState(state, action);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe(code);
      // The answer names the field it is about.
      const field = code.split('_')[0];
      expect(r.en).toContain(field);
      expect(r.zh).toContain(field);
    }
  });

  it('closes with every outcome that fits how the mediation ended', () => {
    for (const [from, outcomes] of Object.entries(CLOSE_OUTCOMES_FROM)) {
      for (const outcome of outcomes!) expect(nextReferralState(from as ReferralState, { type: 'close', outcome })).toEqual({ ok: true, state: 'closed' });
    }
    expect(nextReferralState('failed', { type: 'close', outcome: 'litigation' })).toEqual({ ok: true, state: 'closed' });
  });

  it('reassigns without a reason', () => {
    expect(nextReferralState('declined', { type: 'reassign' })).toEqual({ ok: true, state: 'pending' });
  });
});

describe('properties of any sequence of actions', () => {
  const text = fc.constantFrom('', ' ', '\t', '双方情绪激动', 'x');
  const action: fc.Arbitrary<ReferralAction> = fc.oneof(
    fc.constant({ type: 'accept' as const }),
    text.map((reason) => ({ type: 'decline' as const, reason })),
    fc.constant({ type: 'start_session' as const }),
    fc.boolean().map((hasAgreement) => ({ type: 'mediated' as const, hasAgreement })),
    text.map((reason) => ({ type: 'fail' as const, reason })),
    fc.constantFrom<string>(...OUTCOMES, '', 'bogus').map((outcome) => ({ type: 'close' as const, outcome })),
    text.map((reason) => ({ type: 'cancel' as const, reason })),
    fc.option(text, { nil: undefined }).map((reason) => ({ type: 'reassign' as const, reason })),
  );

  it('never reach closed without an outcome; declined, failed and cancelled always have a reason; closed and cancelled are final', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let state: ReferralState = 'pending';
        let outcome: string | null = null;
        for (const a of actions) {
          const r = nextReferralState(state, a);
          if (!r.ok) continue;
          expect(state === 'closed' || state === 'cancelled').toBe(false);
          if (r.state === 'closed') {
            expect(a.type).toBe('close');
            if (a.type === 'close') {
              expect(OUTCOMES).toContain(a.outcome);
              outcome = a.outcome;
            }
          }
          if (r.state === 'declined' || r.state === 'cancelled' || r.state === 'failed') {
            expect('reason' in a && typeof a.reason === 'string' && a.reason.trim().length > 0).toBe(true);
          }
          if (r.state === 'mediated') expect(a.type === 'mediated' && a.hasAgreement).toBe(true);
          state = r.state;
        }
        if (state === 'closed') expect(outcome).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('who may act', () => {
  it('the receiving mediator answers and works the referral; the station withdraws, reassigns and closes it', () => {
    const mediator = REFERRAL_ACTIONS.filter((a) => mayActOnReferral(a, 'mediator_of_referral'));
    const station = REFERRAL_ACTIONS.filter((a) => mayActOnReferral(a, 'station'));
    expect(mediator).toEqual(['accept', 'decline', 'start_session', 'mediated', 'fail']);
    expect(station).toEqual(['close', 'cancel', 'reassign']);
    expect(REFERRAL_ACTIONS.some((a) => mayActOnReferral(a, 'other'))).toBe(false);
    expect(mayActOnReferral({ type: 'decline', reason: 'x' }, 'station')).toBe(false);
  });

  it('offers the buttons a state allows to each side', () => {
    expect(allowedReferralActions('pending', 'mediator_of_referral')).toEqual(['accept', 'decline']);
    expect(allowedReferralActions('pending', 'station')).toEqual(['reassign', 'cancel']);
    expect(allowedReferralActions('in_mediation', 'mediator_of_referral')).toEqual(['start_session', 'mediated', 'fail']);
    expect(allowedReferralActions('closed', 'station')).toEqual([]);
  });
});

describe('the dispute status from its referrals', () => {
  it.each([
    [[], false, false, 'registered'],
    [['pending'], false, false, 'referred'],
    [['declined'], false, false, 'registered'],
    [['declined', 'pending'], false, false, 'referred'],
    [['accepted'], false, false, 'referred'],
    [['in_mediation'], false, false, 'in_mediation'],
    [['cancelled', 'in_mediation'], false, false, 'in_mediation'],
    [['failed'], false, false, 'registered'],
    [['mediated'], false, false, 'agreed'],
    [['in_mediation'], false, true, 'agreed'],
    [['closed'], false, true, 'agreed'],
    [['mediated'], true, true, 'closed'],
    [[], true, false, 'closed'],
  ] as [ReferralState[], boolean, boolean, string][])('%j, closed %s, agreement %s → %s', (states, closed, agreement, expected) => {
    expect(disputeStatusFrom(states, closed, agreement)).toBe(expected);
  });
});
