import { describe, expect, it } from 'vitest';
import { closeRuleOf, parseCloseRules } from '../../src/modules/dispatch/domain/close-rule.js';

describe('the station’s closing rule (SHOUWANG_CLOSE_ON_CLEAR)', () => {
  it('defaults to review by the station', () => {
    expect(closeRuleOf(parseCloseRules(undefined), 'MO0101')).toBe('review');
    expect(closeRuleOf(undefined, 'MO0101')).toBe('review');
  });
  it('reads the city’s rule and per-station exceptions', () => {
    const r = parseCloseRules(' officer , MO0101 = review,MO0203=officer');
    expect(closeRuleOf(r, 'MO0101')).toBe('review');
    expect(closeRuleOf(r, 'MO0203')).toBe('officer');
    expect(closeRuleOf(r, 'MO0301')).toBe('officer');
  });
  it('refuses a word it does not know instead of guessing', () => {
    expect(() => parseCloseRules('auto')).toThrow(/review nor officer/);
    expect(() => parseCloseRules('MO0101=yes')).toThrow(/station/);
  });
});
