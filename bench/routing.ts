/**
 * Routing benchmark (`npm run bench:routing`): our engine on bench/data/heidelberg.test.pbf, and side
 * by side pgRouting (pgr_dijkstraCost) on the same edge table. Not a test: prints figures and ends with
 *   RESULT routing ours_p50_ms=… ours_p99_ms=… pgr_p50_ms=… speedup_p50=… max_abs_diff_s=…
 *
 * Options: --queries N (incidents, default 1000) --units N (default 500)
 *          --pgr-queries N (how many of the same queries pgRouting runs, default 200; ~0.4 s each)
 *          --no-pgr   --database-url postgres://…  (default postgres://postgres@127.0.0.1:5432/postgres)
 * The peer needs: apt-get install postgresql-15-pgrouting postgresql-15-postgis-3 osm2pgrouting osmium-tool
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { importRoadFile } from '../src/modules/roads/import.js';
import { importGeoJson } from '../src/modules/roads/import-geojson.js';
import { buildGraph } from '../src/modules/roads/network.js';
import { loadSpeedProfile } from '../src/modules/roads/speeds.js';
import { graphMemoryBytes, type RoadGraph } from '../src/modules/roads/graph.js';
import { RoadService } from '../src/modules/roads/service.js';
import { computeCoverage, coverageGeoJson } from '../src/modules/roads/coverage.js';
import { SearchEngine } from '../src/modules/roads/search.js';
import type { SnapResult } from '../src/modules/roads/snap.js';

const PBF = fileURLToPath(new URL('./data/heidelberg.test.pbf', import.meta.url));
const DB_NAME = 'shouwang_bench_routing';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const QUERIES = Number(arg('queries', '1000'));
const UNITS = Number(arg('units', '500'));
const PGR_QUERIES = Math.min(QUERIES, Number(arg('pgr-queries', '200')));
const SKIP_PGR = process.argv.includes('--no-pgr');
const DATABASE_URL = arg('database-url', process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const progress = (label: string, done: number, total: number) => {
  if (done !== total && done % Math.max(1, Math.floor(total / 20)) !== 0) return;
  if (process.stderr.isTTY) process.stderr.write(`\r  ${label}: ${done}/${total}\x1b[K${done === total ? '\n' : ''}`);
  else if (done === total || done % Math.max(1, Math.floor(total / 4)) === 0) process.stderr.write(`  ${label}: ${done}/${total}\n`);
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (x: number) => x.toFixed(3);

/** Deterministic, so every run (and both engines) see the same queries. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const orNull = (x: number) => (Number.isNaN(x) ? null : x);

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1] };
}

/** Garbage-collection pauses seen while `fn` runs (count and longest), from the runtime's own gc entries. */
async function withGcPauses<T>(fn: () => T): Promise<{ value: T; gcCount: number; gcMaxMs: number }> {
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push(e.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  const value = fn();
  await new Promise((resolve) => setTimeout(resolve, 0)); // let the observer deliver
  observer.disconnect();
  return { value, gcCount: pauses.length, gcMaxMs: pauses.length ? Math.max(...pauses) : 0 };
}

/**
 * Times each query by the wall clock (what a caller waits) and by the process's CPU time (what the
 * engine itself costs). On a shared machine the two differ by the time the process was not running.
 */
function timeQueries(service: RoadService, incidents: { lon: number; lat: number }[], units: (SnapResult | null)[], label: string) {
  const times: number[] = [];
  const cpuTimes: number[] = [];
  // Kept for the comparisons as packed doubles (NaN = null), not as 500 boxed numbers per query:
  // a million retained heap numbers would trigger old-generation GCs inside the timed loop.
  const results: Float64Array[] = [];
  // Warm-up so the JIT has compiled the search before anything is timed.
  for (let i = 0; i < Math.min(50, incidents.length); i++) {
    const target = service.snap(incidents[i].lon, incidents[i].lat);
    if (target) service.etaFromSnapped(target, units);
  }
  incidents.forEach((inc, i) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const target = service.snap(inc.lon, inc.lat);
    const r = target ? service.etaFromSnapped(target, units) : null;
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
    const row = new Float64Array(units.length).fill(NaN);
    if (r) r.seconds.forEach((x, k) => x !== null && (row[k] = x));
    results.push(row);
    progress(label, i + 1, incidents.length);
  });
  return { ...percentiles(times), cpu: percentiles(cpuTimes), results };
}

// ------------------------------------------------------------------------------------------------
// 1. Our engine on the .osm.pbf
// ------------------------------------------------------------------------------------------------
log(`== Shouwang routing engine: ${path.relative(process.cwd(), PBF)}`);
let started = performance.now();
const graph = importRoadFile(PBF).graph;
const importMs = performance.now() - started;
const service = new RoadService(graph);
const info = service.info();
log(`  import ${importMs.toFixed(0)} ms: ${graph.meta.inputNodeCount} way nodes → ${graph.vertexCount} search vertices (degree-2 chains compressed), ${graph.arcCount} arcs, ${graph.pointCount} shape points`);
log(`  memory: graph ${mb(graphMemoryBytes(graph))}, with snap index and search state ${mb(info.memoryBytes)}`);

const random = rng(20_240_601);
/** A random point within ~50 m of a random way node: snaps onto the middle of a road piece. */
const randomPoint = (g: RoadGraph) => {
  const p = Math.floor(random() * g.pointCount);
  return { lon: g.pointLon[p] + (random() - 0.5) * 0.0012, lat: g.pointLat[p] + (random() - 0.5) * 0.0008 };
};
const unitPoints = Array.from({ length: UNITS }, () => randomPoint(graph));
const incidentPoints = Array.from({ length: QUERIES }, () => randomPoint(graph));
started = performance.now();
const unitSnaps = unitPoints.map((u) => service.snap(u.lon, u.lat));
const snapMs = performance.now() - started;
log(`  snapping ${UNITS} units: ${snapMs.toFixed(1)} ms (${unitSnaps.filter(Boolean).length} on a road)`);
const loadBefore = loadavg()[0];
const { value: ours, gcCount, gcMaxMs } = await withGcPauses(() => timeQueries(service, incidentPoints, unitSnaps, `${QUERIES} incidents × ${UNITS} units`));
const loadAfter = loadavg()[0];
const fullTimes: number[] = [];
for (let i = 0; i < Math.min(200, QUERIES); i++) {
  const t = performance.now();
  service.etaManyToOne(incidentPoints[i], unitPoints);
  fullTimes.push(performance.now() - t);
}
const full = percentiles(fullTimes);
log(`  many-to-one (units snapped beforehand, incident snapped in the timing): p50 ${ms(ours.p50)} ms, p99 ${ms(ours.p99)} ms, max ${ms(ours.max)} ms`);
log(`    CPU time of the same queries: p50 ${ms(ours.cpu.p50)} ms, p99 ${ms(ours.cpu.p99)} ms, max ${ms(ours.cpu.max)} ms; ${gcCount} GC pauses (longest ${ms(gcMaxMs)} ms); load average ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} on ${cpus().length} CPUs`);
log(`  including snapping all ${UNITS} units every query (${fullTimes.length} queries): p50 ${ms(full.p50)} ms, p99 ${ms(full.p99)} ms`);

// Every way node a vertex (no compression): the literal 58k-vertex graph.
{
  const rawGraph = importRoadFile(PBF, { compress: false }).graph;
  const rawService = new RoadService(rawGraph);
  const rawUnits = unitPoints.map((u) => rawService.snap(u.lon, u.lat));
  const raw = timeQueries(rawService, incidentPoints, rawUnits, 'uncompressed graph');
  let diff = 0;
  raw.results.forEach((row, q) => row.forEach((x, i) => {
    const s = orNull(x);
    const o = orNull(ours.results[q][i]);
    if (s !== null && o !== null) diff = Math.max(diff, Math.abs(s - o));
    else if ((s === null) !== (o === null)) diff = Infinity;
  }));
  log(`  uncompressed (${rawGraph.vertexCount} vertices, ${rawGraph.arcCount} arcs, ${mb(rawService.info().memoryBytes)}): p50 ${ms(raw.p50)} ms, p99 ${ms(raw.p99)} ms, max ${ms(raw.max)} ms; largest difference to the compressed graph ${diff} s`);
}

// Coverage from all units at once over the whole graph.
let coverageP50 = 0;
{
  const origins = unitSnaps.filter((s): s is SnapResult => s !== null);
  const engine = new SearchEngine(graph);
  const compute: number[] = [];
  const geo: number[] = [];
  let shares = '';
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const cov = computeCoverage(graph, engine, origins);
    const t1 = performance.now();
    const fc = coverageGeoJson(graph, cov);
    geo.push(performance.now() - t1);
    compute.push(t1 - t0);
    shares = cov.bands.map((b) => `${b.label} ${(100 * b.share).toFixed(1)}%`).join(', ') + ` (${fc.features.length} lines)`;
  }
  const c = percentiles(compute);
  coverageP50 = c.p50;
  log(`  coverage of ${origins.length} units over the whole graph (${compute.length} runs): search + bands p50 ${ms(c.p50)} ms, max ${ms(c.max)} ms, GeoJSON build p50 ${ms(percentiles(geo).p50)} ms; ${shares}`);
}

// ------------------------------------------------------------------------------------------------
// 2. The peer: pgRouting on the same edge table
// ------------------------------------------------------------------------------------------------
const peer: { pgrP50: number | null; speedup: number | null; maxAbsDiff: number | null } = { pgrP50: null, speedup: null, maxAbsDiff: null };
const HOW_TO = 'install the peer with: apt-get install -y postgresql-15-pgrouting postgresql-15-postgis-3 osm2pgrouting osmium-tool (PostgreSQL reachable at --database-url)';

function haveCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Parses a little-endian WKB LineString into [lon, lat] pairs (exact doubles, unlike text). */
function wkbLineString(buf: Buffer): number[][] {
  if (buf[0] !== 1) throw new Error('big-endian WKB not handled');
  let type = buf.readUInt32LE(1);
  let offset = 5;
  if (type & 0x20000000) {
    offset += 4; // SRID
    type &= 0xffff;
  }
  if (type !== 2) throw new Error(`WKB type ${type} is not a LineString`);
  const n = buf.readUInt32LE(offset);
  offset += 4;
  const coords: number[][] = [];
  for (let i = 0; i < n; i++, offset += 16) coords.push([buf.readDoubleLE(offset), buf.readDoubleLE(offset + 8)]);
  return coords;
}

async function runPeer() {
  const missing = ['osmium', 'osm2pgrouting'].filter((c) => !haveCommand(c));
  if (missing.length) {
    log(`\n== pgRouting peer skipped: ${missing.join(', ')} not found; ${HOW_TO}`);
    return;
  }
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  try {
    await admin.connect();
  } catch (err) {
    log(`\n== pgRouting peer skipped: cannot connect to ${DATABASE_URL} (${(err as Error).message}); ${HOW_TO}`);
    return;
  }
  const available = await admin.query(`SELECT name FROM pg_available_extensions WHERE name IN ('postgis', 'pgrouting')`);
  if (available.rowCount !== 2) {
    await admin.end();
    log(`\n== pgRouting peer skipped: the postgis/pgrouting extensions are not installed in that PostgreSQL; ${HOW_TO}`);
    return;
  }
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
  if (!exists.rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  await admin.end();
  const url = new URL(DATABASE_URL);
  url.pathname = `/${DB_NAME}`;
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  await db.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
  const version = (await db.query('SELECT pgr_version() AS v')).rows[0].v as string;
  log(`\n== pgRouting ${version} (database ${DB_NAME})`);

  const work = path.join(tmpdir(), 'shouwang-bench-routing');
  mkdirSync(work, { recursive: true });
  const osmXml = path.join(work, 'heidelberg.roads.osm');
  started = performance.now();
  const filter = spawnSync('osmium', ['tags-filter', PBF, 'w/highway', '-o', osmXml, '--overwrite'], { encoding: 'utf8' });
  if (filter.status !== 0) throw new Error(`osmium failed: ${filter.stderr}`);
  log('  osm2pgrouting import (a few seconds)…');
  const conn = new URL(DATABASE_URL);
  const o2p = spawnSync(
    'osm2pgrouting',
    ['-f', osmXml, '-c', '/usr/share/osm2pgrouting/mapconfig_for_cars.xml', '-d', DB_NAME, '-U', decodeURIComponent(conn.username || 'postgres'), '-h', conn.hostname, '-p', conn.port || '5432', '--clean', ...(conn.password ? ['-W', decodeURIComponent(conn.password)] : [])],
    { encoding: 'utf8' },
  );
  if (o2p.status !== 0) throw new Error(`osm2pgrouting failed: ${o2p.stderr || o2p.stdout}`);
  const pgrImportMs = performance.now() - started;

  // The same edge table into our engine through the GeoJSON travel-time path.
  const edges = await db.query({ text: 'SELECT gid, source, target, cost_s, reverse_cost_s, ST_AsBinary(the_geom) AS wkb FROM ways ORDER BY gid', types: { getTypeParser: (oid: number, format?: string) => (oid === 17 ? (v: string) => Buffer.from(v.slice(2), 'hex') : pg.types.getTypeParser(oid, format as 'text')) } as never });
  const vertexCoord = new Map<number, number[]>();
  const features = edges.rows.map((r: { source: string; target: string; cost_s: number; reverse_cost_s: number; wkb: Buffer }) => {
    const coordinates = wkbLineString(r.wkb);
    vertexCoord.set(Number(r.source), coordinates[0]);
    vertexCoord.set(Number(r.target), coordinates[coordinates.length - 1]);
    return { type: 'Feature', properties: { travel_time_s: r.cost_s, reverse_travel_time_s: r.reverse_cost_s }, geometry: { type: 'LineString', coordinates } };
  });
  started = performance.now();
  const { network } = importGeoJson({ type: 'FeatureCollection', features }, loadSpeedProfile());
  const pgrGraph = buildGraph(network, { source: 'pgrouting ways' });
  const ourImportMs = performance.now() - started;
  const pgrService = new RoadService(pgrGraph);
  log(`  osm2pgrouting: ${edges.rowCount} edges, ${vertexCoord.size} vertices, import ${pgrImportMs.toFixed(0)} ms; the same table in our engine: ${pgrGraph.vertexCount} vertices, ${pgrGraph.arcCount} arcs, built in ${ourImportMs.toFixed(0)} ms`);

  // Query vertices: only those whose coordinate no other vertex shares (we connect by coordinate).
  const byCoord = new Map<string, number>();
  for (const [, c] of vertexCoord) byCoord.set(`${c[0]},${c[1]}`, (byCoord.get(`${c[0]},${c[1]}`) ?? 0) + 1);
  const candidates = [...vertexCoord.entries()].filter(([, c]) => byCoord.get(`${c[0]},${c[1]}`) === 1).map(([id]) => id);
  const pick = rng(7);
  const choose = () => candidates[Math.floor(pick() * candidates.length)];
  const unitIds = Array.from({ length: UNITS }, choose);
  const incidentIds = Array.from({ length: QUERIES }, choose);
  const at = (id: number) => ({ lon: vertexCoord.get(id)![0], lat: vertexCoord.get(id)![1] });
  const units = unitIds.map((id) => pgrService.snap(at(id).lon, at(id).lat));
  const oursOnPgr = timeQueries(pgrService, incidentIds.map(at), units, 'our engine on the pgRouting graph');

  const sql = 'SELECT start_vid, agg_cost FROM pgr_dijkstraCost($$SELECT gid AS id, source, target, cost_s AS cost, reverse_cost_s AS reverse_cost FROM ways$$, $1::bigint[], $2::bigint, directed => true)';
  await db.query(sql, [unitIds.slice(0, 10), incidentIds[0]]); // warm-up
  const pgrTimes: number[] = [];
  let diff = 0;
  let reachabilityMismatches = 0;
  let compared = 0;
  for (let q = 0; q < PGR_QUERIES; q++) {
    const t = performance.now();
    const res = await db.query(sql, [unitIds, incidentIds[q]]);
    pgrTimes.push(performance.now() - t);
    const cost = new Map<number, number>(res.rows.map((r: { start_vid: string; agg_cost: number }) => [Number(r.start_vid), r.agg_cost]));
    unitIds.forEach((id, i) => {
      if (id === incidentIds[q]) return; // pgRouting leaves out a start equal to the end
      const theirs = cost.get(id) ?? null;
      const mine = orNull(oursOnPgr.results[q][i]);
      if ((theirs === null) !== (mine === null)) reachabilityMismatches++;
      else if (theirs !== null && mine !== null) {
        diff = Math.max(diff, Math.abs(theirs - mine));
        compared++;
      }
    });
    progress('pgr_dijkstraCost', q + 1, PGR_QUERIES);
  }
  await db.end();
  const pgr = percentiles(pgrTimes);
  peer.pgrP50 = pgr.p50;
  peer.speedup = pgr.p50 / oursOnPgr.p50;
  peer.maxAbsDiff = reachabilityMismatches ? Infinity : diff;
  log(`  ours on this graph (${QUERIES} queries): p50 ${ms(oursOnPgr.p50)} ms, p99 ${ms(oursOnPgr.p99)} ms, max ${ms(oursOnPgr.max)} ms`);
  log(`  pgr_dijkstraCost (${PGR_QUERIES} of the same queries, round trip): p50 ${ms(pgr.p50)} ms, p99 ${ms(pgr.p99)} ms, max ${ms(pgr.max)} ms`);
  log(`  speed-up at the median: ${peer.speedup.toFixed(0)}×; ${compared} unit–incident times compared, largest difference ${diff.toExponential(2)} s, reachability mismatches ${reachabilityMismatches}`);
}

if (SKIP_PGR) log(`\n== pgRouting peer skipped (--no-pgr)`);
else {
  try {
    await runPeer();
  } catch (err) {
    log(`\n== pgRouting peer failed: ${(err as Error).message}`);
  }
}

const fmt = (x: number | null, digits: number) => (x === null ? 'NA' : Number.isFinite(x) ? x.toFixed(digits) : 'inf');
console.log(
  `RESULT routing ours_p50_ms=${fmt(ours.p50, 3)} ours_p99_ms=${fmt(ours.p99, 3)} pgr_p50_ms=${fmt(peer.pgrP50, 1)} speedup_p50=${fmt(peer.speedup, 0)} max_abs_diff_s=${peer.maxAbsDiff === null ? 'NA' : Number.isFinite(peer.maxAbsDiff) ? peer.maxAbsDiff.toExponential(2) : 'inf'}` +
    ` ours_max_ms=${fmt(ours.max, 3)} ours_cpu_p99_ms=${fmt(ours.cpu.p99, 3)} coverage_p50_ms=${fmt(coverageP50, 3)} load1=${loadAfter.toFixed(2)}`,
);
