/**
 * Which assignments a recording belongs to, and which required steps have a recording: pure rules of
 * the linkage (issue 14 part 4). A recording links to every assignment of its officer whose window —
 * dispatched → cleared (or cancelled), widened by a margin on both sides — overlaps the recording's own
 * interval; a recording that straddles two assignments links to both.
 */
export interface AssignmentWindow {
  id: string;
  incidentId: string;
  assignedAt: Date;
  /** Cleared or cancelled; null while the assignment is still running. */
  endedAt: Date | null;
}

export interface Interval {
  from: Date;
  to: Date;
}

/** The assignments whose widened window overlaps the recording (open ends run to `now`). */
export function matchingAssignments<T extends AssignmentWindow>(rec: Interval, windows: readonly T[], marginMs: number, now: Date = new Date()): T[] {
  const from = rec.from.getTime();
  const to = rec.to.getTime();
  return windows.filter((w) => {
    const start = w.assignedAt.getTime() - marginMs;
    const end = (w.endedAt ?? now).getTime() + marginMs;
    return from <= end && to >= start;
  });
}

/**
 * The case steps that must be filmed: the on-scene enforcement acts among the case's steps (传唤 summons,
 * 刑事拘留 detention, 逮捕 arrest, 扣押 seizure — 公安机关现场执法视音频记录工作规定 第四条), besides every 110
 * response (an assignment that reached the scene), which the dispatch side gives.
 */
export const REQUIRED_CASE_STEPS = ['summons', 'detention', 'arrest', 'seizure'] as const;

/** Why a required step has no recording. */
export const NO_RECORDING_REASONS = ['device_fault', 'battery', 'sudden_event', 'not_on_scene', 'confidential', 'other'] as const;
export type NoRecordingReason = (typeof NO_RECORDING_REASONS)[number];

export const NO_RECORDING_LABELS: Record<NoRecordingReason, { zh: string; en: string }> = {
  device_fault: { zh: '执法记录仪故障', en: 'Camera fault' },
  battery: { zh: '电量耗尽或存储已满', en: 'Battery or storage exhausted' },
  sudden_event: { zh: '情况紧急来不及开启', en: 'Sudden event, no time to start recording' },
  not_on_scene: { zh: '非现场执法（在所内进行）', en: 'Not done on scene (at the station)' },
  confidential: { zh: '涉密或保护隐私依法不录制', en: 'Not recorded by law (secrecy or privacy)' },
  other: { zh: '其他原因', en: 'Other reason' },
};

/** A case step counts as filmed when a recording linked to its case covers its time (± margin) or names it. */
export function stepCovered(step: { id: string; at: Date }, recordings: readonly { from: Date; to: Date; eventId?: string | null }[], marginMs: number): boolean {
  const t = step.at.getTime();
  return recordings.some((r) => r.eventId === step.id || (r.from.getTime() - marginMs <= t && t <= r.to.getTime() + marginMs));
}

export interface LinkageFigure {
  /** Steps that require a recording (case steps + 110 responses) in the period. */
  required: number;
  /** Of those, with a linked recording. */
  linked: number;
  /** Without a recording but with a reason given. */
  justified: number;
  /** Without either: the ones a supervisor should ask about. */
  missing: number;
  /** linked ÷ required; null when nothing was required. */
  rate: number | null;
}

export function linkageFigure(required: number, linked: number, justified: number): LinkageFigure {
  return { required, linked, justified, missing: Math.max(0, required - linked - justified), rate: required === 0 ? null : linked / required };
}

/**
 * Retention: a recording may be deleted once `days` have passed since it ended, unless it is held as
 * evidence or linked to a major case. Never fewer than 183 days (6 months) whatever the configuration.
 */
export const MIN_RETENTION_DAYS = 183;

export function expired(rec: { recordedTo: Date; hold: boolean }, retentionDays: number, majorCase: boolean, now: Date): boolean {
  if (rec.hold || majorCase) return false;
  const days = Math.max(MIN_RETENTION_DAYS, retentionDays);
  return now.getTime() - rec.recordedTo.getTime() > days * 86_400_000;
}

/** Extensions that only a major case gets: a recording linked to such a case is kept for good. */
export const MAJOR_CASE_EXTENSIONS = ['major_case', 'major_complex', 'roving_repeated_gang', 'ten_years'] as const;
