/**
 * Volunteer police (义警, issue 13) and linked-defence groups (联防): teams under stations with their
 * members' skills and leaders, patrol shifts with an area polygon and a fair sign-up window, geofenced
 * check-in and out, the hours ledger and points, volunteers' reports to the station, the chief's alert
 * for a shift short of people, and members' alerts that record an incident and notify group and station.
 * The `volunteer` role is not staff: it reaches these routes and its own session, nothing else. See
 * docs/volunteers.md.
 */
import { defineModule } from '../../kernel/module.js';
import type { Role } from '../../core/roles.js';
import type { IncidentsApi } from '../incidents/index.js';
import type { JurisdictionIndex } from '../org/index.js';
import { defenceAlerts, defenceGroups, defenceMembers, defenceNotices, volunteerLedger, volunteerMembers, volunteerReports, volunteerShiftAlerts, volunteerShifts, volunteerSignups, volunteerTeams } from './schema.js';
import { VOLUNTEER_MESSAGES } from './errors.js';
import { VolunteerService } from './service.js';
import { DefenceService } from './defence.js';
import { VolunteerWatch } from './watch.js';
import { VOLUNTEER_KPIS } from './kpis.js';
import volunteerRoutes from './routes.js';

// For the demo seed (src/demo/volunteers.ts): it writes the demo teams directly.
export { volunteerTeams, volunteerMembers, volunteerShifts, volunteerSignups, volunteerLedger, defenceGroups, defenceMembers } from './schema.js';
export { VolunteerService, type VolunteerDeps } from './service.js';
export { DefenceService } from './defence.js';
export { inArea, whereInArea, type GeoPolygon } from './domain/geofence.js';

export interface VolunteersApi {
  service: VolunteerService;
  defence: DefenceService;
  watch: VolunteerWatch;
}

const STATION: readonly Role[] = ['chief', 'community', 'admin'];
const READERS: readonly Role[] = [...STATION, 'analyst', 'supervisor'];

/** Minutes before a shift's start from which check-in is accepted. */
function graceMinutes(): number {
  const v = Number(process.env.SHOUWANG_VOLUNTEER_GRACE_MINUTES ?? 15);
  return Number.isFinite(v) && v >= 0 && v <= 240 ? v : 15;
}

export default defineModule<VolunteersApi>({
  name: 'volunteers',
  needs: ['org', 'users', 'audit', 'incidents'],
  tables: { volunteerTeams, volunteerMembers, volunteerShifts, volunteerSignups, volunteerLedger, volunteerReports, volunteerShiftAlerts, defenceGroups, defenceMembers, defenceAlerts, defenceNotices },
  permissions: [
    { id: 'volunteer.self', zh: '义警：报名、签到签退、上报、查看本人时长与积分', en: 'Volunteer: sign up, check in and out, report, see one’s hours and points', roles: ['volunteer'] },
    { id: 'volunteer.read', zh: '查看义警队与班次（义警：本队）', en: 'Read volunteer teams and shifts (a volunteer: their own team’s)', roles: ['volunteer', ...READERS] },
    { id: 'volunteer.manage', zh: '管理辖区义警队、队员与班次，处理义警上报', en: 'Manage the jurisdiction’s volunteer teams, members and shifts; handle volunteers’ reports', roles: STATION },
    { id: 'volunteer.approve', zh: '审批班次报名（派出所或队长）', en: 'Approve shift sign-ups (the station or a team leader)', roles: ['volunteer', ...STATION] },
    { id: 'volunteer.duty', zh: '查看正在值守的义警', en: 'See the volunteers on duty now', roles: [...READERS, 'dispatcher'] },
    { id: 'volunteer.alert', zh: '班次开始前 24 小时人数不足时收到提醒', en: 'Be alerted when a shift is short of people 24 h before it starts', roles: ['chief'] },
    { id: 'defence.read', zh: '查看联防组（成员：本组）', en: 'Read linked-defence groups (a member: their own)', roles: ['volunteer', ...STATION] },
    { id: 'defence.manage', zh: '管理辖区联防组及成员', en: 'Manage the jurisdiction’s linked-defence groups and members', roles: STATION },
    { id: 'defence.alert', zh: '联防成员一键报警', en: 'Raise a linked-defence alert as a member', roles: ['volunteer', ...STATION] },
    { id: 'console.volunteer', zh: '使用义警手机页', en: 'Use the volunteer’s phone page', roles: ['volunteer'] },
    { id: 'console.volunteers', zh: '使用义警管理页', en: 'Use the volunteers page of the station', roles: STATION },
  ],
  messages: VOLUNTEER_MESSAGES,
  emits: ['volunteer'],
  kpis: VOLUNTEER_KPIS,
  web: {
    namespace: 'volunteers',
    menu: [
      { path: '/volunteer', permission: 'console.volunteer', labelKey: 'nav.volunteer' },
      { path: '/volunteers', permission: 'console.volunteers', labelKey: 'nav.volunteers' },
    ],
  },
  setup: (kernel): VolunteersApi => {
    const { incidents } = kernel.api<IncidentsApi>('incidents');
    const service = new VolunteerService({ db: kernel.ctx.db, writes: kernel.writes, jurisdiction: kernel.api<JurisdictionIndex>('org'), incidents, graceMinutes: graceMinutes(), log: kernel.log });
    return { service, defence: new DefenceService(service.deps), watch: new VolunteerWatch(service) };
  },
  start: (kernel) => kernel.api<VolunteersApi>('volunteers').watch.start(),
  stop: (kernel) => kernel.api<VolunteersApi>('volunteers').watch.stop(),
  routes: async (api, kernel) => {
    const { service, defence } = kernel.api<VolunteersApi>('volunteers');
    await api.register(volunteerRoutes, { service, defence });
  },
});
