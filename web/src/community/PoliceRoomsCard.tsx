/** The station's community police rooms on the chief's grid page: hours, open now, officers, visitors by purpose in the last 30 days. */
import { useQuery } from '@tanstack/react-query';
import { Card, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useLang } from '../i18n';
import { formatHours } from './hours';
import { ROOM_PURPOSE_LABELS, ROOM_PURPOSES, type Room, type RoomList } from './model';

export default function PoliceRoomsCard() {
  const { t } = useTranslation('community');
  const { lang } = useLang();
  const rooms = useQuery({ queryKey: ['community', 'rooms', 30], queryFn: () => api<RoomList>('/api/v1/police-rooms', { query: { days: 30 } }) });
  return (
    <Card size="small" title={t('roomsTitle')} style={{ marginTop: 16 }}>
      <Table<Room>
        size="small"
        rowKey="id"
        loading={rooms.isLoading}
        pagination={false}
        data-testid="police-rooms"
        dataSource={rooms.data?.items ?? []}
        columns={[
          {
            title: t('roomName'),
            render: (_, r) => (
              <>
                <div>{r.name}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.address}
                  {r.phone ? ` · ${r.phone}` : ''}
                </Typography.Text>
              </>
            ),
          },
          { title: t('roomOfficers'), render: (_, r) => r.officers.map((o) => o.displayName).join('、') || '—' },
          {
            title: t('roomHours'),
            render: (_, r) => (
              <>
                {formatHours(r.hours, lang).map((l) => (
                  <div key={l}>{l}</div>
                ))}
              </>
            ),
          },
          { title: t('roomOpen'), render: (_, r) => <Tag color={r.openNow ? 'green' : 'default'}>{r.openNow ? t('openNow') : t('closedNow')}</Tag> },
          { title: t('roomVisitors', { days: 30 }), dataIndex: 'visitors', align: 'right' },
          {
            title: t('roomByPurpose'),
            render: (_, r) => (
              <Space size={4} wrap>
                {ROOM_PURPOSES.map((p) => (
                  <Tag key={p}>
                    {ROOM_PURPOSE_LABELS[p][lang]} {(r.visitorsByPurpose as Record<string, number>)[p] ?? 0}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
