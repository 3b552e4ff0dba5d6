/**
 * Response plan (pure): which SET of units together covers what an incident category needs, as a
 * commercial CAD's response plan does — a general unit first on scene, then the quickest specialist
 * for each capability still missing.
 *
 * Decisions:
 *  - Linkage partners are not police-unit capabilities: `medical` means "with 120 ambulance", `fire`
 *    "with 119 fire service". They are taken out of what police units must have and reported as
 *    linkage to notify (a police patrol car does not carry an ambulance crew).
 *  - A unit holding a specialist capability (criminal investigation, forensics, special police, K9,
 *    EOD, negotiator, water rescue) is a specialist: it is not sent as the first unit on scene while a
 *    general unit can get there (a forensics van is not the answer to a noise complaint).
 *  - First on scene: the quickest general unit; one that also holds a needed capability is preferred
 *    when it arrives at most `firstSlackS` later (default 120 s) — e.g. a traffic motorcycle for a
 *    collision rather than a patrol car plus a motorcycle.
 *  - Then, need by need in the category's order, the quickest unit holding it; a unit already in the
 *    plan covers whatever it holds. A need nobody eligible holds is reported as missing.
 *  - "Quickest" is by the effective ETA the ranking uses (a station-based estimate carries its penalty).
 */

/** Capabilities that are another service's job: notify it as linkage (联动). */
export const LINKAGE_PARTNERS: Readonly<Record<string, string>> = { medical: '120', fire: '119' };

/** Capabilities that make a unit a specialist rather than a general first responder. */
export const SPECIALIST_CAPABILITIES: readonly string[] = ['investigation', 'forensics', 'special', 'k9', 'eod', 'negotiator', 'water_rescue'];

export const DEFAULT_FIRST_SLACK_S = 120;

/** What a category asks of police units, and which linkage partners to notify. */
export function policeNeeds(required: readonly string[]): { police: string[]; linkage: string[] } {
  const police: string[] = [];
  const linkage: string[] = [];
  for (const c of required) {
    const partner = LINKAGE_PARTNERS[c];
    if (partner) {
      if (!linkage.includes(partner)) linkage.push(partner);
    } else if (!police.includes(c)) police.push(c);
  }
  return { police, linkage };
}

export function isSpecialist(capabilities: readonly string[]): boolean {
  return capabilities.some((c) => SPECIALIST_CAPABILITIES.includes(c));
}

export interface PlanCandidate {
  unitId: string;
  capabilities: readonly string[];
  /** ETA used for choosing (with any penalty); null = cannot reach by road. */
  effectiveEta: number | null;
}

export interface ResponsePlan {
  /** Unit ids in plan order: the first on scene, then the specialists. */
  unitIds: string[];
  firstUnitId: string | null;
  /** What each planned unit covers of the police needs. */
  covers: Map<string, string[]>;
  /** Police needs no eligible reachable unit holds. */
  missing: string[];
}

/**
 * Builds the plan from the candidates (any order). Candidates that cannot be reached are never planned.
 */
export function buildResponsePlan(cands: readonly PlanCandidate[], needs: readonly string[], opts: { firstSlackS?: number } = {}): ResponsePlan {
  const slack = opts.firstSlackS ?? DEFAULT_FIRST_SLACK_S;
  const reachable = cands.filter((c) => c.effectiveEta !== null).sort((a, b) => a.effectiveEta! - b.effectiveEta!);
  const holds = (c: PlanCandidate, need: string) => c.capabilities.includes(need);
  const general = reachable.filter((c) => !isSpecialist(c.capabilities));
  let first: PlanCandidate | undefined = general[0];
  if (first && needs.length) {
    const fitting = general.find((c) => needs.some((n) => holds(c, n)));
    if (fitting && fitting.effectiveEta! - first.effectiveEta! <= slack) first = fitting;
  }
  first ??= reachable[0];
  const plan: PlanCandidate[] = first ? [first] : [];
  const covers = new Map<string, string[]>();
  if (first) covers.set(first.unitId, needs.filter((n) => holds(first!, n)));
  const covered = new Set(first ? covers.get(first.unitId) : []);
  const missing: string[] = [];
  for (const need of needs) {
    if (covered.has(need)) continue;
    const unit = reachable.find((c) => !plan.includes(c) && holds(c, need));
    if (!unit) {
      missing.push(need);
      continue;
    }
    plan.push(unit);
    const its = needs.filter((n) => holds(unit, n) && !covered.has(n));
    covers.set(unit.unitId, its);
    for (const n of its) covered.add(n);
  }
  return { unitIds: plan.map((c) => c.unitId), firstUnitId: first?.unitId ?? null, covers, missing };
}
