/** 正在值守的义警: the chief's small card of volunteers checked in now (names, team, until when; no position). */
import { Link } from 'react-router-dom';
import { Card, Empty, List, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useOnDuty } from './model';

export default function OnDutyCard({ limit = 6 }: { limit?: number }) {
  const { t } = useTranslation('volunteers');
  const duty = useOnDuty();
  const d = duty.data;
  return (
    <Card size="small" title={t('onDutyNow')} extra={<Link to="/volunteers">{d ? t('onDutyCount', { people: d.people, shifts: d.shifts }) : '…'}</Link>} style={{ marginTop: 16 }} data-testid="volunteers-on-duty">
      {d && !d.items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noneOnDuty')} />
      ) : (
        <List
          size="small"
          loading={duty.isLoading}
          dataSource={(d?.items ?? []).slice(0, limit)}
          renderItem={(x) => (
            <List.Item data-testid="on-duty-item">
              <span>
                <b>{x.displayName}</b> <Tag>{x.teamName}</Tag>
              </span>
              <span className="sw-muted">{t('until', { time: dayjs(x.endsAt).format('HH:mm') })}</span>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
