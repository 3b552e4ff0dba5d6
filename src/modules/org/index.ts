/**
 * Org: the organisation tree (市局 → 分局 → 派出所 → 警格) with station and grid polygons, every read
 * limited to the principal's jurisdiction, and the index that finds the station and grid of a point.
 */
import { defineModule } from '../../kernel/module.js';
import { orgUnits } from '../../db/schema.js';
import orgRoutes from './routes.js';
import { JurisdictionIndex } from './jurisdiction.js';

export { UNIT_KINDS, unitSummary, listUnits, getUnit, countUsersUnder, insertUnit, rootUnit, type UnitKind, type UnitRow, type NewUnit } from './store.js';
export { JurisdictionIndex, type Located } from './jurisdiction.js';
export { validatePolygon } from './polygon.js';
// The demo city, until issue 10 step 6 moves it to src/demo/ (addresses, dispatch, demo and the
// simulator use it; `pointInPolygon` and `mulberry32` then get their home in src/core/).

export default defineModule({
  name: 'org',
  tables: { orgUnits },
  web: { menu: [{ path: '/admin/org', permission: 'org.manage', labelKey: 'nav.org' }] },
  permissions: [
    { id: 'org.read', zh: '查看辖区内的组织机构与辖区图', en: 'Read the units and polygons of one’s jurisdiction', roles: 'any', tokenScopes: ['org:read'] },
    { id: 'org.manage', zh: '新增与修改下级单位', en: 'Create units and change the units below one’s own', roles: ['admin'] },
  ],
  tokenScopes: [{ id: 'org:read', zh: '读取组织机构', en: 'Read the organisation tree' }],
  setup: async (kernel) => {
    // The point → station index, shared by every module; reloaded when any instance changes a unit.
    const jurisdiction = (kernel.ctx.jurisdiction ??= new JurisdictionIndex(kernel.ctx.db));
    kernel.caches.onChange('org', () => jurisdiction.invalidate());
    // Loaded now: later lookups (some inside write transactions) answer from memory.
    await jurisdiction.paths();
    return jurisdiction;
  },
  routes: async (api) => {
    await api.register(orgRoutes);
  },
});
