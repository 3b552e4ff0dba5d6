/**
 * The station chief's alert when a dispute of the jurisdiction rises to orange or red (issue 12 part 4):
 * a notification on whatever page they are, with the dispute's number and a button to open it. The
 * stream is scoped on the server, so only disputes of the user's jurisdiction arrive here.
 */
import { App as AntApp, Button } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useRealtime, useStreamEvent } from '../realtime';
import { useDisputeLabel, type RiskGrade } from './model';

interface DisputeChange {
  event: string;
  dispute: { id: string; number: string; riskGrade: RiskGrade };
}

const ALERT_GRADES = new Set<RiskGrade>(['red', 'orange']);

export default function DisputeRiskAlerts() {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const { notification } = AntApp.useApp();
  const navigate = useNavigate();
  useRealtime(useQueryClient());
  useStreamEvent<DisputeChange>('dispute', (e) => {
    const d = e.data?.dispute;
    if (e.data?.event !== 'risk_raised' || !d || !ALERT_GRADES.has(d.riskGrade)) return;
    const key = `dispute-risk-${d.id}`;
    notification.warning({
      key,
      title: t('riskAlertTitle', { grade: label('grade_', d.riskGrade) }),
      description: t('riskAlertText', { number: d.number }),
      duration: 0,
      placement: 'bottomRight',
      actions: (
        <Button
          type="primary"
          size="small"
          onClick={() => {
            notification.destroy(key);
            navigate(`/disputes/${d.id}`);
          }}
          data-testid="risk-alert-open"
        >
          {t('riskAlertOpen')}
        </Button>
      ),
      props: { 'data-testid': 'dispute-risk-alert' } as Record<string, string>,
    });
  });
  return null;
}
