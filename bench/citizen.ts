/**
 * `npm run bench:citizen` (issue 15 "Speed"), on PostgreSQL (DATABASE_URL; a temporary database on that
 * server, dropped afterwards; PGlite in memory when unset, at a tenth of the size and rate):
 *  (a) the demo city and --reports (1,000,000) citizen reports loaded by SQL (generate_series), spread
 *      over the city's stations, ten categories, one in ten still open;
 *  (b) duplicate suggestion: --lookups (2,000) calls of the module's own query (CitizenReports.duplicates:
 *      same category, open, within the category's radius — 75 m by default), one after another at random
 *      places of the city; p50/p99, target p99 ≤ 20 ms; the plan's index is printed;
 *  (c) Open311 `POST /open311/v2/requests.json` (form-encoded, api_key) against the server as `npm start`
 *      runs it, in a child process of its own, over HTTP keep-alive, open-loop at --rate (300) per second
 *      for --seconds (5), latency counted from each request's due time (bench/citizen-open311.ts; add
 *      --server-prof DIR for the server's CPU profile); target the rate kept with p99 ≤ 100 ms;
 *  (d) photo intake: three photo-like 12 MP JPEGs (4000×3000, about 3.5 MB, EXIF with camera and GPS, one
 *      with orientation 6; bench/photo-scene.ts) through the module's own code (CitizenPhotos.add: sniff,
 *      metadata dropped losslessly, the 1280 px copy and the 320 px thumbnail from one decode, the three
 *      files stored in the media store, the row), open-loop at --photo-rate (10) per second for
 *      --photo-seconds (6); target p95 ≤ 200 ms with the rate kept.
 * `--only dup|open311|photos` runs one part (the load of (a) only for dup). Prints the load average beside
 * every figure, progress during the set-up, and one closing line `RESULT citizen open311=…/s p99=… photos
 * p95=… dup p99=…`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { rawQuery, type Database } from '../src/db/client.js';
import { buildApp } from '../src/server/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { citizens } from '../src/modules/citizen/schema.js';
import { createOpen311Key, type CitizenDeps } from '../src/modules/citizen/index.js';
import type { JurisdictionIndex } from '../src/modules/org/index.js';
import { withScratchDatabase } from './scratch-database.js';
import { open311Phase, startServer } from './citizen-open311.js';
import { photoLikeJpeg } from './photo-scene.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const PG = !!process.env.DATABASE_URL;
const scale = PG ? 1 : 0.1;
const only = arg('only', 'all');
const wants = (part: string) => only === 'all' || only === part;
const TARGET = { open311PerS: 300, open311P99: 100, photoP95: 200, photoPerS: 10, dupP99: 20 };

const log = (m: string) => process.stderr.write(`[bench:citizen] ${m}\n`);
const loadAvg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

/** Places inside the city's stations (random points kept when the jurisdiction locates them). */
async function cityPoints(j: JurisdictionIndex, n: number): Promise<{ lon: number; lat: number; stationId: string }[]> {
  const out: { lon: number; lat: number; stationId: string }[] = [];
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let tries = 0; out.length < n && tries < n * 50; tries++) {
    const lon = 113.52 + rnd() * 0.08;
    const lat = 22.1 + rnd() * 0.12;
    const at = await j.locate(lon, lat);
    if (at) out.push({ lon, lat, stationId: at.stationId });
  }
  if (!out.length) throw new Error('no point of the demo city located in a station');
  return out;
}

/** (a) `n` reports by SQL, in chunks with progress: pool points jittered by up to ±200 m, one in ten open. */
async function loadReports(database: Database, points: { lon: number; lat: number; stationId: string }[], n: number) {
  const codes = ['101', '102', '103', '104', '201', '202', '203', '301', '302', '303'];
  const CHUNK = 200_000;
  const pool = JSON.stringify(points.map((p, k) => ({ k, lon: p.lon, lat: p.lat, station: p.stationId })));
  const t0 = performance.now();
  for (let start = 0; start < n; start += CHUNK) {
    const m = Math.min(CHUNK, n - start);
    await database.db.execute(sql`
      insert into citizen_reports (channel, service_code, description, lon, lat, station_id, unit_id, route, status, urgent, token, created_at, updated_at)
      select 'portal', (${`{${codes.join(',')}}`}::text[])[1 + i % ${codes.length}], '压测报事 bench report',
        p.lon + (random() - 0.5) * 0.004, p.lat + (random() - 0.5) * 0.004, p.station, p.station, 'station',
        case when random() < 0.1 then (array['received','accepted','in_progress'])[1 + floor(random() * 3)::int] else 'resolved' end,
        false, 'bench-' || i, now() - random() * interval '365 days', now()
      from generate_series(${start + 1}::bigint, ${start + m}::bigint) i
      join json_to_recordset(${pool}::json) as p (k int, lon float8, lat float8, station text) on p.k = i % ${points.length}`);
    log(`reports ${(start + m).toLocaleString('en')} / ${n.toLocaleString('en')} (${((performance.now() - t0) / 1000).toFixed(1)} s, load avg ${loadAvg()})`);
  }
  await database.db.execute(sql`analyze citizen_reports`);
  const [open] = await rawQuery<{ n: number }>(database.db, `select count(*)::int as n from citizen_reports where status in ('received','accepted','in_progress')`);
  return { seconds: (performance.now() - t0) / 1000, open: Number(open?.n ?? 0) };
}

/** (b) The duplicate suggestion, one call after another. */
async function dupPhase(deps: CitizenDeps, database: Database, points: { lon: number; lat: number }[], lookups: number) {
  const codes = ['101', '102', '103', '201', '202', '301'];
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < lookups; i++) {
    const p = points[(i * 7919) % points.length]!;
    const at = { lon: p.lon + ((i % 13) - 6) * 0.0002, lat: p.lat + ((i % 11) - 5) * 0.0002 };
    const t0 = performance.now();
    const rows = await deps.reports.duplicates(codes[i % codes.length]!, at, 75);
    times.push(performance.now() - t0);
    found += rows.length;
  }
  const p0 = points[0]!;
  const plan = await rawQuery<Record<string, string>>(database.db, `explain select * from citizen_reports where service_code = '101' and status in ('received','accepted','in_progress') and lat between ${p0.lat - 0.0007} and ${p0.lat + 0.0007} and lon between ${p0.lon - 0.0007} and ${p0.lon + 0.0007} limit 200`);
  const lines = plan.map((r) => String(Object.values(r)[0]));
  const index = lines.join(' ').match(/using (\w+)/i)?.[1] ?? 'none (sequential scan)';
  return { p50: pct(times, 50), p99: pct(times, 99), max: Math.max(...times), found, index };
}

/** (d) Photo intake through the module's code, open-loop. */
async function photoPhase(deps: CitizenDeps, database: Database, rate: number, seconds: number) {
  log(`photos: drawing three 12 MP photo-like JPEGs (bench/photo-scene.ts)… (load avg ${loadAvg()})`);
  const photos: Buffer[] = [];
  for (const v of [0, 1, 2]) photos.push(await photoLikeJpeg(v));
  const meta = await sharp(photos[0]!).metadata();
  // One citizen per photo: the module limits the photos a citizen holds before sending a report.
  const n = Math.round(rate * seconds);
  const ids = Array.from({ length: n + 3 }, () => randomUUID());
  await database.db.insert(citizens).values(ids.map((id, i) => ({ id, phone: `1390000${String(i).padStart(4, '0')}` })));
  for (let i = 0; i < 3; i++) await deps.photos.add(ids[n + i]!, photos[i]!); // warm-up (sharp's first call loads libvips)
  const latencies: number[] = [];
  let failed = 0;
  const inflight: Promise<void>[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      deps.photos.add(ids[i]!, photos[i % 3]!).then(
        () => void latencies.push(performance.now() - due),
        (e: unknown) => {
          failed++;
          log(`photo failed: ${(e as Error).message}`);
        },
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU time of this process (every libvips and libuv thread) per photo: what the photo costs whatever the machine's load.
  const cpuMs = (cpu.user + cpu.system) / 1000 / n;
  return { n, failed, cpuMs, bytes: photos.reduce((t, p) => t + p.length, 0) / photos.length, width: meta.width, height: meta.height, perS: n / elapsed, p50: pct(latencies, 50), p95: pct(latencies, 95), max: Math.max(...latencies) };
}

const mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-citizen-'));
process.env.SHOUWANG_MEDIA_DIR = mediaDir;
try {
  const parts = await withScratchDatabase(
    'citizen',
    async (driver, database, databaseUrl) => {
      log(`${driver}: seeding the demo city… (load avg ${loadAvg()})`);
      await seedDemo(database.db);
      const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, database, db: database.db }, { logger: false });
      try {
        const deps = app.kernel.api<CitizenDeps>('citizen');
        const points = await cityPoints(app.kernel.api<JurisdictionIndex>('org'), 2000);
        const out: { dup?: Awaited<ReturnType<typeof dupPhase>> & { reports: number; open: number }; o311?: Awaited<ReturnType<typeof open311Phase>>; photos?: Awaited<ReturnType<typeof photoPhase>>; driver: string } = { driver };
        if (wants('dup')) {
          const n = Number(arg('reports', String(1_000_000 * scale)));
          const load = await loadReports(database, points, n);
          console.log(`reports: ${n.toLocaleString('en')} loaded in ${load.seconds.toFixed(1)} s (${load.open.toLocaleString('en')} open) on ${driver}  (load avg ${loadAvg()})`);
          const d = await dupPhase(deps, database, points, Number(arg('lookups', '2000')));
          out.dup = { ...d, reports: n, open: load.open };
          console.log(`duplicate suggestion over ${n.toLocaleString('en')} reports: p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms, max ${d.max.toFixed(1)} ms, ${d.found} suggestions; index ${d.index} (target p99 ≤ ${TARGET.dupP99} ms)  (load avg ${loadAvg()})`);
        }
        if (wants('open311')) {
          const profDir = process.argv.includes('--server-prof') ? path.resolve(arg('server-prof', 'tmp/cpu-prof')) : undefined;
          const server = await startServer({ databaseUrl, mediaDir, profDir, log });
          const key = server.key ?? (await createOpen311Key(database.db, 'bench client', 'bench')).key;
          const rate = Number(arg('rate', String(TARGET.open311PerS * scale)));
          const o = await open311Phase(server.url, key, points, rate, Number(arg('seconds', '5'))).finally(() => server.stop());
          out.o311 = o;
          console.log(`Open311 POST requests: ${o.created} created of ${o.n} (${JSON.stringify(o.statuses)}); ${o.perS.toFixed(0)}/s of ${rate}/s asked; p50 ${o.p50.toFixed(1)} ms, p99 ${o.p99.toFixed(1)} ms, max ${o.max.toFixed(1)} ms (target ${TARGET.open311PerS}/s, p99 ≤ ${TARGET.open311P99} ms)  (load avg ${loadAvg()})`);
        }
        if (wants('photos')) {
          const p = await photoPhase(deps, database, Number(arg('photo-rate', String(TARGET.photoPerS))), Number(arg('photo-seconds', '6')));
          out.photos = p;
          console.log(`photo intake: ${p.n - p.failed} of ${p.n} ${p.width}×${p.height} JPEGs (${(p.bytes / 1e6).toFixed(1)} MB, photo-like, EXIF with GPS; mean size) at ${p.perS.toFixed(1)}/s; p50 ${p.p50.toFixed(0)} ms, p95 ${p.p95.toFixed(0)} ms, max ${p.max.toFixed(0)} ms (target ≥ ${TARGET.photoPerS}/s, p95 ≤ ${TARGET.photoP95} ms); CPU ${p.cpuMs.toFixed(0)} ms a photo (all threads of this process), so ${((os.availableParallelism() * 1000) / p.cpuMs).toFixed(0)}/s would fill ${os.availableParallelism()} idle cores  (load avg ${loadAvg()})`);
        }
        return out;
      } finally {
        await app.close();
      }
    },
    { poolSize: 10 },
  );
  const { dup, o311, photos } = parts;
  const met =
    (!dup || dup.p99 <= TARGET.dupP99) &&
    (!o311 || (o311.perS >= TARGET.open311PerS * scale * 0.98 && o311.p99 <= TARGET.open311P99 && o311.errors === 0)) &&
    (!photos || (photos.perS >= TARGET.photoPerS * 0.98 && photos.p95 <= TARGET.photoP95 && photos.failed === 0));
  console.log(
    `RESULT citizen open311=${o311 ? `${o311.perS.toFixed(0)}/s p99=${f1(o311.p99)}ms` : 'skipped'} photos ${photos ? `p95=${photos.p95.toFixed(0)}ms rate=${photos.perS.toFixed(1)}/s cpu=${photos.cpuMs.toFixed(0)}ms` : 'skipped'} dup ${dup ? `p99=${dup.p99.toFixed(2)}ms reports=${dup.reports}` : 'skipped'} driver=${parts.driver}${parts.driver === 'pglite' ? ' (reduced size)' : ''}${o311 ? ` open311_errors=${o311.errors}` : ''} targets=${met ? 'met' : 'missed'} load=${loadAvg()}`,
  );
} finally {
  fs.rmSync(mediaDir, { recursive: true, force: true });
}
process.exit(0);
