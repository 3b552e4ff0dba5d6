/** HTTP API of dispatch: units, roster, positions (AVL), recommendations, assignments, alerts. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { Day, ErrorAnswers, Id, IdParams, Instant, Strict, TypedStringEnum } from '../../core/typebox.js';
import { CAPABILITIES } from '../incidents/index.js';
import { UNIT_STATUSES } from './domain/unit-status.js';
import { shiftTimes } from './domain/roster.js';
import { UNIT_KINDS, type DispatchService } from './service.js';
import { unmaskedCallerIds } from '../incidents/index.js';
import { routeWrite } from '../../kernel/http-write.js';
import type { Writes } from '../../kernel/write.js';
import { AlertView, AssignmentListView, AssignmentView, MyAssignmentView, PositionAccepted, PositionsAccepted, RecommendationView, RouteView, ShiftView, StatusEventView, UnitListView, UnitView } from './answers.js';

export const MAX_BATCH = 5000;

const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const CallSign = Type.String({ minLength: 1, maxLength: 32 });
const Capability = TypedStringEnum(Object.keys(CAPABILITIES));
const Kind = TypedStringEnum(UNIT_KINDS);
const Names = Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 12 });
const UserIds = Type.Array(Id, { maxItems: 12, uniqueItems: true });
const Caps = Type.Array(Capability, { maxItems: 20, uniqueItems: true });
const Point = Type.Tuple([Lon, Lat], { description: '[lon, lat]' });
const Speed = Type.Number({ minimum: 0, maximum: 400, description: 'km/h' });
const Heading = Type.Number({ minimum: 0, maximum: 360, description: 'degrees from north' });

const PositionBody = Strict({ lon: Lon, lat: Lat, at: Type.Optional(Instant), speed: Type.Optional(Speed), heading: Type.Optional(Heading) });
const BatchItem = Strict({ unitId: Id, lon: Lon, lat: Lat, at: Instant, speed: Type.Optional(Speed), heading: Type.Optional(Heading) });
const Hhmm = Type.String({ pattern: '^\\d{2}:\\d{2}$' });

export default async function dispatchRoutes(fastify: FastifyInstance, opts: { dispatch: DispatchService; writes: Writes }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { writes } = opts;
  const { dispatch } = opts;

  // ---------------------------------------------------------------- units

  app.get(
    '/units',
    {
      config: { permission: 'unit.read', audit: { entity: 'unit', action: 'unit.list', reads: true } },
      schema: {
        tags: ['dispatch'],
        summary: 'Units of the stations in my jurisdiction with status, latest position, age, staleness and current assignment',
        querystring: Strict({ stationId: Type.Optional(Id), status: Type.Optional(Type.Array(TypedStringEnum(UNIT_STATUSES), { maxItems: 7 })), kind: Type.Optional(Kind) }),
        response: { 200: UnitListView, ...ErrorAnswers },
      },
    },
    async (req) => dispatch.list(req.principal!, req.query),
  );

  app.get(
    '/units/:id',
    { config: { permission: 'unit.read', audit: { entity: 'unit', action: 'unit.read', reads: true } }, schema: { tags: ['dispatch'], summary: 'One unit', params: IdParams, response: { 200: UnitView, ...ErrorAnswers } } },
    async (req) => dispatch.get(req.principal!, req.params.id),
  );

  app.post(
    '/units',
    {
      config: { permission: 'unit.manage', audit: { entity: 'unit', action: 'unit.create' }, idempotency: 'in-write' },
      schema: {
        tags: ['dispatch'],
        summary: 'Add a unit (starts off duty; the roster puts it on duty)',
        body: Strict({ id: Type.Optional(Id), callSign: CallSign, kind: Kind, stationId: Id, members: Type.Optional(Names), memberUserIds: Type.Optional(UserIds), capabilities: Type.Optional(Caps), home: Point }),
        response: { 201: UnitView, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      return routeWrite(writes, req, reply, 201, async (w) => {
        const row = await dispatch.create(req.principal!, req.body, w);
        w.entity(row.id);
        return row;
      });
    },
  );

  app.patch(
    '/units/:id',
    {
      config: { permission: 'unit.manage', audit: { entity: 'unit', action: 'unit.update' }, idempotency: 'in-write' },
      schema: {
        tags: ['dispatch'],
        summary: 'Change a unit (call sign, kind, station, crew, capabilities, home point, active)',
        params: IdParams,
        body: Strict(
          { callSign: Type.Optional(CallSign), kind: Type.Optional(Kind), stationId: Type.Optional(Id), members: Type.Optional(Names), memberUserIds: Type.Optional(UserIds), capabilities: Type.Optional(Caps), home: Type.Optional(Point), active: Type.Optional(Type.Boolean()) },
          { minProperties: 1 },
        ),
        response: { 200: UnitView, ...ErrorAnswers },
      },
    },
    async (req, reply) => routeWrite(writes, req, reply, 200, (w) => dispatch.update(req.principal!, req.params.id, req.body, w)),
  );

  app.get(
    '/units/:id/shifts',
    { config: { permission: 'unit.read' }, schema: { tags: ['dispatch'], summary: 'The unit’s shifts from yesterday on', params: IdParams, querystring: Strict({ from: Type.Optional(Instant) }), response: { 200: Type.Object({ items: Type.Array(ShiftView) }), ...ErrorAnswers } } },
    async (req) => {
      const q = req.query;
      return dispatch.shifts(req.principal!, req.params.id, q.from ? new Date(q.from) : undefined);
    },
  );

  app.post(
    '/units/:id/shifts',
    {
      config: { permission: 'roster.manage', audit: { entity: 'unit', action: 'unit.shift.create' }, idempotency: 'in-write' },
      schema: {
        tags: ['dispatch'],
        summary: 'Add a shift: a local day (the city’s time zone) with start and end "HH:MM" (an end before the start runs into the next day)',
        params: IdParams,
        body: Strict({ day: Day, start: Hhmm, end: Hhmm, note: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 201: ShiftView, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const b = req.body;
      let times: ReturnType<typeof shiftTimes>;
      try {
        times = shiftTimes(b.day, b.start, b.end);
      } catch {
        throw new AppError(400, 'invalid_format', { field: 'day', format: 'YYYY-MM-DD' }, 'day');
      }
      if (!times || Number.isNaN(times.startsAt.getTime())) throw new AppError(400, 'invalid_format', { field: 'start', format: 'HH:MM' }, 'start');
      return routeWrite(writes, req, reply, 201, (w) => dispatch.addShift(req.principal!, req.params.id, { ...times, note: b.note }, w));
    },
  );

  app.get(
    '/units/:id/status-events',
    { config: { permission: 'unit.read' }, schema: { tags: ['dispatch'], summary: 'The unit’s status history, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(StatusEventView) }), ...ErrorAnswers } } },
    async (req) => dispatch.statusEvents(req.principal!, req.params.id),
  );

  app.post(
    '/units/:id/status',
    {
      config: { permission: 'unit.report_status', audit: { entity: 'unit', action: 'unit.status' }, idempotency: 'in-write' },
      schema: {
        tags: ['dispatch'],
        summary: 'Set the unit’s status (en route, on scene, available = clear …); moves the assigned incident',
        params: IdParams,
        body: Strict({ status: TypedStringEnum(UNIT_STATUSES), dispositionCode: Type.Optional(Type.String({ minLength: 1, maxLength: 8 })), note: Type.Optional(Type.String({ maxLength: 500 })) }),
        response: { 200: UnitView, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const b = req.body;
      req.auditDetail = { status: b.status, dispositionCode: b.dispositionCode };
      return routeWrite(writes, req, reply, 200, (w) => dispatch.setStatus(req.principal!, req.params.id, b, w));
    },
  );

  // ---------------------------------------------------------------- positions

  app.post(
    '/units/:id/position',
    {
      config: { permission: 'unit.report_position', audit: { entity: 'unit', action: 'unit.position' } },
      schema: { tags: ['dispatch'], summary: 'Report the unit’s position (AVL)', params: IdParams, body: PositionBody, response: { 202: PositionAccepted, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const { id } = req.params;
      const b = req.body;
      const r = await dispatch.reportPositions(req.principal!, [{ ...b, unitId: id }]);
      if (r.rejected.length) {
        const code = r.rejected[0].code;
        if (code === 'unknown_unit') throw new AppError(404, 'not_found', { entity: 'unit' });
        if (code === 'forbidden') throw new AppError(403, 'forbidden');
        throw new AppError(400, 'out_of_range', { field: 'at', detail: 'not in the future, not older than the track retention' }, 'at');
      }
      return reply.status(202).send({ accepted: r.accepted });
    },
  );

  app.post(
    '/units/positions',
    {
      config: { permission: 'unit.report_position_batch', audit: { entity: 'unit', action: 'unit.positions' } },
      bodyLimit: 2 * 1024 * 1024,
      schema: { tags: ['dispatch'], summary: `Report positions of many units at once (AVL gateway, up to ${MAX_BATCH})`, body: Type.Array(BatchItem, { minItems: 1, maxItems: MAX_BATCH }), response: { 202: PositionsAccepted, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const r = await dispatch.reportPositions(req.principal!, req.body);
      await dispatch.flushTrack();
      req.auditDetail = { accepted: r.accepted, rejected: r.rejected.length };
      return reply.status(202).send({ accepted: r.accepted, rejected: r.rejected.slice(0, 100) });
    },
  );

  // ---------------------------------------------------------------- recommendation and routes

  app.get(
    '/incidents/:id/recommendations',
    {
      config: { permission: 'dispatch.recommend' },
      schema: { tags: ['dispatch'], summary: 'Units to send, quickest by road first, with the reason (zh)', params: IdParams, querystring: Strict({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })) }), response: { 200: Type.Array(RecommendationView), ...ErrorAnswers } },
    },
    async (req) => dispatch.recommend(req.principal!, req.params.id, { limit: req.query.limit }),
  );

  app.get(
    '/incidents/:id/route',
    {
      config: { permission: 'dispatch.route' },
      schema: { tags: ['dispatch'], summary: 'Road route of a unit to the incident (GeoJSON Feature, LineString)', params: IdParams, querystring: Strict({ unitId: Id }), response: { 200: RouteView, ...ErrorAnswers } },
    },
    async (req) => dispatch.route(req.principal!, req.params.id, req.query.unitId),
  );

  // ---------------------------------------------------------------- assignments

  app.get(
    '/incidents/:id/assignments',
    { config: { permission: 'assignment.read' }, schema: { tags: ['dispatch'], summary: 'Assignments of an incident, oldest first', params: IdParams, response: { 200: AssignmentListView, ...ErrorAnswers } } },
    async (req) => dispatch.incidentAssignments(req.principal!, req.params.id),
  );

  app.post(
    '/incidents/:id/assignments',
    {
      config: { permission: 'dispatch.assign', audit: { entity: 'incident', action: 'incident.assign' }, idempotency: 'in-write' },
      schema: { tags: ['dispatch'], summary: 'Assign units to an incident (dispatches it)', params: IdParams, body: Strict({ unitIds: Type.Array(Id, { minItems: 1, maxItems: 20, uniqueItems: true }) }), response: { 201: AssignmentListView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const { unitIds } = req.body;
      req.auditDetail = { unitIds };
      return routeWrite(writes, req, reply, 201, (w) => dispatch.assign(req.principal!, req.params.id, unitIds, w));
    },
  );

  app.post(
    '/assignments/:id/reassign',
    {
      config: { permission: 'dispatch.assign', audit: { entity: 'assignment', action: 'assignment.reassign' }, idempotency: 'in-write' },
      schema: { tags: ['dispatch'], summary: 'Give the assignment to another unit (with a reason)', params: IdParams, body: Strict({ unitId: Id, reason: Type.String({ minLength: 1, maxLength: 500 }) }), response: { 201: AssignmentListView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const b = req.body;
      req.auditDetail = { unitId: b.unitId };
      return routeWrite(writes, req, reply, 201, (w) => dispatch.reassign(req.principal!, req.params.id, b.unitId, b.reason, w));
    },
  );

  app.post(
    '/assignments/:id/cancel',
    {
      config: { permission: 'dispatch.assign', audit: { entity: 'assignment', action: 'assignment.cancel' }, idempotency: 'in-write' },
      schema: { tags: ['dispatch'], summary: 'Withdraw a unit from an incident (with a reason)', params: IdParams, body: Strict({ reason: Type.String({ minLength: 1, maxLength: 500 }) }), response: { 200: AssignmentView, ...ErrorAnswers } },
    },
    async (req, reply) => routeWrite(writes, req, reply, 200, (w) => dispatch.cancelAssignment(req.principal!, req.params.id, req.body.reason, {}, w)),
  );

  app.post(
    '/assignments/:id/ack',
    { config: { permission: 'assignment.respond', audit: { entity: 'assignment', action: 'assignment.ack' }, idempotency: 'in-write' }, schema: { tags: ['dispatch'], summary: 'The crew acknowledges the assignment', params: IdParams, response: { 200: AssignmentView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 200, (w) => dispatch.ack(req.principal!, req.params.id, w)),
  );

  app.get(
    '/me/assignment',
    { config: { permission: 'assignment.own', audit: { entity: 'assignment', action: 'assignment.mine', reads: true } }, schema: { tags: ['dispatch'], summary: 'My unit and its current assignment with the incident', response: { 200: MyAssignmentView, ...ErrorAnswers } } },
    async (req) => {
      const mine = await dispatch.myAssignment(req.principal!);
      if (mine.assignment) req.auditEntityId = mine.assignment.id;
      req.auditDetail = { incidentId: mine.incident?.id ?? null, callerUnmasked: unmaskedCallerIds(req.principal!, mine.incident ? [mine.incident] : []) };
      return mine;
    },
  );

  app.get(
    '/me/assignments',
    { config: { permission: 'assignment.own' }, schema: { tags: ['dispatch'], summary: 'Recent assignments of my unit', querystring: Strict({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) }), response: { 200: AssignmentListView, ...ErrorAnswers } } },
    async (req) => dispatch.myAssignments(req.principal!, req.query.limit),
  );

  // ---------------------------------------------------------------- alerts

  app.get('/alerts', { config: { permission: 'alert.read' }, schema: { tags: ['dispatch'], summary: 'Open dispatch alerts in my jurisdiction, newest first', response: { 200: Type.Object({ items: Type.Array(AlertView) }), ...ErrorAnswers } } }, async (req) => dispatch.alerts(req.principal!));

  app.post(
    '/alerts/:id/ack',
    { config: { permission: 'alert.ack', audit: { entity: 'alert', action: 'alert.ack' }, idempotency: 'in-write' }, schema: { tags: ['dispatch'], summary: 'Acknowledge an alert', params: IdParams, response: { 200: AlertView, ...ErrorAnswers } } },
    async (req, reply) => routeWrite(writes, req, reply, 200, (w) => dispatch.ackAlert(req.principal!, req.params.id, w)),
  );
}
