import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setTimeZone, timeZone } from '../../../src/core/clock.js';
import { defaultCalendar } from '../../../src/core/working-days.js';
import { MEDIATION_CLOCK_RULES, clockState, doneLate, mediationClocks, type MediationClockInput } from '../../../src/modules/disputes/domain/clocks.js';

const cal = defaultCalendar();
/** A Macau local time, 'YYYY-MM-DD HH:mm'. */
const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
/** The end of a Macau local day. */
const end = (day: string) => new Date(`${day}T23:59:59.999+08:00`);
const base: MediationClockInput = { mediationType: 'police', sessions: [], extensions: [], followups: [] };
const brief = (input: Partial<MediationClockInput>) => mediationClocks({ ...base, ...input }, cal).map((c) => ({ code: c.code, dueAt: c.dueAt, doneAt: c.doneAt }));

let zoneBefore = '';
beforeAll(() => {
  zoneBefore = timeZone();
  setTimeZone('Asia/Macau');
});
afterAll(() => setTimeZone(zoneBefore));

describe('police mediation (治安调解): accepted on the Friday before Spring Festival 2026', () => {
  const acceptedAt = at('2026-02-13 10:00');

  it('the first session is due 3 working days later: Saturday 14 (worked), then 24 and 25 February', () => {
    const [first, ...rest] = mediationClocks({ ...base, acceptedAt }, cal);
    expect(first).toMatchObject({ code: 'police_first_session', dueAt: end('2026-02-25'), doneAt: null });
    expect(first.basis).toContain('《公安机关治安调解工作规范》第九条');
    expect(rest).toEqual([]); // no second session before a first
  });

  it('a first session without agreement sets the second within 7 working days of it, over the worked Saturday 28 February', () => {
    const session = at('2026-02-14 09:30');
    expect(brief({ acceptedAt, sessions: [session] })).toEqual([
      { code: 'police_first_session', dueAt: end('2026-02-25'), doneAt: session },
      { code: 'police_second_session', dueAt: end('2026-03-03'), doneAt: null },
    ]);
  });

  it('a bureau counting the second session from acceptance sets it on 2 March', () => {
    const rules = { ...MEDIATION_CLOCK_RULES, policeSecondSession: { ...MEDIATION_CLOCK_RULES.policeSecondSession, from: 'acceptance' as const } };
    const clocks = mediationClocks({ ...base, acceptedAt, sessions: [at('2026-02-14 09:30')] }, cal, rules);
    expect(clocks[1]).toMatchObject({ code: 'police_second_session', dueAt: end('2026-03-02') });
  });

  it('an agreement at the first session needs no second one', () => {
    const session = at('2026-02-24 15:00');
    expect(brief({ acceptedAt, sessions: [session], agreement: { signedAt: at('2026-02-24 16:00') } })).toEqual([{ code: 'police_first_session', dueAt: end('2026-02-25'), doneAt: session }]);
  });

  it('a second session held is its clock done, late or not', () => {
    const sessions = [at('2026-02-26 10:00'), at('2026-03-04 10:00')];
    const clocks = mediationClocks({ ...base, acceptedAt, sessions: [sessions[1], sessions[0]] }, cal);
    expect(clocks.map((c) => [c.code, c.doneAt, doneLate(c)])).toEqual([
      ['police_first_session', sessions[0], true],
      ['police_second_session', sessions[1], false], // due 7 working days after 26 February, the worked 28th counted: 6 March
    ]);
    expect(clocks[1].dueAt).toEqual(end('2026-03-06'));
  });

  it('counts the first session from the injury assessment when one is needed', () => {
    expect(brief({ acceptedAt, injuryAssessmentAt: at('2026-02-26 11:00') })[0].dueAt).toEqual(end('2026-03-02'));
  });

  it('stops an open clock when the mediation ends, and has none before acceptance', () => {
    const concludedAt = at('2026-02-24 09:00');
    expect(brief({ acceptedAt, concludedAt })).toEqual([{ code: 'police_first_session', dueAt: end('2026-02-25'), doneAt: concludedAt }]);
    expect(brief({})).toEqual([]);
  });
});

describe('people’s mediation (人民调解): concluded within one month', () => {
  const people = (input: Partial<MediationClockInput>) => mediationClocks({ ...base, mediationType: 'people', ...input }, cal);

  it('runs to the same date of the next month', () => {
    const [c] = people({ acceptedAt: at('2026-02-13 10:00') });
    expect(c).toMatchObject({ code: 'people_conclusion', dueAt: end('2026-03-13'), doneAt: null });
    expect(c.basis).toContain('一个月');
    expect(c.basis).not.toContain('顺延');
  });

  it('a deadline falling on a holiday (15 February 2026, Spring Festival) moves to the next working day', () => {
    const [c] = people({ acceptedAt: at('2026-01-15 16:00') });
    expect(c.dueAt).toEqual(end('2026-02-24'));
    expect(c.basis).toContain('顺延');
  });

  it('ends a month from 31 January on 28 February, a worked Saturday', () => {
    expect(people({ acceptedAt: at('2026-01-31 10:00') })[0].dueAt).toEqual(end('2026-02-28'));
  });

  it('is extended only by consent given before it runs out, each extension adding its days', () => {
    const acceptedAt = at('2026-01-15 16:00');
    const first = { consentedAt: at('2026-02-10 10:00'), days: 15 };
    let [c] = people({ acceptedAt, extensions: [first] });
    expect(c.dueAt).toEqual(end('2026-03-02')); // 15 Feb + 15 days
    expect(c.basis).toContain('经双方同意延长15日（2026-02-10）');
    [c] = people({ acceptedAt, extensions: [{ consentedAt: at('2026-02-25 09:00'), days: 15 }] });
    expect(c.dueAt).toEqual(end('2026-02-24')); // consent after the deadline: too late
    [c] = people({ acceptedAt, extensions: [{ consentedAt: at('2026-03-01 10:00'), days: 10 }, first] });
    expect(c.dueAt).toEqual(end('2026-03-12')); // 2 March + 10 days
    [c] = people({ acceptedAt, extensions: [{ consentedAt: at('2026-02-10 10:00'), days: 0 }] });
    expect(c.dueAt).toEqual(end('2026-02-24'));
  });

  it('is done when the agreement is signed', () => {
    const signedAt = at('2026-02-27 11:00');
    expect(people({ acceptedAt: at('2026-02-13 10:00'), agreement: { signedAt } })[0].doneAt).toEqual(signedAt);
  });
});

describe('after an agreement', () => {
  // Signed on 16 January 2026; to be performed by Friday 20 February, a Spring Festival holiday.
  const agreement = { signedAt: at('2026-01-16 09:00'), performanceDeadline: '2026-02-20' };
  const after = (input: Partial<MediationClockInput>) => brief({ mediationType: 'people', agreement, ...input }).filter((c) => c.code.startsWith('followup'));

  it('a follow-up visit is due at the performance deadline, moved off the holiday to 24 February', () => {
    expect(after({})).toEqual([{ code: 'followup_1', dueAt: end('2026-02-24'), doneAt: null }]);
    // A visit before the deadline cannot find the agreement due.
    expect(after({ followups: [at('2026-02-10 10:00')] })).toEqual([{ code: 'followup_1', dueAt: end('2026-02-24'), doneAt: null }]);
  });

  it('then 7 days after each visit until performed; only the next open one is a clock', () => {
    const visit = at('2026-02-25 10:00');
    expect(after({ followups: [visit] })).toEqual([
      { code: 'followup_1', dueAt: end('2026-02-24'), doneAt: visit },
      { code: 'followup_2', dueAt: end('2026-03-04'), doneAt: null },
    ]);
    const performedAt = at('2026-03-03 14:00');
    expect(after({ followups: [visit], agreement: { ...agreement, performedAt } })).toEqual([
      { code: 'followup_1', dueAt: end('2026-02-24'), doneAt: visit },
      { code: 'followup_2', dueAt: end('2026-03-04'), doneAt: performedAt },
    ]);
  });

  it('performed before the deadline: no visit is owed', () => {
    const performedAt = at('2026-02-12 10:00');
    expect(after({ agreement: { ...agreement, performedAt } })).toEqual([{ code: 'followup_1', dueAt: end('2026-02-24'), doneAt: performedAt }]);
  });

  it('has no follow-ups without a performance deadline', () => {
    expect(after({ agreement: { signedAt: agreement.signedAt } })).toEqual([]);
  });

  it('judicial confirmation may be requested within 30 days of signing: 15 February is a holiday, so 24 February', () => {
    const judicial = (input: Partial<MediationClockInput>) => mediationClocks({ ...base, mediationType: 'people', agreement, ...input }, cal).find((c) => c.code === 'judicial_confirmation');
    expect(judicial({})).toMatchObject({ dueAt: end('2026-02-24'), doneAt: null });
    expect(judicial({})!.basis).toContain('《人民调解法》第三十三条');
    const requested = at('2026-02-03 10:00');
    expect(judicial({ judicialConfirmationRequestedAt: requested })!.doneAt).toEqual(requested);
    expect(judicial({ agreement: { signedAt: at('2026-03-02 10:00') } })!.dueAt).toEqual(end('2026-04-01'));
    expect(judicial({ mediationType: 'lawyer' })).toBeDefined();
    // A police mediation agreement or a court's own mediation is not confirmed this way.
    expect(judicial({ mediationType: 'police' })).toBeUndefined();
    expect(judicial({ mediationType: 'court' })).toBeUndefined();
  });
});

describe('clocks and the time now', () => {
  afterEach(() => vi.useRealTimers());

  it('are computed from the inputs only', () => {
    const input: MediationClockInput = { ...base, mediationType: 'people', acceptedAt: at('2026-01-15 16:00'), agreement: { signedAt: at('2026-02-03 10:00'), performanceDeadline: '2026-03-01' }, followups: [at('2026-03-02 10:00')] };
    vi.useFakeTimers();
    vi.setSystemTime(at('2026-01-20 00:00'));
    const early = mediationClocks(input, cal);
    vi.setSystemTime(at('2027-06-01 00:00'));
    expect(mediationClocks(input, cal)).toEqual(early);
  });

  it('stand done, due, soon or overdue against now', () => {
    const clock = { dueAt: end('2026-02-25'), doneAt: null };
    const day = 86_400_000;
    expect(clockState(clock, at('2026-02-20 10:00'), day)).toBe('due');
    expect(clockState(clock, at('2026-02-25 10:00'), day)).toBe('soon');
    expect(clockState(clock, end('2026-02-25'), day)).toBe('soon');
    expect(clockState(clock, at('2026-02-26 00:00'), day)).toBe('overdue');
    expect(clockState({ ...clock, doneAt: at('2026-03-01 10:00') }, at('2026-03-02 10:00'), day)).toBe('done');
  });
});
