/**
 * "My police room" on the community officer's phone (375 px): the room's hours and whether it is open
 * now, visitors of the last 30 days, and the visitor log in two taps — the purpose, then how many people
 * (a count, no names). Logged at once with an Idempotency-Key.
 */
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { errorMessage } from '../format';
import { useLang } from '../i18n';
import { formatHours, nextOpenText } from './hours';
import { ROOM_PURPOSE_LABELS, ROOM_PURPOSES, type Room, type RoomList, type RoomPurpose } from './model';

const COUNTS = [1, 2, 3, 4, 5] as const;

export default function MyRoomCards() {
  const rooms = useQuery({ queryKey: ['community', 'my-rooms'], queryFn: () => api<RoomList>('/api/v1/police-rooms', { query: { mine: true, days: 30 } }) });
  if (!rooms.data?.items.length) return null;
  return (
    <>
      {rooms.data.items.map((r) => (
        <RoomCard key={r.id} room={r} />
      ))}
    </>
  );
}

function RoomCard({ room }: { room: Room }) {
  const { t } = useTranslation('community');
  const { lang } = useLang();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [purpose, setPurpose] = useState<RoomPurpose | null>(null);
  const [busy, setBusy] = useState(false);
  const log = async (visitors: number) => {
    if (!purpose) return;
    setBusy(true);
    try {
      await api(`/api/v1/police-rooms/${encodeURIComponent(room.id)}/visitors`, { body: { purpose, visitors }, idempotent: true });
      message.success(t('roomLogged', { purpose: ROOM_PURPOSE_LABELS[purpose][lang], count: visitors }));
      setPurpose(null);
      await qc.invalidateQueries({ queryKey: ['community', 'my-rooms'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={t('myRoom')}
      extra={<Tag color={room.openNow ? 'green' : 'default'}>{room.openNow ? t('openNow') : t('closedNow')}</Tag>}
      data-testid="my-police-room"
    >
      <Typography.Text strong>{room.name}</Typography.Text>
      <div style={{ fontSize: 13, color: '#595959' }}>
        {formatHours(room.hours, lang).map((l) => (
          <div key={l}>{l}</div>
        ))}
        {!room.openNow && nextOpenText(room.nextOpensAt, lang) && <div>{nextOpenText(room.nextOpensAt, lang)}</div>}
        <div>{t('roomVisitors30', { count: room.visitors })}</div>
      </div>
      <Typography.Text type="secondary" style={{ display: 'block', margin: '8px 0 4px' }}>
        {purpose ? t('roomHowMany', { purpose: ROOM_PURPOSE_LABELS[purpose][lang] }) : t('roomLogVisitor')}
      </Typography.Text>
      {!purpose ? (
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: 6 }}>
          {ROOM_PURPOSES.map((p) => (
            <Button key={p} onClick={() => setPurpose(p)} style={{ height: 44, whiteSpace: 'normal', padding: '0 4px' }} data-testid={`room-purpose-${p}`}>
              {ROOM_PURPOSE_LABELS[p][lang]}
            </Button>
          ))}
        </div>
      ) : (
        <Space.Compact block>
          {COUNTS.map((n) => (
            <Button key={n} type="primary" ghost={n !== 1} disabled={busy} onClick={() => void log(n)} style={{ height: 44, flex: 1 }} data-testid={`room-count-${n}`}>
              {n === 5 ? '5+' : n}
            </Button>
          ))}
          <Button onClick={() => setPurpose(null)} style={{ height: 44 }} aria-label={t('cancel')}>
            ✕
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}
