/**
 * Roads: the road network (OSM / GeoJSON import, compact graph files), snapping, travel times and
 * coverage. The service is loaded outside the server (src/server/start.ts, test helpers: the graph is
 * built once) and handed in the AppContext; without it the server has no road routes.
 */
import { defineModule } from '../../kernel/module.js';
import roadsRoutes from './routes.js';
import type { RoadService } from './service.js';

export { RoadService, loadRoadService, DEMO_ROADS_GEOJSON, type LonLat, type EtaResult, type RoadFeatureCollection, type RoadInfo, type RoadServiceOptions } from './service.js';
export type { SnapResult, EdgePosition } from './snap.js';
export { importRoadFile, importRoads, loadGraphFile, saveGraphFile, type ImportOptions, type ImportResult as RoadImportResult } from './import.js';
export { RoadGraphFormatError, RoadImportError } from './errors.js';
export { registerRoadsCommands, type CliIo } from './cli.js';

export default defineModule<RoadService | undefined>({
  name: 'roads',
  permissions: [{ id: 'roads.read', zh: '查看路网、覆盖范围与行程时间', en: 'Read the road network, coverage and travel times', roles: 'any', tokenScopes: ['roads:read'] }],
  tokenScopes: [{ id: 'roads:read', zh: '读取路网与行程时间', en: 'Read the road network and travel times' }],
  setup: (kernel) => kernel.ctx.roads,
  routes: async (api, kernel) => {
    if (kernel.ctx.roads) await api.register(roadsRoutes, { roads: kernel.ctx.roads });
  },
});
