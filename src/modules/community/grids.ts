/**
 * Police grids (警格) as community policing sees them: their owners (community officers), the weekly
 * visit target, the doors (addresses in the grid) and the coverage (share of the doors visited in the
 * last N days). Grids come from org's JurisdictionIndex; owners are checked through users' directory.
 */
import { and, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import { notFound } from '../../core/errors.js';
import type { Db } from '../../db/client.js';
import type { Write } from '../../kernel/write.js';
import { accountsByIds } from '../users/index.js';
import type { JurisdictionIndex } from '../org/index.js';
import { inScope } from './access.js';
import type { CommunityDeps } from './deps.js';
import { DEFAULT_TARGET, coverage, weeklyQuota } from './domain/planner.js';
import { civicGrids, communityGridOwners, communityGridTargets, communityVisits } from './schema.js';
import { invalidField } from './errors.js';

const DAY_MS = 86_400_000;

/** A unit as org's index tells it. */
export type OrgUnitSummary = NonNullable<Awaited<ReturnType<JurisdictionIndex['unit']>>>;

export interface Target {
  households: number;
  units: number;
  perWeek: number;
  isDefault: boolean;
}

export interface GridView {
  id: string;
  code: string;
  name: string;
  stationId: string | null;
  owners: { id: string; displayName: string }[];
  target: Target;
  doors: number;
  visitedDoors: number;
  coverage: number | null;
  days: number;
  polygon?: unknown;
}

/** The grids the principal may see (their station's, or everything below their unit). */
export async function gridsInScope(deps: CommunityDeps, p: Principal): Promise<OrgUnitSummary[]> {
  return (await deps.jurisdiction.units(['grid'])).filter((g) => inScope(p, g.path)).sort((a, b) => a.code.localeCompare(b.code));
}

export async function scopedGrid(deps: CommunityDeps, p: Principal, id: string): Promise<OrgUnitSummary> {
  const g = await deps.jurisdiction.unit(id);
  if (!g || g.kind !== 'grid' || !inScope(p, g.path)) throw notFound('grid');
  return g;
}

export function targetOf(row: { households: number; units: number } | undefined): Target {
  const t = row ?? DEFAULT_TARGET;
  return { households: t.households, units: t.units, perWeek: weeklyQuota(t), isDefault: !row };
}

export async function targetsOf(db: Db, gridIds: readonly string[]): Promise<Map<string, Target>> {
  const rows = gridIds.length ? await db.select().from(communityGridTargets).where(inArray(communityGridTargets.gridId, [...gridIds])) : [];
  const by = new Map(rows.map((r) => [r.gridId, r]));
  return new Map(gridIds.map((id) => [id, targetOf(by.get(id))]));
}

/** Grid → owner ids (every grid asked, also those without owners). */
export async function ownersOf(db: Db, gridIds: readonly string[] | null): Promise<Map<string, string[]>> {
  const rows = await (gridIds ? (gridIds.length ? db.select().from(communityGridOwners).where(inArray(communityGridOwners.gridId, [...gridIds])) : Promise.resolve([])) : db.select().from(communityGridOwners));
  const out = new Map<string, string[]>((gridIds ?? []).map((id) => [id, []]));
  for (const r of rows) {
    const list = out.get(r.gridId) ?? [];
    list.push(r.userId);
    out.set(r.gridId, list);
  }
  for (const l of out.values()) l.sort();
  return out;
}

/**
 * Grid → distinct addresses visited since `since`. Without `gridIds`: every grid (the city's coverage
 * layer, one pass over the window's visits).
 */
export async function visitedDoors(db: Db, since: Date, gridIds?: readonly string[]): Promise<Map<string, number>> {
  if (gridIds && !gridIds.length) return new Map();
  const rows = await db
    .select({ gridId: communityVisits.gridId, n: sql<number>`count(distinct ${communityVisits.addressCode})::int` })
    .from(communityVisits)
    .where(and(gte(communityVisits.visitedAt, since), isNotNull(communityVisits.addressCode), gridIds ? inArray(communityVisits.gridId, [...gridIds]) : isNotNull(communityVisits.gridId)))
    .groupBy(communityVisits.gridId);
  return new Map(rows.map((r) => [r.gridId!, r.n]));
}

export async function gridViews(deps: CommunityDeps, grids: readonly OrgUnitSummary[], days: number, withPolygon: boolean, now = new Date(), cityWide = false): Promise<GridView[]> {
  const ids = grids.map((g) => g.id);
  const since = new Date(now.getTime() - days * DAY_MS);
  const [owners, targets, visited] = await Promise.all([ownersOf(deps.db, ids), targetsOf(deps.db, ids), visitedDoors(deps.db, since, cityWide ? undefined : ids)]);
  const people = new Map((await accountsByIds(deps.db, [...new Set([...owners.values()].flat())])).map((a) => [a.id, a]));
  return grids.map((g) => {
    const doors = deps.doors.count(g.id);
    const v = visited.get(g.id) ?? 0;
    return {
      id: g.id,
      code: g.code,
      name: g.name,
      stationId: g.parentId,
      owners: (owners.get(g.id) ?? []).map((id) => ({ id, displayName: people.get(id)?.displayName ?? id })),
      target: targets.get(g.id)!,
      doors,
      visitedDoors: v,
      coverage: coverage(v, doors),
      days,
      ...(withPolygon ? { polygon: g.polygon } : {}),
    };
  });
}

/** The civic grids (网格) a police grid overlays, current versions, with their doors counted by geometry. */
export async function civicGridsOf(deps: CommunityDeps, gridId: string) {
  const rows = await deps.db
    .select()
    .from(civicGrids)
    .where(and(eq(civicGrids.policeGridId, gridId), isNull(civicGrids.validTo)))
    .orderBy(civicGrids.code);
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, version: r.version, validFrom: r.validFrom.toISOString(), polygon: r.polygon }));
}

/**
 * Replaces the owners of a grid: community officers (role `community`) of the grid's station, at most 10.
 * The write locks the grid's owner rows by deleting them first; a concurrent replace waits for it.
 */
export async function setOwnersIn(w: Write, deps: CommunityDeps, p: Principal, gridId: string, userIds: readonly string[]) {
  const grid = await scopedGrid(deps, p, gridId);
  const station = grid.parentId ? await deps.jurisdiction.unit(grid.parentId) : null;
  const ids = [...new Set(userIds)];
  const accounts = new Map((await accountsByIds(w.tx, ids)).map((a) => [a.id, a]));
  for (const [i, id] of ids.entries()) {
    const a = accounts.get(id);
    if (!a || a.disabled || !a.roles.includes('community')) throw invalidField(`userIds.${i}`, '须为启用的社区民警账户', 'must be an active community officer account');
    const unit = await deps.jurisdiction.unit(a.unitId);
    if (!unit || !station || !unit.path.startsWith(station.path)) throw invalidField(`userIds.${i}`, '社区民警须属于该警格所在派出所', 'the community officer must belong to the grid’s station');
  }
  w.entity(gridId);
  await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'community-grid:' + gridId}))`);
  await w.tx.delete(communityGridOwners).where(eq(communityGridOwners.gridId, gridId));
  if (ids.length) await w.tx.insert(communityGridOwners).values(ids.map((userId) => ({ gridId, userId, assignedBy: p.username })));
  return ids;
}

export async function setTargetIn(w: Write, deps: CommunityDeps, p: Principal, gridId: string, t: { households: number; units: number }) {
  await scopedGrid(deps, p, gridId);
  w.entity(gridId);
  await w.tx
    .insert(communityGridTargets)
    .values({ gridId, households: t.households, units: t.units, updatedBy: p.username })
    .onConflictDoUpdate({ target: communityGridTargets.gridId, set: { households: t.households, units: t.units, updatedBy: p.username, updatedAt: new Date() } });
  return targetOf(t);
}
