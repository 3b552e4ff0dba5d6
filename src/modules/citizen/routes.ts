/** The citizen portal's API (/api/v1/citizen/…) and the staff review queue (/api/v1/citizen-reports/…). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorAnswers, IdParams, NoContent } from '../../core/typebox.js';
import { maskPhone } from '../../core/access.js';
import { routeWrite } from '../../kernel/http-write.js';
import { CITIZEN_COOKIE } from './identity.js';
import { checkCitizenOrigin, requireCitizen } from './access.js';
import { CALL_110 } from './domain/emergency.js';
import type { CitizenDeps } from './deps.js';
import { citizenView, duplicateView, staffView, type ServiceNames } from './views.js';
import type { ReportRow } from './reports.js';
import { createOpen311Key, listOpen311Keys, revokeOpen311Key } from './keys.js';
import { AppError, notFound } from '../../core/errors.js';
import { PHOTO_LIMITS } from './domain/sniff.js';
import * as C from './contract.js';

const TAGS = ['citizen'];
const PUBLIC = { policy: 'public' as const };

export default async function citizenRoutes(fastify: FastifyInstance, opts: { deps: CitizenDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const { identity, reports, writes } = deps;
  const trusted = deps.trustedOrigins;
  const citizen = (req: FastifyRequest) => requireCitizen(req, identity, trusted);
  const names = async (): Promise<ServiceNames> => new Map((await reports.services(true)).map((s) => [s.code, s]));
  const full = async (r: ReportRow, citizenId: string, services?: ServiceNames) => citizenView(r, services ?? (await names()), citizenId, await reports.history(r.id), await reports.photosOf(r.id));

  // ---------------------------------------------------------------- identity

  app.post(
    '/citizen/otp',
    { config: { ...PUBLIC, audit: { entity: 'citizen', action: 'citizen.otp' } }, schema: { tags: TAGS, summary: 'Send a one-time sign-in code to a phone (rate-limited per phone and IP; in demo mode the answer carries it as demoCode)', body: C.OtpBody, response: { 200: C.OtpAnswer, ...ErrorAnswers } } },
    async (req) => {
      checkCitizenOrigin(req, trusted);
      req.auditDetail = { phone: maskPhone(req.body.phone.replace(/\D/g, '')) };
      return identity.requestCode(req.body.phone, req.ip);
    },
  );

  app.post(
    '/citizen/session',
    { config: { ...PUBLIC, audit: { entity: 'citizen', action: 'citizen.signin' } }, schema: { tags: TAGS, summary: 'Sign in with the phone and its code: sets the citizen session cookie (sw_citizen), not a staff session', body: C.SessionBody, response: { 200: C.Me, ...ErrorAnswers } } },
    async (req, reply) => {
      checkCitizenOrigin(req, trusted);
      req.auditDetail = { phone: maskPhone(req.body.phone.replace(/\D/g, '')) };
      const { token, citizen: c } = await identity.signIn(req.body.phone, req.body.code);
      reply.setCookie(CITIZEN_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: process.env.SHOUWANG_COOKIE_SECURE === '1' });
      return { phone: maskPhone(c.phone) ?? '', unread: (await reports.notifications(c.id, true)).length };
    },
  );

  app.delete(
    '/citizen/session',
    { config: { ...PUBLIC, audit: { entity: 'citizen', action: 'citizen.signout' } }, schema: { tags: TAGS, summary: 'Sign out (ends the citizen session)', response: { 204: NoContent, ...ErrorAnswers } } },
    async (req, reply) => {
      checkCitizenOrigin(req, trusted);
      await identity.signOut(req.cookies?.[CITIZEN_COOKIE]);
      reply.clearCookie(CITIZEN_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get('/citizen/me', { config: PUBLIC, schema: { tags: TAGS, summary: 'The signed-in citizen (phone masked) and unread updates', response: { 200: C.Me, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    return { phone: maskPhone(c.phone) ?? '', unread: (await reports.notifications(c.id, true)).length };
  });

  // ---------------------------------------------------------------- reports

  app.get('/citizen/services', { config: PUBLIC, schema: { tags: TAGS, summary: 'The categories a citizen can report (public)', response: { 200: C.ServiceList, ...ErrorAnswers } } }, async () => ({
    items: (await reports.services()).map((s) => ({ code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, group: s.group, radiusM: s.radiusM, keywords: s.keywords })),
  }));

  app.post(
    '/citizen/reports/check',
    { config: PUBLIC, schema: { tags: TAGS, summary: 'Before submit: the 110 warning (emergency words) and open reports of the same category nearby to add a voice to', body: C.CheckBody, response: { 200: C.CheckAnswer, ...ErrorAnswers } } },
    async (req) => {
      await citizen(req);
      const out = await reports.check(req.body);
      return { emergency: { ...out.emergency, ...CALL_110 }, duplicates: out.duplicates.map(duplicateView), radiusM: out.radiusM };
    },
  );

  app.post(
    '/citizen/reports',
    {
      config: { ...PUBLIC, audit: { entity: 'citizen_report', action: 'citizen.report' }, idempotency: 'in-write' as const },
      schema: { tags: TAGS, summary: 'Make a non-emergency report (routed by category and place). 409 citizen_call_110 when it reads like an emergency (send again with insist: true), 409 citizen_duplicates when open reports of the category are near (add a voice, or send with ignoreDuplicates: true)', body: C.ReportBody, response: { 201: C.CitizenReport, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const c = await citizen(req);
      const b = req.body;
      const row = await routeWrite(writes, req, reply, 201, (w) => reports.create(w, { serviceCode: b.serviceCode, description: b.description, location: b.location, addressCode: b.addressCode, insist: b.insist, ignoreDuplicates: b.ignoreDuplicates, photoIds: b.mediaIds }, { channel: 'portal', citizenId: c.id }));
      return full(row, c.id);
    },
  );

  app.get('/citizen/reports', { config: PUBLIC, schema: { tags: TAGS, summary: 'My reports and the ones I added my voice to, newest first, with their status history', response: { 200: C.CitizenReportList, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    const services = await names();
    const rows = await reports.listMine(c.id);
    return { items: await Promise.all(rows.map((r) => full(r, c.id, services))) };
  });

  app.get('/citizen/reports/:id', { config: PUBLIC, schema: { tags: TAGS, summary: 'One of my reports with its status history (another citizen’s report answers 404)', params: C.ReportIdParams, response: { 200: C.CitizenReport, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    return full(await reports.mine(c.id, Number(req.params.id)), c.id);
  });

  app.post(
    '/citizen/reports/:id/voices',
    { config: { ...PUBLIC, audit: { entity: 'citizen_report', action: 'citizen.voice' }, idempotency: 'in-write' as const }, schema: { tags: TAGS, summary: '“Add my voice” to an open report instead of making a new one: I follow it and hear its outcome', params: C.ReportIdParams, response: { 200: C.VoiceAnswer, ...ErrorAnswers } } },
    async (req, reply) => {
      const c = await citizen(req);
      const id = Number(req.params.id);
      const out = await routeWrite(writes, req, reply, 200, (w) => reports.addVoice(w, c.id, id));
      return { id: String(id), ...out };
    },
  );

  app.get('/citizen/notifications', { config: PUBLIC, schema: { tags: TAGS, summary: 'Updates of my reports (unread first when asked)', querystring: C.NotificationsQuery, response: { 200: C.NotificationList, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    const rows = await reports.notifications(c.id, req.query.unread === true);
    const unread = req.query.unread === true ? rows.length : rows.filter((r) => !r.readAt).length;
    return { items: rows.map((n) => ({ id: String(n.id), reportId: String(n.reportId), status: n.status, note: n.note, at: n.at.toISOString(), read: n.readAt !== null })), unread };
  });

  app.post('/citizen/notifications/read', { config: PUBLIC, schema: { tags: TAGS, summary: 'Mark updates read (all when no ids)', body: C.ReadBody, response: { 200: C.ReadAnswer, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    return { marked: await reports.markRead(c.id, req.body.ids ? req.body.ids.map(Number) : 'all') };
  });

  // ---------------------------------------------------------------- photos

  // A photo is the request body itself (image/jpeg, image/png, image/webp or octet-stream), read whole up to
  // the limit and held in an object without enumerable fields (the input check walks bodies' fields).
  app.addContentTypeParser(['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: PHOTO_LIMITS.maxBytes }, (_req, body, done) => done(null, new RawBody(body as Buffer)));

  app.post(
    '/citizen/photos',
    { bodyLimit: PHOTO_LIMITS.maxBytes, config: { ...PUBLIC, audit: { entity: 'citizen_photo', action: 'citizen.photo' } }, schema: { tags: TAGS, summary: 'Upload a photo for a coming report (the body is the image: JPEG, PNG or WebP, ≤ 12 MB; type sniffed from the bytes; EXIF/GPS removed; ≤ 6 per report via mediaIds)', response: { 201: C.PhotoAnswer, ...ErrorAnswers } } },
    async (req, reply) => {
      const c = await citizen(req);
      if (!(req.body instanceof RawBody)) throw new AppError(415, 'citizen_invalid', { field: 'body', zh: '请以图片作为请求体上传', en: 'Send the image as the request body' }, 'body');
      const out = await deps.photos.add(c.id, req.body.bytes);
      req.auditEntityId = out.id;
      reply.status(201);
      return out;
    },
  );

  const sendPhoto = async (reply: FastifyReply, id: string, q: { thumb?: boolean; original?: boolean }) => {
    reply.header('cache-control', 'private, max-age=3600').type('image/jpeg');
    return reply.send(await deps.photos.open(id, q.thumb === true, q.original === true));
  };

  app.get('/citizen/photos/:photoId', { config: PUBLIC, schema: { tags: TAGS, summary: 'One of my photos, or of a report I follow (JPEG without metadata, 1280 px); ?thumb=true for the 320 px thumbnail, ?original=true for the full-resolution original', params: C.PhotoParams, querystring: C.PhotoQuery, response: { 200: C.PhotoBytes, ...ErrorAnswers } } }, async (req, reply) => {
    const c = await citizen(req);
    const p = await deps.photos.row(req.params.photoId);
    if (!p) throw notFound('photo');
    if (p.citizenId !== c.id) {
      if (p.reportId === null) throw notFound('photo');
      await reports.mine(c.id, p.reportId);
    }
    return sendPhoto(reply, p.id, req.query);
  });

  app.get('/citizen-reports/:id/photos/:photoId', { config: { permission: 'citizen.review' }, schema: { tags: TAGS, summary: 'A photo of a report of my jurisdiction (JPEG without metadata, 1280 px); ?thumb=true for the thumbnail, ?original=true for the full-resolution original', params: C.StaffPhotoParams, querystring: C.PhotoQuery, response: { 200: C.PhotoBytes, ...ErrorAnswers } } }, async (req, reply) => {
    const row = await reports.forStaff(req.principal!, Number(req.params.id));
    const p = await deps.photos.row(req.params.photoId);
    if (!p || p.reportId !== row.id) throw notFound('photo');
    return sendPhoto(reply, p.id, req.query);
  });

  // ---------------------------------------------------------------- staff review queue

  const staffList = async (rows: ReportRow[]) => {
    const services = await names();
    return Promise.all(rows.map(async (r) => staffView(r, services, (await deps.jurisdiction.unit(r.unitId))?.name ?? r.unitId, await reports.reporterPhone(r.citizenId), await reports.photosOf(r.id))));
  };

  app.get(
    '/citizen-reports',
    { config: { permission: 'citizen.review' }, schema: { tags: TAGS, summary: 'The review queue of my jurisdiction: urgent first, then oldest (reporter’s phone masked)', querystring: C.QueueQuery, response: { 200: C.StaffReportList, ...ErrorAnswers } } },
    async (req) => {
      const { rows, total } = await reports.queue(req.principal!, { status: req.query.status, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 });
      return { items: await staffList(rows), total };
    },
  );

  app.get(
    '/citizen-reports/:id',
    { config: { permission: 'citizen.review' }, schema: { tags: TAGS, summary: 'One report of my jurisdiction with its history and the open reports of its category nearby (merge candidates)', params: C.ReportIdParams, response: { 200: C.StaffReport, ...ErrorAnswers } } },
    async (req) => {
      const row = await reports.forStaff(req.principal!, Number(req.params.id));
      const [view] = await staffList([row]);
      const service = await reports.service(row.serviceCode);
      const nearby = row.lon !== null && row.lat !== null ? await reports.duplicates(row.serviceCode, { lon: row.lon, lat: row.lat }, service?.radiusM ?? 75, row.id) : [];
      return { ...view, history: (await reports.history(row.id)).map((h) => ({ status: h.status, note: h.note, at: h.at.toISOString() })), nearby: nearby.map(duplicateView) };
    },
  );

  app.post(
    '/citizen-reports/:id/transitions',
    {
      config: { permission: 'citizen.review', audit: { entity: 'citizen_report', action: 'citizen.review' }, idempotency: 'in-write' as const },
      schema: { tags: TAGS, summary: 'Accept (a 12345 matter is transferred through the incidents module), start, resolve with the outcome, reject with a reason, or mark as a duplicate of an open original; the citizen is told', params: C.ReportIdParams, body: C.TransitionBody, response: { 200: C.StaffReport, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const id = Number(req.params.id);
      const b = req.body;
      const incidentId = b.to === 'accepted' ? await reports.transferBeforeAccept(req.principal!, id) : undefined;
      const row = await routeWrite(writes, req, reply, 200, (w) => reports.transition(w, req.principal!, id, { to: b.to, reason: b.reason, duplicateOf: b.duplicateOf ? Number(b.duplicateOf) : undefined, incidentId }));
      const [view] = await staffList([row]);
      return view;
    },
  );

  // ---------------------------------------------------------------- administration

  app.get('/citizen/routing', { config: { permission: 'citizen.admin' }, schema: { tags: TAGS, summary: 'The routing table: the category list with each category’s route, unit, 12345 category and duplicate radius', response: { 200: C.RoutingTable, ...ErrorAnswers } } }, async () => ({
    services: (await reports.services(true)).map((s) => ({ code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, group: s.group as 'issue', route: s.route as 'station', unitId: s.unitId, incidentCategory: s.incidentCategory, radiusM: s.radiusM, keywords: s.keywords, active: s.active })),
  }));

  app.put(
    '/citizen/routing',
    { config: { permission: 'citizen.admin', audit: { entity: 'citizen_routing', action: 'citizen.routing' } }, schema: { tags: TAGS, summary: 'Replace the routing table (a category left out is deactivated, not deleted)', body: C.RoutingTableBody, response: { 200: C.RoutingTable, ...ErrorAnswers } } },
    async (req) => {
      await writes.run((w) => reports.putServices(w, req.body.services));
      return { services: (await reports.services(true)).map((s) => ({ code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, group: s.group as 'issue', route: s.route as 'station', unitId: s.unitId, incidentCategory: s.incidentCategory, radiusM: s.radiusM, keywords: s.keywords, active: s.active })) };
    },
  );

  app.post('/open311/keys', { config: { permission: 'citizen.admin', audit: { entity: 'open311_key', action: 'open311.key.create' } }, schema: { tags: TAGS, summary: 'Create an Open311 client API key (shown once)', body: C.KeyBody, response: { 201: C.KeyCreated, ...ErrorAnswers } } }, async (req, reply) => {
    const k = await createOpen311Key(deps.db, req.body.name, req.principal!.username);
    req.auditEntityId = k.id;
    reply.status(201);
    return k;
  });

  app.get('/open311/keys', { config: { permission: 'citizen.admin' }, schema: { tags: TAGS, summary: 'Open311 client keys (names only; keys are kept hashed)', response: { 200: C.KeyList, ...ErrorAnswers } } }, async () => ({
    items: (await listOpen311Keys(deps.db)).map((k) => ({ id: k.id, name: k.name, createdAt: k.createdAt.toISOString(), createdBy: k.createdBy, revoked: k.revokedAt !== null })),
  }));

  app.delete('/open311/keys/:id', { config: { permission: 'citizen.admin', audit: { entity: 'open311_key', action: 'open311.key.revoke' } }, schema: { tags: TAGS, summary: 'Revoke an Open311 client key', params: IdParams, response: { 204: NoContent, ...ErrorAnswers } } }, async (req, reply) => {
    if (!(await revokeOpen311Key(deps.db, req.params.id))) throw notFound('key');
    return reply.status(204).send(null);
  });
  void Type;
}

/** A photo's bytes as a request body: no enumerable fields, so the input check does not walk a megabyte of indices. */
class RawBody {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}
