/**
 * Case supervision (执法监督, issue 14): cases at stations with their procedural steps as events, every
 * statutory clock computed from the events (domain/calculator.ts on the rule table domain/rules.ts and the
 * working-day calendar), and the supervision board (domain/board.ts). See docs/cases.md.
 */
import { defineModule } from '../../kernel/module.js';
import type { Role } from '../../core/roles.js';
import { defaultCalendar } from '../../core/working-days.js';
import type { IncidentsApi } from '../incidents/index.js';
import type { JurisdictionIndex } from '../org/index.js';
import { accountsByIds } from '../users/index.js';
import { caseCounters, caseEvents, cases } from './schema.js';
import { CASE_MESSAGES, DEFAULT_RULES, type CaseDeps } from './store.js';
import caseRoutes from './routes.js';

export { CLOCK_RULES, ruleErrors, ruleTableErrors, type Rule, type CaseKind } from './domain/rules.js';
export { EVENT_TYPES, EVENT_LABELS, eventErrors, type CaseEvent, type EventType } from './domain/events.js';
export { computeClocks, stateAt, type ClockResult, type ClockState } from './domain/calculator.js';
export { explainClocks } from './domain/explain.js';
export { boardOf, colourOf, nextDue } from './domain/board.js';
export { cases, caseEvents } from './schema.js';
export type { CaseDeps } from './store.js';

const CASE_OFFICERS: readonly Role[] = ['officer', 'chief', 'community', 'admin'];

export default defineModule<CaseDeps>({
  name: 'cases',
  needs: ['org', 'users', 'audit', 'incidents'],
  tables: { cases, caseCounters, caseEvents },
  messages: CASE_MESSAGES,
  permissions: [
    { id: 'case.read', zh: '查看辖区内的案件及其法定期限', en: 'Read the cases of one’s jurisdiction with their statutory clocks', roles: [...CASE_OFFICERS, 'supervisor'] },
    { id: 'case.open', zh: '受案（由警情或直接）', en: 'Open a case (from an incident or not)', roles: CASE_OFFICERS },
    { id: 'case.record', zh: '记录办案程序步骤', en: 'Record the procedural steps of a case', roles: CASE_OFFICERS },
    { id: 'case.supervise', zh: '查看执法监督看板', en: 'See the supervision board', roles: ['supervisor', 'chief', 'admin'] },
    { id: 'console.cases', zh: '使用案件监督页面', en: 'Use the case supervision pages', roles: [...CASE_OFFICERS, 'supervisor'] },
  ],
  kpis: [
    { id: 'case.overdue_clocks', zh: '超期未办结的法定期限数', en: 'Statutory clocks overdue', definition: 'running clocks of open cases whose due time has passed, counted at the time asked (domain/calculator.ts stateAt = overdue); the goal is zero (执法办案零超期)' },
  ],
  web: {
    namespace: 'cases',
    menu: [{ path: '/cases', permission: 'console.cases', labelKey: 'nav.cases' }],
  },
  setup: (kernel): CaseDeps => ({
    db: kernel.ctx.db,
    writes: kernel.writes,
    jurisdiction: kernel.api<JurisdictionIndex>('org'),
    incidents: kernel.api<IncidentsApi>('incidents').incidents,
    calendar: defaultCalendar(),
    rules: DEFAULT_RULES,
    accounts: (db, ids) => accountsByIds(db, ids),
  }),
  routes: async (api, kernel) => {
    await api.register(caseRoutes, { deps: kernel.api<CaseDeps>('cases') });
  },
});
