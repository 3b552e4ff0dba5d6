/**
 * Disputes (矛盾纠纷排查化解, 枫桥经验): the register of disputes with their parties and risk grade,
 * disputeReferrals to mediating disputeAgencies (派出所, 司法所, 律所, 法庭, 调委会) as hand-offs with a state machine,
 * disputeSessions, disputeAgreements, follow-up visits, local protocols, statutory mediation clocks on the working-day
 * calendar, and the figures with their denominators. Mediators who are not police see only what is
 * referred to them. See docs/disputes.md.
 */
import { defineModule } from '../../kernel/module.js';
import type { Role } from '../../core/roles.js';
import { defaultCalendar } from '../../core/working-days.js';
import type { IncidentRow, IncidentsApi } from '../incidents/index.js';
import type { JurisdictionIndex } from '../org/index.js';
import { disputeAgencies, disputeAgencyMembers, disputeAgreements, disputeCounters, disputeEvents, disputeIncidents, disputeParties, disputes, disputeFollowups, disputeProtocolSteps, disputeReferrals, disputeSessions } from './schema.js';
import { DISPUTE_MESSAGES } from './errors.js';
import type { DisputeDeps } from './store.js';
import { DisputeWatch } from './watch.js';
import disputeRoutes from './routes.js';
import referralRoutes from './referral-routes.js';

export { disputeAgencies, disputeAgencyMembers, disputes } from './schema.js';
export { prepareRegistration, registerIn, type RegisterInput } from './register.js';
export { DISPUTE_TYPES, DISPUTE_TYPE_LABELS, type DisputeType } from './domain/vocabulary.js';
export type { DisputeDeps } from './store.js';
// For community policing: open disputes per address of some grids (visited first).
export { openDisputesByAddress } from './reads.js';
// For community policing: a police room's visitor-log entry may link to a dispute of the register (in scope).
export { scopedDispute } from './store.js';

const REGISTER: readonly Role[] = ['community', 'chief', 'officer', 'admin'];
const STATION: readonly Role[] = ['community', 'chief', 'admin'];

export default defineModule<DisputeDeps>({
  name: 'disputes',
  needs: ['org', 'users', 'audit', 'incidents', 'addresses'],
  tables: { disputes, disputeCounters, disputeParties, disputeIncidents, disputeAgencies, disputeAgencyMembers, disputeReferrals, disputeSessions, disputeAgreements, disputeFollowups, disputeProtocolSteps, disputeEvents },
  permissions: [
    { id: 'dispute.read', zh: '查看辖区内的矛盾纠纷（调解员：移交给本人的纠纷）', en: 'Read the disputes of one’s jurisdiction (a mediator: those referred to them)', roles: [...REGISTER, 'supervisor', 'analyst', 'mediator'] },
    { id: 'dispute.register', zh: '登记矛盾纠纷、关联警情、完成工作规程步骤', en: 'Register disputes, link incidents, mark protocol steps', roles: REGISTER },
    { id: 'dispute.refer', zh: '移交、撤回与改派调解', en: 'Refer, withdraw and reassign mediation', roles: STATION },
    { id: 'dispute.mediate', zh: '接收移交、记录调解与协议', en: 'Accept referrals, record sessions and agreements', roles: ['mediator', 'community', 'chief'] },
    { id: 'dispute.followup', zh: '记录协议履行回访', en: 'Record follow-up visits on an agreement', roles: ['mediator', 'community', 'chief', 'officer'] },
    { id: 'dispute.close', zh: '纠纷结案', en: 'Close a dispute with its outcome', roles: STATION },
    { id: 'dispute.hint', zh: '接警时查看来电号码或地点的在办纠纷', en: 'See open disputes at a caller’s number or place while taking a call', roles: ['calltaker', 'dispatcher', 'chief', 'community', 'admin'] },
    { id: 'dispute.map', zh: '在地图上查看高风险纠纷地点', en: 'See high-risk dispute places on the map', roles: ['dispatcher', 'chief', 'calltaker', 'community', 'admin'] },
    { id: 'dispute.alert', zh: '辖区纠纷风险升至橙色或红色时收到提醒', en: 'Be alerted when a dispute of one’s jurisdiction rises to orange or red', roles: ['chief'] },
    { id: 'dispute.stats', zh: '查看纠纷化解统计', en: 'See the register’s figures', roles: ['chief', 'supervisor', 'analyst', 'admin', 'community'] },
    { id: 'agency.read', zh: '查看调解机构与调解员', en: 'Read the mediation agencies and their mediators', roles: [...REGISTER, 'mediator', 'supervisor', 'analyst'] },
    { id: 'console.disputes', zh: '使用矛盾纠纷台账', en: 'Use the dispute register', roles: [...REGISTER, 'supervisor', 'analyst'] },
    { id: 'console.mediation', zh: '使用调解工作台', en: 'Use the mediation work list', roles: ['mediator'] },
  ],
  messages: DISPUTE_MESSAGES,
  emits: ['dispute'],
  kpis: [
    { id: 'dispute.resolution_rate', zh: '矛盾纠纷化解率', en: 'Dispute resolution rate', unit: 'rate', better: 'up', numerator: 'disputes registered in the period and resolved', denominator: 'disputes registered in the period', definition: 'resolved ÷ registered, both over the disputes registered in the period; resolved = closed with an outcome in RESOLVED_OUTCOMES (domain/vocabulary.ts)' },
    { id: 'dispute.performance_rate', zh: '调解协议履行率', en: 'Agreement performance rate', unit: 'rate', better: 'up', numerator: 'agreements found performed on a follow-up visit', denominator: 'agreements signed in the period', definition: 'agreements found performed on a follow-up visit ÷ agreements signed in the period' },
    { id: 'dispute.recurrence_rate', zh: '纠纷复发率', en: 'Dispute recurrence rate', unit: 'rate', better: 'down', numerator: 'disputes closed in the period that recurred within 90 days', denominator: 'disputes closed in the period', definition: 'disputes closed in the period with a new incident from a party’s phone or within 100 m within 90 days of closure ÷ disputes closed in the period' },
    { id: 'dispute.median_days', zh: '化解用时中位数（天）', en: 'Median days to resolution', unit: 'days', better: 'down', definition: 'median of closedAt − registeredAt over the resolved disputes registered in the period' },
  ],
  web: {
    namespace: 'disputes',
    menu: [
      { path: '/disputes', permission: 'console.disputes', labelKey: 'nav.disputes' },
      { path: '/mediation', permission: 'console.mediation', labelKey: 'nav.mediation' },
    ],
  },
  setup: (kernel): DisputeDeps => {
    const { incidents } = kernel.api<IncidentsApi>('incidents');
    const deps: DisputeDeps = {
      db: kernel.ctx.db,
      writes: kernel.writes,
      jurisdiction: kernel.api<JurisdictionIndex>('org'),
      incidents,
      addresses: kernel.ctx.addresses,
      calendar: defaultCalendar(),
      log: kernel.log,
    };
    const watch = new DisputeWatch(deps);
    // A new incident at a dispute's place or from a party's phone: regrade it, link it, or count a recurrence.
    kernel.outbox.on('incident', (e, row) => ((e.data as { event?: string } | null)?.event === 'created' && row ? watch.onIncident(row as IncidentRow) : undefined));
    watches.set(kernel, watch);
    return deps;
  },
  start: (kernel) => watches.get(kernel)?.start(),
  stop: (kernel) => watches.get(kernel)?.stop(),
  routes: async (api, kernel) => {
    const deps = kernel.api<DisputeDeps>('disputes');
    await api.register(disputeRoutes, { deps });
    await api.register(referralRoutes, { deps });
  },
});

const watches = new WeakMap<object, DisputeWatch>();
