/**
 * Incidents: 110 intake — incidents and their lifecycle, the category tree (one source of truth: the
 * database), duplicates and merges, caller and place history, transfers to other hotlines, 12345 work
 * orders, callbacks (回访).
 */
import { defineModule } from '../../kernel/module.js';
import { INCIDENT_KPIS } from './kpis.js';
import { callbacks, categories as categoriesTable, hotlineOrders, incidentCounters, incidentEvents, incidents as incidentsTable, transfers } from './schema.js';
import type { JurisdictionIndex } from '../org/index.js';
import { CategoryStore } from './categories-store.js';
import { IncidentService } from './service.js';
import incidentRoutes from './routes.js';
import followupRoutes from './followup-routes.js';

export { IncidentService, incidentScope, SOURCES, type CreateIncidentInput, type IncidentRow } from './service.js';
export { CategoryStore, storedCategory, type CategoryRow } from './categories-store.js';
export { unmaskedCallerIds } from './service.js';
// For the weekly report: incidents of a priority without personal data, family names, the data's last change.
export { incidentsOfPriority, familyNames, lastChangeOf, type NotableIncident } from './report-reads.js';
// The answer schema of an incident, for routes of other modules that answer one (dispatch's assignments).
export { IncidentView } from './answers.js';
// For community policing: incidents per address of some grids (repeat-incident addresses are visited first).
export { incidentCountsByAddress } from './place-reads.js';
export { answerCallbackOnline, pendingCallbacksOf, ONLINE_CALLBACK_BY, type CallbackOutcome } from './callback-answers.js';
export { callbacks, categories, hotlineOrders, incidentEvents, incidents, transfers } from './schema.js';
// Pure rules other modules apply to incidents (dispatch, the demo and the simulator).
export { CAPABILITIES, categoryFamily, type Priority } from './domain/categories.js';
export { canTransition, type IncidentSource, type IncidentStatus } from './domain/lifecycle.js';
export { addLocalDays, localDay, localDayStart, localParts } from './domain/numbering.js';
export type { DispositionCode } from './domain/dispositions.js';

/** What other modules (and the server, until it is composed from manifests alone) use of incidents. */
export interface IncidentsApi {
  incidents: IncidentService;
  categories: CategoryStore;
}

// Role sets as they were before permissions (kept exactly: the authorisation matrix is generated from them).
const STAFF = ['calltaker', 'dispatcher', 'officer', 'chief', 'community', 'supervisor', 'analyst', 'admin'] as const;
const RECORDERS = ['calltaker', 'dispatcher', 'officer', 'chief', 'community', 'admin'] as const;
const DESK = ['calltaker', 'dispatcher', 'chief', 'admin'] as const;

export default defineModule<IncidentsApi>({
  name: 'incidents',
  kpis: INCIDENT_KPIS,
  needs: ['org', 'audit', 'addresses'],
  tables: { incidents: incidentsTable, incidentEvents, incidentCounters, categories: categoriesTable, transfers, hotlineOrders, callbacks },
  permissions: [
    { id: 'incident.create', zh: '接警录入警情', en: 'Record an incident', roles: RECORDERS, tokenScopes: ['incidents:write'] },
    { id: 'incident.read', zh: '查看辖区内的警情', en: 'Read the incidents of one’s jurisdiction', roles: STAFF },
    { id: 'incident.transition', zh: '变更警情状态', en: 'Move an incident through its lifecycle', roles: [...RECORDERS, 'supervisor'] },
    { id: 'incident.merge', zh: '合并与拆分重复警情', en: 'Merge and unmerge duplicate incidents', roles: DESK },
    { id: 'incident.history', zh: '查看来电人与地点的历史警情', en: 'Read the history of a caller or place', roles: ['calltaker', 'dispatcher', 'chief', 'officer', 'admin'] },
    { id: 'incident.transfer', zh: '移交 12345/119/120/122', en: 'Transfer to 12345/119/120/122', roles: DESK },
    { id: 'transfer.answer', zh: '登记移交回复', en: 'Record a transfer’s answer', roles: DESK, tokenScopes: ['hotline12345'] },
    { id: 'transfer.read', zh: '查看移交', en: 'Read transfers', roles: [...DESK, 'supervisor', 'analyst'] },
    { id: 'hotline.order_in', zh: '接收 12345 工单', en: 'Receive 12345 work orders', roles: ['admin'], tokenScopes: ['hotline12345'] },
    { id: 'hotline.order_read', zh: '查询 12345 工单办理结果', en: 'Read a 12345 order’s outcome', roles: ['admin', 'calltaker', 'dispatcher'], tokenScopes: ['hotline12345'] },
    { id: 'callback.read', zh: '查看回访', en: 'Read callbacks', roles: [...DESK, 'supervisor', 'analyst'] },
    { id: 'callback.record', zh: '登记回访', en: 'Record a callback', roles: DESK },
    { id: 'callback.review', zh: '复核回访', en: 'Review callbacks', roles: ['chief', 'supervisor', 'admin'] },
    { id: 'category.read', zh: '查看警情类别', en: 'Read the category tree', roles: 'any', tokenScopes: ['incidents:write'] },
    { id: 'category.manage', zh: '维护全市警情类别', en: 'Edit the city-wide category tree', roles: ['admin'], cityWide: true },
    { id: 'disposition.read', zh: '查看处置结果代码', en: 'Read the disposition codes', roles: 'any' },
    { id: 'console.intake', zh: '使用接警台', en: 'Use the intake console', roles: ['calltaker', 'dispatcher', 'admin'] },
  ],
  tokenScopes: [
    { id: 'incidents:write', zh: '创建警情（接入系统）', en: 'Create incidents (integrations)' },
    { id: 'hotline12345', zh: '12345 热线对接（工单转入、移交回复）', en: '12345 hotline gateway (orders in, transfer answers)' },
  ],
  messages: {
    unknown_category: { zh: '警情类别 {code} 不存在或已停用', en: 'Category {code} does not exist or is inactive' },
    category_not_leaf: { zh: '请选择最末级警情类别（{code} 还有下级）', en: 'Choose a leaf category ({code} has sub-categories)' },
    outside_jurisdiction: { zh: '位置（{lon}, {lat}）不在任何派出所辖区内', en: 'The location ({lon}, {lat}) lies outside every station’s jurisdiction' },
    unknown_address: { zh: '标准地址代码 {code} 不存在', en: 'No standard address with code {code}' },
    location_required: { zh: '需要位置、标准地址或派出所（location / addressCode / stationId）', en: 'Give a location, a standard address or a station (location / addressCode / stationId)' },
    transition_forbidden: { zh: '您的角色不能将警情从“{from}”变更为“{to}”', en: 'Your role may not move an incident from {from} to {to}' },
    not_police_matter_required: { zh: '直接转办需选择非警务类别（群众求助转办 08），{code} 是警务类别', en: 'A transfer from intake needs a non-police category (08 Non-police matters); {code} is a police category' },
    disposition_required: { zh: '结案需要填写处置结果代码（dispositionCode）', en: 'Closing needs a disposition code (dispositionCode)' },
  },
  emits: ['incident'],
  web: {
    namespace: 'intake',
    menu: [
      { path: '/intake', permission: 'console.intake', labelKey: 'nav.intake' },
      { path: '/incidents', permission: 'incident.read', labelKey: 'nav.incidents' },
    ],
  },
  setup: async (kernel) => {
    const { db } = kernel.ctx;
    const categories = new CategoryStore(db);
    await categories.ensureSeeded();
    // Another instance edited the tree: read it again from the database.
    kernel.caches.onChange('categories', () => categories.forget());
    const incidents = new IncidentService(db, categories, kernel.api<JurisdictionIndex>('org'), kernel.writes, kernel.outbox, kernel.ctx.addresses);
    return { incidents, categories };
  },
  routes: async (api, kernel) => {
    const { incidents, categories } = kernel.api<IncidentsApi>('incidents');
    await api.register(incidentRoutes, { incidents, categories, writes: kernel.writes, transferDueHours: kernel.ctx.config.transferDueHours });
    await api.register(followupRoutes, { incidents, categories, transferDueHours: kernel.ctx.config.transferDueHours, writes: kernel.writes });
  },
});
