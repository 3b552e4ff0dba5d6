/**
 * Routes of the later parts of issue 15: 随手拍 traffic-violation reports and their review, ratings of
 * resolved reports, the callback survey answered online, safety notices, the public map.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorAnswers } from '../../core/typebox.js';
import { notFound } from '../../core/errors.js';
import { routeWrite } from '../../kernel/http-write.js';
import { requireCitizen } from './access.js';
import type { CitizenDeps } from './deps.js';
import { VIOLATION_LABELS, VIOLATION_RULES, VIOLATION_TYPES, VIOLATION_SERVICE } from './domain/violation.js';
import { staffViolationView, violationView, type CitizenViolations } from './violations.js';
import type { CitizenSatisfaction } from './satisfaction.js';
import { noticeView, type CitizenNotices, type NoticeRow } from './notices.js';
import { parseBbox, publicReports } from './public-map.js';
import { ReportIdParams } from './contract.js';
import * as M from './contract-more.js';

const TAGS = ['citizen'];
const PUBLIC = { policy: 'public' as const };

export interface MoreDeps {
  violations: CitizenViolations;
  satisfaction: CitizenSatisfaction;
  notices: CitizenNotices;
}

export default async function citizenMoreRoutes(fastify: FastifyInstance, opts: { deps: CitizenDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const { reports, writes, violations, satisfaction, notices } = deps;
  const citizen = (req: FastifyRequest) => requireCitizen(req, deps.identity, deps.trustedOrigins);
  const stationName = async (id: string | null) => (id ? ((await deps.jurisdiction.station(id))?.name ?? id) : null);

  // ---------------------------------------------------------------- 随手拍

  app.get('/citizen/violation-types', { config: PUBLIC, schema: { tags: TAGS, summary: '随手拍: the violation types and the evidence rule (public)', response: { 200: M.ViolationTypes, ...ErrorAnswers } } }, async () => ({
    items: VIOLATION_TYPES.map((code) => ({ code, ...VIOLATION_LABELS[code] })),
    minPhotos: VIOLATION_RULES.minPhotos,
    minVideoSeconds: VIOLATION_RULES.minVideoSeconds,
    windowMinutes: VIOLATION_RULES.windowMinutes,
    windowMetres: VIOLATION_RULES.windowMetres,
  }));

  app.post(
    '/citizen/violations',
    {
      config: { ...PUBLIC, audit: { entity: 'citizen_report', action: 'citizen.violation' }, idempotency: 'in-write' as const },
      schema: { tags: TAGS, summary: '随手拍: report a traffic violation (kind traffic_violation): plate, type, time, place and at least 2 photos (uploaded first through /citizen/photos) or a video of at least 10 s (videoId, uploaded through /citizen/videos). Routed like the traffic categories; only the reporter and staff of the jurisdiction see it', body: M.ViolationBody, response: { 201: M.Violation, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const c = await citizen(req);
      const b = req.body;
      const row = await routeWrite(writes, req, reply, 201, (w) => violations.create(w, c.id, { plate: b.plate, violationType: b.violationType, observedAt: b.observedAt, location: b.location, addressCode: b.addressCode, description: b.description, photoIds: b.mediaIds ?? [], videoId: b.videoId }));
      const v = (await violations.of([row.id])).get(row.id)!;
      return { ...violationView(v, (await violations.videosOf([row.id])).get(row.id)), status: 'received' as const, statusNote: null, createdAt: row.createdAt.toISOString() };
    },
  );

  app.get('/citizen/violations', { config: PUBLIC, schema: { tags: TAGS, summary: '随手拍: my violation reports with the verdict, its reason and the reward', response: { 200: M.ViolationList, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    const vs = await violations.mine(c.id);
    const rows = new Map((await reports.listMine(c.id, 200)).map((r) => [r.id, r]));
    const videos = await violations.videosOf(vs.map((v) => v.reportId));
    return {
      items: vs.flatMap((v) => {
        const r = rows.get(v.reportId);
        return r ? [{ ...violationView(v, videos.get(v.reportId)), status: r.status as 'received', statusNote: r.statusNote, createdAt: r.createdAt.toISOString() }] : [];
      }),
    };
  });

  app.get('/citizen-reports/:id/violation', { config: { permission: 'citizen.review' }, schema: { tags: TAGS, summary: '随手拍: the plate, type, time and verdict of a violation report of my jurisdiction', params: ReportIdParams, response: { 200: M.StaffViolation, ...ErrorAnswers } } }, async (req) => {
    const row = await reports.forStaff(req.principal!, Number(req.params.id));
    const v = row.serviceCode === VIOLATION_SERVICE ? (await violations.of([row.id])).get(row.id) : undefined;
    if (!v) throw notFound('report');
    return staffViolationView(v, (await violations.videosOf([row.id])).get(row.id));
  });

  app.post(
    '/citizen-reports/:id/violation-review',
    {
      config: { permission: 'citizen.review', audit: { entity: 'citizen_report', action: 'citizen.violation_review' }, idempotency: 'in-write' as const },
      schema: { tags: TAGS, summary: '随手拍: valid or not valid (with a reason the reporter reads). Valid: the first valid report of the plate and type within 30 min and 200 m is rewarded, a later one is closed as a duplicate of it', params: ReportIdParams, body: M.ViolationReviewBody, response: { 200: M.StaffViolation, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const out = await routeWrite(writes, req, reply, 200, (w) => violations.review(w, req.principal!, Number(req.params.id), req.body));
      return staffViolationView(out.violation, (await violations.videosOf([out.violation.reportId])).get(out.violation.reportId));
    },
  );

  // ---------------------------------------------------------------- satisfaction

  app.post(
    '/citizen/reports/:id/rating',
    { config: { ...PUBLIC, audit: { entity: 'citizen_report', action: 'citizen.rating' }, idempotency: 'in-write' as const }, schema: { tags: TAGS, summary: 'Rate the outcome of my resolved report (1–5, optional comment), once', params: ReportIdParams, body: M.RatingBody, response: { 201: M.Rating, ...ErrorAnswers } } },
    async (req, reply) => {
      const c = await citizen(req);
      const r = await routeWrite(writes, req, reply, 201, (w) => satisfaction.rate(w, c.id, Number(req.params.id), req.body));
      return { reportId: String(r.reportId), score: r.score, comment: r.comment, at: r.at.toISOString() };
    },
  );

  app.get('/citizen/ratings', { config: PUBLIC, schema: { tags: TAGS, summary: 'My ratings', response: { 200: M.RatingList, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    const mine = await reports.listMine(c.id, 200);
    const rated = await satisfaction.ratingsOf(c.id, mine.map((r) => r.id));
    return { items: [...rated.values()].map((r) => ({ reportId: String(r.reportId), score: r.score, comment: r.comment, at: r.at.toISOString() })) };
  });

  app.get('/citizen/surveys', { config: PUBLIC, schema: { tags: TAGS, summary: 'The callback surveys (回访) waiting for my phone: the 110 calls I made about incidents closed in the last 7 days', response: { 200: M.SurveyList, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    return { items: (await satisfaction.surveys(c)).map((s) => ({ id: s.id, incidentNumber: s.number, closedAt: s.closedAt?.toISOString() ?? null })) };
  });

  app.post(
    '/citizen/surveys/:id',
    { config: { ...PUBLIC, audit: { entity: 'callback', action: 'callback.online' } }, schema: { tags: TAGS, summary: 'Answer the callback survey of my 110 call online (recorded as the phone callback is, channel online; counted in the callback satisfaction KPI)', params: M.SurveyParams, body: M.SurveyBody, response: { 200: M.SurveyAnswer, ...ErrorAnswers } } },
    async (req, reply) => {
      const c = await citizen(req);
      const u = await routeWrite(writes, req, reply, 200, (w) => satisfaction.answerSurvey(w, c, req.params.id, req.body));
      return { id: u.id, outcome: u.outcome ?? '', channel: 'online' as const, doneAt: (u.doneAt ?? new Date()).toISOString() };
    },
  );

  // ---------------------------------------------------------------- safety notices

  const views = async (rows: NoticeRow[]) => Promise.all(rows.map(async (n) => noticeView(n, await stationName(n.stationId))));

  app.get('/public/notices', { config: PUBLIC, schema: { tags: TAGS, summary: 'Safety notices in force now for an area (a station, or the station of lon/lat) and the whole city; public, no sign-in', querystring: M.PublicNoticeQuery, response: { 200: M.NoticeList, ...ErrorAnswers } } }, async (req) => {
    const q = req.query;
    let station = q.stationId ?? null;
    if (!station && q.lon !== undefined && q.lat !== undefined) station = (await deps.jurisdiction.locate(q.lon, q.lat))?.stationId ?? null;
    return { items: await views(await notices.current(station)) };
  });

  app.get('/citizen-notices', { config: { permission: 'citizen.notice' }, schema: { tags: TAGS, summary: 'Safety notices of my jurisdiction and the city', response: { 200: M.NoticeList, ...ErrorAnswers } } }, async (req) => ({ items: await views(await notices.list(req.principal!)) }));

  app.post(
    '/citizen-notices',
    { config: { permission: 'citizen.notice', audit: { entity: 'citizen_notice', action: 'citizen.notice' }, idempotency: 'in-write' as const }, schema: { tags: TAGS, summary: 'Publish a safety notice for a station of my jurisdiction (or the whole city: city-wide accounts only)', body: M.NoticeBody, response: { 201: M.Notice, ...ErrorAnswers } } },
    async (req, reply) => {
      const n = await routeWrite(writes, req, reply, 201, (w) => notices.publish(w, req.principal!, req.body));
      return noticeView(n, await stationName(n.stationId));
    },
  );

  app.delete(
    '/citizen-notices/:id',
    { config: { permission: 'citizen.notice', audit: { entity: 'citizen_notice', action: 'citizen.notice_withdraw' } }, schema: { tags: TAGS, summary: 'Withdraw a notice', params: M.NoticeParams, response: { 200: M.Notice, ...ErrorAnswers } } },
    async (req, reply) => {
      const n = await routeWrite(writes, req, reply, 200, (w) => notices.withdraw(w, req.principal!, req.params.id));
      return noticeView(n, await stationName(n.stationId));
    },
  );

  // ---------------------------------------------------------------- public map

  app.get('/public/citizen-reports', { config: PUBLIC, schema: { tags: TAGS, summary: 'The open non-emergency reports in a box: category, area, place rounded to about 100 m, status and age only (no text, photos or reporter); at most 500', querystring: M.PublicMapQuery, response: { 200: M.PublicMap, ...ErrorAnswers } } }, async (req) => {
    const box = parseBbox(req.query.bbox);
    const out = await publicReports(deps.db, box);
    const services = new Map((await reports.services(true)).map((s) => [s.code, s]));
    const names = new Map<string, string>();
    for (const id of new Set(out.items.map((i) => i.stationId))) names.set(id, (await stationName(id)) ?? id);
    return {
      truncated: out.truncated,
      items: out.items.map((i) => ({ category: { code: i.serviceCode, zh: services.get(i.serviceCode)?.nameZh ?? i.serviceCode, en: services.get(i.serviceCode)?.nameEn ?? i.serviceCode }, area: names.get(i.stationId) ?? '', lon: i.lon, lat: i.lat, status: i.status as 'received', ageHours: i.ageHours })),
    };
  });
}
