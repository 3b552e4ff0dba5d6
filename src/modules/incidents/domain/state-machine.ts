/**
 * The incident state machine as data, for the web's buttons (instead of a hand copy in
 * web/src/incidents/model.ts). Pure: no Node imports, nothing but lifecycle.ts and dispositions.ts, so
 * Vite can bundle it from web/src by relative path, e.g. in web/src/incidents/model.ts:
 * `import { allowedRules, STATUSES } from '../../../src/modules/incidents/domain/state-machine';`
 */
import { ACTION_LABELS, OPEN_STATUSES, STATUS_LABELS, STATUSES, TERMINAL_STATUSES, TRANSITIONS, allowedTransitions, type IncidentStatus, type TransitionAction } from './lifecycle.js';
import { QUICK_CLOSE_DISPOSITIONS } from './dispositions.js';

export { ACTION_LABELS, OPEN_STATUSES, QUICK_CLOSE_DISPOSITIONS, STATUS_LABELS, STATUSES, TERMINAL_STATUSES, allowedTransitions };
export type { AllowedTransition, IncidentStatus, TransitionAction } from './lifecycle.js';

/** One transition as the web needs it: who may take it and what it asks for (no store details). */
export interface WebTransitionRule {
  from: IncidentStatus;
  to: IncidentStatus;
  action: TransitionAction;
  /** Staff roles only (the platform's own `system` actor is left out). */
  roles: readonly string[];
  needs?: 'disposition' | 'reason';
  dispositions?: readonly string[];
}

/** Every transition of lifecycle.ts, in its order (the same order as the buttons). */
export const TRANSITION_RULES: readonly WebTransitionRule[] = TRANSITIONS.map((r) => ({
  from: r.from,
  to: r.to,
  action: r.action,
  roles: r.roles.filter((x) => x !== 'system'),
  ...(r.needs ? { needs: r.needs } : {}),
  ...(r.dispositions ? { dispositions: r.dispositions } : {}),
}));

/** The rules these roles may take from a status (what web/src/incidents/model.ts `allowedActions` answers). */
export function allowedRules(status: IncidentStatus, roles: readonly string[]): WebTransitionRule[] {
  return TRANSITION_RULES.filter((r) => r.from === status && roles.some((x) => r.roles.includes(x)));
}
