/**
 * Visits per officer per week against the target (the chief's table): the owners of the grids in scope,
 * their visits (households and shops/units apart) in each of the last weeks, and their weekly target
 * (the sum over the grids they own).
 */
import { and, gte, inArray, sql } from 'drizzle-orm';
import type { Principal } from '../../core/access.js';
import { localDay, localDayStart } from '../../core/clock.js';
import { accountsByIds } from '../users/index.js';
import type { CommunityDeps } from './deps.js';
import { gridsInScope, ownersOf, targetsOf } from './grids.js';
import { addDays, mondayOf } from './domain/week.js';
import { communityVisits } from './schema.js';

export async function visitFigures(deps: CommunityDeps, p: Principal, weeks: number, now = new Date()) {
  const grids = await gridsInScope(deps, p);
  const ids = grids.map((g) => g.id);
  const [owners, targets] = await Promise.all([ownersOf(deps.db, ids), targetsOf(deps.db, ids)]);
  const officers = new Map<string, { gridIds: string[]; households: number; units: number }>();
  for (const [gridId, list] of owners) {
    for (const o of list) {
      const x = officers.get(o) ?? { gridIds: [], households: 0, units: 0 };
      const t = targets.get(gridId)!;
      x.gridIds.push(gridId);
      x.households += t.households;
      x.units += t.units;
      officers.set(o, x);
    }
  }
  const thisWeek = mondayOf(localDay(now));
  const weekDays = Array.from({ length: weeks }, (_, i) => addDays(thisWeek, -7 * (weeks - 1 - i)));
  const from = localDayStart(weekDays[0]!);
  const officerIds = [...officers.keys()];
  const rows = officerIds.length
    ? await deps.db
        .select({ officer: communityVisits.officerId, at: communityVisits.visitedAt, premises: communityVisits.premises })
        .from(communityVisits)
        .where(and(inArray(communityVisits.officerId, officerIds), gte(communityVisits.visitedAt, from), sql`${communityVisits.gridId} in ${ids.length ? ids : ['']}`))
    : [];
  const counts = new Map<string, { households: number; units: number }>();
  for (const r of rows) {
    const key = `${r.officer}|${mondayOf(localDay(r.at))}`;
    const c = counts.get(key) ?? { households: 0, units: 0 };
    if (r.premises === 'unit') c.units++;
    else c.households++;
    counts.set(key, c);
  }
  const people = new Map((await accountsByIds(deps.db, officerIds)).map((a) => [a.id, a]));
  return {
    weeks: weekDays,
    officers: officerIds
      .map((id) => {
        const o = officers.get(id)!;
        return {
          officerId: id,
          displayName: people.get(id)?.displayName ?? id,
          gridIds: o.gridIds.sort(),
          target: { households: o.households, units: o.units, perWeek: o.households + o.units },
          weeks: weekDays.map((w) => {
            const c = counts.get(`${id}|${w}`) ?? { households: 0, units: 0 };
            return { week: w, households: c.households, units: c.units, total: c.households + c.units, met: c.households >= o.households && c.units >= o.units };
          }),
        };
      })
      .sort((a, b) => a.displayName.localeCompare(b.displayName)),
  };
}
