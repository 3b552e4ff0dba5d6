/**
 * 群众网上报事审核 — the review queue of citizen reports of my jurisdiction (issue 15), 1920×1080: the list
 * (urgent first, then oldest) on the left, the chosen report with its progress and the open reports of its
 * category nearby on the right; accept (a 12345 matter is handed over through the incidents module), start,
 * resolve with the outcome, reject with a reason, or mark as a duplicate of an original. The citizen reads
 * every reason and outcome.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Empty, Input, Modal, Segmented, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import { useMove, useQueue, useReportDetail, type Move, type QueueItem } from '../citizen/model';
import ViolationPanel from '../citizen/ViolationPanel';
import NoticesButton from '../citizen/NoticesButton';
import { useMe } from '../session';
import AccidentsPanel from '../citizen/AccidentsPanel';

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
const COLOR: Record<string, string> = { received: 'blue', accepted: 'orange', in_progress: 'gold', resolved: 'green', rejected: 'red', duplicate: 'default' };
const OPEN = ['received', 'accepted', 'in_progress'];

/** Two tabs: the report queue and 快处快赔 (minor accidents settled online); ?tab=accidents opens the second. */
export default function CitizenReportsPage() {
  const { t } = useTranslation('citizen');
  const [tab, setTab] = useState<'reports' | 'accidents'>(new URLSearchParams(location.search).get('tab') === 'accidents' ? 'accidents' : 'reports');
  return (
    <>
      <Segmented
        style={{ marginBottom: 12 }}
        value={tab}
        onChange={(v) => setTab(v as 'reports' | 'accidents')}
        options={[{ label: t('tab_reports'), value: 'reports' }, { label: <span data-testid="tab-accidents">{t('tab_accidents')}</span>, value: 'accidents' }]}
      />
      {tab === 'reports' ? <ReportsQueue /> : <AccidentsPanel />}
    </>
  );
}

function ReportsQueue() {
  const { t } = useTranslation('citizen');
  const { lang } = useLang();
  const [filter, setFilter] = useState<'open' | 'all'>('open');
  const queue = useQueue(filter === 'open' ? OPEN : []);
  const [picked, setPicked] = useState<string | null>(null);
  const me = useMe();
  const status = (s: string) => <Tag color={COLOR[s]}>{t(`status_${s}` as 'status_received')}</Tag>;

  const columns = [
    { title: t('number'), key: 'id', width: 90, render: (r: QueueItem) => <span data-testid={`queue-${r.id}`}>#{r.id}</span> },
    { title: t('category'), key: 'cat', width: 170, render: (r: QueueItem) => (lang === 'en' ? r.serviceName.en : r.serviceName.zh) },
    { title: t('description'), key: 'd', ellipsis: true, render: (r: QueueItem) => <>{r.urgent && <Tag color="red">{t('urgent')}</Tag>}{r.description}</> },
    { title: t('unit'), dataIndex: 'unitName', key: 'u', width: 160 },
    { title: t('voices'), dataIndex: 'voices', key: 'v', width: 70 },
    { title: t('received'), key: 'at', width: 120, render: (r: QueueItem) => when(r.createdAt) },
    { title: t('status'), key: 's', width: 110, render: (r: QueueItem) => status(r.status) },
  ];

  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(420px, 2fr)', gap: 16 }}>
      <Card
        title={t('title')}
        extra={<Space>{me.data?.permissions?.includes('citizen.notice') && <NoticesButton />}<Segmented value={filter} onChange={(v) => setFilter(v as 'open' | 'all')} options={[{ label: t('open'), value: 'open' }, { label: t('all'), value: 'all' }]} /></Space>}
      >
        <Typography.Paragraph type="secondary">{t('subtitle')}</Typography.Paragraph>
        <Table
          size="small"
          rowKey="id"
          loading={queue.isLoading}
          dataSource={queue.data?.items ?? []}
          columns={columns}
          pagination={{ pageSize: 20 }}
          onRow={(r) => ({ onClick: () => setPicked(r.id), style: { cursor: 'pointer', background: r.id === picked ? '#e6f4ff' : undefined } })}
          data-testid="citizen-queue"
        />
      </Card>
      {picked ? <Detail id={picked} key={picked} status={status} /> : <Card><Empty description={t('pick')} /></Card>}
    </div>
  );
}

function Detail({ id, status }: { id: string; status: (s: string) => React.ReactNode }) {
  const { t } = useTranslation('citizen');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const detail = useReportDetail(id);
  const move = useMove(id);
  const [ask, setAsk] = useState<Move['to'] | null>(null);
  const [text, setText] = useState('');
  const [dupOf, setDupOf] = useState('');
  const r = detail.data;
  if (!r) return <Card loading />;
  const open = OPEN.includes(r.status);

  const run = async (m: Move) => {
    try {
      await move.mutateAsync(m);
      message.success(t('done'));
      setAsk(null);
      setText('');
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Card title={<span data-testid="citizen-detail">#{r.id} {lang === 'en' ? r.serviceName.en : r.serviceName.zh} {status(r.status)}</span>}>
      {r.urgent && <Alert type="error" showIcon message={t('urgent')} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph style={{ fontSize: 15 }}>{r.description}</Typography.Paragraph>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('unit')}>{r.unitName}</Descriptions.Item>
        <Descriptions.Item label={t('channel')}>{t(`channel_${r.channel}` as 'channel_portal')} · {t(`route_${r.route}` as 'route_station')}</Descriptions.Item>
        <Descriptions.Item label={t('reporter')}>{r.reporterPhone ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('voices')}>{r.voices}</Descriptions.Item>
        {r.incidentId && <Descriptions.Item label={t('incident')} span={2}>{r.incidentId}</Descriptions.Item>}
      </Descriptions>
      {r.serviceCode === 'TV' && <ViolationPanel id={r.id} photos={r.photos} />}
      {open && r.serviceCode !== 'TV' && (
        <Space wrap style={{ margin: '16px 0' }}>
          {r.status === 'received' && <Button type="primary" onClick={() => run({ to: 'accepted' })} loading={move.isPending} data-testid="accept">{t('accept')}</Button>}
          {r.status === 'accepted' && <Button onClick={() => run({ to: 'in_progress' })} data-testid="start">{t('start')}</Button>}
          <Button onClick={() => setAsk('resolved')} data-testid="resolve">{t('resolve')}</Button>
          <Button onClick={() => setAsk('duplicate')} data-testid="duplicate">{t('markDuplicate')}</Button>
          <Button danger onClick={() => setAsk('rejected')} data-testid="reject">{t('reject')}</Button>
        </Space>
      )}
      <Typography.Title level={5}>{t('history')}</Typography.Title>
      <Timeline items={(r.history ?? []).map((h) => ({ children: <span>{status(h.status)} {when(h.at)}{h.note && <div className="sw-muted">{h.note}</div>}</span> }))} />
      <Typography.Title level={5}>{t('nearby')}</Typography.Title>
      {(r.nearby ?? []).length === 0 ? (
        <Typography.Text type="secondary">{t('noNearby')}</Typography.Text>
      ) : (
        (r.nearby ?? []).map((n) => (
          <div key={n.id} style={{ display: 'flex', justifyContent: 'space-between', gap: 8, padding: '4px 0' }}>
            <span>#{n.id} · {n.distanceM} m · {n.description}</span>
            {open && <Button size="small" onClick={() => { setDupOf(n.id); setAsk('duplicate'); }}>{t('markDuplicate')}</Button>}
          </div>
        ))
      )}
      <Modal
        open={ask !== null}
        title={ask ? t(ask === 'resolved' ? 'resolve' : ask === 'rejected' ? 'reject' : 'markDuplicate') : ''}
        okText={t('confirm')}
        confirmLoading={move.isPending}
        onCancel={() => setAsk(null)}
        onOk={() => ask && run({ to: ask, reason: text.trim() || undefined, duplicateOf: ask === 'duplicate' ? dupOf.trim() : undefined })}
      >
        {ask === 'duplicate' && (
          <Input addonBefore={t('duplicateOfLabel')} value={dupOf} onChange={(e) => setDupOf(e.target.value)} style={{ marginBottom: 12 }} data-testid="duplicate-of" />
        )}
        <Input.TextArea rows={3} placeholder={ask === 'resolved' ? t('outcomeLabel') : t('reasonLabel')} value={text} onChange={(e) => setText(e.target.value)} data-testid="move-reason" />
      </Modal>
    </Card>
  );
}
