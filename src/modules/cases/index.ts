/**
 * Case supervision (执法监督, issue 14). So far only its pure rules exist: the statutory clocks as data
 * (domain/rules.ts), the procedural events (domain/events.ts) and the calculator that derives every
 * clock from stored events (domain/calculator.ts, domain/explain.ts). The manifest gets its tables,
 * routes and permissions, and its line in src/modules/index.ts, when cases are stored.
 */
import { defineModule } from '../../kernel/module.js';

export { CLOCK_RULES, ruleErrors, ruleTableErrors, type Rule, type CaseKind } from './domain/rules.js';
export { EVENT_TYPES, EVENT_LABELS, eventErrors, type CaseEvent, type EventType } from './domain/events.js';
export { computeClocks, stateAt, type ClockResult, type ClockState } from './domain/calculator.js';
export { explainClocks } from './domain/explain.js';

export default defineModule({ name: 'cases', needs: [] });
