/**
 * Dispatch: units and their roster, positions (AVL over HTTP and MQTT), recommendation by road ETA,
 * assignments that move the incident's lifecycle, and alert timers. The service needs roads and the
 * incident service: buildApp (src/server/app.ts) creates it when the AppContext has a road network (or
 * takes the one handed in); without it the server has no dispatch routes.
 */
import { defineModule } from '../../kernel/module.js';
import { DISPATCH_KPIS } from './kpis.js';
import type { Role } from '../../core/roles.js';
import { assignments, dispatchAlerts, units, unitPositions, unitShifts, unitStatusEvents } from './schema.js';
import { AVL_SCOPE, DispatchService, dispatchConfigFromEnv } from './service.js';
import type { IncidentRow, IncidentsApi } from '../incidents/index.js';
import type { JurisdictionIndex } from '../org/index.js';
import dispatchRoutes from './routes.js';

export {
  DispatchService,
  DEFAULT_DISPATCH_CONFIG,
  dispatchConfigFromEnv,
  MQTT_FEED,
  AVL_SCOPE,
  UNIT_KINDS,
  type DispatchConfig,
  type DispatchServiceOptions,
  type PositionReport,
  type UnitInput,
  type UnitKind,
} from './service.js';
export { UNIT_STATUSES, UNIT_STATUS_LABELS, type UnitStatus } from './domain/unit-status.js';
export { ACTIVE_ASSIGNMENT_STATUSES, type AssignmentRow, type UnitRow } from './store.js';
export { AVL_TOPIC_PREFIX, avlSubscription, parseAvlMessage, startAvlMqtt, type AvlMqttOptions } from './mqtt.js';
export { MAX_BATCH } from './routes.js';
export { assignments, dispatchAlerts, units, unitPositions, unitShifts, unitStatusEvents } from './schema.js';
export { crewAssignments, onSceneAssignments, assignmentById, type CrewAssignment } from './crew-windows.js';

/** Every staff role but the mediator (who may be non-police). */
const STAFF: readonly Role[] = ['calltaker', 'dispatcher', 'officer', 'chief', 'community', 'supervisor', 'analyst', 'admin'];
/** Who sends units: dispatchers and station chiefs. */
const COMMAND: readonly Role[] = ['dispatcher', 'chief'];
/** Who works an assignment in the field, and the commanders who may act for the crew. */
const CREW: readonly Role[] = ['officer', 'dispatcher', 'chief'];

export default defineModule({
  name: 'dispatch',
  kpis: DISPATCH_KPIS,
  needs: ['audit', 'org', 'users', 'roads', 'realtime', 'incidents'],
  tables: { units, unitShifts, unitStatusEvents, unitPositions, assignments, dispatchAlerts },
  permissions: [
    { id: 'unit.read', zh: '查看辖区内的警力、排班与状态记录', en: 'Read the units of one’s jurisdiction, their shifts and status history', roles: STAFF },
    { id: 'unit.manage', zh: '新增与修改警力单元', en: 'Add and change units', roles: ['admin', 'chief'] },
    { id: 'roster.manage', zh: '为警力单元排班', en: 'Add shifts to a unit’s roster', roles: ['admin', 'chief', 'dispatcher'] },
    { id: 'unit.report_status', zh: '变更警力状态（出发、到场、处置完毕等）', en: 'Set a unit’s status (en route, on scene, clear …)', roles: CREW },
    { id: 'unit.report_position', zh: '上报单个警力的位置', en: 'Report one unit’s position', roles: CREW, tokenScopes: [AVL_SCOPE] },
    { id: 'unit.report_position_batch', zh: '批量上报多个警力的位置（定位网关）', en: 'Report the positions of many units at once (AVL gateways)', roles: [], tokenScopes: [AVL_SCOPE] },
    { id: 'dispatch.recommend', zh: '查看警情的派警推荐', en: 'See the units recommended for an incident', roles: [...COMMAND, 'calltaker'] },
    { id: 'dispatch.route', zh: '查看警力前往警情的道路路线', en: 'See a unit’s road route to an incident', roles: CREW },
    { id: 'assignment.read', zh: '查看警情的派警记录', en: 'Read the assignments of an incident', roles: STAFF },
    { id: 'dispatch.assign', zh: '派警、改派与撤回警力', en: 'Assign, reassign and withdraw units', roles: COMMAND },
    { id: 'assignment.respond', zh: '签收派警指令', en: 'Acknowledge an assignment', roles: CREW },
    { id: 'assignment.own', zh: '查看本人所在警力的派警任务', en: 'See the assignments of one’s own unit', roles: 'any' },
    { id: 'alert.read', zh: '查看辖区内的调度告警', en: 'Read the open dispatch alerts of one’s jurisdiction', roles: COMMAND },
    { id: 'alert.ack', zh: '确认调度告警', en: 'Acknowledge a dispatch alert', roles: COMMAND },
    { id: 'console.dispatch', zh: '使用调度台', en: 'Use the dispatch console', roles: COMMAND },
    { id: 'console.officer', zh: '使用民警手机端', en: 'Use the officer’s phone view', roles: ['officer'] },
  ],
  tokenScopes: [{ id: AVL_SCOPE, zh: '上报警力位置（车载/网关）', en: 'Report unit positions (AVL gateways)' }],
  emits: ['unit_status', 'unit_position', 'assignment', 'alert'],
  web: {
    namespace: 'dispatch',
    menu: [
      { path: '/dispatch', permission: 'console.dispatch', labelKey: 'nav.dispatch' },
      { path: '/officer', permission: 'console.officer', labelKey: 'nav.officer' },
    ],
  },
  // Without a road network there is no dispatch (no ETA): no service and no routes.
  setup: async (kernel): Promise<DispatchService | undefined> => {
    const { ctx } = kernel;
    if (!ctx.roads) return undefined;
    const bus = ctx.bus!;
    const dispatch = (ctx.dispatch ??= new DispatchService({
      db: ctx.db,
      roads: ctx.roads,
      incidents: kernel.api<IncidentsApi>('incidents').incidents,
      categories: kernel.api<IncidentsApi>('incidents').categories,
      org: kernel.api<JurisdictionIndex>('org'),
      // positions only (telemetry); every other event goes through the outbox with its write
      publish: ctx.publish ?? ((e) => void bus.publish(e).catch((err: unknown) => kernel.log(err, 'position publish failed'))),
      writes: kernel.writes,
      config: { ...dispatchConfigFromEnv(), ...ctx.dispatchConfig },
      subscribe: (h) => bus.subscribe(h),
      log: kernel.log,
    }));
    // Units are released when their incident ends (closed, cancelled, merged, transferred), once per change.
    kernel.outbox.on('incident', (_e, row) => (row ? dispatch.onIncidentChange(row as IncidentRow) : undefined));
    // An incident that ends takes its P1-unassigned alert with it, in the same transaction.
    kernel.api<IncidentsApi>('incidents').incidents.onEnded((w, row) => dispatch.incidentEndedIn(w, row));
    await dispatch.init();
    return dispatch;
  },
  stop: (kernel) => kernel.optionalApi<DispatchService>('dispatch')?.stop(),
  routes: async (api, kernel) => {
    if (kernel.ctx.dispatch) await api.register(dispatchRoutes, { dispatch: kernel.ctx.dispatch, writes: kernel.writes });
  },
});
