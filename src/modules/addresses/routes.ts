/**
 * Standard address registry API (registered under /api/v1): search as the call-taker types, reverse
 * lookup from a map point, one address, its QR door plate, and (administrators, inside their
 * jurisdiction) CSV import and single additions.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { AppError, errorBody, notFound } from '../../core/errors.js';
import { ErrorAnswers, Strict, StringEnum } from '../../core/typebox.js';
import { LANDMARK_KINDS } from './landmarks.js';
import type { AddressService } from './service.js';
import { platePng, plateSvg } from './qr.js';

const CSV_LIMIT = 5 * 1024 * 1024;

const Code = Type.String({ minLength: 2, maxLength: 32, pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$', description: 'registry code, e.g. MO0101000001' });
const CodeParams = Strict({ code: Code });
const SearchQuery = Strict({
  q: Type.String({ minLength: 1, maxLength: 100, description: 'what was typed: any part of the address, simplified or traditional, spaces and missing characters tolerated' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
});
const ReverseQuery = Strict({
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  radius: Type.Optional(Type.Number({ minimum: 1, maximum: 2000, default: 100, description: 'metres' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
});
const NewAddress = Strict({
  code: Code,
  district: Type.String({ minLength: 1, maxLength: 32 }),
  road: Type.String({ minLength: 1, maxLength: 64 }),
  number: Type.Optional(Type.String({ maxLength: 20, description: 'door number, e.g. 12 or 12A (號 optional)' })),
  building: Type.Optional(Type.String({ maxLength: 64 })),
  unit: Type.Optional(Type.String({ maxLength: 32 })),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
});
const ImportBody = Strict({ csv: Type.String({ minLength: 1, maxLength: CSV_LIMIT, description: 'CSV text; header code,district,road,number,building,unit,lon,lat' }) });

const Hit = Type.Object({
  code: Type.String(),
  text: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  stationId: Type.Union([Type.String(), Type.Null()]),
  gridId: Type.Union([Type.String(), Type.Null()]),
  score: Type.Optional(Type.Number()),
  distanceMeters: Type.Optional(Type.Number()),
  alias: Type.Optional(Type.String({ description: 'the other name of the road or landmark (popular, former, Portuguese) the query matched' })),
  kind: Type.Optional(Type.Union([Type.Literal('address'), Type.Literal('landmark')], { description: 'address: of the registry (code is its registry code); landmark: of the landmark list (code landmark:<id>, not a registry code)' })),
  landmarkKind: Type.Optional(StringEnum(LANDMARK_KINDS)),
});
const Address = Type.Object({
  code: Type.String(),
  district: Type.String(),
  road: Type.String(),
  number: Type.String(),
  building: Type.String(),
  unit: Type.String(),
  text: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  stationId: Type.Union([Type.String(), Type.Null()]),
  gridId: Type.Union([Type.String(), Type.Null()]),
  source: Type.String(),
});
/**
 * An image answer, described under its own media type (OpenAPI 3.0: a `binary` string). Fastify sends
 * the SVG string and the PNG buffer as they are: the JSON serialiser is for JSON content types only.
 */
const Image = (mediaType: string, description: string) => ({ description, content: { [mediaType]: { schema: Type.String({ format: 'binary' }) } } });
const CsvErrorSchema = Type.Object({ line: Type.Integer(), field: Type.String(), message: Type.String() });

/** Where the plate's link points: the configured public URL, else this server as the client reached it. */
function baseUrlOf(req: FastifyRequest, publicUrl?: string): string {
  return publicUrl ?? `${req.protocol}://${req.host}`;
}

export default async function addressRoutes(app: FastifyInstance, opts: { addresses: AddressService; publicUrl?: string; announce?: (codes: string[] | null) => Promise<void> }) {
  // Other instances learn of new addresses through the kernel's cache sync (addresses/index.ts).
  const announce = opts.announce ?? (async () => {});
  const svc = opts.addresses;

  const lookup = async (code: string) => {
    const a = await svc.lookup(code);
    if (!a) throw notFound('address');
    return a;
  };

  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    '/addresses/search',
    {
      config: { permission: 'address.read' },
      schema: { tags: ['addresses'], summary: 'Address search as the call-taker types: registry addresses and landmarks (kind), best first', querystring: SearchQuery, response: { 200: Type.Array(Hit) } },
    },
    async (req) => svc.search(req.query.q, req.query.limit ?? 10),
  );

  app.get<{ Querystring: Static<typeof ReverseQuery> }>(
    '/addresses/reverse',
    {
      config: { permission: 'address.read' },
      schema: { tags: ['addresses'], summary: 'Addresses nearest to a map point (within radius metres)', querystring: ReverseQuery, response: { 200: Type.Array(Hit) } },
    },
    async (req) => svc.nearest(req.query.lon, req.query.lat, req.query.radius ?? 100, req.query.limit ?? 10),
  );

  app.get<{ Params: Static<typeof CodeParams> }>(
    '/addresses/:code',
    { config: { permission: 'address.read' }, schema: { tags: ['addresses'], summary: 'One address of the registry', params: CodeParams, response: { 200: Address } } },
    async (req) => lookup(req.params.code),
  );

  app.get<{ Params: Static<typeof CodeParams> }>(
    '/addresses/:code/plate.svg',
    { config: { permission: 'address.read' }, schema: { tags: ['addresses'], summary: 'Printable QR door plate (SVG, 120 × 80 mm)', params: CodeParams, response: { 200: Image('image/svg+xml', 'the plate as SVG'), ...ErrorAnswers } } },
    async (req, reply) => {
      const a = await lookup(req.params.code);
      return reply.type('image/svg+xml; charset=utf-8').header('Cache-Control', 'private, max-age=300').send(plateSvg(a, baseUrlOf(req, opts.publicUrl)));
    },
  );

  app.get<{ Params: Static<typeof CodeParams> }>(
    '/addresses/:code/plate.png',
    { config: { permission: 'address.read' }, schema: { tags: ['addresses'], summary: 'QR code of the door plate (PNG)', params: CodeParams, response: { 200: Image('image/png', 'the QR code as PNG'), ...ErrorAnswers } } },
    async (req, reply) => {
      const a = await lookup(req.params.code);
      return reply.type('image/png').header('Cache-Control', 'private, max-age=300').send(await platePng(a.code, baseUrlOf(req, opts.publicUrl)));
    },
  );

  app.post<{ Body: Static<typeof ImportBody> }>(
    '/addresses/import',
    {
      bodyLimit: CSV_LIMIT + 64 * 1024,
      config: { permission: 'address.manage', audit: { entity: 'address', action: 'address.import' } },
      schema: {
        tags: ['addresses'],
        summary: 'Import addresses from CSV (all or nothing; errors name line and field; only inside my jurisdiction)',
        body: ImportBody,
        response: { 200: Type.Object({ imported: Type.Integer(), errors: Type.Array(CsvErrorSchema) }) },
      },
    },
    async (req, reply) => {
      const r = await svc.importCsv(req.principal!, req.body.csv);
      req.auditDetail = { imported: r.imported, errors: r.errorCount };
      if (r.errorCount) {
        const first = r.errors[0];
        const err = new AppError(400, 'invalid_value', { field: 'csv', detail: `${r.errorCount} error(s); line ${first.line}, ${first.field}: ${first.message}` }, 'csv');
        return reply.status(400).send({ ...errorBody(err, req.lang), imported: 0, errors: r.errors, errorCount: r.errorCount });
      }
      await announce(null);
      return { imported: r.imported, errors: [] };
    },
  );

  app.post<{ Body: Static<typeof NewAddress> }>(
    '/addresses',
    {
      config: { permission: 'address.manage', audit: { entity: 'address', action: 'address.create' } },
      schema: { tags: ['addresses'], summary: 'Add one address to the registry (403 outside my jurisdiction)', body: NewAddress, response: { 201: Address } },
    },
    async (req, reply) => {
      const b = req.body;
      const created = await svc.create(req.principal!, { code: b.code, district: b.district, road: b.road, number: b.number ?? '', building: b.building ?? '', unit: b.unit ?? '', lon: b.lon, lat: b.lat });
      req.auditEntityId = created.code;
      await announce([created.code]);
      return reply.status(201).send(created);
    },
  );
}
