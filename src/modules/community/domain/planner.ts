/**
 * The weekly visit plan (入户走访计划), pure: which doors of a grid each of its owners visits this week.
 *
 * Fairness first: every door of a grid is visited once before any door twice. A door's `visits` is the
 * number of its visits in the planning window (the service counts the last 365 days); the plan takes
 * doors from the lowest count upward, so a door visited twice while another waits for its first visit
 * cannot happen as long as the plans are worked. Inside one count, the doors that need the police most
 * come first: addresses with open disputes, then repeat-incident addresses (重复警情), then the door
 * not visited for longest (never visited = oldest), then the address code (a stable order).
 *
 * Co-owners of one grid share its doors: the ranked list is dealt to them in turn, so two officers never
 * hold the same door in one week. Doors skipped this week (a skip always carries its reason) leave the
 * plan and the next door fills the place; a skip is not a visit, so the door stays first next week.
 */

export type PlanReason = 'open_dispute' | 'repeat_incidents' | 'never_visited' | 'oldest_visit';

export interface Door {
  code: string;
  /** Visits in the planning window. */
  visits: number;
  /** Last visit (ms since epoch), null when never visited. */
  lastVisitedAt: number | null;
  openDisputes?: number;
  repeatIncidents?: number;
}

export interface PlannedDoor {
  code: string;
  reason: PlanReason;
  visits: number;
  lastVisitedAt: number | null;
}

export interface GridPlanInput {
  doors: readonly Door[];
  /** Owner ids of the grid (any order: the plan sorts them). */
  owners: readonly string[];
  /** Doors per owner this week still to plan (target minus what the owner already visited this week). */
  quota: (owner: string) => number;
  /** Door codes skipped this week (by anyone): left out of this week's plan. */
  skipped?: ReadonlySet<string>;
}

export function reasonOf(d: Door): PlanReason {
  if ((d.openDisputes ?? 0) > 0) return 'open_dispute';
  if ((d.repeatIncidents ?? 0) > 0) return 'repeat_incidents';
  return d.lastVisitedAt === null ? 'never_visited' : 'oldest_visit';
}

const RANK: Record<PlanReason, number> = { open_dispute: 0, repeat_incidents: 1, never_visited: 2, oldest_visit: 2 };

/** The order of the doors: fewest visits, then need, then oldest visit (never = oldest), then code. */
export function compareDoors(a: Door, b: Door): number {
  return (
    a.visits - b.visits ||
    RANK[reasonOf(a)] - RANK[reasonOf(b)] ||
    (a.lastVisitedAt ?? -Infinity) - (b.lastVisitedAt ?? -Infinity) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/**
 * The doors in plan order, as many as the owners' quotas take; owner → their doors. Bounded: at most
 * the grid's doors are looked at once.
 */
export function planGrid(input: GridPlanInput): Map<string, PlannedDoor[]> {
  const owners = [...new Set(input.owners)].sort();
  const plan = new Map<string, PlannedDoor[]>(owners.map((o) => [o, []]));
  const left = new Map(owners.map((o) => [o, Math.max(0, Math.floor(input.quota(o)))]));
  let wanted = [...left.values()].reduce((a, b) => a + b, 0);
  if (!wanted) return plan;
  const ranked = input.doors.filter((d) => !input.skipped?.has(d.code)).sort(compareDoors);
  let turn = 0;
  for (const d of ranked) {
    if (!wanted) break;
    // The next owner in turn who still has room.
    while (!left.get(owners[turn % owners.length]!)) turn++;
    const owner = owners[turn % owners.length]!;
    plan.get(owner)!.push({ code: d.code, reason: reasonOf(d), visits: d.visits, lastVisitedAt: d.lastVisitedAt });
    left.set(owner, left.get(owner)! - 1);
    wanted--;
    turn++;
  }
  return plan;
}

/** Doors per owner per week: households + shops/units (station rules: at least 10 + 5). */
export const DEFAULT_TARGET = { households: 10, units: 5 } as const;

export function weeklyQuota(target: { households: number; units: number }): number {
  return target.households + target.units;
}

/** Coverage of a grid: share of its doors visited in the window (null for a grid without doors). */
export function coverage(visitedDoors: number, doors: number): number | null {
  return doors > 0 ? Math.min(1, visitedDoors / doors) : null;
}
