/**
 * Road network API (registered under /api/v1): the network for drawing, coverage bands,
 * travel times and graph info. Read-only: permission `roads.read` (see index.ts).
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { AppError } from '../../core/errors.js';
import { Nullable } from '../../core/typebox.js';
import type { LonLat, RoadService } from './service.js';

const NUM = String.raw`-?\d{1,3}(?:\.\d+)?`;
const COORD = `${NUM},${NUM}`;
const COORD_PATTERN = `^${COORD}$`;
const COORD_LIST_PATTERN = `^${COORD}(?:;${COORD})*$`;
const BBOX_PATTERN = `^${NUM},${NUM},${NUM},${NUM}$`;
const BANDS_PATTERN = String.raw`^\d{1,3}(?:\.\d+)?(?:,\d{1,3}(?:\.\d+)?){0,9}$`;
const MAX_ORIGINS = 2000;
const MAX_SOURCES = 2000;

const RoadsQuery = Type.Object(
  { bbox: Type.Optional(Type.String({ pattern: BBOX_PATTERN, maxLength: 100, description: 'minLon,minLat,maxLon,maxLat: only roads touching this box' })) },
  { additionalProperties: false },
);
const CoverageQuery = Type.Object(
  {
    origins: Type.String({ pattern: COORD_LIST_PATTERN, maxLength: 100_000, description: `lon,lat;lon,lat;… — the free units (1 to ${MAX_ORIGINS})` }),
    bands: Type.Optional(Type.String({ pattern: BANDS_PATTERN, description: 'band limits in minutes, e.g. 3,5,8 (default)' })),
  },
  { additionalProperties: false },
);
const EtaQuery = Type.Object(
  {
    to: Type.String({ pattern: COORD_PATTERN, maxLength: 60, description: 'lon,lat of the destination (incident)' }),
    from: Type.String({ pattern: COORD_LIST_PATTERN, maxLength: 100_000, description: 'lon,lat;lon,lat;… of the starting points (units)' }),
    cutoff: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400, description: 'give up beyond this many seconds' })),
    route: Type.Optional(Type.Integer({ minimum: 0, description: 'index of a `from` point whose route geometry to include' })),
  },
  { additionalProperties: false },
);

/** [lon, lat] */
const Position = Type.Tuple([Type.Number(), Type.Number()]);
const LineString = Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Position) });

/** The network for drawing (RoadService.toGeoJSON). */
export const RoadNetworkView = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      properties: Type.Object({ name: Type.String(), highway: Type.String(), oneway: Type.Union([Type.Literal('yes'), Type.Literal('-1'), Type.Literal('no')]) }),
      geometry: LineString,
    }),
  ),
});

const CoverageBandView = Type.Object({
  maxMinutes: Nullable(Type.Number({ description: 'null for the last band (beyond the largest limit, or unreachable)' })),
  label: Type.String(),
  lengthMeters: Type.Number(),
  share: Type.Number(),
});

/** Coverage lines by band (a drawable FeatureCollection) with the band summary as foreign members. */
export const CoverageView = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      properties: Type.Object({ band: Type.Integer(), label: Type.String(), maxMinutes: Nullable(Type.Number()), seconds: Nullable(Type.Number()) }),
      geometry: LineString,
    }),
  ),
  bands: Type.Array(CoverageBandView),
  origins: Type.Object({ given: Type.Integer(), snapped: Type.Integer() }),
});

const SnapView = Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number(), distanceMeters: Nullable(Type.Number()) }, { description: 'where the point met the road network; null: too far from any road' }));

export const EtaView = Type.Object({
  seconds: Type.Array(Nullable(Type.Number()), { description: 'per `from` point; null = unreachable (or beyond the cutoff)' }),
  distanceMeters: Type.Array(Nullable(Type.Integer())),
  snapped: Type.Object({ to: SnapView, from: Type.Array(SnapView) }),
  route: Type.Optional(
    Nullable(Type.Object({ seconds: Nullable(Type.Number()), meters: Type.Integer(), geometry: LineString }, { description: 'only when `route` was asked for; null: that point cannot reach `to`' })),
  ),
});

export const RoadInfoView = Type.Object({
  source: Type.String(),
  createdAt: Type.String(),
  vertices: Type.Integer(),
  edges: Type.Integer(),
  arcs: Type.Integer(),
  points: Type.Integer(),
  inputNodes: Type.Integer(),
  compressed: Type.Boolean(),
  bbox: Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], { description: 'minLon, minLat, maxLon, maxLat' }),
  memoryBytes: Type.Integer(),
  lengthKm: Type.Number(),
});

// No ErrorAnswers here: test/roads mounts these routes on a bare Fastify whose errors have Fastify's
// own shape; in the app every error is ErrorResponse all the same.
function parseCoordinate(text: string, field: string): LonLat {
  const [lonText, latText] = text.split(',');
  const lon = Number(lonText);
  const lat = Number(latText);
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
    throw new AppError(400, 'out_of_range', { field, detail: `${text}: longitude must be within -180..180 and latitude within -90..90` }, field);
  }
  return { lon, lat };
}

function parseCoordinateList(text: string, field: string, max: number): LonLat[] {
  const parts = text.split(';');
  if (parts.length > max) throw new AppError(400, 'too_many_items', { field, limit: max }, field);
  return parts.map((p) => parseCoordinate(p, field));
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
const snapView = (s: { lon: number; lat: number; distanceMeters: number } | null) => (s ? { lon: s.lon, lat: s.lat, distanceMeters: round1(s.distanceMeters) } : null);

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

interface PackedNetwork {
  json: Buffer;
  br: Buffer;
  gz: Buffer;
}

/**
 * The whole network, serialised and compressed once (a RoadService never changes; a new network is a new
 * service with a new version and ETag): every console loads it, and it is 1.3 MB of JSON for the demo
 * city. Compressing per request would cost each load tens of milliseconds of CPU; a cached answer none.
 */
function packer(roads: RoadService) {
  let packed: Promise<PackedNetwork> | null = null;
  return (): Promise<PackedNetwork> => {
    if (!packed) {
      const json = Buffer.from(JSON.stringify(roads.toGeoJSON()));
      const quality = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: json.length } };
      packed = Promise.all([brotli(json, quality), gzip(json, { level: 9 })]).then(([br, gz]) => ({ json, br, gz }));
      packed.catch(() => (packed = null));
    }
    return packed;
  };
}

/** br, gzip or none: what the client accepts (q=0 refuses), brotli first. */
export function pickEncoding(accept: string | undefined): 'br' | 'gzip' | null {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').toLowerCase().split(',').slice(0, 20)) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((x) => /^\s*q=([\d.]+)\s*$/.exec(x)?.[1]).find(Boolean);
    if (name) offered.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (n: string) => (offered.get(n) ?? offered.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

export default async function roadsRoutes(fastify: FastifyInstance, opts: { roads: RoadService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const roads = opts.roads;
  const whole = packer(roads);
  const sendWhole = async (req: FastifyRequest, reply: FastifyReply) => {
    const p = await whole();
    const enc = pickEncoding(req.headers['accept-encoding']);
    reply.header('Content-Type', 'application/json; charset=utf-8').header('Vary', 'Accept-Encoding');
    if (enc) reply.header('Content-Encoding', enc);
    return reply.send(enc === 'br' ? p.br : enc === 'gzip' ? p.gz : p.json);
  };

  app.get<{ Querystring: Static<typeof RoadsQuery> }>(
    '/roads',
    {
      config: { permission: 'roads.read' },
      schema: { tags: ['roads'], summary: 'The road network as GeoJSON for drawing (name, highway, oneway per line)', querystring: RoadsQuery, response: { 200: RoadNetworkView, 304: Type.Null({ description: 'not modified (ETag)' }) } },
    },
    async (req, reply) => {
      let bbox: [number, number, number, number] | undefined;
      if (req.query.bbox) {
        const v = req.query.bbox.split(',').map(Number) as [number, number, number, number];
        if (!(v[0] >= -180 && v[2] <= 180 && v[1] >= -90 && v[3] <= 90 && v[0] <= v[2] && v[1] <= v[3])) {
          throw new AppError(400, 'invalid_value', { field: 'bbox', detail: 'expected minLon,minLat,maxLon,maxLat with min ≤ max, in degrees' }, 'bbox');
        }
        bbox = v;
      }
      const etag = `"roads-${roads.version}${bbox ? `-${bbox.join('_')}` : ''}"`;
      reply.header('ETag', etag).header('Cache-Control', 'private, max-age=3600');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send(null);
      if (!bbox) return sendWhole(req, reply);
      return roads.toGeoJSON(bbox);
    },
  );

  const coverage = (q: Static<typeof CoverageQuery>) => {
    const origins = parseCoordinateList(q.origins, 'origins', MAX_ORIGINS);
    const bands = q.bands ? q.bands.split(',').map(Number) : undefined;
    if (bands && bands.some((b) => !(b > 0))) throw new AppError(400, 'invalid_value', { field: 'bands', detail: 'band limits must be minutes > 0' }, 'bands');
    const cov = roads.coverage(origins, bands);
    if (cov.originsSnapped === 0) {
      throw new AppError(400, 'invalid_value', { field: 'origins', detail: `no origin is within ${roads.maxSnapMeters} m of a road` }, 'origins');
    }
    // A FeatureCollection (drawable as-is) with the band summary as foreign members.
    return { ...cov.geojson, bands: cov.bands, origins: { given: origins.length, snapped: cov.originsSnapped } };
  };
  const coverageSummary = 'Coverage: time for the first unit to reach every road, as GeoJSON lines by band plus the share of road length per band';
  app.get<{ Querystring: Static<typeof CoverageQuery> }>(
    '/roads/coverage',
    { config: { permission: 'roads.read' }, schema: { tags: ['roads'], summary: coverageSummary, querystring: CoverageQuery, response: { 200: CoverageView } } },
    async (req) => coverage(req.query),
  );
  // The same as a POST body: 2,000 origins do not fit in a URL (servers refuse request lines over 16 KB).
  app.post<{ Body: Static<typeof CoverageQuery> }>(
    '/roads/coverage',
    { config: { permission: 'roads.read' }, schema: { tags: ['roads'], summary: `${coverageSummary} (parameters in the body)`, body: CoverageQuery, response: { 200: CoverageView } } },
    async (req) => coverage(req.body),
  );

  const eta = (q: Static<typeof EtaQuery>) => {
    const to = parseCoordinate(q.to, 'to');
    const from = parseCoordinateList(q.from, 'from', MAX_SOURCES);
    const routeFor = q.route;
    if (routeFor !== undefined && routeFor >= from.length) throw new AppError(400, 'out_of_range', { field: 'route', detail: `0..${from.length - 1}` }, 'route');
    const r = roads.etaManyToOne(to, from, { cutoffS: q.cutoff, routeFor });
    if (!r.target) throw new AppError(400, 'invalid_value', { field: 'to', detail: `more than ${roads.maxSnapMeters} m from any road` }, 'to');
    return {
      seconds: r.seconds.map(round1),
      distanceMeters: r.distanceMeters.map((m) => (m === null ? null : Math.round(m))),
      snapped: { to: snapView(r.target), from: r.sources.map(snapView) },
      ...(routeFor !== undefined
        ? { route: r.route ? { seconds: round1(r.route.seconds), meters: Math.round(r.route.meters), geometry: { type: 'LineString' as const, coordinates: r.route.coordinates } } : null }
        : {}),
    };
  };
  const etaSummary = 'Travel time by road from each `from` point to `to` (seconds, null = unreachable)';
  app.get<{ Querystring: Static<typeof EtaQuery> }>(
    '/roads/eta',
    { config: { permission: 'roads.read' }, schema: { tags: ['roads'], summary: etaSummary, querystring: EtaQuery, response: { 200: EtaView } } },
    async (req) => eta(req.query),
  );
  app.post<{ Body: Static<typeof EtaQuery> }>(
    '/roads/eta',
    { config: { permission: 'roads.read' }, schema: { tags: ['roads'], summary: `${etaSummary} (parameters in the body)`, body: EtaQuery, response: { 200: EtaView } } },
    async (req) => eta(req.body),
  );

  app.get(
    '/roads/info',
    { config: { permission: 'roads.read' }, schema: { tags: ['roads'], summary: 'The loaded road graph: source, vertices, arcs, bounding box, memory', response: { 200: RoadInfoView } } },
    async () => roads.info(),
  );
}
