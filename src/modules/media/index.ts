/**
 * Body-cam media (执法音视频, issue 14 part 4): resumable upload (tus 1.0) with SHA-256 on arrival into a
 * local folder or an S3-compatible store, registration of device exports, playback by HTTP range (every
 * view and copy audited), automatic linkage to incidents and cases by officer + assignment window, manual
 * linkage, reasons for required steps without recording, the linkage rate, retention and its purge.
 * See docs/cases.md "Body-cam media".
 */
import { defineModule } from '../../kernel/module.js';
import type { Role } from '../../core/roles.js';
import type { IncidentsApi } from '../incidents/index.js';
import type { JurisdictionIndex } from '../org/index.js';
import { accountsByIds } from '../users/index.js';
import { provideCaseLinkage, type CaseDeps } from '../cases/index.js';
import { media, mediaExemptions, mediaInspections, mediaLinks } from './schema.js';
import { mediaConfigFromEnv } from './config.js';
import { createStores } from './storage.js';
import { MEDIA_MESSAGES, type MediaDeps } from './upload.js';
import { purgeExpiredMedia } from './retention.js';
import { linkageRate } from './linkage.js';
import uploadRoutes from './routes-upload.js';
import mediaRoutes from './routes.js';
import linkageRoutes from './routes-linkage.js';
import inspectionRoutes from './routes-inspections.js';
import { inspectionCount } from './inspections.js';

export { linkageRate, mediaScope } from './linkage.js';
export { purgeExpiredMedia } from './retention.js';
export { mediaConfigFromEnv, type MediaConfig, type S3Config } from './config.js';
export { createStores, LocalStore, S3Store, ASSET_DIR, type MediaStore } from './storage.js';
export { REQUIRED_CASE_STEPS, NO_RECORDING_REASONS, MIN_RETENTION_DAYS, type LinkageFigure } from './domain/linkage.js';
export { media, mediaLinks, mediaExemptions, mediaInspections } from './schema.js';
export { INSPECTION_RESULTS, type InspectionResult } from './domain/inspections.js';
export { parseRange, contentRange, type ByteRange, type RangeAnswer } from './domain/range.js';
export type { MediaDeps } from './upload.js';

export const MEDIA_SCOPE = 'media:write';
const OFFICERS: readonly Role[] = ['officer', 'chief', 'community', 'admin'];

export default defineModule<MediaDeps>({
  name: 'media',
  needs: ['org', 'users', 'audit', 'incidents', 'cases', 'dispatch'],
  tables: { media, mediaLinks, mediaExemptions, mediaInspections },
  messages: MEDIA_MESSAGES,
  permissions: [
    { id: 'media.upload', zh: '上传执法记录仪录像', en: 'Upload body-cam recordings', roles: OFFICERS, tokenScopes: [MEDIA_SCOPE] },
    { id: 'media.import', zh: '登记采集站导出的录像', en: 'Register recordings from a device export', roles: ['chief', 'admin'], tokenScopes: [MEDIA_SCOPE] },
    { id: 'media.read', zh: '查看与播放辖区内的执法录像（留痕）', en: 'List and play the recordings of one’s jurisdiction (audited)', roles: [...OFFICERS, 'supervisor'] },
    { id: 'media.link', zh: '将录像手动关联到案件', en: 'Link a recording to a case by hand', roles: OFFICERS },
    { id: 'media.justify', zh: '说明需录像步骤未录像的原因', en: 'Give the reason a required step has no recording', roles: OFFICERS },
    { id: 'media.hold', zh: '将录像标记为证据永久保存', en: 'Mark a recording as evidence (kept for good)', roles: ['chief', 'supervisor', 'admin'] },
    { id: 'media.inspect', zh: '视频巡查：检查辖区内的执法录像并查看巡查记录', en: 'Inspect the recordings of one’s jurisdiction and read the inspection log', roles: ['supervisor', 'chief', 'admin'] },
  ],
  tokenScopes: [{ id: MEDIA_SCOPE, zh: '上传与登记执法录像（采集站）', en: 'Upload and register recordings (docking stations)' }],
  kpis: [
    { id: 'media.linkage_rate', zh: '执法音视频关联率', en: 'Body-cam linkage rate', definition: 'required steps with a linked recording ÷ required steps, in the period: on-scene enforcement steps of cases (summons, detention, arrest, seizure) and 110 responses that reached the scene; a step with a reason given still counts as not linked (linkageRate in src/modules/media/linkage.ts)' },
    { id: 'media.inspections', zh: '视频巡查次数', en: 'Video inspections', unit: 'count', better: 'up', definition: 'inspections of recordings (视频巡查) recorded in the period in the jurisdiction (at), whatever their result; by the recording’s station', measure: inspectionCount },
  ],
  setup: (kernel): MediaDeps => {
    const config = mediaConfigFromEnv(kernel.ctx.config.dataDir);
    // The case figures' linkage rate comes from here (media needs cases, not the reverse).
    provideCaseLinkage(kernel.api<CaseDeps>('cases'), async (p, from, to) => (await linkageRate(kernel.ctx.db, p, from, to, config.linkMarginMinutes)).rate);
    return {
      db: kernel.ctx.db,
      writes: kernel.writes,
      config,
      stores: createStores(config),
      jurisdiction: kernel.api<JurisdictionIndex>('org'),
      incidents: kernel.api<IncidentsApi>('incidents').incidents,
      accounts: (db, ids) => accountsByIds(db, ids),
      hashers: new Map(),
      busy: new Set(),
      log: kernel.log,
    };
  },
  start: (kernel) => {
    const deps = kernel.api<MediaDeps>('media');
    if (!deps.config.purgeHours) return;
    const run = () => void purgeExpiredMedia(deps).catch((err: unknown) => kernel.log(err, 'media purge failed'));
    deps.purgeTimer = setInterval(run, deps.config.purgeHours * 3_600_000);
    deps.purgeTimer.unref();
    setTimeout(run, 60_000).unref();
  },
  stop: (kernel) => {
    const deps = kernel.optionalApi<MediaDeps>('media');
    if (deps?.purgeTimer) clearInterval(deps.purgeTimer);
    deps?.stores.destroy();
  },
  routes: async (api, kernel) => {
    const deps = kernel.api<MediaDeps>('media');
    await api.register(uploadRoutes, { deps });
    await api.register(mediaRoutes, { deps });
    await api.register(linkageRoutes, { deps });
    await api.register(inspectionRoutes, { deps });
  },
});
