import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Command } from 'commander';
import { mkdtempSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import roadsRoutes, { pickEncoding } from '../../src/modules/roads/routes.js';
import { registerRoadsCommands } from '../../src/modules/roads/cli.js';
import { importRoadFile } from '../../src/modules/roads/import.js';
import { RoadService } from '../../src/modules/roads/service.js';
import { AppError } from '../../src/core/errors.js';
import roadsModule from '../../src/modules/roads/index.js';
import { Catalogues } from '../../src/kernel/kernel.js';
import { permissionPolicy } from '../../src/kernel/compose.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MACAU = path.join(ROOT, 'assets/macau/roads.geojson');
// Two points on Macau's road network (Taipa) and one in the sea.
const A = '113.5535,22.1565';
const B = '113.5575,22.1530';
const SEA = '113.62,22.05';

describe('HTTP API', () => {
  let app: FastifyInstance;
  let roads: RoadService;
  beforeAll(async () => {
    roads = new RoadService(importRoadFile(MACAU).graph);
    // The platform's validator settings: unknown query parameters are rejected, not dropped.
    app = Fastify({ ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } } });
    // Stand-in for the platform's error handler: AppError → its status and code.
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof AppError) return reply.status(err.status).send({ error: { code: err.code, field: err.field } });
      const e = err as { statusCode?: number; code?: string };
      return reply.status(e.statusCode ?? 500).send({ error: { code: e.code ?? 'internal' } });
    });
    await app.register(roadsRoutes, { prefix: '/api/v1', roads });
    await app.ready();
  });
  afterAll(() => app.close());

  it('declares a policy, tags and a schema on every route', () => {
    const routes: { url: string; method: string | string[]; config?: { permission?: string }; schema?: { tags?: string[]; summary?: string } }[] = [];
    // The policy a route gets is the one the module's manifest grants its permission (as buildApp resolves it).
    const kernel = new Catalogues([roadsModule]);
    const probe = Fastify();
    probe.addHook('onRoute', (r) => void routes.push(r as never));
    return probe.register(roadsRoutes, { prefix: '/api/v1', roads }).then(async () => {
      await probe.ready();
      const gets = routes.filter((r) => r.method === 'GET');
      expect(gets.map((r) => r.url).sort()).toEqual(['/api/v1/roads', '/api/v1/roads/coverage', '/api/v1/roads/eta', '/api/v1/roads/info']);
      for (const r of gets) {
        expect(r.config?.permission).toBe('roads.read');
        expect(permissionPolicy(kernel, r.config!.permission!)).toEqual({ roles: 'any', tokenScopes: ['roads:read'] });
        expect(r.schema?.tags).toEqual(['roads']);
        expect(r.schema?.summary).toBeTruthy();
      }
      await probe.close();
    });
  });

  it('serves the network as GeoJSON with ETag and Cache-Control, and a bbox filter', async () => {
    const res = await app.inject({ url: '/api/v1/roads' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.length).toBeGreaterThan(1000);
    expect(Object.keys(body.features[0].properties).sort()).toEqual(['highway', 'name', 'oneway']);
    expect(res.headers['cache-control']).toContain('max-age');
    const etag = res.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await app.inject({ url: '/api/v1/roads', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    const part = await app.inject({ url: '/api/v1/roads?bbox=113.55,22.15,113.56,22.16' });
    expect(part.statusCode).toBe(200);
    const n = part.json().features.length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(body.features.length);
    expect((await app.inject({ url: '/api/v1/roads?bbox=113.56,22.15,113.55,22.16' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/roads?colour=red' })).statusCode).toBe(400);
  });

  it('sends the whole network compressed once, brotli or gzip as the client accepts, the same GeoJSON', async () => {
    const plain = await app.inject({ url: '/api/v1/roads' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await app.inject({ url: '/api/v1/roads', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(plain.json());
    const gz = await app.inject({ url: '/api/v1/roads', headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(plain.json());
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('br;q=0, *;q=0.5')).toBe('gzip');
    // A part of the network is answered as before (not precompressed).
    expect((await app.inject({ url: '/api/v1/roads?bbox=113.55,22.15,113.56,22.16', headers: { 'accept-encoding': 'br' } })).headers['content-encoding']).toBeUndefined();
  });

  it('answers travel times, with a route on request', async () => {
    const res = await app.inject({ url: `/api/v1/roads/eta?to=${A}&from=${B};${SEA}&route=0` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.seconds).toHaveLength(2);
    expect(body.seconds[0]).toBeGreaterThan(0);
    expect(body.seconds[1]).toBeNull();
    expect(body.snapped.from[1]).toBeNull();
    expect(body.distanceMeters[0]).toBeGreaterThan(100);
    expect(body.route.geometry.coordinates.length).toBeGreaterThan(1);
    expect(body.route.seconds).toBe(body.seconds[0]);
  });

  it('rejects bad coordinates and points off the road network', async () => {
    const bad = async (qs: string) => (await app.inject({ url: `/api/v1/roads/eta?${qs}` })).json();
    expect((await app.inject({ url: `/api/v1/roads/eta?to=abc&from=${B}` })).statusCode).toBe(400);
    expect((await app.inject({ url: `/api/v1/roads/eta?to=${A}` })).statusCode).toBe(400);
    expect((await bad(`to=200.5,22.1&from=${B}`)).error).toEqual({ code: 'out_of_range', field: 'to' });
    expect((await bad(`to=${SEA}&from=${B}`)).error).toEqual({ code: 'invalid_value', field: 'to' });
    expect((await bad(`to=${A}&from=${B}&route=3`)).error).toEqual({ code: 'out_of_range', field: 'route' });
  });

  it('computes coverage bands with length shares that add up to one', async () => {
    const res = await app.inject({ url: `/api/v1/roads/coverage?origins=${A};${B}&bands=2,4` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.bands.map((b: { maxMinutes: number | null }) => b.maxMinutes)).toEqual([2, 4, null]);
    const total = body.bands.reduce((a: number, b: { share: number }) => a + b.share, 0);
    expect(total).toBeCloseTo(1, 9);
    expect(body.bands[0].share).toBeGreaterThan(0);
    expect(body.features.some((f: { properties: { band: number } }) => f.properties.band === 0)).toBe(true);
    expect(body.origins).toEqual({ given: 2, snapped: 2 });
    expect((await app.inject({ url: `/api/v1/roads/coverage?origins=${SEA}` })).json().error).toEqual({ code: 'invalid_value', field: 'origins' });
    expect((await app.inject({ url: '/api/v1/roads/coverage' })).statusCode).toBe(400);
    const many = Array.from({ length: 2001 }, () => A).join(';');
    expect((await app.inject({ url: `/api/v1/roads/coverage?origins=${many}` })).json().error).toEqual({ code: 'too_many_items', field: 'origins' });
  });

  it('describes the graph', async () => {
    const info = (await app.inject({ url: '/api/v1/roads/info' })).json();
    expect(info.vertices).toBeGreaterThan(1000);
    expect(info.bbox).toHaveLength(4);
  });
});

describe('CLI', () => {
  async function cli(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    let code = 0;
    const program = new Command().name('shouwang').exitOverride();
    program.configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
    registerRoadsCommands(program, { out: (s) => out.push(s), err: (s) => err.push(s), setExitCode: (c) => (code = c), tty: false });
    for (const c of program.commands) for (const sub of c.commands) sub.exitOverride().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
    try {
      await program.parseAsync(['node', 'shouwang', ...args]);
    } catch (e) {
      code = (e as { exitCode?: number }).exitCode ?? 99;
    }
    return { out: out.join(''), err: err.join(''), code };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'shouwang-cli-'));
  const graph = path.join(dir, 'macau.graph');

  it('imports with a progress bar and a summary, then answers eta and info', async () => {
    const imp = await cli(['roads', 'import', MACAU, '--out', graph]);
    expect(imp.code).toBe(0);
    expect(imp.err).toMatch(/\[#+\] 100%/);
    expect(imp.err).toMatch(/vertices/);
    expect(existsSync(graph)).toBe(true);
    const eta = await cli(['roads', 'eta', '--graph', graph, '--to', A, '--from', B, '--from', SEA, '--from', A]);
    expect(eta.code).toBe(0);
    const seconds = JSON.parse(eta.out);
    expect(seconds).toHaveLength(3);
    expect(seconds[0]).toBeGreaterThan(0);
    expect(seconds[1]).toBeNull();
    expect(seconds[2]).toBe(0);
    expect(eta.err).toMatch(/more than 500 m/);
    const cut = JSON.parse((await cli(['roads', 'eta', '--graph', graph, '--to', A, '--from', B, '--cutoff', '1'])).out);
    expect(cut).toEqual([null]);
    const info = await cli(['roads', 'info', '--graph', graph]);
    const parsed = JSON.parse(info.out);
    expect(parsed.vertices).toBeGreaterThan(1000);
    expect(parsed.arcs).toBeGreaterThan(1000);
    expect(parsed.bbox).toHaveLength(4);
  });

  it('prints clear errors with exit codes, never stack traces', async () => {
    const notOsm = path.join(dir, 'bad.osm.pbf');
    writeFileSync(notOsm, 'this is not osm');
    const r1 = await cli(['roads', 'import', notOsm, '--out', path.join(dir, 'x.graph')]);
    expect(r1.code).toBe(1);
    expect(r1.err).toMatch(/not an OSM PBF/);
    expect(r1.err).not.toMatch(/\s+at /);
    const r2 = await cli(['roads', 'eta', '--graph', graph, '--to', 'nowhere', '--from', B]);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/--to "nowhere"/);
    const r3 = await cli(['roads', 'info', '--graph', path.join(dir, 'missing.graph')]);
    expect(r3.code).toBe(1);
    expect(r3.err).toMatch(/no such file/);
    const r4 = await cli(['roads', 'eta', '--graph', graph, '--to', SEA, '--from', B]);
    expect(r4.code).toBe(2);
    expect(r4.err).toMatch(/more than 500 m from any road/);
    const r5 = await cli(['roads', 'eta', '--help']);
    expect(r5.out).toMatch(/--from <lon,lat>/);
  });
});
