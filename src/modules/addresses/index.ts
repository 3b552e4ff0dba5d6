/**
 * Addresses: the standard address registry — search as the call-taker types, reverse lookup, QR door
 * plates, CSV import and single additions inside the administrator's jurisdiction — and the landmark
 * list (hotels, schools, hospitals, squares, bridges, stations; issue 11 #4), searched with it. The service is
 * created outside the server (src/server/start.ts, test helpers: the index is loaded once; in demo mode
 * src/demo/addresses.ts adds the demo city's registry) and handed in the AppContext; without it the
 * server has no address routes. Where a point lies, the org module's JurisdictionIndex answers.
 */
import { defineModule } from '../../kernel/module.js';
import type { JurisdictionIndex } from '../org/index.js';
import addressRoutes from './routes.js';
import landmarkRoutes from './landmark-routes.js';
import { addresses, landmarks } from './schema.js';
import type { AddressService } from './service.js';

export {
  AddressService,
  createAddressService,
  addressView,
  type AddressHit,
  type AddressRecord,
  type AddressNear,
  type AddressSource,
  type AddressView,
  type SearchResult as AddressSearchResult,
  type ImportResult as AddressImportResult,
} from './service.js';
export { LANDMARK_KINDS, type Landmark, type LandmarkKind } from './landmarks.js';
export type { LandmarkInput } from './landmark-service.js';
export type { AddressInput, CsvError } from './csv.js';
export { composeText } from './normalise.js';
export type { NamedRoad } from './road-aliases.js';

export default defineModule<AddressService | undefined>({
  name: 'addresses',
  needs: ['org'],
  tables: { addresses, landmarks },
  permissions: [
    { id: 'address.read', zh: '查询标准地址与门牌二维码', en: 'Search standard addresses and print door plates', roles: 'any', tokenScopes: ['addresses:read'] },
    { id: 'address.manage', zh: '导入与新增辖区内的标准地址', en: 'Import and add standard addresses inside one’s jurisdiction', roles: ['admin'] },
  ],
  tokenScopes: [{ id: 'addresses:read', zh: '查询标准地址', en: 'Search standard addresses' }],
  messages: {
    outside_your_jurisdiction: { zh: '位置（{lon}, {lat}）不在您的辖区内', en: 'The location ({lon}, {lat}) lies outside your jurisdiction' },
  },
  setup: (kernel) => {
    const svc = kernel.ctx.addresses;
    if (svc) {
      // Points are placed with org's index, which org keeps current on every instance (new polygons).
      svc.useJurisdiction(kernel.api<JurisdictionIndex>('org'));
      // Caches that agree across instances: addresses added elsewhere join this index.
      kernel.caches.onChange('addresses', (key) => svc.takeFromPeers(key ? key.split(',') : null).then(() => {}));
      kernel.caches.onChange('landmarks', () => svc.landmarks.load());
    }
    return svc;
  },
  routes: async (api, kernel) => {
    const svc = kernel.ctx.addresses;
    if (!svc) return;
    // A few codes travel in the event; a bulk import says "look for what you lack".
    const announce = (codes: string[] | null) => kernel.caches.changed('addresses', codes && codes.length <= 100 ? codes.join(',') : null);
    await api.register(addressRoutes, { addresses: svc, publicUrl: process.env.SHOUWANG_PUBLIC_URL, announce });
    await api.register(landmarkRoutes, { landmarks: svc.landmarks, announce: (id) => kernel.caches.changed('landmarks', id) });
  },
});
