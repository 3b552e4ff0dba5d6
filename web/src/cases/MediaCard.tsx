/**
 * 执法音视频 on the case page: the case's recordings (its own and its incidents') with officer, time,
 * size, hash prefix and how each was linked, a player streaming by HTTP range from the server, the
 * manual link of a recording (optionally to a step), and the steps that must be filmed — each filmed,
 * justified or missing, with the reason form for a missing one; the inspection (视频巡查) of a recording
 * by a supervisor (MediaInspect.tsx). API types are declared here (the
 * contract is regenerated later).
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, Empty, Form, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { PlayCircleOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type User } from '../api';
import { useLabel } from '../i18n';
import { fmtTime, showFormError } from '../format';
import { hasPermission, useCaseWrite } from './model';
import { InspectForm, useInspectionCounts } from './MediaInspect';

interface MediaLink {
  kind: 'incident' | 'case';
  id: string;
  how: 'auto' | 'manual';
  assignmentId: string | null;
  eventId: string | null;
}

export interface MediaItem {
  id: string;
  status: 'uploading' | 'stored' | 'refused' | 'purged';
  size: number;
  contentType: string;
  sha256: string | null;
  officerName: string;
  recordedFrom: string;
  recordedTo: string;
  hold: boolean;
  links: MediaLink[];
}

type StepType = 'summons' | 'detention' | 'arrest' | 'seizure';

interface CaseMedia {
  recordings: MediaItem[];
  steps: { id: string; type: StepType; at: string; subject: string | null; mediaIds: string[]; exemption: { reason: string; comment: string; recordedBy: string; recordedAt: string } | null }[];
  reasons: { code: string; label: string }[];
}

function size(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

/** How a recording came to this case: auto (assignment window) or by hand, to the case or its incident. */
function LinkTag({ item, caseId }: { item: MediaItem; caseId: string }) {
  const { t } = useTranslation('cases');
  const link = item.links.find((l) => l.kind === 'case' && l.id === caseId) ?? item.links[0];
  if (!link) return null;
  return (
    <Tag color={link.how === 'auto' ? 'blue' : 'default'} data-testid={`media-how-${item.id}`} data-how={link.how}>
      {t(link.how === 'auto' ? 'mediaHow_auto' : 'mediaHow_manual')} · {t(link.kind === 'case' ? 'mediaViaCase' : 'mediaViaIncident')}
    </Tag>
  );
}

function LinkForm({ caseId, data }: { caseId: string; data: CaseMedia }) {
  const { t } = useTranslation('cases');
  const label = useLabel('cases');
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ mediaId: string; eventId?: string }>();
  const write = useCaseWrite();
  const mine = useQuery({ queryKey: ['cases', caseId, 'media', 'pick'], queryFn: () => api<{ items: MediaItem[] }>('/api/v1/media', { query: { limit: 100 } }) });
  const linked = new Set(data.recordings.map((r) => r.id));
  const options = (mine.data?.items ?? []).filter((m) => m.status === 'stored' && !linked.has(m.id)).map((m) => ({ value: m.id, label: `${m.officerName} · ${fmtTime(m.recordedFrom).slice(0, 16)} · ${size(m.size)}` }));
  const submit = async (v: { mediaId: string; eventId?: string }) => {
    try {
      await write.run(`/api/v1/cases/${encodeURIComponent(caseId)}/media`, { mediaId: v.mediaId, ...(v.eventId ? { eventId: v.eventId } : {}) });
      message.success(t('mediaLinked'));
      form.resetFields();
    } catch (e) {
      showFormError(form, e, ['mediaId', 'eventId'], (m) => message.error(m));
    }
  };
  return (
    <Form form={form} layout="inline" onFinish={(v) => void submit(v)} data-testid="media-link-form" style={{ rowGap: 8 }}>
      <Form.Item name="mediaId" rules={[{ required: true, message: t('mediaRequired') }]}>
        <Select style={{ width: 300 }} placeholder={t('mediaLinkPick')} options={options} aria-label={t('mediaLinkPick')} data-testid="media-link-pick" />
      </Form.Item>
      <Form.Item name="eventId">
        <Select allowClear style={{ width: 240 }} placeholder={t('mediaLinkStep')} aria-label={t('mediaLinkStep')} options={data.steps.map((s) => ({ value: s.id, label: `${label('ev_', s.type)} · ${fmtTime(s.at).slice(0, 16)}` }))} />
      </Form.Item>
      <Button htmlType="submit" loading={write.busy} data-testid="media-link-submit">
        {t('mediaLinkSubmit')}
      </Button>
    </Form>
  );
}

function ReasonForm({ caseId, stepId, reasons, onDone }: { caseId: string; stepId: string; reasons: CaseMedia['reasons']; onDone: () => void }) {
  const { t } = useTranslation('cases');
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reason: string; comment: string }>();
  const write = useCaseWrite();
  const submit = async (v: { reason: string; comment: string }) => {
    try {
      await write.run('/api/v1/media/exemptions', { stepKind: 'case_event', stepId, caseId, reason: v.reason, comment: v.comment.trim() });
      message.success(t('mediaReasonSaved'));
      onDone();
    } catch (e) {
      showFormError(form, e, ['reason', 'comment'], (m) => message.error(m));
    }
  };
  const required = [{ required: true, message: t('mediaRequired') }];
  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid={`media-reason-form-${stepId}`} style={{ marginTop: 8 }}>
      <Form.Item name="reason" label={t('mediaReason')} rules={required}>
        <Select options={reasons.map((r) => ({ value: r.code, label: r.label }))} aria-label={t('mediaReason')} data-testid="media-reason" />
      </Form.Item>
      <Form.Item name="comment" label={t('mediaComment')} rules={[...required, { min: 2 }, { max: 1000 }]}>
        <Input.TextArea rows={2} aria-label={t('mediaComment')} data-testid="media-comment" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={write.busy} data-testid="media-reason-submit">
        {t('mediaReasonSubmit')}
      </Button>
    </Form>
  );
}

export default function MediaCard({ caseId, user }: { caseId: string; user: User }) {
  const { t } = useTranslation('cases');
  const label = useLabel('cases');
  const [playing, setPlaying] = useState<string | null>(null);
  const [justifying, setJustifying] = useState<string | null>(null);
  const [inspecting, setInspecting] = useState<string | null>(null);
  const canInspect = hasPermission(user, 'media.inspect');
  const inspections = useInspectionCounts(caseId, canInspect);
  const q = useQuery({ queryKey: ['cases', caseId, 'media'], queryFn: () => api<CaseMedia>(`/api/v1/cases/${encodeURIComponent(caseId)}/media`), enabled: hasPermission(user, 'media.read') });
  if (!hasPermission(user, 'media.read')) return null;
  const data = q.data;
  return (
    <Card size="small" title={t('mediaTitle')} loading={q.isLoading} data-testid="case-media">
      {data && (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          {data.recordings.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('mediaEmpty')} />
          ) : (
            <Table<MediaItem>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={data.recordings}
              data-testid="media-table"
              columns={[
                { title: t('mediaOfficer'), dataIndex: 'officerName' },
                { title: t('mediaTime'), render: (_, m) => `${fmtTime(m.recordedFrom).slice(0, 16)} – ${fmtTime(m.recordedTo).slice(11, 19)}` },
                { title: t('mediaSize'), render: (_, m) => size(m.size) },
                { title: t('mediaHash'), render: (_, m) => <Typography.Text className="sw-mono" copyable={m.sha256 ? { text: m.sha256 } : false}>{m.sha256?.slice(0, 12) ?? '—'}</Typography.Text> },
                { title: t('mediaLinkedHow'), render: (_, m) => <><LinkTag item={m} caseId={caseId} />{m.hold && <Tag color="gold">{t('mediaHeld')}</Tag>}</> },
                {
                  title: '',
                  render: (_, m) =>
                    m.status === 'stored' && (
                      <Space size={4}>
                        <Button size="small" icon={<PlayCircleOutlined />} onClick={() => setPlaying(playing === m.id ? null : m.id)} data-testid={`media-play-${m.id}`}>
                          {playing === m.id ? t('mediaClose') : t('mediaPlay')}
                        </Button>
                        {canInspect && (
                          <Button size="small" onClick={() => setInspecting(inspecting === m.id ? null : m.id)} data-testid={`media-inspect-${m.id}`}>
                            {t('mediaInspect')}
                            {inspections.get(m.id) ? ` (${inspections.get(m.id)})` : ''}
                          </Button>
                        )}
                      </Space>
                    ),
                },
              ]}
            />
          )}
          {inspecting && <InspectForm key={inspecting} caseId={caseId} mediaId={inspecting} onDone={() => setInspecting(null)} />}
          {playing && (
            // The browser asks the server for byte ranges as it plays and seeks (each one audited).
            <video key={playing} src={`/api/v1/media/${encodeURIComponent(playing)}`} controls autoPlay preload="metadata" style={{ width: '100%', maxHeight: 360, background: '#000' }} data-testid="media-player" />
          )}
          {hasPermission(user, 'media.link') && <LinkForm caseId={caseId} data={data} />}
          <Typography.Text strong>{t('mediaStepsTitle')}</Typography.Text>
          {data.steps.length === 0 ? (
            <Typography.Text type="secondary">{t('mediaStepsNone')}</Typography.Text>
          ) : (
            <List
              size="small"
              dataSource={data.steps}
              data-testid="media-steps"
              renderItem={(s) => (
                <List.Item data-testid={`media-step-${s.id}`} data-state={s.mediaIds.length ? 'filmed' : s.exemption ? 'justified' : 'missing'}>
                  <div style={{ width: '100%' }}>
                    <Space wrap>
                      <span>{label('ev_', s.type)}</span>
                      <span className="sw-mono">{fmtTime(s.at).slice(0, 16)}</span>
                      {s.subject && <span>{s.subject}</span>}
                      {s.mediaIds.length > 0 ? (
                        <Tag color="green">{t('mediaStepFilmed', { n: s.mediaIds.length })}</Tag>
                      ) : s.exemption ? (
                        <Tag color="gold" title={s.exemption.comment}>
                          {t('mediaStepJustified')}: {data.reasons.find((r) => r.code === s.exemption!.reason)?.label ?? s.exemption.reason}
                        </Tag>
                      ) : (
                        <Tag color="red">{t('mediaStepMissing')}</Tag>
                      )}
                      {!s.mediaIds.length && !s.exemption && hasPermission(user, 'media.justify') && justifying !== s.id && (
                        <Button size="small" onClick={() => setJustifying(s.id)} data-testid={`media-give-reason-${s.id}`}>
                          {t('mediaGiveReason')}
                        </Button>
                      )}
                    </Space>
                    {s.exemption && <div style={{ color: '#666', fontSize: 12 }}>{s.exemption.comment}</div>}
                    {justifying === s.id && <ReasonForm caseId={caseId} stepId={s.id} reasons={data.reasons} onDone={() => setJustifying(null)} />}
                  </div>
                </List.Item>
              )}
            />
          )}
        </Space>
      )}
    </Card>
  );
}
