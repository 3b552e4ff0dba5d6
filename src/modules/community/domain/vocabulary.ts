/**
 * What a home visit (入户走访) records: the services given and the problems found — never a profile of
 * the household (PRODUCT.md "What it does not do"). Codes are stable; labels in both languages.
 */

export const SERVICE_CODES = ['anti_fraud_advice', 'security_check', 'dispute_found', 'help_request', 'safety_notice', 'door_plate_check', 'other'] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

export const SERVICE_LABELS: Record<ServiceCode, { zh: string; en: string }> = {
  anti_fraud_advice: { zh: '反诈宣传', en: 'Anti-fraud advice' },
  security_check: { zh: '安全检查', en: 'Security check' },
  dispute_found: { zh: '发现矛盾纠纷', en: 'Dispute found' },
  help_request: { zh: '群众求助', en: 'Help request' },
  safety_notice: { zh: '安全提示', en: 'Safety notice' },
  door_plate_check: { zh: '门牌核查', en: 'Door plate check' },
  other: { zh: '其他服务', en: 'Other service' },
};

/** Problems a visit can find; each can become one follow-up (a dispute, a 12345 matter or a task). */
export const FINDING_CODES = ['dispute', 'fire_hazard', 'security_hazard', 'public_facility', 'help_needed', 'fraud_risk', 'other'] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export const FINDING_LABELS: Record<FindingCode, { zh: string; en: string }> = {
  dispute: { zh: '矛盾纠纷', en: 'Dispute' },
  fire_hazard: { zh: '消防隐患', en: 'Fire hazard' },
  security_hazard: { zh: '治安隐患', en: 'Security hazard' },
  public_facility: { zh: '公共设施问题（12345）', en: 'Public facility problem (12345)' },
  help_needed: { zh: '需要帮扶', en: 'Help needed' },
  fraud_risk: { zh: '涉诈风险', en: 'Fraud risk' },
  other: { zh: '其他问题', en: 'Other problem' },
};

export const PREMISES = ['household', 'unit'] as const;
export type Premises = (typeof PREMISES)[number];

export const SKIP_REASONS = ['nobody_home', 'refused', 'vacant', 'demolished', 'unsafe', 'other'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Where a finding went: a dispute of the register, a 12345 transfer, or a task of the station. */
export const FOLLOW_UP_KINDS = ['dispute', 'hotline12345', 'task'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** Limits of one visit: bounded input. */
export const MAX_SERVICES = SERVICE_CODES.length;
export const MAX_FINDINGS = 10;
export const MAX_NOTE = 500;
export const MAX_MET = 50;

/** Why people walk into a community police room (警务室): the visitor log counts them by purpose. */
export const ROOM_PURPOSES = ['consultation', 'paperwork', 'dispute', 'report_problem', 'lost_found', 'other'] as const;
export type RoomPurpose = (typeof ROOM_PURPOSES)[number];

export const ROOM_PURPOSE_LABELS: Record<RoomPurpose, { zh: string; en: string }> = {
  consultation: { zh: '咨询', en: 'Consultation' },
  paperwork: { zh: '证件办理帮助', en: 'Certificate / paperwork help' },
  dispute: { zh: '矛盾纠纷', en: 'Dispute' },
  report_problem: { zh: '反映问题', en: 'Report of a problem' },
  lost_found: { zh: '失物招领', en: 'Lost & found' },
  other: { zh: '其他', en: 'Other' },
};

/** The case a visitor-log entry may link to (only when one follows: no identity otherwise). */
export const ROOM_CASE_KINDS = ['dispute', 'incident'] as const;
export const MAX_ROOM_VISITORS = 50;

export const TASK_STATUSES = ['open', 'done'] as const;
