/**
 * Dispatch alert timers (pure due logic). The service calls `dueAlerts` on a clock tick with what is
 * open; it answers which alerts to raise and which to escalate. Times are epoch milliseconds.
 *
 *  - ack_timeout: an assignment not acknowledged (ack, en route or on scene) within `ackTimeoutS`.
 *  - p1_unassigned: a P1 incident still without any unit `p1UnassignedS` after it was recorded.
 *  - escalation: an alert nobody acknowledged within `escalateAfterS` goes to the commander
 *    (level 'escalated'), once.
 */

export const ALERT_KINDS = ['ack_timeout', 'p1_unassigned'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertLevel = 'alert' | 'escalated';

/**
 * What an alert's message names, kept beside the Chinese text so the web can say it in the reader's
 * language: the unit's call sign (ack_timeout only), the incident number, and the timer it overran.
 */
export interface AlertParams {
  callSign: string | null;
  number: string;
  seconds: number;
}

/** The alert's text in Chinese, as stored in `message` (escalation appends 已上报指挥长). */
export function alertMessageZh(kind: AlertKind, p: AlertParams, escalated = false): string {
  const text = kind === 'ack_timeout' ? `${p.callSign ?? ''} 超过${p.seconds}秒未确认派警（警情 ${p.number}）` : `P1警情 ${p.number} 超过${p.seconds}秒未派警`;
  return escalated ? `${text}${ALERT_ESCALATED_ZH}` : text;
}

export const ALERT_ESCALATED_ZH = '，已上报指挥长';

export interface TimerConfig {
  ackTimeoutS: number;
  p1UnassignedS: number;
  escalateAfterS: number;
}

export interface PendingAssignment {
  id: string;
  assignedAt: number;
  acknowledged: boolean;
}

export interface UnassignedIncident {
  id: string;
  priority: string;
  recordedAt: number;
}

export interface OpenAlert {
  id: string;
  kind: AlertKind;
  subjectId: string;
  level: AlertLevel;
  raisedAt: number;
}

export interface AlertActions {
  raise: { kind: AlertKind; subjectId: string }[];
  escalate: string[];
}

export function dueAlerts(now: number, cfg: TimerConfig, input: { assignments: readonly PendingAssignment[]; incidents: readonly UnassignedIncident[]; alerts: readonly OpenAlert[]; known: ReadonlySet<string> }): AlertActions {
  const raise: AlertActions['raise'] = [];
  const seen = (kind: AlertKind, id: string) => input.known.has(`${kind}:${id}`);
  for (const a of input.assignments) {
    if (!a.acknowledged && now - a.assignedAt >= cfg.ackTimeoutS * 1000 && !seen('ack_timeout', a.id)) raise.push({ kind: 'ack_timeout', subjectId: a.id });
  }
  for (const i of input.incidents) {
    if (i.priority === 'P1' && now - i.recordedAt >= cfg.p1UnassignedS * 1000 && !seen('p1_unassigned', i.id)) raise.push({ kind: 'p1_unassigned', subjectId: i.id });
  }
  const escalate = input.alerts.filter((a) => a.level === 'alert' && now - a.raisedAt >= cfg.escalateAfterS * 1000).map((a) => a.id);
  return { raise, escalate };
}
