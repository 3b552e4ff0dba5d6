/**
 * Community policing (社区警务, 警格 + 网格; issue 13, the community officer's half): the police grids get
 * owners (community officers), a weekly visit target and the civic grids (网格) they overlay as
 * versioned polygons; each week a fair visit plan per officer (every door once before any twice; open
 * disputes and repeat-incident addresses first); home visits recorded from the phone with services and
 * findings — the service given and the problem found, never a profile of the household — sent once
 * even when sent again after a time without signal; a finding becomes a dispute in one call. The
 * station chief sees coverage per grid and visits per officer against the target. See docs/community.md.
 */
import { defineModule } from '../../kernel/module.js';
import type { Role } from '../../core/roles.js';
import type { JurisdictionIndex } from '../org/index.js';
import type { DisputeDeps } from '../disputes/index.js';
import type { IncidentsApi } from '../incidents/index.js';
import type { MediaDeps } from '../media/index.js';
import { civicGrids, communityFindingLinks, communityGridOwners, communityGridTargets, communityPoliceRooms, communityRoomVisitors, communityTasks, communityVisitPhotos, communityVisits, communityVisitSkips } from './schema.js';
import { COMMUNITY_MESSAGES } from './errors.js';
import { DoorCache } from './doors.js';
import type { CommunityDeps } from './deps.js';
import { COMMUNITY_KPIS, kpiContext } from './kpis.js';
import communityRoutes from './routes.js';
import policeRoomRoutes from './routes-rooms.js';
import visitPhotoRoutes from './routes-photos.js';

export { civicGrids, communityFindingLinks, communityGridOwners, communityGridTargets, communityPoliceRooms, communityRoomVisitors, communityTasks, communityVisitPhotos, communityVisits, communityVisitSkips } from './schema.js';
export { ROOM_PURPOSES, type RoomPurpose } from './domain/vocabulary.js';
export { USUAL_HOURS, isOpenAt, receptionAt, type WeeklyHours } from './domain/reception.js';
export { SERVICE_CODES, FINDING_CODES, SKIP_REASONS, type ServiceCode, type FindingCode } from './domain/vocabulary.js';
export { planGrid, DEFAULT_TARGET, type Door, type PlannedDoor } from './domain/planner.js';
export { DoorCache, type DoorSource, type DoorAddress } from './doors.js';
export { planWeek, type WeekPlan } from './plans.js';
export { visitedDoors, ownersOf, targetsOf } from './grids.js';
export type { CommunityDeps } from './deps.js';

const FIELD: readonly Role[] = ['community', 'chief', 'admin'];

export default defineModule<CommunityDeps>({
  name: 'community',
  needs: ['org', 'users', 'audit', 'addresses', 'incidents', 'disputes', 'media'],
  tables: { communityGridOwners, communityGridTargets, civicGrids, communityVisits, communityVisitSkips, communityFindingLinks, communityPoliceRooms, communityRoomVisitors, communityTasks, communityVisitPhotos },
  permissions: [
    { id: 'grid.read', zh: '查看辖区内警格的责任民警、走访目标与覆盖率', en: 'Read the grids of one’s jurisdiction: owners, visit target, coverage', roles: [...FIELD, 'officer', 'supervisor', 'analyst'] },
    { id: 'grid.manage', zh: '指定警格责任社区民警与走访目标', en: 'Set the owners and the weekly visit target of a grid', roles: ['chief', 'admin'] },
    { id: 'grid.figures', zh: '查看社区民警走访完成情况', en: 'See visits per community officer against the target', roles: ['chief', 'admin', 'supervisor', 'analyst'] },
    { id: 'civic_grid.import', zh: '导入网格（GeoJSON）', en: 'Import civic grids (GeoJSON)', roles: ['admin'] },
    { id: 'visit.plan', zh: '查看本人的走访计划并登记跳过原因', en: 'See one’s weekly visit plan and skip a door with its reason', roles: ['community'] },
    { id: 'visit.record', zh: '登记入户走访', en: 'Record a home visit', roles: FIELD },
    { id: 'visit.read', zh: '查看辖区内的入户走访', en: 'Read the home visits of one’s jurisdiction', roles: [...FIELD, 'supervisor'] },
    { id: 'visit.follow_up', zh: '将走访发现的问题转为矛盾纠纷、12345 或任务，并办结任务', en: 'Turn a finding of a visit into a dispute, a 12345 matter or a task, and close tasks', roles: FIELD },
    { id: 'police_room.read', zh: '查看辖区内的社区警务室及来访登记', en: 'Read the community police rooms of one’s jurisdiction and their visitor log', roles: [...FIELD, 'officer', 'supervisor', 'analyst'] },
    { id: 'police_room.manage', zh: '设立和维护社区警务室（位置、民警、接待时间）', en: 'Open and keep community police rooms (place, officers, reception hours)', roles: ['chief', 'admin'] },
    { id: 'police_room.log', zh: '登记警务室来访（按事由计数）', en: 'Log visitors of a police room (counted by purpose)', roles: [...FIELD, 'officer'] },
    { id: 'console.community', zh: '使用“我的警格”', en: 'Use “my grid”', roles: ['community'] },
    { id: 'console.grids', zh: '使用警格与走访总览', en: 'Use the grid and visit overview', roles: ['chief', 'admin'] },
  ],
  messages: COMMUNITY_MESSAGES,
  kpis: COMMUNITY_KPIS,
  web: {
    namespace: 'community',
    menu: [
      { path: '/my-grid', permission: 'console.community', labelKey: 'nav.myGrid' },
      { path: '/grids', permission: 'console.grids', labelKey: 'nav.grids' },
    ],
  },
  setup: (kernel): CommunityDeps => {
    const addresses = kernel.ctx.addresses;
    const jurisdiction = kernel.api<JurisdictionIndex>('org');
    const doors = new DoorCache(addresses);
    // Addresses added here or on another instance join the grids' doors.
    kernel.caches.onChange('addresses', async () => doors.invalidate());
    kernel.caches.onChange('org', async () => doors.invalidate());
    kpiContext.set(kernel.ctx.db, { doors, jurisdiction });
    const media = kernel.optionalApi<MediaDeps>('media');
    return { db: kernel.ctx.db, writes: kernel.writes, jurisdiction, doors, addresses, disputes: kernel.optionalApi<DisputeDeps>('disputes'), incidents: kernel.optionalApi<IncidentsApi>('incidents')?.incidents, store: media ? () => media.stores.primary : undefined };
  },
  routes: async (api, kernel) => {
    await api.register(communityRoutes, { deps: kernel.api<CommunityDeps>('community') });
    await api.register(policeRoomRoutes, { deps: kernel.api<CommunityDeps>('community') });
    await api.register(visitPhotoRoutes, { deps: kernel.api<CommunityDeps>('community') });
  },
});
