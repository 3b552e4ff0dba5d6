import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RISK_RULES, RISK_THRESHOLDS, THREAT_WORDS, gradeRank, gradeRisk, threatWordsIn, type RiskFacts } from '../../../src/modules/disputes/domain/risk.js';
import { DISPUTE_TYPES } from '../../../src/modules/disputes/domain/vocabulary.js';

const none = { incidentsAtPlace90d: 0, incidentsBetweenPhones90d: 0, failedMediations: 0, daysOpen: 0 };
const facts = (f: Partial<RiskFacts> & Pick<RiskFacts, 'type'>): RiskFacts => ({ summary: '', ...none, ...f });

describe('risk grading cases', () => {
  it.each([
    ['a consumer quarrel', facts({ type: 'consumer', summary: '退款纠纷' }), 'blue', 5, ['type_consumer']],
    ['haggling is no threat', facts({ type: 'consumer', summary: '砍价不成，双方吵起来' }), 'blue', 5, ['type_consumer']],
    ['a family quarrel', facts({ type: 'family', summary: '夫妻吵架' }), 'yellow', 30, ['type_family']],
    ['neighbours, someone hurt', facts({ type: 'neighbour', injuries: true }), 'yellow', 35, ['type_neighbour', 'injuries']],
    ['a debt long open at a place with calls', facts({ type: 'debt', incidentsAtPlace90d: 2, daysOpen: 30 }), 'yellow', 30, ['type_debt', 'repeat_place', 'days_open']],
    ['neighbours, a knife and revenge mentioned', facts({ type: 'neighbour', summary: '楼上漏水，对方扬言要报复，拿刀' }), 'orange', 55, ['type_neighbour', 'threats']],
    ['family, second call between the same phones', facts({ type: 'family', incidentsBetweenPhones90d: 2 }), 'orange', 45, ['type_family', 'repeat_phones']],
    ['a debt, calls between the phones and a failed mediation', facts({ type: 'debt', incidentsBetweenPhones90d: 3, failedMediations: 1 }), 'orange', 55, ['type_debt', 'repeat_phones', 'failed_mediation']],
    ['wages unpaid for months, elderly parties, calls at the place', facts({ type: 'labour', daysOpen: 100, incidentsAtPlace90d: 4, vulnerableParties: true }), 'orange', 50, ['type_labour', 'repeat_place', 'vulnerable', 'days_open']],
    ['family with threats recorded', facts({ type: 'family', weaponsOrThreats: true }), 'red', 70, ['type_family', 'threats']],
    ['family, a threat written in traditional characters', facts({ type: 'family', summary: '前夫揚言要殺了她' }), 'red', 70, ['type_family', 'threats']],
    ['family, injuries, failed twice, minors', facts({ type: 'family', injuries: true, failedMediations: 2, vulnerableParties: true }), 'red', 85, ['type_family', 'injuries', 'failed_mediation', 'vulnerable']],
  ] as [string, RiskFacts, string, number, string[]][])('%s → %s (%i)', (_name, f, grade, score, codes) => {
    const r = gradeRisk(f);
    expect(r.grade).toBe(grade);
    expect(r.score).toBe(score);
    expect(r.reasons.map((x) => x.code)).toEqual(codes);
    expect(r.reasons.reduce((s, x) => s + x.points, 0)).toBe(r.score);
    expect(r.reasons.every((x) => x.points > 0 && x.zh.length > 0 && x.en.length > 0)).toBe(true);
  });

  it('names the threat words found in the summary', () => {
    const r = gradeRisk(facts({ type: 'neighbour', summary: '对方说要泼汽油同归于尽' }));
    expect(r.reasons.find((x) => x.code === 'threats')).toEqual({ code: 'threats', points: 40, zh: '提及威胁或凶器：“同归于尽”“汽油”', en: 'threats or weapons mentioned: 同归于尽, 汽油' });
    expect(gradeRisk(facts({ type: 'family', weaponsOrThreats: true })).reasons[1].zh).toBe('已记录威胁或凶器');
  });

  it('explains counts in its reasons', () => {
    const r = gradeRisk(facts({ type: 'debt', incidentsBetweenPhones90d: 3, failedMediations: 1, daysOpen: 45 }));
    expect(r.reasons.map((x) => x.zh)).toEqual(['纠纷类型：债务', '90日内双方电话间警情3起', '调解不成1次', '已持续45天未化解']);
    expect(r.reasons.map((x) => x.en)).toEqual(['dispute type: debt', '3 incidents between the parties’ phones in 90 days', '1 failed mediation', 'open for 45 days']);
  });

  it('weighs family disputes most and reads nonsense counts as none', () => {
    const max = Math.max(...Object.values(RISK_RULES.typePoints));
    expect(RISK_RULES.typePoints.family).toBe(max);
    expect(Object.entries(RISK_RULES.typePoints).filter(([, p]) => p === max).map(([t]) => t)).toEqual(['family']);
    expect(gradeRisk(facts({ type: 'other', incidentsAtPlace90d: -3, daysOpen: Number.NaN, failedMediations: Infinity })).score).toBe(5);
  });
});

describe('threat words', () => {
  it.each([
    ['他拿着菜刀', ['刀']],
    ['扬言要炸了他家', ['炸']],
    ['说要跳楼', ['跳楼']],
    ['買了炸雞和水槍，報復性消費', []],
    ['刀削面店里吵架', []],
    ['跳樓價清貨', []],
    ['要砍死你，再放火', ['砍', '放火']],
  ])('%s → %j', (text, words) => {
    expect(threatWordsIn(text)).toEqual(words);
  });
});

describe('adding a fact never lowers the grade', () => {
  const anyFacts: fc.Arbitrary<RiskFacts> = fc.record({
    type: fc.constantFrom(...DISPUTE_TYPES),
    summary: fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('夫妻吵架', '砍价', '扬言报复', '')),
    injuries: fc.boolean(),
    weaponsOrThreats: fc.boolean(),
    incidentsAtPlace90d: fc.nat(8),
    incidentsBetweenPhones90d: fc.nat(8),
    failedMediations: fc.nat(4),
    vulnerableParties: fc.boolean(),
    daysOpen: fc.nat(400),
  });
  const word = fc.constantFrom(...THREAT_WORDS.flat());
  const addFact = fc.oneof(
    fc.constantFrom<(f: RiskFacts) => RiskFacts>(
      (f) => ({ ...f, injuries: true }),
      (f) => ({ ...f, weaponsOrThreats: true }),
      (f) => ({ ...f, vulnerableParties: true }),
    ),
    fc.tuple(fc.constantFrom('incidentsAtPlace90d', 'incidentsBetweenPhones90d', 'failedMediations', 'daysOpen' as const), fc.integer({ min: 1, max: 100 })).map(
      ([k, n]) =>
        (f: RiskFacts) => ({ ...f, [k]: f[k] + n }),
    ),
    word.map((w) => (f: RiskFacts) => ({ ...f, summary: `${f.summary}。${w}` })),
  );

  it('holds for any facts and any added fact', () => {
    fc.assert(
      fc.property(anyFacts, addFact, (f, add) => {
        const [before, after] = [gradeRisk(f), gradeRisk(add(f))];
        expect(after.score).toBeGreaterThanOrEqual(before.score);
        expect(gradeRank(after.grade)).toBeLessThanOrEqual(gradeRank(before.grade));
      }),
      { numRuns: 3000 },
    );
  });

  it('has thresholds from red down', () => {
    expect(RISK_THRESHOLDS.map((t) => t.grade)).toEqual(['red', 'orange', 'yellow']);
    expect(RISK_THRESHOLDS.every((t, i) => i === 0 || t.min < RISK_THRESHOLDS[i - 1].min)).toBe(true);
  });
});
