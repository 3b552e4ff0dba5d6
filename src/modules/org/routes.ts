/** The organisation tree: 市局 → 分局 → 派出所 → 警格, with station and grid polygons. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { eq } from 'drizzle-orm';
import { orgUnits } from '../../db/schema.js';
import { AppError } from '../../core/errors.js';
import { seesEverything } from '../../core/access.js';
import { ErrorAnswers, IdParams, Nullable, OrgCode, Strict, TypedStringEnum } from '../../core/typebox.js';
import { countUsersUnder, getUnit, insertUnit, listUnits, unitSummary, UNIT_KINDS } from './store.js';
import { validatePolygon } from './polygon.js';

const Kind = TypedStringEnum(UNIT_KINDS);
const Polygon = Type.Object(
  { type: Type.Union([Type.Literal('Polygon'), Type.Literal('MultiPolygon')]), coordinates: Type.Array(Type.Any(), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false, description: 'GeoJSON Polygon or MultiPolygon, [lon, lat]' },
);

/** A unit as unitSummary (store.ts) shows it. */
export const UnitSummaryView = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  kind: Type.String({ description: 'bureau | branch | station | grid' }),
  code: Type.String(),
  name: Type.String(),
  path: Type.String({ description: 'materialised path, /MO/MO01/' }),
});
const Geometry = Type.Unknown({ description: 'GeoJSON Polygon or MultiPolygon, [lon, lat]; null when the unit has none' });

export default async function orgRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  app.get('/org/units', { config: { permission: 'org.read' }, schema: { tags: ['org'], summary: 'Units in my jurisdiction (flat, in tree order)', response: { 200: Type.Object({ items: Type.Array(UnitSummaryView) }), ...ErrorAnswers } } }, async (req) => ({
    items: (await listUnits(db, req.principal!)).map(unitSummary),
  }));

  app.get(
    '/org/units/:id',
    { config: { permission: 'org.read' }, schema: { tags: ['org'], summary: 'One unit with its polygon', params: IdParams, response: { 200: Type.Composite([UnitSummaryView, Type.Object({ polygon: Geometry, userCount: Type.Integer() })]), ...ErrorAnswers } } },
    async (req) => {
      const u = await getUnit(db, req.principal!, req.params.id);
      return { ...unitSummary(u), polygon: u.polygon ?? null, userCount: await countUsersUnder(db, u) };
    },
  );

  app.get(
    '/org/geojson',
    {
      config: { permission: 'org.read' },
      schema: { tags: ['org'], summary: 'Station and grid polygons as GeoJSON', querystring: Strict({ kind: Type.Optional(Type.Union([Type.Literal('station'), Type.Literal('grid')])) }),
        response: {
          200: Type.Object({
            type: Type.Literal('FeatureCollection'),
            features: Type.Array(
              Type.Object({
                type: Type.Literal('Feature'),
                id: Type.String(),
                properties: Type.Object({ id: Type.String(), kind: Type.String(), code: Type.String(), name: Type.String(), parentId: Nullable(Type.String()) }),
                geometry: Geometry,
              }),
            ),
          }),
          ...ErrorAnswers,
        },
      },
    },
    async (req) => {
      const { kind } = req.query;
      const units = (await listUnits(db, req.principal!)).filter((u) => u.polygon && (!kind || u.kind === kind));
      return {
        type: 'FeatureCollection' as const,
        features: units.map((u) => ({ type: 'Feature' as const, id: u.id, properties: { id: u.id, kind: u.kind, code: u.code, name: u.name, parentId: u.parentId }, geometry: u.polygon })),
      };
    },
  );

  app.post(
    '/org/units',
    {
      config: { permission: 'org.manage', audit: { entity: 'org_unit', action: 'org.unit_create' } },
      schema: {
        tags: ['org'],
        summary: 'Create a unit',
        body: Strict({
          parentId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
          kind: Kind,
          code: OrgCode,
          name: Type.String({ minLength: 1, maxLength: 100 }),
          polygon: Type.Optional(Type.Union([Polygon, Type.Null()])),
        }),
        response: { 201: UnitSummaryView, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const parent = body.parentId ? await getUnit(db, req.principal!, body.parentId) : null;
      if (!parent) throw new AppError(400, 'invalid_value', { field: 'parentId', detail: 'the organisation has one bureau already' }, 'parentId');
      if (body.polygon) validatePolygon(body.polygon, 'polygon');
      const created = await insertUnit(db, body, parent);
      await app.kernel.caches.changed('org');
      req.auditEntityId = created.id;
      return reply.status(201).send(unitSummary(created));
    },
  );

  app.patch(
    '/org/units/:id',
    {
      config: { permission: 'org.manage', audit: { entity: 'org_unit', action: 'org.unit_update' } },
      schema: {
        tags: ['org'],
        summary: 'Rename, recode or redraw a unit below mine (the bureau: any unit)',
        params: IdParams,
        body: Strict({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), code: Type.Optional(OrgCode), polygon: Type.Optional(Type.Union([Polygon, Type.Null()])) }, { minProperties: 1 }),
        response: { 200: Type.Composite([UnitSummaryView, Type.Object({ polygon: Geometry })]), ...ErrorAnswers },
      },
    },
    async (req) => {
      const u = await getUnit(db, req.principal!, req.params.id);
      // A unit is changed from above: a station redrawing its own boundary would take in its neighbours'
      // ground (their addresses, their incidents). Only the bureau edits its own unit.
      if (u.path === req.principal!.unitPath && !seesEverything(req.principal!)) throw new AppError(403, 'forbidden');
      const body = req.body;
      if (body.polygon) validatePolygon(body.polygon, 'polygon');
      if (body.code && body.code !== u.code) {
        const [dup] = await db.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, body.code));
        if (dup) throw new AppError(409, 'duplicate', { field: 'code' }, 'code');
      }
      const [updated] = await db.update(orgUnits).set(body).where(eq(orgUnits.id, u.id)).returning();
      await app.kernel.caches.changed('org');
      return { ...unitSummary(updated), polygon: updated.polygon ?? null };
    },
  );
}
