/**
 * Recommendation rules (pure): which units may be proposed for an incident, and their order given the
 * road ETAs computed by the routing engine. Unit-tested without a database or a graph.
 *
 * Decisions:
 *  - Candidates are units on duty and `available`; for a P1 incident also units `en_route` to an
 *    incident of lower priority (P2–P4): they can be diverted (改派).
 *  - Capabilities: a category lists what its response needs (e.g. traffic, armed, medical). A unit is
 *    eligible when it has at least one of them (a murder needs armed AND medical AND forensics: no
 *    single car has all; the dispatcher assigns several). When no candidate has any of them, every
 *    candidate is returned flagged `capabilityMatch: false` rather than an empty list.
 *  - Order: road ETA, quickest first; unreachable units last; ties by distance then call sign.
 *    Diverting a unit is not penalised in the order, but its reason says so.
 */

export const PRIORITY_RANK: Record<string, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

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
  etaSeconds: number | null;
  distanceMeters: number | null;
  /** Seconds since the last position report; null = never reported. */
  positionAgeSeconds: number | null;
  stale: boolean;
  diverting: boolean;
  divertingFromPriority?: string | null;
  capabilityMatch: boolean;
  matched: string[];
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
  reason: string;
  diverting: boolean;
  capabilityMatch: boolean;
  matchedCapabilities: string[];
}

/** "3分12秒", "45秒". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}秒`;
  const m = Math.floor(s / 60);
  return `${m}分${s % 60}秒`;
}

/** Orders the candidates quickest first and writes each one's reason (zh). */
export function rankRecommendations(items: readonly RankInput[], limit = Infinity): Recommendation[] {
  const sorted = [...items].sort((a, b) => {
    if (a.etaSeconds === null || b.etaSeconds === null) {
      if (a.etaSeconds !== b.etaSeconds) return a.etaSeconds === null ? 1 : -1;
    } else if (a.etaSeconds !== b.etaSeconds) return a.etaSeconds - b.etaSeconds;
    const da = a.distanceMeters ?? Infinity;
    const db = b.distanceMeters ?? Infinity;
    if (da !== db) return da - db;
    return a.callSign < b.callSign ? -1 : a.callSign > b.callSign ? 1 : 0;
  });
  const best = sorted.find((x) => x.etaSeconds !== null)?.etaSeconds ?? null;
  // Reasons (string formatting) only for the units returned: with 500 candidates that is most of the ranking's cost.
  return sorted.slice(0, limit).map((x, i) => {
    const parts: string[] = [];
    if (!x.capabilityMatch) parts.push('无具备所需能力的空闲警力，仅供参考');
    if (x.diverting) parts.push(`正在处置低优先级警情${x.divertingFromPriority ? `（${x.divertingFromPriority}）` : ''}，可改派`);
    if (x.etaSeconds === null) parts.push('无法经道路到达');
    else if (x.stale) parts.push(`${x.positionAgeSeconds === null ? '无定位' : '位置过期'}，按派出所位置估算（约${formatDuration(x.etaSeconds)}）`);
    else if (i === 0 || x.etaSeconds === best) parts.push(`最快到达（${formatDuration(x.etaSeconds)}）`);
    else parts.push(`预计${formatDuration(x.etaSeconds)}到达（比最快慢${formatDuration(x.etaSeconds - (best ?? 0))}）`);
    return {
      unitId: x.unitId,
      callSign: x.callSign,
      kind: x.kind,
      etaSeconds: x.etaSeconds === null ? null : Math.round(x.etaSeconds),
      distanceMeters: x.distanceMeters === null ? null : Math.round(x.distanceMeters),
      status: x.status,
      positionAgeSeconds: x.positionAgeSeconds,
      stale: x.stale,
      reason: parts.join('；'),
      diverting: x.diverting,
      capabilityMatch: x.capabilityMatch,
      matchedCapabilities: x.matched,
    };
  });
}
