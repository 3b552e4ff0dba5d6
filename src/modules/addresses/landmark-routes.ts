/**
 * The landmark list's API (registered under /api/v1; issue 11 #4): read by anyone who searches
 * addresses, added to and edited by administrators inside their jurisdiction, each change audited with
 * what it was before. The address search (/addresses/search) offers the active ones.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ErrorAnswers, Paging, Strict, StringEnum, TypedStringEnum } from '../../core/typebox.js';
import type { LandmarkService } from './landmark-service.js';
import { LANDMARK_KINDS } from './landmarks.js';

const Name = Type.String({ minLength: 1, maxLength: 64 });
const Aliases = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20, description: 'other names: popular, Portuguese, English' });
const Kind = StringEnum(LANDMARK_KINDS);
/** The same schema, typed for requests (answers keep `Kind`: see TypedStringEnum). */
const KindIn = TypedStringEnum(LANDMARK_KINDS);
const Lon = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });

const LandmarkView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  aliases: Type.Array(Type.String()),
  kind: Kind,
  lon: Type.Number(),
  lat: Type.Number(),
  stationId: Type.Union([Type.String(), Type.Null()]),
  gridId: Type.Union([Type.String(), Type.Null()]),
  source: Type.String({ description: 'demo | roads | manual' }),
  active: Type.Boolean(),
});
const NewLandmark = Strict({ name: Name, aliases: Type.Optional(Aliases), kind: KindIn, lon: Lon, lat: Lat });
const LandmarkChange = Strict({ name: Type.Optional(Name), aliases: Type.Optional(Aliases), kind: Type.Optional(KindIn), lon: Type.Optional(Lon), lat: Type.Optional(Lat), active: Type.Optional(Type.Boolean()) }, { minProperties: 1 });
const ListQuery = Strict({ q: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'part of the name or an alias' })), kind: Type.Optional(KindIn), ...Paging });
const IdParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export default async function landmarkRoutes(app: FastifyInstance, opts: { landmarks: LandmarkService; announce: (id: string) => Promise<void> }) {
  const svc = opts.landmarks;

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/landmarks',
    {
      config: { permission: 'address.read' },
      schema: { tags: ['addresses'], summary: 'The landmark list (hotels, schools, hospitals, squares, bridges, stations …), by name', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(LandmarkView), total: Type.Integer() }), ...ErrorAnswers } },
    },
    async (req) => svc.list({ q: req.query.q, kind: req.query.kind, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }),
  );

  app.post<{ Body: Static<typeof NewLandmark> }>(
    '/landmarks',
    {
      config: { permission: 'address.manage', audit: { entity: 'landmark', action: 'landmark.create' } },
      schema: { tags: ['addresses'], summary: 'Add a landmark (403 outside my jurisdiction, 409 for a name already listed)', body: NewLandmark, response: { 201: LandmarkView, ...ErrorAnswers } },
    },
    async (req, reply) => {
      const created = await svc.create(req.principal!, req.body);
      req.auditEntityId = created.id;
      req.auditDetail = { name: created.name, kind: created.kind, lon: created.lon, lat: created.lat };
      await opts.announce(created.id);
      return reply.status(201).send(created);
    },
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof LandmarkChange> }>(
    '/landmarks/:id',
    {
      config: { permission: 'address.manage', audit: { entity: 'landmark', action: 'landmark.update' } },
      schema: { tags: ['addresses'], summary: 'Change a landmark: name, aliases, kind, point, or active=false to take it out of the search', params: IdParams, body: LandmarkChange, response: { 200: LandmarkView, ...ErrorAnswers } },
    },
    async (req) => {
      req.auditEntityId = req.params.id;
      const before = await svc.get(req.params.id);
      const updated = await svc.update(req.principal!, req.params.id, req.body);
      const changed = (Object.keys(req.body) as (keyof typeof before)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(updated[k]));
      req.auditDetail = { changed, before: Object.fromEntries(changed.map((k) => [k, before[k]])), after: Object.fromEntries(changed.map((k) => [k, updated[k]])) };
      await opts.announce(updated.id);
      return updated;
    },
  );
}
