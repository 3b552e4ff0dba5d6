/**
 * 快处快赔 routes: the two drivers under /api/v1/citizen/accidents (citizen session; each sees only an
 * accident they are party to, another citizen gets 404), the officer under /api/v1/citizen-accidents
 * (permission accident.determine, scoped to the place's station; every read of the drivers' data audited).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorAnswers } from '../../../core/typebox.js';
import { notFound } from '../../../core/errors.js';
import { routeWrite } from '../../../kernel/http-write.js';
import { requireCitizen } from '../access.js';
import type { CitizenDeps } from '../deps.js';
import { PhotoBytes, PhotoQuery } from '../contract.js';
import type { CitizenAccidents, AccidentRow } from './service.js';
import { driverView, staffAccidentView } from './views.js';
import { agreementDocx, DOCX_TYPE } from './docx.js';
import { localText } from './service.js';
import * as C from './contract.js';

const TAGS = ['citizen'];
const PUBLIC = { policy: 'public' as const };
const PERM = 'accident.determine';

export default async function accidentRoutes(fastify: FastifyInstance, opts: { deps: CitizenDeps; accidents: CitizenAccidents }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps, accidents } = opts;
  const { writes } = deps;
  const citizen = (req: FastifyRequest) => requireCitizen(req, deps.identity, deps.trustedOrigins);
  const write = (action: string) => ({ ...PUBLIC, audit: { entity: 'citizen_accident', action }, idempotency: 'in-write' as const });
  const staffWrite = (action: string) => ({ permission: PERM, audit: { entity: 'citizen_accident', action }, idempotency: 'in-write' as const });

  const forDriver = async (row: AccidentRow, role: 'a' | 'b') => {
    const parties = await accidents.parties(row.id);
    return driverView(row, role, parties, await accidents.photos(row.id, parties), await accidents.history(row.id));
  };
  const mineView = async (citizenId: string, id: number) => {
    const { row, role } = await accidents.mine(citizenId, id);
    return forDriver(row, role);
  };
  const forStaff = async (row: AccidentRow, withHistory: boolean) => {
    const parties = await accidents.parties(row.id);
    const unitName = (await deps.jurisdiction.unit(row.unitId))?.name ?? row.unitId;
    return staffAccidentView(row, unitName, parties, await accidents.photos(row.id, parties), await accidents.maskedPhones(parties), withHistory ? await accidents.history(row.id) : undefined);
  };
  const sendPhoto = async (reply: FastifyReply, accidentId: number, photoId: string, q: { thumb?: boolean; original?: boolean }) => {
    const p = await deps.photos.row(photoId);
    if (!p || p.accidentId !== accidentId) throw notFound('photo');
    reply.header('cache-control', 'private, max-age=3600').type('image/jpeg');
    return reply.send(await deps.photos.open(p.id, q.thumb === true, q.original === true));
  };
  const sendDocx = async (reply: FastifyReply, row: AccidentRow) => {
    if (!row.agreementText) throw notFound('agreement');
    const parties = await accidents.parties(row.id);
    const confirmations = parties.map((p) => `${p.role === 'a' ? '甲方' : '乙方'}（${p.plate}）确认：${p.confirmedAt ? localText(p.confirmedAt) : '尚未确认'}`);
    if (row.insurerRef) confirmations.push(`保险报案号：${row.insurerRef}`);
    reply.header('content-disposition', `attachment; filename="kpkc-${row.id}.docx"`).type(DOCX_TYPE);
    return reply.send(await agreementDocx(row.agreementText.split('\n'), confirmations));
  };

  // ---------------------------------------------------------------- the drivers

  app.post(
    '/citizen/accidents',
    { config: write('citizen.accident.start'), schema: { tags: TAGS, summary: '快处快赔: driver A starts a minor property-only accident (place, time, plate, insurer, statement, photos) and gets a 6-digit shared code for driver B (30 min). With injury: true it is recorded and ends at once (call 110)', body: C.StartBody, response: { 201: C.StartAnswer, ...ErrorAnswers } } },
    async (req, reply) => {
      const c = await citizen(req);
      // Only the id and the code are stored under the Idempotency-Key: a retry shows the same code.
      const out = await routeWrite(writes, req, reply, 201, async (w) => {
        const { row, code } = await accidents.start(w, c.id, req.body);
        return { id: row.id, code };
      });
      return { ...(await mineView(c.id, out.id)), code: out.code };
    },
  );

  app.post(
    '/citizen/accidents/join',
    { config: write('citizen.accident.join'), schema: { tags: TAGS, summary: 'Driver B joins with the shared code (wrong codes are limited per citizen: 5 in 30 minutes), giving plate, insurer, statement and photos', body: C.JoinBody, response: { 200: C.CitizenAccident, ...ErrorAnswers } } },
    async (req, reply) => {
      const c = await citizen(req);
      const id = await accidents.resolveCode(c.id, req.body.code);
      await routeWrite(writes, req, reply, 200, async (w) => ({ id: (await accidents.join(w, c.id, id, req.body)).id }));
      return mineView(c.id, id);
    },
  );

  app.get('/citizen/accidents', { config: PUBLIC, schema: { tags: TAGS, summary: 'The accidents I am a driver in, newest first', response: { 200: C.CitizenAccidentList, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    const mine = await accidents.listMine(c.id);
    return { items: await Promise.all(mine.map((m) => forDriver(m.row, m.role))) };
  });

  app.get('/citizen/accidents/:id', { config: PUBLIC, schema: { tags: TAGS, summary: 'One accident I am a driver in: both statements, photos, liability, the agreement, the history (anyone else: 404)', params: C.AccidentIdParams, response: { 200: C.CitizenAccident, ...ErrorAnswers } } }, async (req) => {
    const c = await citizen(req);
    return mineView(c.id, Number(req.params.id));
  });

  app.post(
    '/citizen/accidents/:id/code',
    { config: write('citizen.accident.code'), schema: { tags: TAGS, summary: 'Driver A: a new shared code while B has not joined (the old one stops working)', params: C.AccidentIdParams, response: { 200: C.StartAnswer, ...ErrorAnswers } } },
    async (req, reply) => {
      const c = await citizen(req);
      const id = Number(req.params.id);
      const out = await routeWrite(writes, req, reply, 200, async (w) => ({ code: (await accidents.renewCode(w, c.id, id)).code }));
      return { ...(await mineView(c.id, id)), code: out.code };
    },
  );

  app.post(
    '/citizen/accidents/:id/photos',
    { config: write('citizen.accident.photos'), schema: { tags: TAGS, summary: 'Add my photos (uploaded through POST /citizen/photos) before the officer decides; at most 6 per driver', params: C.AccidentIdParams, body: C.PhotosBody, response: { 200: C.CitizenAccident, ...ErrorAnswers } } },
    async (req, reply) => {
      const c = await citizen(req);
      const id = Number(req.params.id);
      await routeWrite(writes, req, reply, 200, async (w) => ({ id: (await accidents.addPhotos(w, c.id, id, req.body.mediaIds)).id }));
      return mineView(c.id, id);
    },
  );

  for (const [step, summary] of [
    ['submit', 'Send it to the officer (both drivers joined with plate, insurer and statement)'],
    ['confirm', 'Confirm the agreement on my own phone (it stands when both drivers confirmed)'],
    ['withdraw', 'Withdraw it before the officer decides'],
  ] as const) {
    app.post(`/citizen/accidents/:id/${step}`, { config: write(`citizen.accident.${step}`), schema: { tags: TAGS, summary, params: C.AccidentIdParams, response: { 200: C.CitizenAccident, ...ErrorAnswers } } }, async (req, reply) => {
      const c = await citizen(req);
      const id = Number(req.params.id);
      await routeWrite(writes, req, reply, 200, async (w) => ({ id: (await accidents.partyAct(w, c.id, id, step)).id }));
      return mineView(c.id, id);
    });
  }

  app.post(
    '/citizen/accidents/:id/escalate',
    { config: write('citizen.accident.escalate'), schema: { tags: TAGS, summary: 'Someone is hurt, or a party will not cooperate: the online path ends and the answer says to call 110', params: C.AccidentIdParams, body: C.EscalateBody, response: { 200: C.CitizenAccident, ...ErrorAnswers } } },
    async (req, reply) => {
      const c = await citizen(req);
      const id = Number(req.params.id);
      await routeWrite(writes, req, reply, 200, async (w) => ({ id: (await accidents.partyAct(w, c.id, id, 'escalate', req.body.reason)).id }));
      return mineView(c.id, id);
    },
  );

  app.get('/citizen/accidents/:id/agreement.docx', { config: PUBLIC, schema: { tags: TAGS, summary: 'The agreement as .docx (once liability is determined)', params: C.AccidentIdParams, response: { 200: C.DocxBytes, ...ErrorAnswers } } }, async (req, reply) => {
    const c = await citizen(req);
    const { row } = await accidents.mine(c.id, Number(req.params.id));
    return sendDocx(reply, row);
  });

  app.get('/citizen/accidents/:id/photos/:photoId', { config: PUBLIC, schema: { tags: TAGS, summary: 'A photo of an accident I am a driver in (either driver’s), JPEG without metadata', params: C.AccidentPhotoParams, querystring: PhotoQuery, response: { 200: PhotoBytes, ...ErrorAnswers } } }, async (req, reply) => {
    const c = await citizen(req);
    const { row } = await accidents.mine(c.id, Number(req.params.id));
    return sendPhoto(reply, row.id, req.params.photoId, req.query);
  });

  // ---------------------------------------------------------------- the officer

  app.get(
    '/citizen-accidents',
    { config: { permission: PERM, audit: { entity: 'citizen_accident', action: 'citizen.accident.list', reads: true } }, schema: { tags: TAGS, summary: '快处快赔 queue of my jurisdiction: awaiting determination first (plates and statements; phones masked; the read is audited)', querystring: C.StaffQueueQuery, response: { 200: C.StaffAccidentList, ...ErrorAnswers } } },
    async (req) => {
      const { rows, total } = await accidents.queue(req.principal!, req.query.status, req.query.limit ?? 100);
      return { items: await Promise.all(rows.map((r) => forStaff(r, false))), total };
    },
  );

  app.get(
    '/citizen-accidents/:id',
    { config: { permission: PERM, audit: { entity: 'citizen_accident', action: 'citizen.accident.read', reads: true } }, schema: { tags: TAGS, summary: 'One accident of my jurisdiction: both drivers’ statements, plates, insurers, photos, history (the read is audited)', params: C.AccidentIdParams, response: { 200: C.StaffAccident, ...ErrorAnswers } } },
    async (req) => {
      const row = await accidents.forStaff(req.principal!, Number(req.params.id));
      req.auditEntityId = String(row.id);
      return forStaff(row, true);
    },
  );

  app.post(
    '/citizen-accidents/:id/determine',
    { config: staffWrite('citizen.accident.determine'), schema: { tags: TAGS, summary: 'Determine liability remotely (A full / B full / equal / A main B minor / A minor B main) with the reason; optional video-call link. The agreement text is produced for both drivers to confirm', params: C.AccidentIdParams, body: C.DetermineBody, response: { 200: C.StaffAccident, ...ErrorAnswers } } },
    async (req, reply) => {
      await routeWrite(writes, req, reply, 200, async (w) => ({ id: (await accidents.determine(w, req.principal!, Number(req.params.id), req.body)).id }));
      return forStaff(await accidents.forStaff(req.principal!, Number(req.params.id)), true);
    },
  );

  app.post(
    '/citizen-accidents/:id/reject',
    { config: staffWrite('citizen.accident.reject'), schema: { tags: TAGS, summary: 'Not for online handling (the reason is shown to both drivers)', params: C.AccidentIdParams, body: C.RejectBody, response: { 200: C.StaffAccident, ...ErrorAnswers } } },
    async (req, reply) => {
      await routeWrite(writes, req, reply, 200, async (w) => ({ id: (await accidents.reject(w, req.principal!, Number(req.params.id), req.body.reason)).id }));
      return forStaff(await accidents.forStaff(req.principal!, Number(req.params.id)), true);
    },
  );

  app.post(
    '/citizen-accidents/:id/close',
    { config: staffWrite('citizen.accident.close'), schema: { tags: TAGS, summary: 'Record the insurer’s reference once both drivers confirmed: the case closes', params: C.AccidentIdParams, body: C.CloseBody, response: { 200: C.StaffAccident, ...ErrorAnswers } } },
    async (req, reply) => {
      await routeWrite(writes, req, reply, 200, async (w) => ({ id: (await accidents.close(w, req.principal!, Number(req.params.id), req.body.insurerRef)).id }));
      return forStaff(await accidents.forStaff(req.principal!, Number(req.params.id)), true);
    },
  );

  app.get(
    '/citizen-accidents/:id/agreement.docx',
    { config: { permission: PERM, audit: { entity: 'citizen_accident', action: 'citizen.accident.agreement', reads: true } }, schema: { tags: TAGS, summary: 'The agreement as .docx (the read is audited)', params: C.AccidentIdParams, response: { 200: C.DocxBytes, ...ErrorAnswers } } },
    async (req, reply) => {
      const row = await accidents.forStaff(req.principal!, Number(req.params.id));
      req.auditEntityId = String(row.id);
      return sendDocx(reply, row);
    },
  );

  app.get(
    '/citizen-accidents/:id/photos/:photoId',
    { config: { permission: PERM, audit: { entity: 'citizen_accident', action: 'citizen.accident.photo', reads: true } }, schema: { tags: TAGS, summary: 'A photo of an accident of my jurisdiction (the read is audited)', params: C.AccidentPhotoParams, querystring: PhotoQuery, response: { 200: PhotoBytes, ...ErrorAnswers } } },
    async (req, reply) => {
      const row = await accidents.forStaff(req.principal!, Number(req.params.id));
      req.auditEntityId = String(row.id);
      return sendPhoto(reply, row.id, req.params.photoId, req.query);
    },
  );
}
