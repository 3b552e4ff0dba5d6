/**
 * `node bin/run-ts.mjs bench/dispatch.ts`: dispatch on one instance (in-process, embedded PGlite by
 * default, or PostgreSQL with --database-url):
 *  - AVL ingest through POST /api/v1/units/positions (5,000 per request, gateway token): positions/s;
 *  - recommendation for an incident with 500 units on duty in the demo city: server-side p50/p99
 *    (DispatchService.recommend: incident from the in-memory cache, candidate filter, one many-to-one road
 *    search, ranking)
 *    and through the HTTP route (inject).
 * The fan-out figures come from bench/dispatch-fanout.ts when it exists.
 * Prints `RESULT dispatch avl_per_s=… recommend_p99_ms=… fanout_p99_ms=… fanout_nats_p99_ms=…`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { buildApp } from '../src/server/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { loadRoadService } from '../src/modules/roads/service.js';
import { createApiToken } from '../src/modules/auth/service.js';
import { DEFAULT_DISPATCH_CONFIG } from '../src/modules/dispatch/service.js';
import { demoUnits, seedDemoUnits } from '../src/demo/units.js';
import { units, unitShifts } from '../src/modules/dispatch/schema.js';
import type { IncidentsApi } from '../src/modules/incidents/index.js';
import { leafCategories } from '../src/modules/incidents/domain/categories.js';
import { demoOrganisation } from '../src/demo/city.js';
import { mulberry32 } from '../src/demo/geometry.js';
import { users } from '../src/db/schema.js';
import { eq } from 'drizzle-orm';
import type { Principal } from '../src/core/access.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const UNITS = Number(arg('units', '500'));
const BATCHES = Number(arg('batches', '40'));
const QUERIES = Number(arg('queries', '2000'));
const log = (m: string) => process.stderr.write(`[bench:dispatch] ${m}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function main() {
  const database = await openDatabase({ databaseUrl: arg('database-url', '') || undefined });
  await database.migrate();
  const db = database.db;
  await seedDemo(db);
  await seedDemoUnits(db);
  const roads = await loadRoadService({ dataDir: path.join(os.tmpdir(), 'shouwang-bench-roads') });

  // 500 units: the 50 demo units and more spread over the demo stations' road points, all on duty.
  const rnd = mulberry32(500);
  const stations = demoOrganisation().filter((u) => u.kind === 'station');
  const base = demoUnits();
  const extra = [];
  for (let i = base.length; i < UNITS; i++) {
    const s = stations[i % stations.length];
    const b = base[i % base.length];
    extra.push({ id: `B${i}`, callSign: `BENCH${i}`, kind: b.kind, stationId: s.code, members: [], memberUserIds: [], capabilities: b.capabilities, homeLon: b.home[0] + (rnd() - 0.5) * 0.004, homeLat: b.home[1] + (rnd() - 0.5) * 0.004, status: 'available' });
  }
  for (let i = 0; i < extra.length; i += 200) await db.insert(units).values(extra.slice(i, i + 200)).onConflictDoNothing();
  const now = Date.now();
  await db.update(units).set({ status: 'available' });
  const all = await db.select().from(units);
  await db
    .insert(unitShifts)
    .values(all.map((u) => ({ id: `bench-${u.id}`, unitId: u.id, day: 'bench', startsAt: new Date(now - 3_600_000), endsAt: new Date(now + 6 * 3_600_000) })))
    .onConflictDoNothing();

  let published = 0;
  // The app builds the dispatch service as in production (modules/dispatch setup); every event it publishes is counted.
  const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, database, db, roads, publish: () => void published++, dispatchConfig: DEFAULT_DISPATCH_CONFIG }, { logger: false });
  const dispatch = app.ctx.dispatch!;
  const { incidents } = app.kernel.api<IncidentsApi>('incidents');
  await app.ready();
  log(`${dispatch.unitCount} units, driver ${database.driver}`);

  // ---------------------------------------------------------------- AVL ingest
  const { token } = await createApiToken(db, { name: 'bench', scopes: ['avl:write'], unitId: 'MO', createdBy: null });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const pos = new Map(all.map((u) => [u.id, { lon: u.homeLon, lat: u.homeLat }]));
  const ids = [...pos.keys()];
  const makeBatch = (k: number) => {
    const at = new Date(Date.now() - 5_000 + k).toISOString();
    return JSON.stringify(
      Array.from({ length: 5000 }, (_, i) => {
        const id = ids[(k * 5000 + i) % ids.length];
        const p = pos.get(id)!;
        p.lon += (rnd() - 0.5) * 0.0004;
        p.lat += (rnd() - 0.5) * 0.0004;
        return { unitId: id, lon: p.lon, lat: p.lat, at, speed: 30, heading: 90 };
      }),
    );
  };
  const bodies = Array.from({ length: BATCHES }, (_, k) => makeBatch(k));
  await app.inject({ method: 'POST', url: '/api/v1/units/positions', headers, payload: bodies[0] }); // warm-up
  const t0 = performance.now();
  let accepted = 0;
  const reqMs: number[] = [];
  for (const body of bodies) {
    const s = performance.now();
    const res = await app.inject({ method: 'POST', url: '/api/v1/units/positions', headers, payload: body });
    reqMs.push(performance.now() - s);
    if (res.statusCode !== 202) throw new Error(`positions: ${res.statusCode} ${res.body.slice(0, 200)}`);
    accepted += res.json().accepted;
  }
  const avlSeconds = (performance.now() - t0) / 1000;
  const avlPerS = accepted / avlSeconds;
  log(`AVL: ${accepted} positions in ${avlSeconds.toFixed(2)} s = ${Math.round(avlPerS)}/s; per 5,000-request p50 ${pct(reqMs, 50).toFixed(1)} ms p99 ${pct(reqMs, 99).toFixed(1)} ms; events published ${published}`);

  // ---------------------------------------------------------------- recommendation
  const [disp] = await db.select().from(users).where(eq(users.username, 'dispatcher'));
  const p: Principal = { kind: 'user', id: disp.id, username: 'dispatcher', displayName: 'd', roles: ['dispatcher'], unitId: 'MO', unitPath: '/MO/', unitKind: 'bureau', scopes: [] };
  const cat = leafCategories().find((c) => !c.capabilities?.length && c.code.startsWith('02'))!;
  const grids = demoOrganisation().filter((u) => u.kind === 'grid' && u.center);
  const incidentIds: string[] = [];
  for (let i = 0; i < 50; i++) {
    const g = grids[Math.floor(rnd() * grids.length)];
    const { row } = await incidents.create(p, { source: 'call110', categoryCode: cat.code, description: '测试', location: { lon: g.center![0], lat: g.center![1] } });
    incidentIds.push(row.id);
  }
  for (const id of incidentIds) await dispatch.recommend(p, id); // warm-up
  const svc: number[] = [];
  let candidates = 0;
  for (let i = 0; i < QUERIES; i++) {
    const s = performance.now();
    const r = await dispatch.recommend(p, incidentIds[i % incidentIds.length], { limit: 20 });
    svc.push(performance.now() - s);
    candidates = Math.max(candidates, r.length);
  }
  const http: number[] = [];
  const cookie = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'dispatcher', password: 'shouwang-demo' }, headers: { origin: 'http://localhost:80' } });
  const session = cookie.cookies.find((c) => c.name === 'sw_session')!;
  for (let i = 0; i < Math.min(QUERIES, 500); i++) {
    const s = performance.now();
    const res = await app.inject({ url: `/api/v1/incidents/${incidentIds[i % incidentIds.length]}/recommendations`, headers: { cookie: `sw_session=${session.value}` } });
    http.push(performance.now() - s);
    if (res.statusCode !== 200) throw new Error(`recommendations: ${res.statusCode}`);
  }
  // Without the incident lookup (memory cache, or a PGlite query on a miss): candidates, one road search, ranking.
  const rows = await Promise.all(incidentIds.map((id) => incidents.get(p, id)));
  const mem: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const s = performance.now();
    await dispatch.recommendFor(p, rows[i % rows.length], { limit: 20 });
    mem.push(performance.now() - s);
  }
  log(`recommend without the incident query: p50 ${pct(mem, 50).toFixed(2)} ms p99 ${pct(mem, 99).toFixed(2)} ms`);
  log(`recommend (service, ${dispatch.unitCount} units, ${QUERIES} queries): p50 ${pct(svc, 50).toFixed(2)} ms p99 ${pct(svc, 99).toFixed(2)} ms max ${Math.max(...svc).toFixed(2)} ms`);
  log(`recommend (HTTP inject incl. session lookup): p50 ${pct(http, 50).toFixed(2)} ms p99 ${pct(http, 99).toFixed(2)} ms`);

  // ---------------------------------------------------------------- fan-out (another engineer's bench)
  let fanout = 'n/a';
  let fanoutNats = 'n/a';
  const fanoutBench = fileURLToPath(new URL('./dispatch-fanout.ts', import.meta.url));
  if (fs.existsSync(fanoutBench) && process.argv.indexOf('--no-fanout') < 0) {
    const r = spawnSync(process.execPath, [fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url)), fanoutBench], { encoding: 'utf8', timeout: 300_000 });
    const line = `${r.stdout}`.split('\n').find((l) => l.startsWith('RESULT'));
    fanout = /fanout_p99_ms=(\S+)/.exec(line ?? '')?.[1] ?? 'n/a';
    fanoutNats = /fanout_nats_p99_ms=(\S+)/.exec(line ?? '')?.[1] ?? 'n/a';
  }

  await dispatch.stop();
  await app.close();
  await database.close();
  console.log(`AVL ingest: ${Math.round(avlPerS)} positions/s (target ≥ 20,000)`);
  console.log(`recommendation p99 (server side, ${UNITS} units): ${pct(svc, 99).toFixed(2)} ms (target ≤ 5 ms)`);
  console.log(`RESULT dispatch avl_per_s=${Math.round(avlPerS)} recommend_p50_ms=${pct(svc, 50).toFixed(3)} recommend_p99_ms=${pct(svc, 99).toFixed(3)} recommend_http_p99_ms=${pct(http, 99).toFixed(3)} recommend_core_p99_ms=${pct(mem, 99).toFixed(3)} fanout_p99_ms=${fanout} fanout_nats_p99_ms=${fanoutNats}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
