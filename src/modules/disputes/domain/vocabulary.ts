/**
 * The words of the dispute register (矛盾纠纷排查化解), each with its zh-CN and English label: dispute
 * types and sources, party roles, mediation types, agency kinds, closing outcomes and dispute statuses.
 * The lists are the API's enumerations (declared as enums in the OpenAPI schema) and the web's choices.
 */

export interface Label {
  zh: string;
  en: string;
}

export const DISPUTE_TYPES = ['family', 'neighbour', 'land', 'debt', 'labour', 'consumer', 'tenancy', 'property', 'medical', 'traffic', 'other'] as const;
export type DisputeType = (typeof DISPUTE_TYPES)[number];

export const DISPUTE_TYPE_LABELS: Record<DisputeType, Label> = {
  family: { zh: '婚恋/家庭', en: 'Family and relationship' },
  neighbour: { zh: '邻里', en: 'Neighbours' },
  land: { zh: '土地/山林/草场', en: 'Land, forest and pasture boundaries' },
  debt: { zh: '债务', en: 'Debt' },
  labour: { zh: '劳资/欠薪', en: 'Labour and unpaid wages' },
  consumer: { zh: '消费', en: 'Consumer' },
  tenancy: { zh: '租赁', en: 'Tenancy' },
  property: { zh: '物业', en: 'Property management' },
  medical: { zh: '医患', en: 'Doctor–patient' },
  traffic: { zh: '交通事故赔偿', en: 'Road-accident compensation' },
  other: { zh: '其他', en: 'Other' },
};

export const DISPUTE_SOURCES = ['incident', 'visit', 'walk_in', 'hotline', 'other'] as const;
export type DisputeSource = (typeof DISPUTE_SOURCES)[number];

export const DISPUTE_SOURCE_LABELS: Record<DisputeSource, Label> = {
  incident: { zh: '110警情', en: '110 incident' },
  visit: { zh: '走访排查', en: 'Home visit' },
  walk_in: { zh: '群众来访', en: 'Walk-in' },
  hotline: { zh: '12345工单', en: '12345 work order' },
  other: { zh: '其他', en: 'Other' },
};

export const PARTY_ROLES = ['applicant', 'respondent', 'other'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

export const PARTY_ROLE_LABELS: Record<PartyRole, Label> = {
  applicant: { zh: '申请人', en: 'Applicant' },
  respondent: { zh: '被申请人', en: 'Respondent' },
  other: { zh: '其他当事人', en: 'Other party' },
};

export const MEDIATION_TYPES = ['police', 'people', 'court', 'lawyer'] as const;
export type MediationType = (typeof MEDIATION_TYPES)[number];

export const MEDIATION_TYPE_LABELS: Record<MediationType, Label> = {
  police: { zh: '治安调解', en: 'Police mediation' },
  people: { zh: '人民调解', en: 'People’s mediation' },
  court: { zh: '法院调解', en: 'Court mediation' },
  lawyer: { zh: '律师调解', en: 'Lawyer mediation' },
};

export const AGENCY_KINDS = ['station', 'judicial', 'law_firm', 'court', 'committee'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const AGENCY_KIND_LABELS: Record<AgencyKind, Label> = {
  station: { zh: '派出所', en: 'Police station' },
  judicial: { zh: '司法所', en: 'Judicial office' },
  law_firm: { zh: '律师事务所', en: 'Law firm' },
  court: { zh: '人民法庭', en: 'People’s tribunal' },
  committee: { zh: '人民调解委员会', en: 'People’s mediation committee' },
};

/** How a dispute ends. */
export const OUTCOMES = ['agreement_performed', 'agreement', 'no_agreement', 'withdrawn', 'litigation', 'transferred'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, Label> = {
  agreement_performed: { zh: '达成协议并履行', en: 'Agreement reached and performed' },
  agreement: { zh: '达成协议', en: 'Agreement reached' },
  no_agreement: { zh: '调解不成', en: 'No agreement' },
  withdrawn: { zh: '当事人撤回', en: 'Withdrawn by the parties' },
  litigation: { zh: '引导诉讼', en: 'Referred to litigation' },
  transferred: { zh: '移交有关部门', en: 'Transferred to another authority' },
};

/**
 * Outcomes that count as resolved (化解) in the resolution rate = resolved ÷ registered. Only an
 * agreement counts: a withdrawal says nothing about whether the quarrel ended, and litigation or a
 * transfer hands it on. A bureau that counts differently changes this list (PRODUCT.md: KPI
 * definitions are data).
 */
export const RESOLVED_OUTCOMES: readonly Outcome[] = ['agreement_performed', 'agreement'];

export function isResolvedOutcome(outcome: string): boolean {
  return (RESOLVED_OUTCOMES as readonly string[]).includes(outcome);
}

export const DISPUTE_STATUSES = ['registered', 'referred', 'in_mediation', 'agreed', 'closed'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const DISPUTE_STATUS_LABELS: Record<DisputeStatus, Label> = {
  registered: { zh: '已登记', en: 'Registered' },
  referred: { zh: '已移交', en: 'Referred' },
  in_mediation: { zh: '调解中', en: 'In mediation' },
  agreed: { zh: '已达成协议', en: 'Agreement reached' },
  closed: { zh: '已结案', en: 'Closed' },
};

/** Type guards for values read from the database or a request. */
export const isDisputeType = (v: unknown): v is DisputeType => (DISPUTE_TYPES as readonly unknown[]).includes(v);
export const isOutcome = (v: unknown): v is Outcome => (OUTCOMES as readonly unknown[]).includes(v);
export const isMediationType = (v: unknown): v is MediationType => (MEDIATION_TYPES as readonly unknown[]).includes(v);
