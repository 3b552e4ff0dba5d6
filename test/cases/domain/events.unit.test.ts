import { describe, expect, it } from 'vitest';
import { EVENT_LABELS, EVENT_TYPES, effectiveEvents, eventErrors, type CaseEvent } from '../../../src/modules/cases/domain/events.js';
import { CLOCK_RULES } from '../../../src/modules/cases/domain/rules.js';

const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const ev = (type: CaseEvent['type'], when: string, more: Partial<CaseEvent> = {}): CaseEvent => ({ type, at: at(when), ...more });
const fields = (events: unknown[]) => eventErrors(events, CLOCK_RULES).map((e) => e.field);
const detained = [ev('detention', '2026-03-02 10:00', { subject: 'A' })];
const ext = (more: Partial<CaseEvent>) => ev('extension', '2026-03-04 09:00', { rule: 'arrest_request', subject: 'A', extension: 'special', approver: '李明', amount: 4, ...more });

describe('the vocabulary', () => {
  it('labels every event type in Chinese and English, including the contract’s names', () => {
    for (const t of EVENT_TYPES) expect(EVENT_LABELS[t].zh && EVENT_LABELS[t].en).toBeTruthy();
    for (const t of ['accepted', 'filed', 'detention', 'arrest_requested', 'examination_started', 'examination_ended', 'extension', 'closed']) expect(EVENT_TYPES).toContain(t);
  });
});

describe('eventErrors: bad input refused at entry, naming the field', () => {
  const cases: [string, unknown[], string[]][] = [
    ['a sound list', [...detained, ext({})], []],
    ['an unknown type', [{ type: 'teleported', at: at('2026-03-02 10:00') }], ['events[0].type']],
    ['a time that is not a date', [{ type: 'accepted', at: '2026-03-02' }], ['events[0].at']],
    ['an examination without its kind', [ev('examination_started', '2026-03-03 10:00')], ['events[0].kind']],
    ['an examination that ends before it starts', [ev('examination_ended', '2026-03-03 10:00', { ref: 'x' }), ev('examination_started', '2026-03-05 10:00', { ref: 'x', kind: 'injury' })], ['events[0].at']],
    ['an examination end with no start', [ev('examination_ended', '2026-03-03 10:00')], ['events[0].ref']],
    ['two kinds of examination open under one ref', [ev('examination_started', '2026-03-03 10:00', { kind: 'injury' }), ev('examination_started', '2026-03-04 10:00', { kind: 'psychiatric' })], ['events[1].ref']],
    ['an extension without an approver', [...detained, ext({ approver: undefined })], ['events[1].approver']],
    ['an extension of 5 days where 1–4 are allowed', [...detained, ext({ amount: 5 })], ['events[1].amount']],
    ['a second extension beyond its maximum', [...detained, ext({ amount: 2 }), ext({ amount: 2, at: at('2026-03-05 09:00') })], ['events[2].extension']],
    ['an extension of a clock that has not started', [ext({})], ['events[0].rule']],
    ['an extension of an unknown clock', [...detained, ext({ rule: 'forever' })], ['events[1].rule']],
    ['an extension of a clock with several extensions that does not say which', [...detained, ext({ extension: undefined })], ['events[1].extension']],
    ['art. 159 before art. 158', [ev('arrest', '2026-01-15 10:00', { subject: 'A' }), ext({ rule: 'investigation_custody', extension: 'ten_years', amount: undefined })], ['events[1].extension']],
    ['a per-person extension without its person when two are detained', [...detained, ev('detention', '2026-03-02 11:00', { subject: 'B' }), ext({ subject: undefined })], ['events[2].subject']],
    ['a correction of an event that does not exist', [ev('accepted', '2026-03-02 09:00', { replaces: 'nope' })], ['events[0].replaces']],
    ['two events with one id', [ev('accepted', '2026-03-02 09:00', { id: 'a' }), ev('filed', '2026-03-03 09:00', { id: 'a' })], ['events[1].id']],
    ['corrections in a loop', [ev('accepted', '2026-03-02 09:00', { id: 'a', replaces: 'b' }), ev('accepted', '2026-03-02 10:00', { id: 'b', replaces: 'a' })], ['events[0].replaces', 'events[1].replaces']],
    ['a voided record that names nothing', [ev('voided', '2026-03-02 09:00')], ['events[0].replaces']],
    ['not a list', 'events' as unknown as unknown[], ['events']],
  ];
  it.each(cases)('%s', (_name, events, expected) => {
    expect(fields(events)).toEqual(expected);
  });

  it('every error says what is wrong in both languages', () => {
    for (const e of eventErrors([...detained, ext({ approver: undefined, amount: 9 })], CLOCK_RULES)) {
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(e.en).toMatch(/[a-z]/);
    }
  });

  it('a mistake corrected is no longer an error: the list is judged as it stands', () => {
    const wrong = { ...ext({ amount: 2 }), id: 'x' };
    const again = ext({ amount: 2, at: at('2026-03-05 09:00') });
    expect(fields([...detained, wrong, again])).toEqual(['events[2].extension']);
    expect(fields([...detained, wrong, again, ev('voided', '2026-03-05 10:00', { replaces: 'x' })])).toEqual([]);
  });
});

describe('effectiveEvents', () => {
  it('keeps the last correction of each event, drops voided ones, and orders by time whatever the input order', () => {
    const a = ev('accepted', '2026-03-02 09:00', { id: 'a' });
    const a2 = ev('accepted', '2026-03-02 08:00', { id: 'a2', replaces: 'a' });
    const f = ev('filed', '2026-03-03 09:00', { id: 'f' });
    const v = ev('voided', '2026-03-04 09:00', { replaces: 'f' });
    expect(effectiveEvents([v, f, a2, a])).toEqual([a2]);
    expect(effectiveEvents([a, f])).toEqual([a, f]);
  });
});
