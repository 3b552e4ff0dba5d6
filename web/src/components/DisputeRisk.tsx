/**
 * Small shared pieces for the places that point at the dispute register without being part of it (the
 * intake console's hint, the incident page, the dispatcher's map): the risk grade's colour and tag, the
 * labels of dispute types and statuses (the server's vocabulary, a pure file shared as the incident
 * state machine is), and the answers of the hint, risk-place and register routes.
 */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiAnswer } from '../contract';
import { useLang } from '../i18n';
import { DISPUTE_STATUS_LABELS, DISPUTE_TYPE_LABELS, type DisputeStatus, type DisputeType } from '../../../src/modules/disputes/domain/vocabulary';

export type DisputeHint = ApiAnswer<'/api/v1/disputes/hints', 'get'>['items'][number];
export type RiskPlace = ApiAnswer<'/api/v1/disputes/risk-places', 'get'>['items'][number];
export type DisputeListItem = ApiAnswer<'/api/v1/disputes', 'get'>['items'][number];
export type RiskGrade = DisputeHint['riskGrade'];

/** Strong colours for the map and borders; the tag uses the matching preset. */
export const RISK_COLOR: Record<RiskGrade, string> = { red: '#cf1322', orange: '#fa8c16', yellow: '#d4b106', blue: '#1677ff' };
const RISK_TAG: Record<RiskGrade, string> = { red: 'red', orange: 'orange', yellow: 'gold', blue: 'blue' };
const RISK_KEY = { red: 'riskRed', orange: 'riskOrange', yellow: 'riskYellow', blue: 'riskBlue' } as const;
export const RISK_ORDER: readonly RiskGrade[] = ['red', 'orange', 'yellow', 'blue'];

/** Labels of the register's words in the current language. */
export function useDisputeLabels() {
  const { lang } = useLang();
  const { t } = useTranslation();
  return {
    type: (v: string) => DISPUTE_TYPE_LABELS[v as DisputeType]?.[lang] ?? v,
    status: (v: string) => DISPUTE_STATUS_LABELS[v as DisputeStatus]?.[lang] ?? v,
    grade: (g: RiskGrade) => t(RISK_KEY[g]),
  };
}

export function RiskTag({ grade }: { grade: RiskGrade }) {
  const { grade: label } = useDisputeLabels();
  return (
    <Tag color={RISK_TAG[grade]} variant={grade === 'red' || grade === 'orange' ? 'solid' : undefined} style={{ marginInlineEnd: 0, fontWeight: 600 }} data-grade={grade}>
      {label(grade)}
    </Tag>
  );
}

/** Whole days since a moment (the register's "days open" for answers that carry only the registration time). */
export function daysSince(iso: string, now = Date.now()): number {
  return Math.max(0, Math.floor((now - Date.parse(iso)) / 86_400_000));
}
