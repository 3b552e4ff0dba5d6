/**
 * `npm run bench:cases` (issue 14 "Speed"):
 *  (a) a calendar change: every clock of --recompute (200,000) open cases recomputed with the calculator
 *      from their events held in memory (explanations off), after a holiday is added to this year's
 *      table; target ≤ 5 s, one core;
 *  (b) the supervision board: --board (100,000) open cases with their steps are loaded into a fresh
 *      database — PGlite in memory by default, PostgreSQL when DATABASE_URL is set (a temporary database
 *      on that server, dropped afterwards) — across the demo stations, and GET /api/v1/cases/board (the
 *      500 most urgent cases by next_due_at, through its partial index, their clocks sorted by time left)
 *      is timed through the app with inject for the bureau's admin and a station chief, --runs (200)
 *      each; target p99 ≤ 50 ms. The plan of the board's read is printed (index, not a sort of all);
 *      the warnings tick over the same cases is timed too;
 *  (c) the upload of a 1 GB recording to the local store, from bench/media-upload.ts when the media
 *      module provides it.
 * The machine's load average is printed beside every figure. Prints `RESULT cases …`.
 */
import fs from 'node:fs';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { type Database, type Db } from '../src/db/client.js';
import { withScratchDatabase } from './scratch-database.js';
import { buildApp } from '../src/server/app.js';
import { seedDemo } from '../src/demo/seed.js';
import { orgUnits } from '../src/db/schema.js';
import { mergeCalendarTables, shippedCalendarTable, WorkingDayCalendar, defaultCalendar } from '../src/core/working-days.js';
import { computeClocks } from '../src/modules/cases/domain/calculator.js';
import { CLOCK_RULES } from '../src/modules/cases/domain/rules.js';
import { nextDue } from '../src/modules/cases/domain/board.js';
import { caseEvents, cases } from '../src/modules/cases/schema.js';
import { caseWarningsOf } from '../src/modules/cases/index.js';
import { localDay } from '../src/core/clock.js';
import { benchCases } from './cases-data.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const N_RECOMPUTE = Number(arg('recompute', '200000'));
const N_BOARD = Number(arg('board', '100000'));
const RUNS = Number(arg('runs', '200'));
const UPLOAD_MB = Number(arg('upload-mb', '1024'));
const RECOMPUTE_TARGET_MS = 5000;
const BOARD_TARGET_MS = 50;
const UPLOAD_TARGET_MBS = 200;
const ORIGIN = 'http://localhost:80';

const log = (m: string) => process.stderr.write(`[bench:cases] ${m}\n`);
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => x.toFixed(1);

/** (a) The calendar changes (a holiday added next month): every clock recomputed from the events in memory. */
function recompute(now: Date) {
  const all = benchCases(N_RECOMPUTE, now);
  const before = defaultCalendar();
  const table = shippedCalendarTable();
  const year = String(now.getFullYear());
  const extra = localDay(now.getTime() + 20 * 86_400_000);
  const y = table.years[year] ?? { holidays: [], workdays: [] };
  const changed = new WorkingDayCalendar(mergeCalendarTables(table, { years: { [year]: { ...y, holidays: [...new Set([...y.holidays, extra])].sort(), workdays: y.workdays.filter((d) => d !== extra) } } }));
  const dues = (cal: WorkingDayCalendar) => {
    const out: (number | null)[] = [];
    for (const c of all) for (const r of computeClocks(c.events, CLOCK_RULES, cal, { caseKind: c.kind, explain: false })) out.push(r.dueAt?.getTime() ?? null);
    return out;
  };
  const old = dues(before);
  const t0 = performance.now();
  const now2 = dues(changed);
  const elapsed = performance.now() - t0;
  let moved = 0;
  for (let i = 0; i < old.length; i++) if (old[i] !== now2[i]) moved++;
  console.log(`recompute  ${N_RECOMPUTE.toLocaleString('en')} open cases, ${now2.length.toLocaleString('en')} clocks after ${extra} became a holiday: ${ms(elapsed)} ms (${moved.toLocaleString('en')} due times moved; target ≤ ${RECOMPUTE_TARGET_MS} ms)  (load avg ${load()})`);
  return { ms: elapsed, clocks: now2.length };
}

/** Loads `n` open cases with their steps at the demo stations, next_due_at as the server keeps it. */
async function loadCases(db: Db, n: number, now: Date) {
  const stations = (await db.select({ id: orgUnits.id }).from(orgUnits).where(sql`${orgUnits.kind} = 'station'`)).map((r) => r.id).sort();
  const calendar = defaultCalendar();
  const all = benchCases(n, now, 41);
  const day = localDay(now).replaceAll('-', '');
  let running = 0;
  const t0 = performance.now();
  for (let i = 0; i < all.length; i += 1000) {
    const caseRows: (typeof cases.$inferInsert)[] = [];
    const eventRows: (typeof caseEvents.$inferInsert)[] = [];
    all.slice(i, i + 1000).forEach((c, k) => {
      const j = i + k;
      const id = `bench-case-${j}`;
      const clocks = computeClocks(c.events, CLOCK_RULES, calendar, { caseKind: c.kind, explain: false });
      running += clocks.filter((x) => x.doneAt === null && x.dueAt !== null).length;
      const due = nextDue(clocks, now);
      const stationId = stations[j % stations.length]!;
      caseRows.push({ id, number: `AJ${stationId}${day}B${String(j).padStart(6, '0')}`, kind: c.kind, title: `基准案件 ${j}`, stationId, officer: 'officer', status: 'open', openedAt: c.events[0]!.at, openedBy: 'bench', ...due });
      c.events.forEach((e, m) => {
        const { type, at, ...detail } = e;
        eventRows.push({ id: `${id}-e${m}`, caseId: id, type, at, detail, recordedBy: 'bench' });
      });
    });
    await db.insert(cases).values(caseRows);
    for (let k = 0; k < eventRows.length; k += 2000) await db.insert(caseEvents).values(eventRows.slice(k, k + 2000));
    if ((i / 1000) % 20 === 0) log(`loaded ${i + caseRows.length} cases`);
  }
  await db.execute(sql`analyze cases`);
  await db.execute(sql`analyze case_events`);
  return { running, stations: stations.length, loadMs: performance.now() - t0 };
}

async function explainBoard(db: Db): Promise<string> {
  const res = (await db.execute(sql`explain select * from cases where closed_at is null order by next_due_at asc nulls last, id asc limit 501`)) as unknown as { rows?: Record<string, string>[] } | Record<string, string>[];
  const rows = Array.isArray(res) ? res : (res.rows ?? []);
  return rows.map((r) => Object.values(r)[0]).join(' | ');
}

async function boardOn(driver: string, database: Database) {
  const db = database.db;
  await seedDemo(db);
  const now = new Date();
  const loaded = await loadCases(db, N_BOARD, now);
  console.log(`${driver.padEnd(8)} ${N_BOARD.toLocaleString('en')} open cases loaded at ${loaded.stations} stations in ${(loaded.loadMs / 1000).toFixed(1)} s, ${loaded.running.toLocaleString('en')} running clocks  (load avg ${load()})`);
  const plan = await explainBoard(db);
  console.log(`${driver.padEnd(8)} board read plan: ${plan}`);
  const app = await buildApp({ config: { ...loadConfig({}), logLevel: 'silent' }, database, db, publish: () => {} }, { logger: false });
  await app.ready();
  const login = async (username: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'shouwang-demo' }, headers: { origin: ORIGIN } });
    const c = res.cookies.find((x) => x.name === 'sw_session');
    if (!c) throw new Error(`login ${username}: ${res.statusCode}`);
    return { cookie: `sw_session=${c.value}`, origin: ORIGIN };
  };
  const figures: Record<string, { p50: number; p95: number; p99: number }> = {};
  for (const [who, url] of [
    ['admin', '/api/v1/cases/board?leadHours=24'],
    ['chief', '/api/v1/cases/board?leadHours=24'],
    ['admin', '/api/v1/clocks?state=overdue'],
  ] as const) {
    const headers = await login(who);
    let items = 0;
    for (let i = 0; i < 10; i++) await app.inject({ method: 'GET', url, headers });
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const res = await app.inject({ method: 'GET', url, headers });
      times.push(performance.now() - t0);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      if (i === 0) items = (res.json() as { items: unknown[] }).items.length;
    }
    const f = { p50: pct(times, 50), p95: pct(times, 95), p99: pct(times, 99) };
    figures[`${who} ${url}`] = f;
    console.log(`${driver.padEnd(8)} ${`GET ${url.replace('/api/v1', '')} as ${who}`.padEnd(44)} p50 ${ms(f.p50).padStart(6)} ms  p95 ${ms(f.p95).padStart(6)} ms  p99 ${ms(f.p99).padStart(6)} ms  (${items} clocks; load avg ${load()})`);
  }
  // The warnings tick over the same cases: the first raises (a batch of 500 cases), the next find them raised.
  const warnings = caseWarningsOf(app.kernel)!;
  const ticks: number[] = [];
  let raised = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    raised += (await warnings.tick(now)).raised;
    ticks.push(performance.now() - t0);
  }
  console.log(`${driver.padEnd(8)} ${'warnings tick (500 cases a batch)'.padEnd(44)} first ${ms(ticks[0]!).padStart(6)} ms  then max ${ms(Math.max(...ticks.slice(1))).padStart(6)} ms  (${raised} warnings raised; load avg ${load()})`);
  await app.close();
  const board = Math.max(figures['admin /api/v1/cases/board?leadHours=24']!.p99, figures['chief /api/v1/cases/board?leadHours=24']!.p99);
  return { board, figures, running: loaded.running, tickFirst: ticks[0]!, tickNext: Math.max(...ticks.slice(1)) };
}

/** (c) The media module's upload figure, when it provides one. */
async function upload(): Promise<number | null> {
  const file = new URL('./media-upload.ts', import.meta.url);
  if (!fs.existsSync(file)) {
    // TODO(media): bench/media-upload.ts exporting benchUpload(sizeMB) → MB/s (or { mbPerSec }) is measured here.
    console.log('upload     bench/media-upload.ts not present: upload figure skipped');
    return null;
  }
  const mod = (await import(file.href)) as { benchUpload: (sizeMB: number) => Promise<number | { mbPerSec?: number; mbps?: number }> };
  const r = await mod.benchUpload(UPLOAD_MB);
  const mbs = typeof r === 'number' ? r : (r.mbPerSec ?? r.mbps ?? NaN);
  console.log(`upload     ${UPLOAD_MB} MB to the local store with SHA-256: ${mbs.toFixed(0)} MB/s (target ≥ ${UPLOAD_TARGET_MBS})  (load avg ${load()})`);
  return mbs;
}

async function main() {
  console.log(`case supervision at a city's scale; ${RUNS} runs per figure; ${os.cpus().length} cores  (load avg ${load()})`);
  const now = new Date();
  const rc = recompute(now);
  const { driver, board } = await withScratchDatabase('cases', async (driver, database) => ({ driver, board: await boardOn(driver, database) }));
  const mbs = await upload();
  const met = rc.ms <= RECOMPUTE_TARGET_MS && board.board <= BOARD_TARGET_MS && (mbs === null || mbs >= UPLOAD_TARGET_MBS);
  console.log(
    `RESULT cases driver=${driver} recompute_n=${N_RECOMPUTE} recompute_clocks=${rc.clocks} recompute_ms=${rc.ms.toFixed(0)} board_n=${N_BOARD} board_running_clocks=${board.running} board_p99_ms=${board.board.toFixed(1)} tick_first_ms=${board.tickFirst.toFixed(0)} tick_ms=${board.tickNext.toFixed(0)} upload_mbps=${mbs === null ? 'n/a' : mbs.toFixed(0)} targets=${met ? 'met' : 'missed'} load=${os.loadavg()[0]!.toFixed(2)}`,
  );
}

await main();
