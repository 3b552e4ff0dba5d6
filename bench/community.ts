/**
 * `npm run bench:community` (issue 13 "Speed"), on PostgreSQL (DATABASE_URL; a temporary database on that
 * server, dropped afterwards; PGlite in memory when unset, at a tenth of the size):
 *  (a) a city: --addresses (2,000,000) doors in --grids (5,000) police grids, --officers (900) community
 *      officers owning them (each grid one owner), a year of visits at the norm (15 a week per officer),
 *      loaded by SQL;
 *  (b) the weekly plans of every officer in one pass (planWeek: the visit aggregate of the year, this
 *      week's visits and skips, the pure planner over every grid's doors); target ≤ 10 s;
 *  (c) the coverage layer of every grid (distinct doors visited in the last 90 days ÷ doors), --runs (10)
 *      times; target ≤ 500 ms;
 *  (d) the volunteers' check-ins (bench/volunteers-checkins.ts, on a database of its own): --checkin-rate
 *      (500) per second open-loop for --checkin-seconds (5) over HTTP; target the rate kept with p99 ≤ 50 ms.
 *      `--peer` also runs the ordinary kernel write (the batched path turned off) at the same rate.
 * `--only city|checkins` runs a part. The phases are exported (setupCity, planPhase, coveragePhase).
 * Prints the load average beside every figure, progress during the set-up, and one closing line
 * `RESULT community plans=… coverage=… checkins=…/s p99=… …`.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../src/db/client.js';
import { withScratchDatabase } from './scratch-database.js';
import { benchVolunteerCheckins } from './volunteers-checkins.js';
import { DoorCache, ownersOf, planWeek, targetsOf, visitedDoors, type DoorAddress, type DoorSource } from '../src/modules/community/index.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const PG = !!process.env.DATABASE_URL;
const scale = PG ? 1 : 0.1;
export const PLAN_TARGET_S = 10;
export const COVERAGE_TARGET_MS = 500;

const log = (m: string) => process.stderr.write(`[bench:community] ${m}\n`);
export const loadAvg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

export interface City {
  db: Db;
  doors: DoorCache;
  grids: number;
  officers: number;
  addresses: number;
  visits: number;
}

const gridId = (g: number) => `G${String(g).padStart(5, '0')}`;
const code = (a: number) => `A${String(a).padStart(8, '0')}`;

/** (a) The synthetic city: doors in memory (the registry's shape), owners and a year of visits by SQL. */
export async function setupCity(db: Db, opts: { addresses: number; grids: number; officers: number; weeks?: number }): Promise<City> {
  const perGrid = Math.floor(opts.addresses / opts.grids);
  const byGrid = new Map<string, DoorAddress[]>();
  for (let g = 0; g < opts.grids; g++) {
    const list: DoorAddress[] = new Array(perGrid);
    for (let k = 0; k < perGrid; k++) list[k] = { code: code(g * perGrid + k), text: '', lon: 113.5 + (g % 100) * 0.001, lat: 22.1 + Math.floor(g / 100) * 0.001 };
    byGrid.set(gridId(g), list);
    if ((g + 1) % Math.max(1, Math.floor(opts.grids / 4)) === 0) log(`doors ${((g + 1) * perGrid).toLocaleString('en')} / ${(opts.grids * perGrid).toLocaleString('en')} (load avg ${loadAvg()})`);
  }
  const source: DoorSource = { doorsByGrid: () => byGrid };
  await db.execute(sql`insert into community_grid_owners (grid_id, user_id, assigned_by)
    select 'G' || lpad(g::text, 5, '0'), 'officer-' || (g % ${opts.officers}), 'bench' from generate_series(0, ${opts.grids - 1}) g`);
  // A year at the norm: 15 visits a week per officer, each in one of the officer's grids, a random door.
  const weeks = opts.weeks ?? 52;
  const total = opts.officers * 15 * weeks;
  const CHUNK = 200_000;
  for (let start = 0; start < total; start += CHUNK) {
    const n = Math.min(CHUNK, total - start);
    await db.execute(sql`
      insert into community_visits (id, address_code, lon, lat, station_id, grid_id, premises, officer_id, officer_name, visited_at, services, findings, met_count)
      select 'v-' || i, 'A' || lpad((gr * ${perGrid} + floor(random() * ${perGrid})::int)::text, 8, '0'), 113.5, 22.1,
        'S' || (gr / 50), 'G' || lpad(gr::text, 5, '0'), 'household', 'officer-' || (gr % ${opts.officers}), 'bench',
        now() - make_interval(secs => random() * ${weeks * 7} * 86400), '{security_check}', '[]'::jsonb, 1
      from (select i, floor(random() * ${opts.grids})::int as gr from generate_series(${start + 1}::bigint, ${start + n}::bigint) i) s`);
    log(`visits ${(start + n).toLocaleString('en')} / ${total.toLocaleString('en')} (load avg ${loadAvg()})`);
  }
  await db.execute(sql`analyze community_visits`);
  return { db, doors: new DoorCache(source), grids: opts.grids, officers: opts.officers, addresses: perGrid * opts.grids, visits: total };
}

/** (b) Every officer's plan for this week, in one pass. */
export async function planPhase(city: City) {
  const t0 = performance.now();
  const owners = await ownersOf(city.db, null);
  const targets = await targetsOf(city.db, [...owners.keys()]);
  const week = await planWeek({ db: city.db, doors: city.doors, owners, targets, now: new Date(), gridFilter: null });
  const ms = performance.now() - t0;
  let planned = 0;
  for (const grids of week.plans.values()) for (const list of grids.values()) planned += list.length;
  return { ms, officers: week.plans.size, planned };
}

/** (c) The coverage layer: visited doors in the last `days` of every grid ÷ its doors; `runs` times. */
export async function coveragePhase(city: City, runs: number, days = 90) {
  const times: number[] = [];
  let grids = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const visited = await visitedDoors(city.db, new Date(Date.now() - days * 86_400_000));
    const layer = city.doors.gridIds().map((g) => ({ g, c: (visited.get(g) ?? 0) / Math.max(1, city.doors.count(g)) }));
    grids = layer.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, max: times.at(-1)!, grids };
}

interface CityFigures {
  driver: string;
  addresses: number;
  grids: number;
  officers: number;
  visits: number;
  planS: number;
  coverageMedian: number;
  coverageMax: number;
}

async function cityPhases(driver: string, database: Database): Promise<CityFigures> {
  const opts = { addresses: Number(arg('addresses', String(2_000_000 * scale))), grids: Number(arg('grids', String(5_000 * scale))), officers: Number(arg('officers', String(Math.round(900 * scale)))) };
  const runs = Number(arg('runs', '10'));
  const t0 = performance.now();
  const city = await setupCity(database.db, opts);
  console.log(`city: ${city.addresses.toLocaleString('en')} addresses in ${city.grids} grids, ${city.officers} officers, ${city.visits.toLocaleString('en')} visits loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${driver}  (load avg ${loadAvg()})`);
  const plan = await planPhase(city);
  console.log(`weekly plans: ${plan.officers} officers, ${plan.planned.toLocaleString('en')} doors planned in ${(plan.ms / 1000).toFixed(2)} s (target ≤ ${PLAN_TARGET_S} s)  (load avg ${loadAvg()})`);
  const cov = await coveragePhase(city, runs);
  console.log(`coverage layer: ${cov.grids} grids, median ${cov.median.toFixed(0)} ms, max ${cov.max.toFixed(0)} ms over ${runs} runs (target ≤ ${COVERAGE_TARGET_MS} ms)  (load avg ${loadAvg()})`);
  return { driver, addresses: city.addresses, grids: city.grids, officers: city.officers, visits: city.visits, planS: plan.ms / 1000, coverageMedian: cov.median, coverageMax: cov.max };
}

/** (d) The volunteers' check-ins (bench/volunteers-checkins.ts) on a database of their own; `--peer`: also the ordinary kernel write at the same rate. */
async function checkinPhase() {
  const rate = Number(arg('checkin-rate', '500'));
  const seconds = Number(arg('checkin-seconds', '5'));
  const pgAdminUrl = process.env.DATABASE_URL ?? '';
  const log = (m: string) => process.stderr.write(`[bench:community check-ins] ${m}\n`);
  const r = await benchVolunteerCheckins({ rate, seconds, pgAdminUrl, log });
  console.log(`check-ins: ${r.ok} in, ${r.refused} refused outside, ${r.errors} errors; ${r.achievedPerS.toFixed(0)}/s of ${rate}/s asked; p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms (target ≥ ${CHECKIN_TARGET_PER_S}/s, p99 ≤ ${CHECKIN_TARGET_P99_MS} ms)  (load avg ${loadAvg()})`);
  let peer: Awaited<ReturnType<typeof benchVolunteerCheckins>> | undefined;
  if (process.argv.includes('--peer')) {
    peer = await benchVolunteerCheckins({ rate, seconds, pgAdminUrl, log, ordinary: true });
    console.log(`peer, the ordinary kernel write: ${peer.achievedPerS.toFixed(0)}/s, p99 ${peer.p99.toFixed(1)} ms, ${peer.errors} errors: the batched path ${(r.achievedPerS / peer.achievedPerS).toFixed(1)}× its rate, p99 ${(peer.p99 / r.p99).toFixed(0)}× lower  (load avg ${loadAvg()})`);
  }
  return { r, peer };
}

const CHECKIN_TARGET_PER_S = 500;
const CHECKIN_TARGET_P99_MS = 50;

if (process.argv[1]?.endsWith('community.ts')) {
  const only = arg('only', 'all');
  const city = only === 'checkins' ? undefined : await withScratchDatabase('community', (driver, database) => cityPhases(driver, database));
  const chk = only === 'city' ? undefined : await checkinPhase();
  const met = (!city || (city.planS <= PLAN_TARGET_S && city.coverageMedian <= COVERAGE_TARGET_MS)) && (!chk || (chk.r.achievedPerS >= CHECKIN_TARGET_PER_S * 0.98 && chk.r.p99 <= CHECKIN_TARGET_P99_MS && chk.r.errors === 0));
  const parts = [
    city ? `plans=${city.planS.toFixed(2)}s coverage=${city.coverageMedian.toFixed(0)}ms` : 'plans=skipped coverage=skipped',
    chk ? `checkins=${chk.r.achievedPerS.toFixed(0)}/s p99=${chk.r.p99.toFixed(1)}ms` : 'checkins=skipped',
    city ? `driver=${city.driver} addresses=${city.addresses} grids=${city.grids} officers=${city.officers} visits=${city.visits} coverage_max=${city.coverageMax.toFixed(0)}ms${city.driver === 'pglite' ? ' (reduced size)' : ''}` : '',
    chk ? `checkin_driver=${chk.r.driver} checkin_rate=${chk.r.rate}/s checkin_errors=${chk.r.errors}${chk.peer ? ` peer_ordinary=${chk.peer.achievedPerS.toFixed(0)}/s peer_p99=${chk.peer.p99.toFixed(0)}ms` : ''}` : '',
  ].filter(Boolean);
  console.log(`RESULT community ${parts.join(' ')} targets=${met ? 'met' : 'missed'} load=${loadAvg()}`);
  process.exit(0);
}
