/**
 * `npm run bench:analytics` (issue 16 "Speed"), on PostgreSQL (DATABASE_URL; a temporary database on that
 * server, dropped afterwards; PGlite in memory when unset, with fewer incidents):
 *  (a) load --incidents (8,000,000: three years of a city of 2.6 million incidents a year) across the demo
 *      city's stations and grids, straight into `incidents` by SQL in time order as a live city records them
 *      (`--scattered`: at random times in no order); the triggers mark their hours stale (bulk statements);
 *  (b) full rebuild of every rollup from the raw rows (`rebuildRollups`, what `shouwang analytics rebuild` does); target ≤ 5 min;
 *  (c) every dashboard query through the app (inject) for the bureau's analyst and a station chief,
 *      --runs (30) each: year to date against last year, a week, the heat table, and the interval, hot spot
 *      and drill-down figures when those routes exist (hot spots at 9 over the last 4 weeks: the route allows
 *      9 for at most MAX_STREET_SPAN_DAYS); target p95 ≤ 300 ms;
 *  (d) rollup maintenance under --changes-per-s (1,000) incident changes a second for --seconds (10): most
 *      on the last two days' incidents (status and times, as the live system changes them), one in ten a
 *      late correction anywhere in the three years; the stale backlog must not grow, and drains after;
 *  (e) the weekly report of last week, when the reports route exists; target ≤ 10 s.
 * `--keep NAME` keeps the PostgreSQL database NAME afterwards and reuses its incidents next time (the load
 * of 8 million takes about 2.5 minutes in time order, 15 with --scattered); `--load-only` stops after loading; `--no-rebuild` skips phase (b) on a
 * kept database whose rollups a previous run built (its RESULT then says rebuild_s=skipped).
 * The machine's load average is printed beside every figure. Prints `RESULT analytics …`.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { queryRows, type Database, type Db } from '../src/db/client.js';
import { withScratchDatabase } from './scratch-database.js';
import { buildApp } from '../src/server/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { localDay } from '../src/core/clock.js';
import { CATEGORY_TREE, type CategoryNode } from '../src/modules/incidents/domain/categories.js';
import { categoryFamily } from '../src/modules/incidents/index.js';
import { addCalendarDays } from '../src/core/working-days.js';
import { rebuildRollups } from '../src/modules/analytics/rebuild.js';
import { MAX_STREET_SPAN_DAYS } from '../src/modules/analytics/domain/hotspot-span.js';
// The worker's round itself (not exported by the module: only the bench drives rounds by hand).
import { backlog as rollupBacklog, refreshStale, refreshStaleRound } from '../src/modules/analytics/rollups.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const PG_URL = process.env.DATABASE_URL;
const N = Number(arg('incidents', PG_URL ? '8000000' : '300000'));
const DAYS = Number(arg('days', '1095'));
const RUNS = Number(arg('runs', '30'));
const CHANGES_PER_S = Number(arg('changes-per-s', '1000'));
const SECONDS = Number(arg('seconds', '10'));
const DRAIN_MAX_S = Number(arg('drain-max', '600'));
/** A PostgreSQL database kept between runs (`--keep sw_bench_analytics_8m`): loaded once, then reused. */
const KEEP = process.argv.includes('--keep') ? arg('keep', '') : undefined;
const SCATTERED = process.argv.includes('--scattered');
const QUERY_TARGET_MS = 300;
const REBUILD_TARGET_S = 300;
const REPORT_TARGET_S = 10;
const ORIGIN = 'http://localhost:80';

const log = (m: string) => process.stderr.write(`[bench:analytics] ${m}\n`);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const secs = (ms: number) => (ms / 1000).toFixed(1);

const leaves = (nodes: readonly CategoryNode[]): CategoryNode[] => nodes.flatMap((n) => (n.children?.length ? leaves(n.children) : [n]));

/** (a) Incidents by SQL, in chunks: random stations/grids of the demo city, categories of the real tree, a year's rhythm left out. */
async function loadIncidents(db: Db) {
  const stations = await queryRows<{ id: string }>(db, sql`select id from org_units where kind = 'station' order by id`);
  const grids = await queryRows<{ id: string; parent_id: string }>(db, sql`select id, parent_id from org_units where kind = 'grid' order by id`);
  const cats = leaves(CATEGORY_TREE).filter((c) => !c.code.startsWith('08'));
  const stationArr = `{${stations.map((s) => s.id).join(',')}}`;
  const catArr = `{${cats.map((c) => c.code).join(',')}}`;
  const famArr = `{${cats.map((c) => categoryFamily(c.code)).join(',')}}`;
  // Grids: each incident in a grid of its station (where the station has grids), as jurisdiction would place it.
  const gridsOf: Record<string, string[]> = {};
  for (const g of grids) (gridsOf[g.parent_id] ??= []).push(g.id);
  const gridJson = JSON.stringify(gridsOf);
  // Times: in the order a live city records them (its table grows in time order), one slot of DAYS × 86,400 / N
  // seconds each, jittered within it. --scattered: uniform at random over the span instead, in no order, so
  // that each month's incidents lie on pages all over the table (the worst case for a rebuild's reads).
  const recordedAt = SCATTERED
    ? sql`now() - make_interval(secs => random() * ${DAYS} * 86400)`
    : sql`now() - make_interval(secs => (${N}::float8 - g + random()) * ${(DAYS * 86400) / N}::float8)`;
  const t0 = performance.now();
  const CHUNK = 200_000;
  for (let start = 0; start < N; start += CHUNK) {
    const n = Math.min(CHUNK, N - start);
    // Answer 3–20 s, intake 40–200 s, dispatch 20 s–10 min, travel 2–25 min.
    await db.execute(sql`
      insert into incidents (id, number, source, category_code, category_family, priority, suggested_priority, description, station_id, grid_id, status,
        lon, lat, call_started_at, answered_at, recorded_at, dispatched_at, on_scene_at, closed_at)
      select 'bench-' || g, 'B' || lpad(g::text, 10, '0'), 'call110', (${catArr}::text[])[c], (${famArr}::text[])[c], p, p, '', s,
        (${gridJson}::jsonb -> s) ->> floor(random() * coalesce(jsonb_array_length(${gridJson}::jsonb -> s), 0))::int, 'closed',
        113.53 + random() * 0.05, 22.11 + random() * 0.09,
        r - make_interval(secs => 200 + random() * 20), r - make_interval(secs => 40 + random() * 160), r,
        r + make_interval(secs => 20 + random() * 580), r + make_interval(secs => 620 + random() * 1500), r + interval '2 hours'
      from (
        select g, ${recordedAt} as r,
          (${stationArr}::text[])[1 + floor(random() * ${stations.length})::int] as s,
          1 + floor(random() * ${cats.length})::int as c,
          (array['P1','P2','P2','P3','P3','P3','P4','P4'])[1 + floor(random() * 8)::int] as p
        from generate_series(${start + 1}::bigint, ${start + n}::bigint) g
      ) x`);
    log(`loaded ${(start + n).toLocaleString('en')} / ${N.toLocaleString('en')} incidents in ${secs(performance.now() - t0)} s  (load avg ${load()})`);
  }
  await db.execute(sql`analyze incidents`);
  return performance.now() - t0;
}

/** (b) Every rollup from the raw rows, as `shouwang analytics rebuild` does it: month by month, then the upper tiers. */
async function rebuild(db: Db) {
  const t0 = performance.now();
  const marked = Number((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from analytics_stale_hours`))[0]?.n ?? 0);
  let last = 0;
  const r = await rebuildRollups(db, {
    progress: (done, total) => {
      if (performance.now() - last > 10_000 || done === total) {
        last = performance.now();
        log(`rebuild: ${done} / ${total} months recounted, ${secs(performance.now() - t0)} s  (load avg ${load()})`);
      }
    },
  });
  const hours = Number((await queryRows<{ n: number }>(db, sql`select count(distinct hour)::int as n from analytics_incident_hours`))[0]?.n ?? 0);
  return { ms: performance.now() - t0, marked, hours, months: r.months };
}

type Login = { cookie: string; origin: string };

async function queries(app: Awaited<ReturnType<typeof buildApp>>, logins: Record<string, Login>) {
  const today = localDay(new Date());
  const ytdFrom = `${today.slice(0, 4)}-01-01`;
  const weekFrom = addCalendarDays(today, -6);
  const streetFrom = addCalendarDays(today, -(MAX_STREET_SPAN_DAYS - 1));
  // [url, what the printed line adds to it]
  const urls: [string, string][] = [
    [`/api/v1/kpis/values?from=${ytdFrom}&to=${today}`, ''],
    [`/api/v1/kpis/values?from=${weekFrom}&to=${today}`, ''],
    [`/api/v1/analytics/heat?from=${ytdFrom}&to=${today}`, ''],
    [`/api/v1/analytics/intervals?from=${weekFrom}&to=${today}`, ''],
    [`/api/v1/analytics/hotspots?from=${ytdFrom}&to=${today}&resolution=8`, ''],
    // Resolution 9 reads the hour cells alone (no tier): the route allows it for spans of at most
    // MAX_STREET_SPAN_DAYS (domain/hotspot-span.ts), so its longest dashboard query is that span.
    [`/api/v1/analytics/hotspots?from=${streetFrom}&to=${today}&resolution=9`, `  [res 9: the longest span allowed, ${MAX_STREET_SPAN_DAYS} days, vs last year]`],
    [`/api/v1/analytics/breakdown?from=${ytdFrom}&to=${today}`, ''],
  ];
  const figures: { who: string; url: string; p50: number; p95: number }[] = [];
  for (const [who, headers] of Object.entries(logins)) {
    for (const [url, label] of urls) {
      const first = await app.inject({ method: 'GET', url, headers });
      if (first.statusCode === 404) continue; // that route has not landed
      if (first.statusCode !== 200) throw new Error(`${url} as ${who}: ${first.statusCode} ${first.body.slice(0, 300)}`);
      const times: number[] = [];
      // A slow query is timed fewer times (at least 3): the figure that matters is that it is slow.
      const until = performance.now() + 20_000;
      for (let i = 0; i < RUNS && (i < 3 || performance.now() < until); i++) {
        const t0 = performance.now();
        await app.inject({ method: 'GET', url, headers });
        times.push(performance.now() - t0);
      }
      const f = { who, url, p50: pct(times, 50), p95: pct(times, 95) };
      figures.push(f);
      console.log(`GET ${url.replace('/api/v1', '').padEnd(70)} as ${who.padEnd(7)} p50 ${f.p50.toFixed(1).padStart(7)} ms  p95 ${f.p95.toFixed(1).padStart(7)} ms  (load avg ${load()})${label}`);
    }
  }
  return figures;
}

/** (d) Changes at a steady rate while the worker's rounds run back to back; the backlog of stale hours is sampled. */
async function maintenance(db: Db) {
  const recent = await queryRows<{ id: string }>(db, sql`select id from incidents where recorded_at > now() - interval '2 days' order by random() limit 20000`);
  let any = await queryRows<{ id: string }>(db, sql`select id from incidents tablesample system (0.5) limit 20000`);
  if (!any.length) any = await queryRows<{ id: string }>(db, sql`select id from incidents order by random() limit 20000`);
  if (!recent.length) recent.push(...any);
  const pick = (xs: { id: string }[], k: number) => Array.from({ length: k }, () => xs[Math.floor(Math.random() * xs.length)]!.id);
  let stop = false;
  let rounds = 0;
  const worker = (async () => {
    while (!stop) {
      const r = await refreshStaleRound(db);
      rounds++;
      if (r.marks === 0 && r.deltas === 0) await new Promise((res) => setTimeout(res, 50));
    }
  })();
  const backlog: number[] = [];
  const t0 = performance.now();
  let changes = 0;
  // Each tenth of a second: a tenth of the rate, as ten statements (changes come in small transactions).
  for (let tick = 0; tick < SECONDS * 10; tick++) {
    const due = t0 + tick * 100;
    const per = Math.round(CHANGES_PER_S / 10);
    const lateN = Math.round(per / 10);
    const ids = [...pick(recent, per - lateN), ...pick(any, lateN)];
    for (let k = 0; k < ids.length; k += Math.ceil(ids.length / 10)) {
      const part = ids.slice(k, k + Math.ceil(ids.length / 10));
      await db.execute(sql`update incidents set priority = (array['P1','P2','P3','P4'])[1 + floor(random() * 4)::int], on_scene_at = on_scene_at + interval '1 second', updated_at = now() where id = any(${`{${part.join(',')}}`}::text[])`);
      changes += part.length;
    }
    if (tick % 10 === 9) backlog.push(await rollupBacklog(db));
    const wait = due + 100 - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  }
  const elapsed = performance.now() - t0;
  const t1 = performance.now();
  let undrained = 0;
  for (;;) {
    undrained = await rollupBacklog(db);
    if (!undrained) break;
    // A backlog that does not drain in --drain-max seconds is the finding: the run goes on to the report.
    if (performance.now() - t1 > DRAIN_MAX_S * 1000) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const drainMs = performance.now() - t1;
  stop = true;
  await worker;
  return { rate: changes / (elapsed / 1000), backlog, drainMs, rounds, undrained };
}

async function weeklyReport(app: Awaited<ReturnType<typeof buildApp>>, headers: Login) {
  const today = localDay(new Date());
  const dow = new Date(`${today}T12:00:00Z`).getUTCDay();
  const weekStart = addCalendarDays(today, -((dow + 6) % 7) - 7);
  const t0 = performance.now();
  const res = await app.inject({ method: 'POST', url: '/api/v1/reports/weekly', payload: { weekStart }, headers: { ...headers, 'content-type': 'application/json' } });
  const ms = performance.now() - t0;
  if (res.statusCode === 404) return null;
  if (res.statusCode >= 300) throw new Error(`weekly report: ${res.statusCode} ${res.body.slice(0, 300)}`);
  const id = (res.json() as { id: string }).id;
  const t1 = performance.now();
  const docx = await app.inject({ method: 'GET', url: `/api/v1/reports/${id}/docx`, headers });
  return { ms, docxMs: performance.now() - t1, bytes: docx.rawPayload.length };
}

async function run(driver: string, database: Database) {
  const db = database.db;
  const [loaded] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from incidents where id like 'bench-%'`);
  if (KEEP && Number(loaded?.n) >= N) {
    log(`reusing ${KEEP}: ${Number(loaded!.n).toLocaleString('en')} incidents already loaded`);
  } else if (Number(loaded?.n)) {
    throw new Error(`${KEEP} holds ${loaded!.n} bench incidents, not ${N}: drop it first`);
  } else {
    await seedDemo(db);
  }
  const loadMs = KEEP && Number(loaded?.n) >= N ? 0 : await loadIncidents(db);
  console.log(`${driver}: ${N.toLocaleString('en')} incidents over ${DAYS} days ${loadMs ? `loaded in ${secs(loadMs)} s` : 'reused'}  (load avg ${load()})`);
  if (process.argv.includes('--load-only')) process.exit(0);
  // --no-rebuild: a kept database whose rollups a previous run built (the queries, maintenance and report measured again).
  const rb = process.argv.includes('--no-rebuild') ? { ms: 0, marked: 0, hours: 0, months: 0 } : await rebuild(db);
  console.log(`rebuild: ${rb.months} months (${rb.hours.toLocaleString('en')} hours; ${rb.marked.toLocaleString('en')} stale marks) recounted in ${secs(rb.ms)} s (target ≤ ${REBUILD_TARGET_S} s)  (load avg ${load()})`);
  const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, database, db, publish: () => {} }, { logger: false });
  await app.ready();
  const login = async (username: string): Promise<Login> => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'shouwang-demo' }, headers: { origin: ORIGIN } });
    const c = res.cookies.find((x) => x.name === 'sw_session');
    if (!c) throw new Error(`login ${username}: ${res.statusCode}`);
    return { cookie: `sw_session=${c.value}`, origin: ORIGIN };
  };
  const logins = { analyst: await login('analyst'), chief: await login('chief') };
  const figures = await queries(app, logins);
  const m = await maintenance(db);
  console.log(`maintenance: ${m.rate.toFixed(0)} changes/s for ${SECONDS} s; backlog (stale marks + deltas) at each second: ${m.backlog.join(' ')}; ${m.undrained ? `${m.undrained} still pending after ${secs(m.drainMs)} s (--drain-max)` : `drained ${secs(m.drainMs)} s after`}; ${m.rounds} rounds  (load avg ${load()})`);
  if (m.undrained) {
    // The report settles the rollups first: the backlog left is drained here, so the report's time is its own.
    const t = performance.now();
    await refreshStale(db);
    log(`the backlog of ${m.undrained} left drained in ${secs(performance.now() - t)} s before the report  (load avg ${load()})`);
  }
  const rep = await weeklyReport(app, await login('admin'));
  if (rep) console.log(`weekly report: snapshot ${secs(rep.ms)} s, docx ${secs(rep.docxMs)} s, ${(rep.bytes / 1024).toFixed(0)} KiB (target ≤ ${REPORT_TARGET_S} s)  (load avg ${load()})`);
  else console.log('weekly report: POST /api/v1/reports/weekly not present, skipped');
  await app.close();
  return { driver, loadMs, rb, figures, m, rep };
}

async function main() {
  console.log(`analytics at a city's scale: ${N.toLocaleString('en')} incidents, ${RUNS} runs per query; ${os.cpus().length} cores  (load avg ${load()})`);
  const r = await withScratchDatabase('analytics', (driver, database) => run(driver, database), { keep: KEEP });
  const driver = r.driver;
  const p95 = Math.max(...r.figures.map((f) => f.p95));
  // Grown: the second half's samples average more than twice the first half's (one sample against another
  // called a backlog oscillating 238–793 and drained 0.6 s after "grown").
  const half = Math.floor(r.m.backlog.length / 2);
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
  const grew = r.m.backlog.length > 2 && mean(r.m.backlog.slice(half)) > 2 * Math.max(1, mean(r.m.backlog.slice(0, half)));
  const met = p95 <= QUERY_TARGET_MS && r.rb.ms / 1000 <= REBUILD_TARGET_S && !grew && !r.m.undrained && (!r.rep || r.rep.ms / 1000 <= REPORT_TARGET_S);
  console.log(
    `RESULT analytics driver=${driver} incidents=${N} load_s=${secs(r.loadMs)} rebuild_s=${process.argv.includes('--no-rebuild') ? 'skipped' : secs(r.rb.ms)} queries=${r.figures.length} query_p95_max_ms=${p95.toFixed(0)} changes_per_s=${r.m.rate.toFixed(0)} backlog_end=${r.m.backlog.at(-1) ?? 0} drain_s=${secs(r.m.drainMs)}${r.m.undrained ? `+(${r.m.undrained} left)` : ''} report_s=${r.rep ? secs(r.rep.ms) : 'n/a'} targets=${met ? 'met' : 'missed'} load=${os.loadavg()[0]!.toFixed(2)}`,
  );
}

await main();
