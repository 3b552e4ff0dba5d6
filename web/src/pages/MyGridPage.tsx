/**
 * 我的警格 — the community officer's phone page (375 px): this week's visit plan per grid owned (open
 * disputes and repeat-incident addresses first, then the doors not visited for longest; every door once
 * before any twice), progress against the weekly target, a skip with its reason, the doors not visited
 * for longest, open disputes and repeat-incident addresses; visits recorded offline waiting to be sent;
 * "my police room" (visitor log in two taps) and the follow-up tasks made from findings.
 */
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Drawer, Empty, Input, Modal, Progress, Select, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { errorMessage, fmtTime } from '../format';
import { useLang } from '../i18n';
import VisitForm from '../community/VisitForm';
import { flushQueue, queued } from '../community/offline';
import MyRoomCards from '../community/MyRoomCard';
import TasksCard from '../community/TasksCard';
import { SKIP_LABELS, SKIP_REASONS, type MyPlan, type PlanGrid } from '../community/model';

const REASON_COLOR: Record<string, string> = { open_dispute: 'red', repeat_incidents: 'orange', never_visited: 'blue', oldest_visit: 'default' };

export default function MyGridPage() {
  const { t } = useTranslation('community');
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const plan = useQuery({ queryKey: ['community', 'plan'], queryFn: () => api<MyPlan>('/api/v1/me/visit-plan') });
  const [visiting, setVisiting] = useState<{ code: string; address: string } | null>(null);
  const [pending, setPending] = useState(queued().length);

  useEffect(() => {
    const update = () => setPending(queued().length);
    const online = () =>
      void flushQueue().then((n) => {
        if (n) {
          message.success(t('sentQueued', { count: n }));
          void qc.invalidateQueries({ queryKey: ['community'] });
        }
      });
    window.addEventListener('shouwang-visit-queue', update);
    window.addEventListener('online', online);
    online();
    // The online event is not always told (or comes before the network answers): try again meanwhile.
    const timer = window.setInterval(() => queued().length && online(), 15_000);
    return () => {
      window.removeEventListener('shouwang-visit-queue', update);
      window.removeEventListener('online', online);
      window.clearInterval(timer);
    };
  }, [message, qc, t]);

  if (plan.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (plan.error) return <Alert type="error" title={errorMessage(plan.error)} />;
  const grids = plan.data?.grids ?? [];

  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }} data-testid="page-my-grid">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('myGridTitle')}
      </Typography.Title>
      {pending > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('pending', { count: pending })}
          action={
            <Button size="small" onClick={() => void flushQueue().then(() => qc.invalidateQueries({ queryKey: ['community'] }))}>
              {t('sendNow')}
            </Button>
          }
          data-testid="visit-queue"
        />
      )}
      <MyRoomCards />
      <TasksCard />
      {!grids.length && <Empty description={t('noGrid')} />}
      {grids.map((g) => (
        <GridCard key={g.gridId} g={g} week={plan.data!.week} onVisit={(code, address) => setVisiting({ code, address })} />
      ))}
      <Drawer open={!!visiting} onClose={() => setVisiting(null)} title={t('visitTitle')} placement="bottom" size="92%" destroyOnHidden>
        {visiting && <VisitForm addressCode={visiting.code} address={visiting.address} onDone={() => void qc.invalidateQueries({ queryKey: ['community'] })} />}
      </Drawer>
    </div>
  );
}

function GridCard({ g, week, onVisit }: { g: PlanGrid; week: string; onVisit: (code: string, address: string) => void }) {
  const { t } = useTranslation('community');
  const { lang } = useLang();
  const [skipping, setSkipping] = useState<string | null>(null);
  const done = g.done;
  const target = g.target.perWeek;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Card size="small" title={`${g.name}`} extra={<Typography.Text type="secondary">{t('weekOf', { week })}</Typography.Text>}>
        <Progress percent={Math.round((100 * Math.min(done, target)) / Math.max(1, target))} format={() => `${done}/${target}`} />
        <Typography.Text type="secondary">{t('doneOfTarget', { done, target })}</Typography.Text>
      </Card>
      <Card size="small" title={t('plan')} styles={{ body: { padding: 0 } }}>
        <div data-testid="visit-plan">
          {!g.items.length && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('planEmpty')} />}
          {g.items.map((d) => (
            <div key={d.addressCode} style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '10px 12px', borderBottom: '1px solid #f0f0f0' }}>
              <div style={{ flex: 1, minWidth: 0 }}>
                <div style={{ fontSize: 14 }}>{d.address}</div>
                <Space size={4} wrap>
                  <Tag color={REASON_COLOR[d.reason]}>{t(`reason_${d.reason}`)}</Tag>
                  {d.lastVisitedAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('lastVisit', { at: fmtTime(d.lastVisitedAt) })}</Typography.Text>}
                </Space>
              </div>
              <Button type="primary" onClick={() => onVisit(d.addressCode, d.address)} data-testid={`visit-${d.addressCode}`} style={{ minHeight: 44 }}>
                {t('visit')}
              </Button>
              <Button type="link" onClick={() => setSkipping(d.addressCode)} style={{ minHeight: 44, padding: '0 4px' }}>
                {t('skip')}
              </Button>
            </div>
          ))}
        </div>
      </Card>
      {g.skipped.length > 0 && (
        <Card size="small" title={t('skipped')}>
          {g.skipped.map((s) => (
            <div key={s.addressCode}>
              {s.address} · <Tag>{SKIP_LABELS[s.reason][lang]}</Tag>
              {s.note}
            </div>
          ))}
        </Card>
      )}
      <Card size="small" title={t('openDisputes')}>
        <Counted items={g.openDisputes} />
      </Card>
      <Card size="small" title={t('repeatIncidents')}>
        <Counted items={g.repeatIncidents} />
      </Card>
      <Card size="small" title={t('longestUnvisited')}>
        {g.longestUnvisited.map((d) => (
          <div key={d.addressCode} style={{ display: 'flex', justifyContent: 'space-between', gap: 8, padding: '4px 0' }}>
            <a onClick={() => onVisit(d.addressCode, d.address)}>{d.address}</a>
            <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
              {d.lastVisitedAt ? fmtTime(d.lastVisitedAt).slice(0, 10) : t('never')}
            </Typography.Text>
          </div>
        ))}
      </Card>
      {skipping && <SkipModal code={skipping} onClose={() => setSkipping(null)} />}
    </Space>
  );
}

function Counted({ items }: { items: { addressCode: string; address: string; count: number }[] }) {
  const { t } = useTranslation('community');
  if (!items.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <>
      {items.map((x) => (
        <div key={x.addressCode} style={{ display: 'flex', justifyContent: 'space-between', gap: 8, padding: '4px 0' }}>
          <span>{x.address}</span>
          <Tag>{t('countTimes', { count: x.count })}</Tag>
        </div>
      ))}
    </>
  );
}

function SkipModal({ code, onClose }: { code: string; onClose: () => void }) {
  const { t } = useTranslation('community');
  const { lang } = useLang();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [reason, setReason] = useState<(typeof SKIP_REASONS)[number] | undefined>();
  const [note, setNote] = useState('');
  const ok = async () => {
    try {
      await api('/api/v1/me/visit-plan/skips', { body: { addressCode: code, reason, ...(note.trim() ? { note: note.trim() } : {}) }, idempotent: true });
      await qc.invalidateQueries({ queryKey: ['community'] });
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Modal open title={t('skipTitle')} onOk={ok} okButtonProps={{ disabled: !reason || (reason === 'other' && !note.trim()) }} onCancel={onClose} width={360}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select placeholder={t('skipReason')} value={reason} onChange={setReason} style={{ width: '100%' }} options={SKIP_REASONS.map((r) => ({ value: r, label: SKIP_LABELS[r][lang] }))} />
        <Input placeholder={t('skipNote')} value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} />
      </Space>
    </Modal>
  );
}
