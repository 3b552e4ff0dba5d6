import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeZone, timeZone } from '../../../src/core/clock.js';
import { defaultCalendar } from '../../../src/core/working-days.js';
import { computeClocks, doneLate, stateAt, type ClockResult } from '../../../src/modules/cases/domain/calculator.js';
import type { CaseEvent } from '../../../src/modules/cases/domain/events.js';
import { explainClocks } from '../../../src/modules/cases/domain/explain.js';
import { CLOCK_RULES, type CaseKind } from '../../../src/modules/cases/domain/rules.js';

const cal = defaultCalendar();
/** A Macau local time, 'YYYY-MM-DD HH:mm'. */
const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
/** The end of a Macau local day. */
const end = (day: string) => new Date(`${day}T23:59:59.999+08:00`);
const ev = (type: CaseEvent['type'], when: string, more: Partial<CaseEvent> = {}): CaseEvent => ({ type, at: at(when), ...more });
const clock = (events: CaseEvent[], rule: string, subject: string | null = null, caseKind?: CaseKind): ClockResult | undefined =>
  computeClocks(events, CLOCK_RULES, cal, { caseKind }).find((c) => c.rule === rule && c.subject === subject);

let zoneBefore = '';
beforeAll(() => {
  zoneBefore = timeZone();
  setTimeZone('Asia/Macau');
});
afterAll(() => setTimeZone(zoneBefore));

const A = { subject: 'A' };
const exam = (kind: CaseEvent['kind'], from: string, to: string | null, ref?: string, subject?: string): CaseEvent[] => [
  ev('examination_started', from, { kind, ref, subject }),
  ...(to ? [ev('examination_ended', to, { ref, subject })] : []),
];
const ext = (rule: string, when: string, more: Partial<CaseEvent> = {}) => ev('extension', when, { rule, approver: '县公安局副局长 李明', ...more });

interface Example {
  name: string;
  events: CaseEvent[];
  rule: string;
  subject?: string;
  /** The period's last day before any move off a day off (null for hours or while stopped). */
  lastDay: string | null;
  dueAt: Date | null;
  excluded?: number;
  extensions?: number;
  refused?: number;
}

const EXAMPLES: Example[] = [
  {
    name: 'detention on the Friday before Qingming 2026: 3 days end on Monday 6 April, a holiday, and custody never moves',
    events: [ev('detention', '2026-04-03 18:00', A)],
    rule: 'arrest_request',
    subject: 'A',
    lastDay: '2026-04-06',
    dueAt: end('2026-04-06'),
  },
  {
    name: 'the same Friday, a filing review (not custody) ending on the holiday moves to Tuesday 7 April',
    events: [ev('accepted', '2026-04-03 18:00')],
    rule: 'filing_review',
    lastDay: '2026-04-06',
    dueAt: end('2026-04-07'),
  },
  {
    name: 'detention on Friday 13 February 2026: the procuratorate’s 7 days from a request on 16 February end on 23 February, inside Spring Festival, unmoved',
    events: [ev('detention', '2026-02-13 09:00', A), ev('arrest_requested', '2026-02-16 10:00', A)],
    rule: 'procuratorate_review',
    subject: 'A',
    lastDay: '2026-02-23',
    dueAt: end('2026-02-23'),
  },
  {
    name: 'a filing review ending on National Day 2026 moves to the next working day, 8 October',
    events: [ev('accepted', '2026-09-28 10:00')],
    rule: 'filing_review',
    lastDay: '2026-10-01',
    dueAt: end('2026-10-08'),
  },
  {
    name: 'a major case’s filing review, extended to 30 days by the county head, ends 1 October and moves to 8 October',
    events: [ev('accepted', '2026-09-01 10:00'), ext('filing_review', '2026-09-03 09:00', { extension: 'major_case' })],
    rule: 'filing_review',
    lastDay: '2026-10-01',
    dueAt: end('2026-10-08'),
    extensions: 1,
  },
  {
    name: 'two months of custody from 31 December 2025 end on 28 February 2026 (no 31 February)',
    events: [ev('arrest', '2025-12-31 10:00', A)],
    rule: 'investigation_custody',
    subject: 'A',
    lastDay: '2026-02-28',
    dueAt: end('2026-02-28'),
  },
  {
    name: 'two months of custody from 31 December 2023 end on 29 February 2024 (leap year)',
    events: [ev('arrest', '2023-12-31 10:00', A)],
    rule: 'investigation_custody',
    subject: 'A',
    lastDay: '2024-02-29',
    dueAt: end('2024-02-29'),
  },
  {
    name: 'custody from 15 January 2026 with the successive extensions (art. 156 +1, art. 158 +2, art. 159 +2 months) ends 15 August, a Saturday, unmoved',
    events: [
      ev('arrest', '2026-01-15 10:00', A),
      ext('investigation_custody', '2026-03-10 09:00', { ...A, extension: 'complex', approver: '市人民检察院' }),
      ext('investigation_custody', '2026-04-10 09:00', { ...A, extension: 'major_complex', approver: '省人民检察院' }),
      ext('investigation_custody', '2026-06-10 09:00', { ...A, extension: 'ten_years', approver: '省人民检察院' }),
    ],
    rule: 'investigation_custody',
    subject: 'A',
    lastDay: '2026-08-15',
    dueAt: end('2026-08-15'),
    extensions: 3,
  },
  {
    name: 'art. 159 before art. 158 does not count',
    events: [ev('arrest', '2026-01-15 10:00', A), ext('investigation_custody', '2026-03-10 09:00', { ...A, extension: 'ten_years', approver: '省人民检察院' })],
    rule: 'investigation_custody',
    subject: 'A',
    lastDay: '2026-03-15',
    dueAt: end('2026-03-15'),
    refused: 1,
  },
  {
    name: 'in custody only a psychiatric evaluation stops the count (10 days); an injury assessment does not',
    events: [ev('arrest', '2026-01-15 10:00', A), ...exam('psychiatric', '2026-01-20 10:00', '2026-01-30 16:00', 'p', 'A'), ...exam('injury', '2026-02-01 10:00', '2026-02-11 10:00', 'i')],
    rule: 'investigation_custody',
    subject: 'A',
    lastDay: '2026-03-25',
    dueAt: end('2026-03-25'),
    excluded: 10,
  },
  {
    name: 'a public-order case: an examination of 10 days is excluded once (1 April → 11 April, a Saturday → Monday 13 April)',
    events: [ev('accepted', '2026-03-02 09:00'), ...exam('injury', '2026-03-05 10:00', '2026-03-15 16:00')],
    rule: 'public_order_handling',
    lastDay: '2026-04-11',
    dueAt: end('2026-04-13'),
    excluded: 10,
  },
  {
    name: 'two overlapping examinations (5–15 and 10–20 March) are excluded once: 15 days, not 20',
    events: [ev('accepted', '2026-03-02 09:00'), ...exam('injury', '2026-03-05 10:00', '2026-03-15 16:00', 'i'), ...exam('valuation', '2026-03-10 10:00', '2026-03-20 10:00', 'v')],
    rule: 'public_order_handling',
    lastDay: '2026-04-16',
    dueAt: end('2026-04-16'),
    excluded: 15,
  },
  {
    name: 'an examination still open stops the clock: no due time',
    events: [ev('accepted', '2026-03-02 09:00'), ...exam('injury', '2026-03-05 10:00', null)],
    rule: 'public_order_handling',
    lastDay: null,
    dueAt: null,
  },
  {
    name: 'an examination begun after the period ran out changes nothing',
    events: [ev('accepted', '2026-03-02 09:00'), ...exam('injury', '2026-04-05 10:00', '2026-04-20 10:00')],
    rule: 'public_order_handling',
    lastDay: '2026-04-01',
    dueAt: end('2026-04-01'),
  },
  {
    name: 'an extension of 4 days approved by the county head: 5 March → 9 March',
    events: [ev('detention', '2026-03-02 10:00', A), ext('arrest_request', '2026-03-04 09:00', { ...A, extension: 'special', amount: 4 })],
    rule: 'arrest_request',
    subject: 'A',
    lastDay: '2026-03-09',
    dueAt: end('2026-03-09'),
    extensions: 1,
  },
  {
    name: 'an extension without an approver does not count',
    events: [ev('detention', '2026-03-02 10:00', A), ext('arrest_request', '2026-03-04 09:00', { ...A, extension: 'special', amount: 4, approver: undefined })],
    rule: 'arrest_request',
    subject: 'A',
    lastDay: '2026-03-05',
    dueAt: end('2026-03-05'),
    refused: 1,
  },
  {
    name: 'an extension granted after the period ran out does not count',
    events: [ev('detention', '2026-03-02 10:00', A), ext('arrest_request', '2026-03-06 09:00', { ...A, extension: 'special', amount: 4 })],
    rule: 'arrest_request',
    subject: 'A',
    lastDay: '2026-03-05',
    dueAt: end('2026-03-05'),
    refused: 1,
  },
  {
    name: 'a second 1–4 day extension is beyond its maximum and does not count',
    events: [
      ev('detention', '2026-03-02 10:00', A),
      ext('arrest_request', '2026-03-04 09:00', { ...A, extension: 'special', amount: 2 }),
      ext('arrest_request', '2026-03-06 09:00', { ...A, extension: 'special', amount: 2 }),
    ],
    rule: 'arrest_request',
    subject: 'A',
    lastDay: '2026-03-07',
    dueAt: end('2026-03-07'),
    extensions: 1,
    refused: 1,
  },
  {
    name: 'a major suspect of gang crime: to 30 days after detention',
    events: [ev('detention', '2026-03-02 10:00', A), ext('arrest_request', '2026-03-03 09:00', { ...A, extension: 'roving_repeated_gang' })],
    rule: 'arrest_request',
    subject: 'A',
    lastDay: '2026-04-01',
    dueAt: end('2026-04-01'),
    extensions: 1,
  },
  {
    name: 'public order 30 + 30 days approved by the higher bureau: 1 May is Labour Day, due 6 May',
    events: [ev('accepted', '2026-03-02 09:00'), ext('public_order_handling', '2026-03-30 09:00', { approver: '市公安局' })],
    rule: 'public_order_handling',
    lastDay: '2026-05-01',
    dueAt: end('2026-05-06'),
    extensions: 1,
  },
  {
    name: 'a failed mediation restarts the public-order count: 30 days from 20 March end Sunday 19 April → Monday 20 April',
    events: [ev('accepted', '2026-03-02 09:00'), ev('mediation_failed', '2026-03-20 15:00')],
    rule: 'public_order_handling',
    lastDay: '2026-04-19',
    dueAt: end('2026-04-20'),
  },
  {
    name: 'another serious crime found restarts custody from its day; the earlier extension no longer counts',
    events: [ev('arrest', '2026-01-15 10:00', A), ext('investigation_custody', '2026-03-10 09:00', { ...A, extension: 'complex' }), ev('other_crime_found', '2026-03-12 11:00', A)],
    rule: 'investigation_custody',
    subject: 'A',
    lastDay: '2026-05-12',
    dueAt: end('2026-05-12'),
    extensions: 0,
  },
  {
    name: 'a summons at 10:25: the start hour is not counted, 12 hours from 11:00',
    events: [ev('summons', '2026-03-02 10:25', A)],
    rule: 'summons',
    subject: 'A',
    lastDay: null,
    dueAt: at('2026-03-02 23:00'),
  },
  {
    name: 'the summons extended to 24 hours (detention needed): 11:00 the next day',
    events: [ev('summons', '2026-03-02 10:25', A), ext('summons', '2026-03-02 20:00', { ...A, approver: '刑侦大队长' })],
    rule: 'summons',
    subject: 'A',
    lastDay: null,
    dueAt: at('2026-03-03 11:00'),
    extensions: 1,
  },
  {
    name: 'administrative questioning after a summons at 20:40: 8 hours from 21:00',
    events: [ev('summons', '2026-03-02 20:40', A)],
    rule: 'questioning',
    subject: 'A',
    lastDay: null,
    dueAt: at('2026-03-03 05:00'),
  },
  {
    name: 'a seizure of 30 days: testing of the item (7 days) is not counted, an injury assessment is',
    events: [ev('seizure', '2026-03-02 10:00', { subject: 'L1' }), ...exam('item', '2026-03-10 10:00', '2026-03-17 10:00', 't'), ...exam('injury', '2026-03-20 10:00', '2026-03-25 10:00', 'i')],
    rule: 'seizure',
    subject: 'L1',
    lastDay: '2026-04-08',
    dueAt: end('2026-04-08'),
    excluded: 7,
  },
  {
    name: 'an expert opinion received 1 April 2026: 5 days end on the Qingming holiday, notice due 7 April',
    events: [ev('expert_opinion', '2026-04-01 16:00', { subject: 'J-12' })],
    rule: 'expert_opinion_notice',
    subject: 'J-12',
    lastDay: '2026-04-06',
    dueAt: end('2026-04-07'),
  },
];

describe('worked examples from the statutes', () => {
  it.each(EXAMPLES)('$name', (x) => {
    const c = clock(x.events, x.rule, x.subject ?? null);
    expect(c).toBeDefined();
    expect({ lastDay: c!.lastDay, dueAt: c!.dueAt }).toEqual({ lastDay: x.lastDay, dueAt: x.dueAt });
    if (x.excluded !== undefined) expect(c!.excluded).toBe(x.excluded);
    if (x.extensions !== undefined) expect(c!.extensions).toHaveLength(x.extensions);
    expect(c!.refusedExtensions).toHaveLength(x.refused ?? 0);
    expect(c!.basis).toMatch(/第[一二三四五六七八九十百零]+条/);
  });
});

describe('months from a month’s last day', () => {
  const events = [ev('arrest', '2026-11-30 10:00', A)];
  it.each([
    ['same_date', '2027-01-30'],
    ['last_to_last', '2027-01-31'],
  ] as const)('%s: 30 November + 2 months → %s', (monthEnd, last) => {
    expect(computeClocks(events, CLOCK_RULES, cal, { monthEnd }).find((c) => c.rule === 'investigation_custody')!.lastDay).toBe(last);
  });
});

describe('an event edited later is recomputed, never counted twice', () => {
  const base = [ev('accepted', '2026-03-02 09:00'), ev('examination_started', '2026-03-05 10:00', { id: 's1', kind: 'injury' }), ev('examination_ended', '2026-03-15 16:00', { id: 'e1' })];

  it('the end moved earlier: 7 days excluded instead of 10, not 17', () => {
    const fixed = [...base, ev('examination_ended', '2026-03-12 09:00', { id: 'e2', replaces: 'e1' })];
    expect(clock(base, 'public_order_handling')!.excluded).toBe(10);
    const c = clock(fixed, 'public_order_handling')!;
    expect(c.excluded).toBe(7);
    expect(c.stops).toEqual([{ from: at('2026-03-05 10:00'), to: at('2026-03-12 09:00'), kind: 'injury' }]);
    expect(c.lastDay).toBe('2026-04-08');
  });

  it('corrected twice: only the last correction counts', () => {
    const twice = [...base, ev('examination_ended', '2026-03-12 09:00', { id: 'e2', replaces: 'e1' }), ev('examination_ended', '2026-03-18 09:00', { id: 'e3', replaces: 'e2' })];
    expect(clock(twice, 'public_order_handling')!.excluded).toBe(13);
  });

  it('the examination voided: nothing excluded', () => {
    const voided = [...base, ev('voided', '2026-03-20 09:00', { replaces: 's1' }), ev('voided', '2026-03-20 09:01', { replaces: 'e1' })];
    const c = clock(voided, 'public_order_handling')!;
    expect([c.excluded, c.stops, c.dueAt]).toEqual([0, [], end('2026-04-01')]);
  });

  it('computing again from the same events gives the same result (nothing accumulates)', () => {
    const once = computeClocks(base, CLOCK_RULES, cal);
    expect(computeClocks(base, CLOCK_RULES, cal)).toEqual(once);
    // Without the explanation (bulk recompute) the times are the same.
    expect(computeClocks(base, CLOCK_RULES, cal, { explain: false })).toEqual(once.map((r) => ({ ...r, explanation: [] })));
  });
});

describe('state at a time', () => {
  const events = [ev('detention', '2026-03-02 10:00', A), ev('arrest_requested', '2026-03-04 16:00', A)];
  it.each([
    ['running before due', 'procuratorate_review', '2026-03-11 23:00', 'running'],
    ['overdue after due', 'procuratorate_review', '2026-03-12 00:00', 'overdue'],
    ['done once its completing event is recorded', 'arrest_request', '2026-03-04 16:00', 'done'],
  ])('%s', (_name, rule, now, state) => {
    expect(stateAt(clock(events, rule, 'A')!, at(now))).toBe(state);
  });

  it('stopped while an examination is open', () => {
    const c = clock([ev('accepted', '2026-03-02 09:00'), ...exam('injury', '2026-03-05 10:00', null)], 'public_order_handling')!;
    expect(stateAt(c, at('2026-06-01 00:00'))).toBe('stopped');
  });

  it('a request made late is done, and late', () => {
    const c = clock([ev('detention', '2026-03-02 10:00', A), ev('arrest_requested', '2026-03-06 09:00', A)], 'arrest_request', 'A')!;
    expect([stateAt(c, at('2026-03-07 00:00')), doneLate(c)]).toEqual(['done', true]);
  });
});

describe('per person and per kind of case', () => {
  it('two suspects detained on different days each have their clock; an extension for A leaves B alone', () => {
    const events = [ev('detention', '2026-03-02 10:00', A), ev('detention', '2026-03-03 10:00', { subject: 'B' }), ext('arrest_request', '2026-03-04 09:00', { ...A, extension: 'special', amount: 4 })];
    expect(clock(events, 'arrest_request', 'A')!.dueAt).toEqual(end('2026-03-09'));
    expect(clock(events, 'arrest_request', 'B')!.dueAt).toEqual(end('2026-03-06'));
  });

  it('acceptance starts the filing review of a criminal case, the handling period of an administrative one', () => {
    const events = [ev('accepted', '2026-03-02 09:00')];
    expect(computeClocks(events, CLOCK_RULES, cal, { caseKind: 'criminal' }).map((c) => c.rule)).toEqual(['filing_review']);
    expect(computeClocks(events, CLOCK_RULES, cal, { caseKind: 'administrative' }).map((c) => c.rule)).toEqual(['public_order_handling']);
  });
});

describe('shouwang clocks explain', () => {
  it('shows the arithmetic of a filing review over National Day, line by line', () => {
    const results = computeClocks([ev('accepted', '2026-09-28 10:00'), ev('filed', '2026-10-08 15:00')], CLOCK_RULES, cal, { caseKind: 'criminal' });
    expect(explainClocks(results)).toBe(
      [
        '■ 立案审查 [filing_review]',
        `  依据: ${CLOCK_RULES[0].basis}`,
        '  起算：2026-09-28 10:00 受案',
        '  期间开始的日（2026-09-28）不计入：自 2026-09-29 起算',
        '  期限 3日 → 2026-10-01（周四，法定节假日）',
        '  最后一日 2026-10-01（周四，法定节假日）为休息日，顺延至 2026-10-08（周四）',
        '  届满：2026-10-08 23:59',
        '  完成：2026-10-08 15:00 立案',
        '',
      ].join('\n'),
    );
  });

  it('in English: stops merged, custody not moved', () => {
    const events = [ev('detention', '2026-04-03 18:00', A)];
    const [interrogation, request] = computeClocks(events, CLOCK_RULES, cal, { caseKind: 'criminal', lang: 'en' });
    expect(interrogation.explanation.at(-1)).toBe('Due: 2026-04-04 19:00');
    expect(request.explanation).toContain('The last day is a day off, but custody is never extended for it (CPL art. 105)');
    const po = computeClocks([ev('accepted', '2026-03-02 09:00'), ...exam('injury', '2026-03-05 10:00', '2026-03-15 16:00', 'i'), ...exam('valuation', '2026-03-10 10:00', '2026-03-20 10:00', 'v')], CLOCK_RULES, cal, { caseKind: 'administrative', lang: 'en' })[0];
    expect(po.explanation).toContain('Excluded once merged: 15 days (overlaps counted once) → 2026-04-16 (Thu)');
  });
});
