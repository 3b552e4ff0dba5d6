import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeZone, timeZone } from '../../../src/core/clock.js';
import { defaultCalendar } from '../../../src/core/working-days.js';
import { FAMILY_PROTOCOL_EXAMPLE, PROTOCOLS, protocolErrors, protocolFor, protocolProgress, stepDueAt, type Protocol } from '../../../src/modules/disputes/domain/protocols.js';

const cal = defaultCalendar();
const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const end = (day: string) => new Date(`${day}T23:59:59.999+08:00`);

let zoneBefore = '';
beforeAll(() => {
  zoneBefore = timeZone();
  setTimeZone('Asia/Macau');
});
afterAll(() => setTimeZone(zoneBefore));

describe('local protocols', () => {
  it('ship one example, for family disputes, that is sound', () => {
    expect(PROTOCOLS.map((p) => p.type)).toEqual(['family']);
    expect(protocolFor('family')).toBe(FAMILY_PROTOCOL_EXAMPLE);
    expect(protocolFor('debt')).toBeUndefined();
    expect(FAMILY_PROTOCOL_EXAMPLE.steps.map((s) => s.code)).toEqual(['register_in_full', 'home_visit', 'notify_community']);
    expect(FAMILY_PROTOCOL_EXAMPLE.zh).toContain('示例');
    expect(protocolErrors(FAMILY_PROTOCOL_EXAMPLE)).toEqual([]);
  });

  it('find the errors a bureau could make', () => {
    const bad: Protocol = {
      ...FAMILY_PROTOCOL_EXAMPLE,
      steps: [
        { code: 'visit', zh: '走访', en: 'Visit', due: {} },
        { code: 'visit', zh: '走访', en: 'Visit', due: { hours: 24, workingDays: 1 } },
        { code: 'Call Back', zh: '回访', en: 'Call back', due: { hours: -1 } },
        { code: 'notify', zh: '通报', en: 'Notify', due: { workingDays: 1.5 } },
      ],
    };
    expect(protocolErrors(bad)).toEqual([
      'step "visit": due needs hours or workingDays (one of them)',
      'step "visit" appears twice',
      'step "visit": due needs hours or workingDays (one of them)',
      'step "Call Back": the code is lower-case letters, digits and _',
      'step "Call Back": hours must be a positive number',
      'step "notify": workingDays must be a whole number',
    ]);
    // Should a step give both, the earlier deadline holds.
    expect(stepDueAt(bad.steps[1], at('2026-02-12 20:00'), cal)).toEqual(at('2026-02-13 20:00'));
  });

  describe('the progress of one family dispute, registered the evening before the Friday before Spring Festival 2026', () => {
    const registeredAt = at('2026-02-12 20:00');
    const done = { register_in_full: at('2026-02-13 10:00'), home_visit: at('2026-02-25 09:00') };

    it('counts hours as hours and working days over the holiday, the worked Saturday included', () => {
      const steps = protocolProgress(FAMILY_PROTOCOL_EXAMPLE, registeredAt, done, at('2026-02-26 12:00'), cal);
      expect(steps.map(({ code, dueAt, doneAt, state, late }) => ({ code, dueAt, doneAt, state, late }))).toEqual([
        { code: 'register_in_full', dueAt: at('2026-02-13 20:00'), doneAt: done.register_in_full, state: 'done', late: false },
        // 13 February, the worked Saturday 14th, then 24 February.
        { code: 'home_visit', dueAt: end('2026-02-24'), doneAt: done.home_visit, state: 'done', late: true },
        { code: 'notify_community', dueAt: end('2026-02-26'), doneAt: null, state: 'soon', late: false },
      ]);
      expect(steps[0].zh).toContain('一律登记');
    });

    it('shows a step overdue once its deadline has passed, soon within the lead time, due before', () => {
      const state = (now: string, lead?: number) => protocolProgress(FAMILY_PROTOCOL_EXAMPLE, registeredAt, {}, at(now), cal, lead).map((s) => s.state);
      expect(state('2026-02-12 21:00')).toEqual(['soon', 'due', 'due']); // 23 h left of 24, within the default day's lead
      expect(state('2026-02-12 21:00', 3_600_000)).toEqual(['due', 'due', 'due']);
      expect(state('2026-02-13 21:00')).toEqual(['overdue', 'due', 'due']);
      expect(state('2026-02-27 00:00')).toEqual(['overdue', 'overdue', 'overdue']);
    });

    it('ignores what is done for steps it does not have', () => {
      const steps = protocolProgress(FAMILY_PROTOCOL_EXAMPLE, registeredAt, { something_else: at('2026-02-13 10:00'), toString: at('2026-02-13 10:00') } as Record<string, Date>, at('2026-02-13 00:00'), cal);
      expect(steps.every((s) => s.doneAt === null)).toBe(true);
    });
  });
});
