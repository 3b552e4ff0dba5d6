/**
 * Citizen portal and Open311 (issue 15, PRODUCT.md §8): citizens sign in with a phone number and a
 * one-time code (a session apart from staff sessions), report non-emergencies routed by category + place
 * (the category list is the routing table an administrator edits), are offered open duplicates nearby to
 * "add my voice" to, are told at once to call 110 when they type an emergency, follow their report's
 * status and read their notifications; staff review the queue of their jurisdiction. The same reports
 * are served as Open311 GeoReport v2 under /open311/v2/. See docs/citizen.md.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { defineModule } from '../../kernel/module.js';
import type { Kernel } from '../../kernel/kernel.js';
import type { IncidentsApi } from '../incidents/index.js';
import type { JurisdictionIndex } from '../org/index.js';
import { citizenNotifications, citizenOtpFailures, citizenOtps, citizenPhotos, citizenReportEvents, citizenReports, citizenServices, citizenSessions, citizenVoices, citizens, open311Keys } from './schema.js';
import { CITIZEN_MESSAGES } from './errors.js';
import { CitizenIdentity, LogSmsSender, type SmsSender } from './identity.js';
import { CitizenReports } from './reports.js';
import { CitizenPhotos } from './photos.js';
import { Open311Intake } from './open311-intake.js';
import type { MediaDeps } from '../media/index.js';
import type { CitizenDeps } from './deps.js';
import { CITIZEN_KPIS } from './kpis.js';
import citizenRoutes from './routes.js';
import open311Routes, { OPEN311_PREFIX } from './open311-routes.js';
import citizenMoreRoutes from './routes-more.js';
import { citizenNotices, citizenRatings, citizenVideos, citizenViolations } from './schema-more.js';
import { CitizenVideos } from './videos.js';
import citizenVideoRoutes from './routes-video.js';
import basemapRoutes from './routes-basemap.js';
import { CitizenViolations } from './violations.js';
import { CitizenSatisfaction } from './satisfaction.js';
import { CitizenNotices } from './notices.js';
import { CITIZEN_MORE_KPIS } from './kpis-more.js';
import { citizenAccidentCodeFailures, citizenAccidentEvents, citizenAccidentParties, citizenAccidents } from './accident/schema.js';
import { CitizenAccidents } from './accident/service.js';
import { ACCIDENT_KPIS } from './accident/kpis.js';
import accidentRoutes from './accident/routes.js';

export { citizens, citizenReports, citizenServices } from './schema.js';
export { CITIZEN_COOKIE, LogSmsSender, type SmsSender } from './identity.js';
export { createOpen311Key } from './keys.js';
export { OPEN311_PREFIX } from './open311-routes.js';
export type { CitizenDeps } from './deps.js';
// For community policing's visit photos: the same sniffing of the bytes and the same limits.
export { sniffImage, PHOTO_LIMITS } from './domain/sniff.js';
export { CitizenAccidents } from './accident/service.js';

/** The SMS adapter in use: the log sender unless a deployment sets one before start (setSmsSender). */
let smsSender: SmsSender | null = null;
export function setSmsSender(s: SmsSender) {
  smsSender = s;
}

const REVIEW = ['chief', 'community', 'officer', 'dispatcher', 'admin'] as const;

export default defineModule<CitizenDeps>({
  name: 'citizen',
  needs: ['org', 'audit', 'incidents', 'addresses', 'media'],
  tables: { citizens, citizenOtps, citizenOtpFailures, citizenSessions, citizenServices, citizenReports, citizenReportEvents, citizenVoices, citizenNotifications, citizenPhotos, open311Keys, citizenViolations, citizenRatings, citizenNotices, citizenVideos, citizenAccidents, citizenAccidentParties, citizenAccidentEvents, citizenAccidentCodeFailures },
  permissions: [
    { id: 'citizen.review', zh: '审核辖区内的群众网上报事（受理、转办、不予受理、合并重复、办结）', en: 'Review the citizen reports of one’s jurisdiction (accept, reject, merge duplicates, resolve)', roles: [...REVIEW] },
    { id: 'accident.determine', zh: '快处快赔：远程认定辖区内轻微交通事故责任、生成协议、登记保险报案号', en: '快处快赔: determine liability of minor accidents of one’s jurisdiction remotely, produce the agreement, record the insurer’s reference', roles: [...REVIEW] },
    { id: 'citizen.admin', zh: '维护报事类别与分派表、Open311 接入密钥', en: 'Edit the report categories and routing table, Open311 client keys', roles: ['admin'], cityWide: true },
    { id: 'citizen.notice', zh: '发布、撤回辖区内的安全提示（全市提示仅限市局账号）', en: 'Publish and withdraw the safety notices of one’s jurisdiction (whole-city notices: city-wide accounts only)', roles: ['chief', 'admin'] },
  ],
  messages: {
    ...CITIZEN_MESSAGES,
    citizen_call_110: { zh: '这可能是紧急情况：请立即拨打110！如仍要网上提交，请确认后再次提交（将标记为紧急）', en: 'This may be an emergency: call 110 now! To send it online anyway, confirm and send again (it is flagged urgent)' },
    citizen_duplicates: { zh: '附近已有 {n} 条相同类别的报事正在办理，可以选择“我也反映”，或确认后新建', en: '{n} open reports of this category are nearby: add your voice, or confirm to make a new one' },
  },
  kpis: [...CITIZEN_KPIS, ...CITIZEN_MORE_KPIS, ...ACCIDENT_KPIS],
  web: { namespace: 'citizen', menu: [{ path: '/citizen-reports', permission: 'citizen.review', labelKey: 'nav.citizenReports' }] },
  setup: async (kernel): Promise<CitizenDeps> => {
    const cfg = kernel.ctx.config;
    const writes = kernel.writes;
    const jurisdiction = kernel.api<JurisdictionIndex>('org');
    const secret = process.env.SHOUWANG_CITIZEN_SECRET ?? randomBytes(32).toString('hex');
    const sender = smsSender ?? new LogSmsSender((m) => kernel.log(null, m));
    // Outside demo mode the code never comes back in the answer, whatever the sender says.
    const demoSender: SmsSender = cfg.demo ? sender : { demo: false, send: (p, t) => sender.send(p, t) };
    const identity = new CitizenIdentity(kernel.ctx.db, writes, { secret, sender: demoSender, sessionHours: Number(process.env.SHOUWANG_CITIZEN_SESSION_HOURS ?? 72) });
    const reports = new CitizenReports({ db: kernel.ctx.db, writes, jurisdiction, incidents: kernel.api<IncidentsApi>('incidents').incidents, addresses: kernel.ctx.addresses, transferDueHours: cfg.transferDueHours });
    await reports.seedServices();
    const violations = new CitizenViolations(reports);
    await violations.seedService();
    const media = kernel.api<MediaDeps>('media');
    const photos = new CitizenPhotos(kernel.ctx.db, () => media.stores.primary);
    const videos = new CitizenVideos(kernel.ctx.db, () => media.stores.primary);
    const accidents = new CitizenAccidents({ db: kernel.ctx.db, writes, jurisdiction, addresses: kernel.ctx.addresses, secret });
    return { db: kernel.ctx.db, writes, jurisdiction, identity, reports, photos, videos, accidents, open311: new Open311Intake(kernel.ctx.db), trustedOrigins: cfg.trustedOrigins, retentionDays: Number(process.env.SHOUWANG_CITIZEN_RETENTION_DAYS ?? 365), agency: '公安局 Police bureau', violations, satisfaction: new CitizenSatisfaction(reports), notices: new CitizenNotices(kernel.ctx.db, jurisdiction) };
  },
  start: (kernel) => {
    const deps = kernel.api<CitizenDeps>('citizen');
    const run = () => void deps.identity.sweep(deps.retentionDays).catch((err: unknown) => kernel.log(err, 'citizen: retention sweep failed'));
    deps.sweepTimer = setInterval(run, 3_600_000);
    deps.sweepTimer.unref();
  },
  stop: (kernel) => {
    const deps = kernel.optionalApi<CitizenDeps>('citizen');
    if (deps?.sweepTimer) clearInterval(deps.sweepTimer);
  },
  routes: async (api, kernel) => {
    const deps = kernel.api<CitizenDeps>('citizen');
    await api.register(citizenRoutes, { deps });
    await api.register(citizenMoreRoutes, { deps });
    await api.register(citizenVideoRoutes, { deps });
    await api.register(basemapRoutes, { roads: kernel.ctx.roads });
    await api.register(accidentRoutes, { deps, accidents: deps.accidents });
  },
});

/** Open311 GeoReport v2, outside /api (the server registers it at OPEN311_PREFIX). */
export async function registerOpen311(app: FastifyInstance, kernel: Kernel): Promise<void> {
  await app.register(open311Routes, { prefix: OPEN311_PREFIX, deps: kernel.api<CitizenDeps>('citizen') });
}
