/**
 * 快处快赔 for the officer (1920×1080, a tab of 群众网上报事): the queue of my jurisdiction (awaiting
 * determination first), one accident with both drivers' plates, insurers, statements and photos; determine
 * liability remotely with the reason and an optional video-call link; the agreement text and .docx; record the
 * insurer's reference once both drivers confirmed. Every read of the drivers' data is audited on the server.
 */
import { useState } from 'react';
import { App as AntApp, Alert, Button, Card, Descriptions, Empty, Image, Input, Radio, Segmented, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { ApiAnswer } from '../contract';
import { useLang } from '../i18n';

type Item = ApiAnswer<'/api/v1/citizen-accidents', 'get'>['items'][number];
type Detail = ApiAnswer<'/api/v1/citizen-accidents/{id}', 'get'>;
const OPEN = ['submitted', 'liability_determined', 'agreed', 'drafted', 'joined'];
const COLOR: Record<string, string> = { drafted: 'default', joined: 'blue', submitted: 'red', liability_determined: 'orange', agreed: 'gold', closed: 'green', rejected: 'default', withdrawn: 'default', escalated_to_110: 'magenta' };
const LIABILITIES = ['a_full', 'b_full', 'equal', 'a_main', 'b_main'] as const;
const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

export default function AccidentsPanel() {
  const { t } = useTranslation('citizen');
  const [filter, setFilter] = useState<'open' | 'all'>('open');
  const [picked, setPicked] = useState<string | null>(null);
  const queue = useQuery({
    queryKey: ['citizen-accidents', filter],
    queryFn: () => api<{ items: Item[]; total: number }>('/api/v1/citizen-accidents', { query: filter === 'open' ? { status: OPEN, limit: 200 } : { limit: 200 } }),
    refetchInterval: 15_000,
  });
  const tag = (s: string) => <Tag color={COLOR[s]}>{t(`acc_status_${s}` as 'acc_status_drafted')}</Tag>;
  const columns = [
    { title: t('number'), key: 'id', width: 80, render: (r: Item) => <span data-testid={`accident-queue-${r.id}`}>#{r.id}</span> },
    { title: t('acc_plates'), key: 'p', width: 200, render: (r: Item) => r.parties.map((p) => p.plate).join(' / ') },
    { title: t('acc_place'), dataIndex: 'placeText', key: 'pl', ellipsis: true },
    { title: t('unit'), dataIndex: 'unitName', key: 'u', width: 150 },
    { title: t('acc_time'), key: 'at', width: 120, render: (r: Item) => when(r.occurredAt) },
    { title: t('status'), key: 's', width: 140, render: (r: Item) => tag(r.status) },
  ];
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(460px, 2fr)', gap: 16 }}>
      <Card title={t('acc_title')} extra={<Segmented value={filter} onChange={(v) => setFilter(v as 'open' | 'all')} options={[{ label: t('open'), value: 'open' }, { label: t('all'), value: 'all' }]} />}>
        <Typography.Paragraph type="secondary">{t('acc_subtitle')}</Typography.Paragraph>
        <Table
          size="small"
          rowKey="id"
          loading={queue.isLoading}
          dataSource={queue.data?.items ?? []}
          columns={columns}
          pagination={{ pageSize: 20 }}
          onRow={(r) => ({ onClick: () => setPicked(r.id), style: { cursor: 'pointer', background: r.id === picked ? '#e6f4ff' : undefined } })}
        />
      </Card>
      {picked ? <AccidentDetail id={picked} key={picked} tag={tag} /> : <Card><Empty description={t('acc_pick')} /></Card>}
    </div>
  );
}

function AccidentDetail({ id, tag }: { id: string; tag: (s: string) => React.ReactNode }) {
  const { t } = useTranslation('citizen');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const detail = useQuery({ queryKey: ['citizen-accident', id], queryFn: () => api<Detail>(`/api/v1/citizen-accidents/${id}`), refetchInterval: 8_000 });
  const [liability, setLiability] = useState<(typeof LIABILITIES)[number] | null>(null);
  const [reason, setReason] = useState('');
  const [video, setVideo] = useState('');
  const [ref, setRef] = useState('');
  const act = useMutation({
    mutationFn: ({ path, body }: { path: string; body: unknown }) => api<Detail>(`/api/v1/citizen-accidents/${id}/${path}`, { method: 'POST', body, idempotent: true }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['citizen-accidents'] });
      void qc.invalidateQueries({ queryKey: ['citizen-accident', id] });
      message.success(t('done'));
    },
    onError: (e) => message.error((e as Error).message),
  });
  const a = detail.data;
  if (!a) return <Card loading />;
  return (
    <Card title={<span data-testid="accident-staff-detail">#{a.id} {t('acc_title')} {tag(a.status)}</span>}>
      {a.call110 && <Alert type="error" showIcon message={a.call110[lang === 'en' ? 'en' : 'zh']} style={{ marginBottom: 12 }} />}
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('acc_time')}>{when(a.occurredAt)}</Descriptions.Item>
        <Descriptions.Item label={t('unit')}>{a.unitName}</Descriptions.Item>
        <Descriptions.Item label={t('acc_place')} span={2}>{a.placeText}</Descriptions.Item>
      </Descriptions>
      {a.parties.map((p) => (
        <Card key={p.role} size="small" style={{ marginTop: 12 }} title={`${t(p.role === 'a' ? 'acc_partyA' : 'acc_partyB')} · ${p.plate} · ${p.insurer}`} extra={<span>{p.phone}{p.confirmed && <Tag color="green" style={{ marginLeft: 8 }}>{t('acc_confirmed')}</Tag>}</span>} data-testid={`accident-staff-party-${p.role}`}>
          <Typography.Paragraph style={{ marginBottom: 8 }}>{p.statement}</Typography.Paragraph>
          <Image.PreviewGroup>
            <Space wrap>
              {p.photos.map((ph) => (
                <Image key={ph} width={96} height={72} style={{ objectFit: 'cover' }} src={`/api/v1/citizen-accidents/${a.id}/photos/${ph}?thumb=true`} preview={{ src: `/api/v1/citizen-accidents/${a.id}/photos/${ph}` }} alt={t('acc_photo')} />
              ))}
            </Space>
          </Image.PreviewGroup>
        </Card>
      ))}
      {a.status === 'submitted' && (
        <Card size="small" style={{ marginTop: 12 }} title={t('acc_determine')}>
          <Radio.Group value={liability} onChange={(e) => setLiability(e.target.value as (typeof LIABILITIES)[number])} data-testid="accident-liability">
            <Space direction="vertical">
              {LIABILITIES.map((l) => (
                <Radio key={l} value={l} data-testid={`liability-${l}`}>
                  {t(`acc_liability_${l}` as 'acc_liability_equal')}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
          <Input.TextArea rows={2} style={{ marginTop: 8 }} placeholder={t('acc_reason')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="accident-reason" />
          <Input style={{ marginTop: 8 }} placeholder={t('acc_video')} value={video} onChange={(e) => setVideo(e.target.value)} />
          <Space style={{ marginTop: 8 }}>
            <Button type="primary" disabled={!liability || !reason.trim()} loading={act.isPending} onClick={() => act.mutate({ path: 'determine', body: { liability, reason: reason.trim(), videoLink: video.trim() || undefined } })} data-testid="accident-determine">
              {t('acc_determine')}
            </Button>
            <Button danger disabled={!reason.trim()} onClick={() => act.mutate({ path: 'reject', body: { reason: reason.trim() } })}>
              {t('acc_reject')}
            </Button>
          </Space>
        </Card>
      )}
      {a.liabilityText && (
        <Alert style={{ marginTop: 12 }} type="info" message={`${t('acc_liability')}：${a.liabilityText[lang === 'en' ? 'en' : 'zh']}`} description={a.liabilityReason} />
      )}
      {a.agreement && (
        <Card size="small" style={{ marginTop: 12 }} title={t('acc_agreement')} extra={<a href={`/api/v1/citizen-accidents/${a.id}/agreement.docx`}>{t('acc_docx')}</a>}>
          <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', margin: 0 }} data-testid="accident-staff-agreement">{a.agreement}</pre>
        </Card>
      )}
      {a.status === 'agreed' && (
        <Space.Compact style={{ marginTop: 12, width: '100%' }}>
          <Input placeholder={t('acc_insurerRef')} value={ref} onChange={(e) => setRef(e.target.value)} data-testid="accident-insurer-ref" />
          <Button type="primary" disabled={!ref.trim()} loading={act.isPending} onClick={() => act.mutate({ path: 'close', body: { insurerRef: ref.trim() } })} data-testid="accident-close">
            {t('acc_close')}
          </Button>
        </Space.Compact>
      )}
      {a.insurerRef && <Typography.Paragraph style={{ marginTop: 12 }}>{t('acc_insurerRef')}：{a.insurerRef}</Typography.Paragraph>}
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('history')}</Typography.Title>
      <Timeline items={(a.history ?? []).map((h) => ({ children: <span>{tag(h.status)} {when(h.at)} <span className="sw-muted">{h.by}</span>{h.note && <div className="sw-muted">{h.note}</div>}</span> }))} />
    </Card>
  );
}
