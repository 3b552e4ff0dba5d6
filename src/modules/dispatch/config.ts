/** The settings of dispatch (timers, staleness, track retention, closing rule) and the unit kinds. */
import { parseCloseRules, type CloseRules } from './domain/close-rule.js';

/** The token scope of AVL gateways and vehicle terminals: report unit positions (declared in index.ts). */
export const AVL_SCOPE = 'avl:write';

export const UNIT_KINDS = ['patrol_car', 'motorcycle', 'foot', 'traffic', 'min_combat_unit', 'community'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface DispatchConfig {
  /** An assignment not acknowledged within this many seconds raises an alert (default 60). */
  ackTimeoutS: number;
  /** A P1 incident without any unit this long after it was recorded raises an alert (default 60). */
  p1UnassignedS: number;
  /** An alert nobody acknowledged for this long is escalated to the commander (default 60). */
  escalateAfterS: number;
  /** A position older than this is stale: recommend from the home point (default 120). */
  staleAfterS: number;
  /** Days the thinned track is kept (default 90). */
  trackRetentionDays: number;
  /** A station-based ETA (no recent position) is ranked this many seconds slower (default 180). */
  stationEstimatePenaltyS?: number;
  /** Whether the crew's clearing closes the incident, per station (SHOUWANG_CLOSE_ON_CLEAR; default: the station reviews). */
  closeOnClear?: CloseRules;
}

export const DEFAULT_DISPATCH_CONFIG: DispatchConfig = { ackTimeoutS: 60, p1UnassignedS: 60, escalateAfterS: 60, staleAfterS: 120, trackRetentionDays: 90 };

/** Reads the dispatch settings from the environment (SHOUWANG_DISPATCH_*). */
export function dispatchConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DispatchConfig {
  const n = (name: string, dflt: number) => {
    const v = Number(env[name]);
    return env[name] !== undefined && Number.isFinite(v) && v > 0 ? v : dflt;
  };
  return {
    ackTimeoutS: n('SHOUWANG_DISPATCH_ACK_TIMEOUT_S', 60),
    p1UnassignedS: n('SHOUWANG_DISPATCH_P1_UNASSIGNED_S', 60),
    escalateAfterS: n('SHOUWANG_DISPATCH_ESCALATE_AFTER_S', 60),
    staleAfterS: n('SHOUWANG_DISPATCH_STALE_AFTER_S', 120),
    trackRetentionDays: n('SHOUWANG_TRACK_RETENTION_DAYS', 90),
    stationEstimatePenaltyS: n('SHOUWANG_DISPATCH_STATION_ESTIMATE_PENALTY_S', 180),
    closeOnClear: parseCloseRules(env.SHOUWANG_CLOSE_ON_CLEAR),
  };
}
