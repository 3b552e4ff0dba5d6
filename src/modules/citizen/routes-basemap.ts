/**
 * The public map's base layer (issue 15 part 7): the city's streets from our own road network, for the
 * citizen portal's 身边 map — no external tiles. Square cells of 0.02° (about 2 km) addressed by
 * integers (`/public/basemap/{x}_{y}` covers lon x·0.02…(x+1)·0.02, lat y·0.02…(y+1)·0.02): the lines
 * touching the cell with their name and class only, coordinates to 1e-5°, built once per cell and kept
 * gzip-compressed (at most 4,000 cells in memory); the portal keeps the cells it has for the session
 * (API answers are never stored by the browser's cache). Streets are public; nothing else is served here.
 */
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorAnswers, Strict } from '../../core/typebox.js';
import { notFound } from '../../core/errors.js';
import type { RoadFeatureCollection } from '../roads/index.js';

export const BASEMAP_CELL_DEGREES = 0.02;
const MAX_CELLS = 4000;

export interface BasemapRoads {
  toGeoJSON(bbox?: [number, number, number, number]): RoadFeatureCollection;
}

const CellParams = Strict({ cell: Type.String({ pattern: '^-?\\d{1,5}_-?\\d{1,4}$', maxLength: 12, description: 'x_y: the cell lon x·0.02…(x+1)·0.02, lat y·0.02…(y+1)·0.02' }) });
const Cell = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({ type: Type.Literal('Feature'), properties: Type.Object({ name: Type.String(), highway: Type.String() }), geometry: Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Type.Array(Type.Number())) }) })),
});

const r5 = (n: number) => Math.round(n * 1e5) / 1e5;

export default async function basemapRoutes(fastify: FastifyInstance, opts: { roads: BasemapRoads | undefined }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const cache = new Map<string, { json: Buffer; gz: Buffer }>();
  const cell = (x: number, y: number) => {
    const key = `${x}_${y}`;
    let hit = cache.get(key);
    if (!hit) {
      const d = BASEMAP_CELL_DEGREES;
      const fc = opts.roads!.toGeoJSON([x * d, y * d, (x + 1) * d, (y + 1) * d]);
      const features = fc.features.map((f) => ({ type: 'Feature' as const, properties: { name: f.properties.name, highway: f.properties.highway }, geometry: { type: 'LineString' as const, coordinates: f.geometry.coordinates.map(([lon, lat]) => [r5(lon!), r5(lat!)]) } }));
      const json = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
      hit = { json, gz: gzipSync(json, { level: 6 }) };
      if (cache.size >= MAX_CELLS) cache.delete(cache.keys().next().value!);
      cache.set(key, hit);
    }
    return hit;
  };

  app.get(
    '/public/basemap/:cell',
    { config: { policy: 'public' }, schema: { tags: ['citizen'], summary: 'The public map’s streets in one 0.02° cell (our own road network: name and class of each line; no sign-in)', params: CellParams, response: { 200: Cell, ...ErrorAnswers } } },
    async (req, reply) => {
      const [x, y] = req.params.cell.split('_').map(Number) as [number, number];
      if (!opts.roads || Math.abs(x * BASEMAP_CELL_DEGREES) > 180 || Math.abs(y * BASEMAP_CELL_DEGREES) > 90) throw notFound('cell');
      const c = cell(x, y);
      const gzip = /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
      reply.header('Content-Type', 'application/json; charset=utf-8').header('Vary', 'Accept-Encoding');
      if (gzip) reply.header('Content-Encoding', 'gzip');
      // Bytes already serialised (and compressed): the schema above documents them.
      return reply.send((gzip ? c.gz : c.json) as never);
    },
  );
}
