/**
 * The station chief's notifications from the volunteers (on any page, like the disputes' risk alert):
 * a shift short of people 24 h before it starts, and a linked-defence member's alert. The stream is
 * scoped on the server, so only the jurisdiction's arrive here.
 */
import { App as AntApp, Button } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { useRealtime, useStreamEvent } from '../realtime';

interface VolunteerEvent {
  event: string;
  shift?: { id: string; title: string; teamName: string; startsAt: string; confirmed: number; minPeople: number };
  alert?: { id: string; groupName: string; memberName: string; addressText: string; kind: string; incidentId: string | null; incidentNumber: string | null };
}

export default function VolunteerAlerts() {
  const { t } = useTranslation('volunteers');
  const { notification } = AntApp.useApp();
  const navigate = useNavigate();
  useRealtime(useQueryClient());
  useStreamEvent<VolunteerEvent>('volunteer', (e) => {
    const d = e.data;
    if (d?.event === 'shift_short' && d.shift) {
      const s = d.shift;
      notification.warning({
        key: `shift-short-${s.id}`,
        title: t('shortAlertTitle'),
        description: t('shortAlertText', { team: s.teamName, title: s.title, time: dayjs(s.startsAt).format('MM-DD HH:mm'), confirmed: s.confirmed, min: s.minPeople }),
        duration: 0,
        placement: 'bottomRight',
        actions: (
          <Button size="small" type="primary" onClick={() => navigate('/volunteers')}>
            {t('open')}
          </Button>
        ),
        props: { 'data-testid': 'volunteer-short-alert' } as Record<string, string>,
      });
    }
    if (d?.event === 'defence_alert' && d.alert) {
      const a = d.alert;
      notification.error({
        key: `defence-${a.id}`,
        title: t('defenceAlertTitle', { kind: t(`kind_${a.kind}` as 'kind_other') }),
        description: t('defenceAlertText', { group: a.groupName, member: a.memberName, address: a.addressText, number: a.incidentNumber ?? '—' }),
        duration: 0,
        placement: 'bottomRight',
        actions: a.incidentId ? (
          <Button size="small" type="primary" danger onClick={() => navigate(`/incidents/${a.incidentId}`)}>
            {t('open')}
          </Button>
        ) : undefined,
        props: { 'data-testid': 'defence-alert' } as Record<string, string>,
      });
    }
  });
  return null;
}
