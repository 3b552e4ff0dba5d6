/**
 * The week's visit plans from the database and the registry: doors of the grids (memory), their visits
 * in the last 365 days (one aggregate), open disputes and repeat-incident addresses (the disputes' and
 * incidents' public reads), this week's skips and visits; then the pure planner (domain/planner.ts).
 * `planWeek` plans many grids at once (the bench plans the whole city's officers with it).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import { localDay, localDayStart } from '../../core/clock.js';
import type { Db } from '../../db/client.js';
import type { Write } from '../../kernel/write.js';
import { openDisputesByAddress } from '../disputes/index.js';
import { incidentCountsByAddress } from '../incidents/index.js';
import type { CommunityDeps } from './deps.js';
import type { DoorCache } from './doors.js';
import { invalidField, refuse } from './errors.js';
import { ownersOf, targetsOf, type Target } from './grids.js';
import { planGrid, type Door, type PlannedDoor } from './domain/planner.js';
import { mondayOf } from './domain/week.js';
import type { SkipReason } from './domain/vocabulary.js';
import { communityGridOwners, communityVisits, communityVisitSkips } from './schema.js';

const DAY_MS = 86_400_000;
/** The window in which visits count for fairness (a door's visits this year). */
export const PLAN_WINDOW_DAYS = 365;
/** A repeat-incident address: at least this many incidents there in the last REPEAT_DAYS. */
export const REPEAT_MIN = 3;
export const REPEAT_DAYS = 90;

export interface DoorStats {
  visits: number;
  last: number;
}

/** Address code → visits in the window and the last one, for the grids asked (all grids: null). */
export async function doorStats(db: Db, since: Date, gridIds: readonly string[] | null): Promise<Map<string, DoorStats>> {
  if (gridIds && !gridIds.length) return new Map();
  const rows = await db
    .select({ code: communityVisits.addressCode, n: sql<number>`count(*)::int`, last: sql<string>`max(${communityVisits.visitedAt})` })
    .from(communityVisits)
    .where(and(gte(communityVisits.visitedAt, since), isNotNull(communityVisits.addressCode), gridIds ? inArray(communityVisits.gridId, [...gridIds]) : undefined))
    .groupBy(communityVisits.addressCode);
  return new Map(rows.map((r) => [r.code!, { visits: r.n, last: new Date(r.last).getTime() }]));
}

/** (officer, grid) → visits since the week began. */
async function doneThisWeek(db: Db, weekStart: Date, gridIds: readonly string[] | null): Promise<Map<string, number>> {
  const rows = await db
    .select({ officer: communityVisits.officerId, grid: communityVisits.gridId, n: sql<number>`count(*)::int` })
    .from(communityVisits)
    .where(and(gte(communityVisits.visitedAt, weekStart), gridIds ? inArray(communityVisits.gridId, [...gridIds]) : isNotNull(communityVisits.gridId)))
    .groupBy(communityVisits.officerId, communityVisits.gridId);
  return new Map(rows.map((r) => [`${r.officer}|${r.grid}`, r.n]));
}

async function skipsOf(db: Db, week: string, gridIds: readonly string[] | null) {
  const rows = await db
    .select()
    .from(communityVisitSkips)
    .where(and(eq(communityVisitSkips.week, week), gridIds ? (gridIds.length ? inArray(communityVisitSkips.gridId, [...gridIds]) : sql`false`) : undefined));
  return rows;
}

export interface WeekInput {
  db: Db;
  doors: DoorCache;
  /** Grids to plan with their owners (empty owner lists are skipped). */
  owners: Map<string, string[]>;
  targets: Map<string, Target>;
  now: Date;
  /** Address → open disputes / repeat incidents (the route asks the other modules; the bench passes none). */
  openDisputes?: Map<string, number>;
  repeatIncidents?: Map<string, number>;
  /** Limit the visit queries to these grids (null: the whole city in one pass). */
  gridFilter: readonly string[] | null;
}

export interface WeekPlan {
  week: string;
  /** officer id → grid id → planned doors. */
  plans: Map<string, Map<string, PlannedDoor[]>>;
  done: Map<string, number>;
  stats: Map<string, DoorStats>;
  skips: Awaited<ReturnType<typeof skipsOf>>;
}

export async function planWeek(input: WeekInput): Promise<WeekPlan> {
  const week = mondayOf(localDay(input.now));
  const weekStart = localDayStart(week);
  const since = new Date(input.now.getTime() - PLAN_WINDOW_DAYS * DAY_MS);
  const [stats, done, skips] = await Promise.all([doorStats(input.db, since, input.gridFilter), doneThisWeek(input.db, weekStart, input.gridFilter), skipsOf(input.db, week, input.gridFilter)]);
  const skippedBy = new Map<string, Set<string>>();
  for (const s of skips) {
    const set = skippedBy.get(s.gridId) ?? new Set<string>();
    set.add(s.addressCode);
    skippedBy.set(s.gridId, set);
  }
  const plans = new Map<string, Map<string, PlannedDoor[]>>();
  for (const [gridId, owners] of input.owners) {
    if (!owners.length) continue;
    const target = input.targets.get(gridId)!;
    const doors: Door[] = input.doors.of(gridId).map((d) => {
      const s = stats.get(d.code);
      return { code: d.code, visits: s?.visits ?? 0, lastVisitedAt: s?.last ?? null, openDisputes: input.openDisputes?.get(d.code), repeatIncidents: input.repeatIncidents?.get(d.code) };
    });
    const plan = planGrid({ doors, owners, quota: (o) => target.perWeek - (done.get(`${o}|${gridId}`) ?? 0), skipped: skippedBy.get(gridId) });
    for (const [owner, list] of plan) {
      const mine = plans.get(owner) ?? new Map<string, PlannedDoor[]>();
      mine.set(gridId, list);
      plans.set(owner, mine);
    }
  }
  return { week, plans, done, stats, skips };
}

/** The grids a user owns. */
export async function gridsOwnedBy(db: Db, userId: string): Promise<string[]> {
  return (await db.select({ g: communityGridOwners.gridId }).from(communityGridOwners).where(eq(communityGridOwners.userId, userId))).map((r) => r.g).sort();
}

/** The caller's plan for this week with what "my grid" shows beside it. */
export async function myPlan(deps: CommunityDeps, p: Principal, now = new Date()) {
  const gridIds = await gridsOwnedBy(deps.db, p.id);
  const [owners, targets, openDisputes, repeatIncidents] = await Promise.all([
    ownersOf(deps.db, gridIds),
    targetsOf(deps.db, gridIds),
    openDisputesByAddress(deps.db, gridIds),
    incidentCountsByAddress(deps.db, gridIds, new Date(now.getTime() - REPEAT_DAYS * DAY_MS), REPEAT_MIN),
  ]);
  const week = await planWeek({ db: deps.db, doors: deps.doors, owners, targets, now, openDisputes, repeatIncidents, gridFilter: gridIds });
  const door = (code: string) => deps.doors.find(code)?.door;
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  const grids = await Promise.all(
    gridIds.map(async (gridId) => {
      const unit = await deps.jurisdiction.unit(gridId);
      const planned = week.plans.get(p.id)?.get(gridId) ?? [];
      const doors = deps.doors.of(gridId);
      // Doors not visited for longest (never first), whoever's plan they are in.
      const longest = doors
        .map((d) => ({ d, s: week.stats.get(d.code) }))
        .sort((a, b) => (a.s?.last ?? -Infinity) - (b.s?.last ?? -Infinity) || (a.d.code < b.d.code ? -1 : 1))
        .slice(0, 10)
        .map(({ d, s }) => ({ addressCode: d.code, address: d.text, lastVisitedAt: iso(s?.last ?? null) }));
      const listed = (m: Map<string, number>) =>
        doors
          .filter((d) => m.has(d.code))
          .map((d) => ({ addressCode: d.code, address: d.text, count: m.get(d.code)! }))
          .sort((a, b) => b.count - a.count || a.addressCode.localeCompare(b.addressCode))
          .slice(0, 20);
      return {
        gridId,
        code: unit?.code ?? gridId,
        name: unit?.name ?? gridId,
        target: targets.get(gridId)!,
        done: week.done.get(`${p.id}|${gridId}`) ?? 0,
        doors: doors.length,
        items: planned.map((x) => {
          const d = door(x.code);
          return { addressCode: x.code, address: d?.text ?? x.code, location: d ? { lon: d.lon, lat: d.lat } : null, reason: x.reason, visits: x.visits, lastVisitedAt: iso(x.lastVisitedAt) };
        }),
        skipped: week.skips.filter((s) => s.gridId === gridId && s.officerId === p.id).map((s) => ({ addressCode: s.addressCode, address: door(s.addressCode)?.text ?? s.addressCode, reason: s.reason as SkipReason, note: s.note })),
        longestUnvisited: longest,
        openDisputes: listed(openDisputes),
        repeatIncidents: listed(repeatIncidents),
      };
    }),
  );
  return { week: week.week, grids };
}

/** Skips a door of this week's plan; the reason is required ('other' also needs a note). */
export async function skipIn(w: Write, deps: CommunityDeps, p: Principal, body: { addressCode: string; reason: SkipReason; note?: string }, now = new Date()) {
  if (body.reason === 'other' && !body.note?.trim()) throw invalidField('note', '原因为“其他”时须说明', 'a note is needed when the reason is other');
  const found = deps.doors.find(body.addressCode);
  const owned = await gridsOwnedBy(w.tx, p.id);
  if (!found || !owned.includes(found.gridId)) throw invalidField('addressCode', '该地址不在您负责的警格内', 'the address is not in a grid you own');
  const week = mondayOf(localDay(now));
  const id = randomUUID();
  w.entity(id);
  const [row] = await w.tx
    .insert(communityVisitSkips)
    .values({ id, officerId: p.id, gridId: found.gridId, addressCode: body.addressCode, week, reason: body.reason, note: body.note?.trim() || null })
    .onConflictDoNothing()
    .returning();
  if (!row) throw refuse('本周已跳过该门户', 'this door is already skipped this week');
  return { week, addressCode: row.addressCode, reason: row.reason as SkipReason, note: row.note };
}
