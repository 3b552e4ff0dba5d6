/** Types of the community routes (from the contract) and the vocabulary the forms offer. */
import type { ApiAnswer, ApiBody } from '../contract';

export type MyPlan = ApiAnswer<'/api/v1/me/visit-plan', 'get'>;
export type PlanGrid = MyPlan['grids'][number];
export type VisitBody = ApiBody<'/api/v1/visits', 'post'>;
export type Visit = ApiAnswer<'/api/v1/visits', 'post', 201>;
export type GridList = ApiAnswer<'/api/v1/grids', 'get'>;
export type Figures = ApiAnswer<'/api/v1/grids/visit-figures', 'get'>;
export type FollowUp = ApiAnswer<'/api/v1/visits/{id}/findings/{finding}/dispute', 'post', 201>;
export type Plate = ApiAnswer<'/api/v1/door-plates/{code}', 'get'>;

export const SERVICES = ['anti_fraud_advice', 'security_check', 'dispute_found', 'help_request', 'safety_notice', 'door_plate_check', 'other'] as const;
export const FINDINGS = ['dispute', 'fire_hazard', 'security_hazard', 'public_facility', 'help_needed', 'fraud_risk', 'other'] as const;
export const SKIP_REASONS = ['nobody_home', 'refused', 'vacant', 'demolished', 'unsafe', 'other'] as const;

export const SERVICE_LABELS: Record<(typeof SERVICES)[number], { zh: string; en: string }> = {
  anti_fraud_advice: { zh: '反诈宣传', en: 'Anti-fraud advice' },
  security_check: { zh: '安全检查', en: 'Security check' },
  dispute_found: { zh: '发现矛盾纠纷', en: 'Dispute found' },
  help_request: { zh: '群众求助', en: 'Help request' },
  safety_notice: { zh: '安全提示', en: 'Safety notice' },
  door_plate_check: { zh: '门牌核查', en: 'Door plate check' },
  other: { zh: '其他服务', en: 'Other service' },
};

export const FINDING_LABELS: Record<(typeof FINDINGS)[number], { zh: string; en: string }> = {
  dispute: { zh: '矛盾纠纷', en: 'Dispute' },
  fire_hazard: { zh: '消防隐患', en: 'Fire hazard' },
  security_hazard: { zh: '治安隐患', en: 'Security hazard' },
  public_facility: { zh: '公共设施问题（12345）', en: 'Public facility (12345)' },
  help_needed: { zh: '需要帮扶', en: 'Help needed' },
  fraud_risk: { zh: '涉诈风险', en: 'Fraud risk' },
  other: { zh: '其他问题', en: 'Other problem' },
};

export const SKIP_LABELS: Record<(typeof SKIP_REASONS)[number], { zh: string; en: string }> = {
  nobody_home: { zh: '无人在家', en: 'Nobody home' },
  refused: { zh: '拒绝入户', en: 'Refused' },
  vacant: { zh: '空置', en: 'Vacant' },
  demolished: { zh: '已拆除', en: 'Demolished' },
  unsafe: { zh: '不安全', en: 'Unsafe' },
  other: { zh: '其他', en: 'Other' },
};

export type RoomList = ApiAnswer<'/api/v1/police-rooms', 'get'>;
export type Room = RoomList['items'][number];
export type TaskList = ApiAnswer<'/api/v1/me/tasks', 'get'>;
export type Task = TaskList['items'][number];

export const ROOM_PURPOSES = ['consultation', 'paperwork', 'dispute', 'report_problem', 'lost_found', 'other'] as const;
export type RoomPurpose = (typeof ROOM_PURPOSES)[number];
export const ROOM_PURPOSE_LABELS: Record<RoomPurpose, { zh: string; en: string }> = {
  consultation: { zh: '咨询', en: 'Consultation' },
  paperwork: { zh: '证件办理', en: 'Paperwork help' },
  dispute: { zh: '矛盾纠纷', en: 'Dispute' },
  report_problem: { zh: '反映问题', en: 'Report a problem' },
  lost_found: { zh: '失物招领', en: 'Lost & found' },
  other: { zh: '其他', en: 'Other' },
};
