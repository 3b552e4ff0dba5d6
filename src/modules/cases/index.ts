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
import { caseNotices, caseReviews } from './supervision-schema.js';
import supervisionRoutes from './supervision-routes.js';
import { SUPERVISION_KPIS } from './kpis.js';
import { caseDigests, caseWarningAcks, caseWarnings } from './warning-schema.js';
import { CaseWarnings, warningConfigFromEnv } from './warnings.js';
import { DEFAULT_WARNING_CONFIG } from './domain/warnings.js';
import warningRoutes from './warning-routes.js';
import { policyAllows } from '../../core/access.js';
import { permissionPolicy } from '../../kernel/compose.js';

export { CLOCK_RULES, ruleErrors, ruleTableErrors, type Rule, type CaseKind } from './domain/rules.js';
export { EVENT_TYPES, EVENT_LABELS, eventErrors, type CaseEvent, type EventType } from './domain/events.js';
export { computeClocks, stateAt, type ClockResult, type ClockState } from './domain/calculator.js';
export { explainClocks } from './domain/explain.js';
export { boardOf, colourOf, nextDue } from './domain/board.js';
export { cases, caseEvents } from './schema.js';
export type { CaseDeps } from './store.js';
export { PROBLEM_TYPES, PROBLEM_LABELS, NOTICE_STATES, type ProblemType, type NoticeState } from './domain/notices.js';
export { REVIEW_CHECKLIST, scoreReview } from './domain/review.js';
export { caseNotices, caseReviews } from './supervision-schema.js';
export { provideCaseLinkage, type LinkageSource } from './stats.js';
export { casesOfIncidents, caseInScope, caseStepsOfTypes, majorCaseIds, type CaseRef, type CaseScope, type CaseStep } from './for-media.js';

const CASE_OFFICERS: readonly Role[] = ['officer', 'chief', 'community', 'admin'];

export default defineModule<CaseDeps>({
  name: 'cases',
  needs: ['org', 'users', 'audit', 'incidents'],
  tables: { cases, caseCounters, caseEvents, caseNotices, caseReviews, caseWarnings, caseWarningAcks, caseDigests },
  emits: ['case_warning'],
  messages: CASE_MESSAGES,
  permissions: [
    { id: 'case.read', zh: '查看辖区内的案件及其法定期限', en: 'Read the cases of one’s jurisdiction with their statutory clocks', roles: [...CASE_OFFICERS, 'supervisor'] },
    { id: 'case.open', zh: '受案（由警情或直接）', en: 'Open a case (from an incident or not)', roles: CASE_OFFICERS },
    { id: 'case.record', zh: '记录办案程序步骤', en: 'Record the procedural steps of a case', roles: CASE_OFFICERS },
    { id: 'case.supervise', zh: '查看执法监督看板', en: 'See the supervision board', roles: ['supervisor', 'chief', 'admin'] },
    { id: 'case.notice', zh: '发出执法监督通知书并核查整改', en: 'Issue supervision notices and verify their answers', roles: ['supervisor', 'admin'] },
    { id: 'case.answer', zh: '回复执法监督通知书（所长或主办民警）', en: 'Answer a supervision notice (the chief or the officer in charge)', roles: ['officer', 'chief', 'community', 'admin'] },
    { id: 'case.review', zh: '一案一评：评查已结案件', en: 'Review a closed case (一案一评)', roles: ['supervisor', 'admin'] },
    { id: 'case.warn', zh: '收到法定期限临期（黄）和超期（红）预警及每日汇总', en: 'Receive warnings before a statutory clock falls due (yellow) and when overdue (red), and the daily digest', roles: [...CASE_OFFICERS, 'supervisor'] },
    { id: 'console.cases', zh: '使用案件监督页面', en: 'Use the case supervision pages', roles: [...CASE_OFFICERS, 'supervisor'] },
  ],
  kpis: [
    { id: 'case.overdue_clocks', zh: '超期未办结的法定期限数', en: 'Statutory clocks overdue', definition: 'running clocks of open cases whose due time has passed, counted at the time asked (domain/calculator.ts stateAt = overdue); the goal is zero (执法办案零超期)' },
    ...SUPERVISION_KPIS,
  ],
  web: {
    namespace: 'cases',
    menu: [{ path: '/cases', permission: 'console.cases', labelKey: 'nav.cases' }],
  },
  setup: (kernel): CaseDeps => {
    const deps: CaseDeps = {
    db: kernel.ctx.db,
    writes: kernel.writes,
    jurisdiction: kernel.api<JurisdictionIndex>('org'),
    incidents: kernel.api<IncidentsApi>('incidents').incidents,
    calendar: defaultCalendar(),
    rules: DEFAULT_RULES,
    accounts: (db, ids) => accountsByIds(db, ids),
    };
    warnings.set(kernel, new CaseWarnings(deps, warningConfigFromEnv(DEFAULT_WARNING_CONFIG), kernel.log));
    return deps;
  },
  start: (kernel) => warnings.get(kernel)?.start(),
  stop: (kernel) => warnings.get(kernel)?.stop(),
  routes: async (api, kernel) => {
    await api.register(caseRoutes, { deps: kernel.api<CaseDeps>('cases') });
    const supervise = permissionPolicy(kernel, 'case.supervise');
    await api.register(warningRoutes, { deps: kernel.api<CaseDeps>('cases'), warnings: warnings.get(kernel)!, supervises: (p) => policyAllows(supervise, p) === 'ok' });
    // The figures' linkage rate: the media module hands it in with provideCaseLinkage (it needs cases, not the reverse).
    await api.register(supervisionRoutes, { deps: kernel.api<CaseDeps>('cases') });
  },
});

/** The warnings service of each kernel (tests build several apps in one process). */
const warnings = new WeakMap<object, CaseWarnings>();

/** The warnings service of a running app (tests and the benchmark call its tick with an explicit now). */
export const caseWarningsOf = (kernel: object) => warnings.get(kernel);
