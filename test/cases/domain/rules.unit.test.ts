import { describe, expect, it } from 'vitest';
import { CLOCK_RULES, ruleErrors, ruleTableErrors, type Rule } from '../../../src/modules/cases/domain/rules.js';

const byId = (id: string) => CLOCK_RULES.find((r) => r.id === id)!;
const broken = (patch: Partial<Rule>) => ruleErrors({ ...byId('arrest_request'), ...patch }).map((e) => e.field);

describe('the shipped table', () => {
  it('is sound', () => {
    expect(ruleTableErrors(CLOCK_RULES)).toEqual([]);
  });

  it('ships the clocks the issue names, the contract’s ids among them', () => {
    expect(CLOCK_RULES.map((r) => r.id)).toEqual(
      expect.arrayContaining(['filing_review', 'arrest_request', 'procuratorate_review', 'investigation_custody', 'public_order_handling', 'questioning', 'summons', 'seizure', 'expert_opinion_notice']),
    );
  });

  // The numbers a bureau checks first against the statutes.
  it.each([
    ['filing_review', 3, 'days', false, [['clue_check', 'total', 7], ['major_case', 'total', 30]], '第一百七十八条'],
    ['arrest_request', 3, 'days', true, [['special', 'add', 4], ['roving_repeated_gang', 'total', 30]], '第九十一条'],
    ['procuratorate_review', 7, 'days', true, [], '第九十一条'],
    ['investigation_custody', 2, 'months', true, [['complex', 'add', 1], ['major_complex', 'add', 2], ['ten_years', 'add', 2]], '第一百五十六条'],
    ['public_order_handling', 30, 'days', false, [['major_complex', 'add', 30]], '第九十九条'],
    ['questioning', 8, 'hours', true, [['detention_possible', 'total', 24]], '第八十三条'],
    ['summons', 12, 'hours', true, [['detention_needed', 'total', 24]], '第一百一十九条'],
    ['seizure', 30, 'days', false, [['complex', 'add', 30]], '第二十五条'],
    ['expert_opinion_notice', 5, 'days', false, [], '第九十七条'],
  ] as const)('%s: %i %s, custody %s, extensions %j, %s', (id, amount, unit, custody, extensions, article) => {
    const r = byId(id);
    expect([r.length.amount, r.length.unit, r.custody]).toEqual([amount, unit, custody]);
    expect(r.extensions.map((x) => [x.id, x.mode, x.amount])).toEqual(extensions);
    expect(r.basis).toContain(article);
    for (const x of r.extensions) expect(x.approvedBy).not.toBe('');
  });

  it('the 1–4 days of art. 91 are at least 1; the custody extensions come in the statute’s order', () => {
    expect(byId('arrest_request').extensions[0]).toMatchObject({ min: 1, amount: 4, maxTimes: 1 });
    expect(byId('investigation_custody').extensions.map((x) => x.after)).toEqual([undefined, 'complex', 'major_complex']);
  });

  it('only a psychiatric evaluation stops criminal custody (CPL art. 149); any examination stops a public-order case', () => {
    expect(byId('investigation_custody').stops).toEqual([expect.objectContaining({ kinds: ['psychiatric'] })]);
    expect(byId('public_order_handling').stops[0].kinds).toBeUndefined();
  });
});

describe('ruleErrors: a bureau’s mistakes, each naming its field', () => {
  it.each([
    ['an id with capitals', { id: 'Arrest' }, ['id']],
    ['a basis without its article', { basis: '刑事诉讼法' }, ['basis']],
    ['an unknown kind of case', { caseKinds: ['civil' as never] }, ['caseKinds']],
    ['an unknown start event', { start: ['born' as never] }, ['start']],
    ['a length of 0', { length: { amount: 0, unit: 'days' } }, ['length.amount']],
    ['an unknown unit', { length: { amount: 3, unit: 'weeks' as never } }, ['length.unit']],
    ['custody in working days', { length: { amount: 3, unit: 'working_days' } }, ['custody']],
    ['nothing completes it', { doneBy: [] }, ['doneBy']],
    ['one event both starts and completes it', { doneBy: ['detention'] }, ['doneBy']],
    ['an extension without approver', { extensions: [{ ...byId('arrest_request').extensions[0], approvedBy: '' }] }, ['extensions[0].approvedBy']],
    ['a total shorter than the period', { extensions: [{ ...byId('arrest_request').extensions[1], amount: 2 }] }, ['extensions[0].amount']],
    ['an extension after one that does not exist', { extensions: [{ ...byId('arrest_request').extensions[0], after: 'nothing' }] }, ['extensions[0].after']],
    ['a stop that ends on its own start', { stops: [{ start: 'examination_started', end: 'examination_started', basis: '第一条' }] }, ['stops[0]']],
    ['a stop of an unknown kind', { stops: [{ start: 'examination_started', end: 'examination_ended', kinds: ['dream' as never], basis: '第一条' }] }, ['stops[0].kinds']],
  ] as [string, Partial<Rule>, string[]][])('%s', (_name, patch, expected) => {
    expect(broken(patch)).toEqual(expected);
  });

  it('a table with one id twice', () => {
    expect(ruleTableErrors([byId('seizure'), byId('seizure')]).map((e) => e.field)).toEqual(['rules[1].id']);
  });

  it('a bureau’s own rule, added as data, is accepted', () => {
    const own: Rule = { ...byId('expert_opinion_notice'), id: 'bureau_callback', zh: '本局：结案回访', en: 'Bureau: callback after closing', basis: '本局执法规范第十二条', start: ['closed'], doneBy: ['expert_opinion_notified'], length: { amount: 3, unit: 'working_days' } };
    expect(ruleErrors(own)).toEqual([]);
  });
});
