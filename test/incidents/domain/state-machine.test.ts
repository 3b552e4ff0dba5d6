import { describe, expect, it } from 'vitest';
import { TRANSITIONS } from '../../../src/modules/incidents/domain/lifecycle.js';
import { allowedRules, TRANSITION_RULES } from '../../../src/modules/incidents/domain/state-machine.js';

describe('the state machine for the web', () => {
  it('has every transition of lifecycle.ts, in order, with staff roles only', () => {
    expect(TRANSITION_RULES.map((r) => `${r.from}>${r.to}:${r.action}`)).toEqual(TRANSITIONS.map((r) => `${r.from}>${r.to}:${r.action}`));
    expect(TRANSITION_RULES.flatMap((r) => r.roles)).not.toContain('system');
    expect(TRANSITION_RULES.find((r) => r.action === 'quick_close')?.dispositions).toEqual(['D04', 'D07']);
  });

  it('answers what a role may do from a status', () => {
    expect(allowedRules('new', ['calltaker']).map((r) => r.action)).toEqual(['quick_close', 'transfer', 'cancel', 'merge']);
    expect(allowedRules('closed', ['officer'])).toEqual([]);
  });
});
