/**
 * Recommendation rules (pure): which units may be proposed for an incident, the response plan (a SET
 * of units that together cover what the category needs), and the order given the road ETAs computed
 * by the routing engine. Unit-tested without a database or a graph.
 *
 * Decisions:
 *  - Candidates are units on duty and `available`; for a P1 incident also units `en_route` to an
 *    incident of lower priority (P2–P4): they can be diverted (改派).
 *  - Capabilities: linkage partners (120, 119) are notified, not asked of police units; the remaining
 *    needs are covered by the response plan (see response-plan.ts). A unit matches when it holds a
 *    need, when nothing is needed, or when it is a general unit (any general unit may be first on
 *    scene); only a specialist whose speciality is not needed is flagged `capabilityMatch: false`.
 *  - A unit without a known recent position is estimated from its station (home point); that
 *    estimate can be far off, so it is ranked as if `stationEstimatePenaltyS` (default 180 s) slower.
 *    A unit that reported a position is therefore ranked first unless the estimate is clearly better.
 *  - Order: the plan's units (first on scene, then specialists), then the others by effective ETA;
 *    unreachable units last; ties by distance then call sign. Diverting is not penalised, but said.
 *  - Reasons are codes with parameters (the web translates them); `reason` is the Chinese rendering.
 */
import { buildResponsePlan, isSpecialist, policeNeeds } from './response-plan.js';
import { reasonZh, type ReasonCode } from './reasons.js';

export { formatDuration, reasonZh, type ReasonCode } from './reasons.js';

export const PRIORITY_RANK: Record<string, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/** How much slower a station-based estimate is ranked than a reported position (seconds). */
export const DEFAULT_STATION_ESTIMATE_PENALTY_S = 180;

export interface CandidateInput {
  status: string;
  onDuty: boolean;
  capabilities: readonly string[];
  /** Priority of the incident the unit is currently assigned to, if any. */
  currentIncidentPriority?: string | null;
}

export type Eligibility = 'available' | 'divertible' | null;

/** Whether a unit may be proposed for an incident of this priority, and how. */
export function eligibility(u: CandidateInput, incidentPriority: string): Eligibility {
  if (u.status === 'available' && u.onDuty) return 'available';
  if (incidentPriority === 'P1' && u.status === 'en_route' && u.currentIncidentPriority && (PRIORITY_RANK[u.currentIncidentPriority] ?? 9) > 1) return 'divertible';
  return null;
}

/** Required capabilities the unit has; `[]` required = any unit matches. */
export function matchedCapabilities(unitCaps: readonly string[], required: readonly string[]): { ok: boolean; matched: string[] } {
  if (required.length === 0) return { ok: true, matched: [] };
  const matched = required.filter((c) => unitCaps.includes(c));
  return { ok: matched.length > 0, matched };
}

export interface RankInput {
  unitId: string;
  callSign: string;
  kind: string;
  status: string;
  /** The unit's capabilities (for the plan); without them the unit is taken as general with none. */
  capabilities?: readonly string[];
  etaSeconds: number | null;
  distanceMeters: number | null;
  /** Seconds since the last position report; null = never reported. */
  positionAgeSeconds: number | null;
  /** The ETA is estimated from the station (home point): no position, or an old one. */
  stale: boolean;
  diverting: boolean;
  divertingFromPriority?: string | null;
  /** Legacy inputs, used only when no `required` option is given. */
  capabilityMatch?: boolean;
  matched?: string[];
}

export interface Recommendation {
  unitId: string;
  callSign: string;
  kind: string;
  etaSeconds: number | null;
  distanceMeters: number | null;
  status: string;
  positionAgeSeconds: number | null;
  stale: boolean;
  /** The reasons in Chinese (from `reasons`). */
  reason: string;
  /** The reasons as codes with parameters, for any language. */
  reasons: ReasonCode[];
  diverting: boolean;
  capabilityMatch: boolean;
  matchedCapabilities: string[];
  /** Part of the proposed response: the first unit on scene, or a specialist covering a need. */
  plan: 'first' | 'specialist' | null;
  /** What this unit covers of the police needs in the plan. */
  covers: string[];
  /** Police needs no eligible unit covers (the same on every row). */
  missingCapabilities: string[];
  /** Linkage partners to notify, e.g. ['120'] (the same on every row). */
  linkage: string[];
}

export interface RankOptions {
  limit?: number;
  /** Capabilities the category asks for (linkage ones included); omitted = legacy per-item match. */
  required?: readonly string[];
  stationEstimatePenaltyS?: number;
  firstSlackS?: number;
}

/** The ETA used for ordering and choosing: a station-based estimate carries the penalty. */
export function effectiveEta(x: Pick<RankInput, 'etaSeconds' | 'stale'>, penaltyS = DEFAULT_STATION_ESTIMATE_PENALTY_S): number | null {
  if (x.etaSeconds === null) return null;
  return x.etaSeconds + (x.stale ? penaltyS : 0);
}

/** Orders the candidates (plan first, then quickest) and writes each one's reasons. */
export function rankRecommendations(items: readonly RankInput[], limitOrOpts: number | RankOptions = {}): Recommendation[] {
  const opts: RankOptions = typeof limitOrOpts === 'number' ? { limit: limitOrOpts } : limitOrOpts;
  const penalty = opts.stationEstimatePenaltyS ?? DEFAULT_STATION_ESTIMATE_PENALTY_S;
  const needs = policeNeeds(opts.required ?? []);
  const caps = (x: RankInput) => x.capabilities ?? [];
  const eff = new Map(items.map((x) => [x.unitId, effectiveEta(x, penalty)]));
  const plan = opts.required
    ? buildResponsePlan(
        items.map((x) => ({ unitId: x.unitId, capabilities: caps(x), effectiveEta: eff.get(x.unitId)! })),
        needs.police,
        { firstSlackS: opts.firstSlackS },
      )
    : null;
  const planIndex = new Map(plan?.unitIds.map((id, i) => [id, i]));
  const byEta = (a: RankInput, b: RankInput) => {
    const ea = eff.get(a.unitId)!;
    const eb = eff.get(b.unitId)!;
    if (ea === null || eb === null) {
      if (ea !== eb) return ea === null ? 1 : -1;
    } else if (ea !== eb) return ea - eb;
    const da = a.distanceMeters ?? Infinity;
    const db = b.distanceMeters ?? Infinity;
    if (da !== db) return da - db;
    return a.callSign < b.callSign ? -1 : a.callSign > b.callSign ? 1 : 0;
  };
  const sorted = [...items].sort((a, b) => {
    const pa = planIndex.get(a.unitId) ?? Infinity;
    const pb = planIndex.get(b.unitId) ?? Infinity;
    if (pa !== pb) return pa - pb;
    return byEta(a, b);
  });
  // The quickest effective ETA among units with a reported position, for "slower by" texts.
  const best = [...items].filter((x) => x.etaSeconds !== null && !x.stale).sort(byEta)[0]?.etaSeconds ?? null;
  // Reasons only for the units returned: with 500 candidates that is most of the ranking's cost.
  return sorted.slice(0, opts.limit ?? Infinity).map((x) => {
    const matched = opts.required ? needs.police.filter((c) => caps(x).includes(c)) : (x.matched ?? []);
    const capabilityMatch = opts.required ? needs.police.length === 0 || matched.length > 0 || !isSpecialist(caps(x)) : (x.capabilityMatch ?? true);
    const role = plan ? (plan.firstUnitId === x.unitId ? 'first' : planIndex.has(x.unitId) ? 'specialist' : null) : null;
    const covers = plan?.covers.get(x.unitId) ?? [];
    const reasons: ReasonCode[] = [];
    // "First on scene" says something only when specialists follow; alone it is just the quickest.
    if (role === 'first' && needs.police.length) reasons.push({ code: 'plan_first' });
    if (covers.length) reasons.push({ code: 'plan_covers', caps: covers });
    if (!capabilityMatch) reasons.push({ code: opts.required ? 'not_needed_speciality' : 'no_capable_unit' });
    if (x.diverting) reasons.push({ code: 'diverting', from: x.divertingFromPriority ?? null });
    if (x.etaSeconds === null) reasons.push({ code: 'unreachable' });
    else if (x.stale) reasons.push({ code: 'station_estimate', eta: Math.round(x.etaSeconds), noPosition: x.positionAgeSeconds === null, penalty });
    else if (best === null || x.etaSeconds <= best) reasons.push({ code: 'fastest', eta: Math.round(x.etaSeconds) });
    else reasons.push({ code: 'slower', eta: Math.round(x.etaSeconds), behind: Math.round(x.etaSeconds - best) });
    return {
      unitId: x.unitId,
      callSign: x.callSign,
      kind: x.kind,
      etaSeconds: x.etaSeconds === null ? null : Math.round(x.etaSeconds),
      distanceMeters: x.distanceMeters === null ? null : Math.round(x.distanceMeters),
      status: x.status,
      positionAgeSeconds: x.positionAgeSeconds,
      stale: x.stale,
      reason: reasonZh(reasons),
      reasons,
      diverting: x.diverting,
      capabilityMatch,
      matchedCapabilities: matched,
      plan: role,
      covers,
      missingCapabilities: plan?.missing ?? [],
      linkage: needs.linkage,
    };
  });
}
