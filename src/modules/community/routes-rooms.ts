/** HTTP API of community police rooms (警务室) and their visitor log, the public room list, and a finding's 12345 / task follow-ups. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorAnswers, IdParams } from '../../core/typebox.js';
import { routeWrite } from '../../kernel/http-write.js';
import type { CommunityDeps } from './deps.js';
import { invalidField } from './errors.js';
import { createRoomIn, listVisitors, logVisitorsIn, prepareRoom, prepareVisitors, publicRooms, roomViews, roomsInScope, scopedRoom, updateRoomIn, visitorView } from './rooms.js';
import { closeTaskIn, hotlineFromFindingIn, myTasks, prepareHotline, prepareTask, taskFromFindingIn } from './followups.js';
import type { WeeklyHours } from './domain/reception.js';
import { FindingParams } from './contract.js';
import * as C from './contract-rooms.js';

const TAGS = ['community'];

export default async function policeRoomRoutes(fastify: FastifyInstance, opts: { deps: CommunityDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const write = (entity: string, action: string) => ({ audit: { entity, action }, idempotency: 'in-write' as const });
  app.get(
    '/police-rooms',
    {
      config: { permission: 'police_room.read' },
      schema: { tags: TAGS, summary: 'Community police rooms (警务室) of my jurisdiction: place, officers, reception hours, open now, visitors by purpose in the last N days', querystring: C.RoomQuery, response: { 200: C.RoomList, ...ErrorAnswers } },
    },
    async (req) => ({ items: await roomViews(deps, await roomsInScope(deps, req.principal!, req.query.mine ?? false), req.query.days ?? 30) }),
  );

  app.post(
    '/police-rooms',
    {
      config: { permission: 'police_room.manage', ...write('police_room', 'police_room.create') },
      schema: { tags: TAGS, summary: 'Open a community police room: name, address, place (its station must be mine), officers of the station, weekly reception hours, phone (Idempotency-Key honoured)', body: C.RoomBody, response: { 201: C.RoomView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const p = req.principal!;
      const { stationId } = await prepareRoom(deps, p, { ...req.body, hours: req.body.hours as WeeklyHours });
      // The answer is built in the write: a retry with the same Idempotency-Key gets it back as stored.
      return routeWrite(deps.writes, req, reply, 201, async (w) => (await roomViews(deps, [await createRoomIn(w, p, { ...req.body, hours: req.body.hours as WeeklyHours }, stationId)], 30, new Date(), w.tx))[0]!);
    },
  );

  app.get(
    '/police-rooms/:id',
    {
      config: { permission: 'police_room.read' },
      schema: { tags: TAGS, summary: 'One police room of my jurisdiction', params: IdParams, querystring: C.RoomDetailQuery, response: { 200: C.RoomView, ...ErrorAnswers } },
    },
    async (req) => (await roomViews(deps, [await scopedRoom(deps, req.principal!, req.params.id)], req.query.days ?? 30))[0]!,
  );

  app.patch(
    '/police-rooms/:id',
    {
      config: { permission: 'police_room.manage', audit: { entity: 'police_room', action: 'police_room.update' } },
      schema: { tags: TAGS, summary: 'Change a police room: name, address, place (same station), officers, hours, phone, active', params: IdParams, body: C.RoomPatch, response: { 200: C.RoomView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const p = req.principal!;
      const room = await scopedRoom(deps, p, req.params.id);
      await prepareRoom(deps, p, req.body as Parameters<typeof prepareRoom>[2], room);
      await routeWrite(deps.writes, req, reply, 200, (w) => updateRoomIn(w, p, room, req.body as Parameters<typeof updateRoomIn>[3]));
      return (await roomViews(deps, [await scopedRoom(deps, p, room.id)], 30))[0]!;
    },
  );

  app.post(
    '/police-rooms/:id/visitors',
    {
      config: { permission: 'police_room.log', ...write('police_room', 'police_room.visitors') },
      schema: { tags: TAGS, summary: 'Log visitors of a police room: purpose and how many (no names); a case link only when a case follows (Idempotency-Key honoured)', params: IdParams, body: C.VisitorBody, response: { 201: C.VisitorView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const p = req.principal!;
      const room = await scopedRoom(deps, p, req.params.id);
      const at = await prepareVisitors(deps, p, req.body);
      return routeWrite(deps.writes, req, reply, 201, async (w) => visitorView(await logVisitorsIn(w, p, room, req.body, at)));
    },
  );

  app.get(
    '/police-rooms/:id/visitors',
    {
      config: { permission: 'police_room.read' },
      schema: { tags: TAGS, summary: 'The visitor log of a police room, newest first, with the visitors by purpose over the same window', params: IdParams, querystring: C.VisitorQuery, response: { 200: C.VisitorList, ...ErrorAnswers } },
    },
    async (req) => {
      const q = req.query;
      if (q.from && q.to && !(new Date(q.from) < new Date(q.to))) throw invalidField('to', '结束时间须晚于开始时间', 'to must be after from');
      const room = await scopedRoom(deps, req.principal!, req.params.id);
      return listVisitors(deps, room, { ...q, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    },
  );

  app.get(
    '/public/police-rooms',
    {
      // The citizen portal's card: public fields only (no officers, no visitor log), nearest first.
      config: { policy: 'public' },
      schema: { tags: TAGS, summary: 'Community police rooms near a point (public): name, address, place, reception hours, open now, distance', querystring: C.PublicRoomQuery, response: { 200: C.PublicRoomList, ...ErrorAnswers } },
    },
    async (req) => {
      const q = req.query;
      if ((q.lon === undefined) !== (q.lat === undefined)) throw invalidField(q.lon === undefined ? 'lon' : 'lat', '经纬度须同时给出', 'give both lon and lat');
      return publicRooms(deps, { lon: q.lon, lat: q.lat, limit: q.limit ?? 5 });
    },
  );

  app.post(
    '/visits/:id/findings/:finding/hotline12345',
    {
      config: { permission: 'visit.follow_up', ...write('visit', 'visit.finding_hotline12345') },
      schema: { tags: TAGS, summary: 'Turn a finding of the visit into a 12345 matter: a non-police incident transferred to the 12345 hotline (the incidents module’s transfer path); once per finding', params: FindingParams, body: C.HotlineBody, response: { 201: C.FollowUpAnswer, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const p = req.principal!;
      const { visit, incident } = await prepareHotline(deps, p, req.params.id, req.params.finding, req.body);
      return routeWrite(deps.writes, req, reply, 201, (w) => hotlineFromFindingIn(w, p, visit, req.params.finding, incident));
    },
  );

  app.post(
    '/visits/:id/findings/:finding/task',
    {
      config: { permission: 'visit.follow_up', ...write('visit', 'visit.finding_task') },
      schema: { tags: TAGS, summary: 'Turn a finding of the visit into a follow-up task owned by the grid’s community officer, due on a day (default in 7 days); once per finding', params: FindingParams, body: C.TaskBody, response: { 201: C.FollowUpAnswer, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const p = req.principal!;
      const { visit, task } = await prepareTask(deps, p, req.params.id, req.params.finding, req.body);
      return routeWrite(deps.writes, req, reply, 201, (w) => taskFromFindingIn(w, p, visit, req.params.finding, task));
    },
  );

  app.get(
    '/me/tasks',
    {
      config: { permission: 'visit.plan' },
      schema: { tags: TAGS, summary: 'My follow-up tasks: open ones by due day, then those closed in the last 7 days', response: { 200: C.TaskList, ...ErrorAnswers } },
    },
    async (req) => myTasks(deps, req.principal!),
  );

  app.post(
    '/tasks/:id/close',
    {
      config: { permission: 'visit.follow_up', audit: { entity: 'community_task', action: 'task.close' } },
      schema: { tags: TAGS, summary: 'Close a follow-up task, with a note of what was done', params: IdParams, body: C.CloseTaskBody, response: { 200: C.TaskView, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(deps.writes, req, reply, 200, (w) => closeTaskIn(w, req.principal!, req.params.id, req.body.note)),
  );
}
