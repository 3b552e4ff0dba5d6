/**
 * 警情详情 — one incident: header, caller and place, map, description, jurisdiction, the full
 * timeline, the times with their intervals (PRODUCT.md "Measures"), transfers, callback, merged
 * duplicates, and the actions the user's roles allow (the server decides; its 409/403 message is shown).
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import PageLoadState from '../components/PageLoadState';
import { api, ApiError, type User } from '../api';
import { fmtTime, showFormError } from '../format';
import MapView from '../components/MapView';
import {
  allowedActions,
  fmtDuration,
  seconds,
  useDispositions,
  type Incident,
  type IncidentDetail,
  type IncidentEvent,
  type Rule,
} from '../incidents/model';
import { useLabel, useLang } from '../i18n';
import { PriorityTag, StatusTag } from '../incidents/tags';
import { IncidentDisputesCard, RegisterDisputeButton } from '../incidents/IncidentDisputes';
import { IncidentCasesCard, OpenCaseButton } from '../incidents/IncidentCases';
import { AssignmentsCard, useIncidentAssignments } from '../incidents/IncidentAssignments';
import { IncidentTimeline } from '../incidents/IncidentTimeline';
import { usePriorityReasonText, type PriorityReason } from '../incidents/priorityReasons';
import { CategoryPath } from '../incidents/CategoryPath';

const TARGETS = ['12345', '119', '120', '122'];
// J + station code (letters, digits, _ and -, as org codes) + local day YYYYMMDD + 4-digit sequence.
const NUMBER_RE = /^[Jj]([A-Za-z0-9_-]+)(\d{8})(\d{4})$/;

interface ActionForm {
  reason?: string;
  dispositionCode?: string;
  dispositionNote?: string;
  target?: string;
  master?: string;
}

export default function IncidentDetailPage({ user }: { user: User }) {
  const { id = '' } = useParams();
  const { t } = useTranslation('incidents');
  const { lang } = useLang();
  const label = useLabel('incidents');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const dispositions = useDispositions();
  const [act, setAct] = useState<Rule | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [form] = Form.useForm<ActionForm>();

  const q = useQuery({
    queryKey: ['incidents', 'detail', id],
    queryFn: () => api<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`),
    enabled: !!id,
  });
  const assignmentsQ = useIncidentAssignments(id, user.permissions);
  const { one: priorityReason } = usePriorityReasonText();

  if (q.isLoading || q.error || !q.data) {
    return <PageLoadState query={q} notFoundTitle={t('notFound')} failedTitle={(msg) => t('loadFailed', { msg })} backLabel={t('listTitle')} onBack={() => navigate('/incidents')} />;
  }
  const d = q.data;
  const actions = allowedActions(d.status, user.roles);
  const disp = new Map((dispositions.data ?? []).map((x) => [x.code, x]));
  const dispLabel = (code: string | null) => {
    if (!code) return '—';
    const x = disp.get(code);
    return x ? `${code} ${lang === 'en' ? x.nameEn : x.name}` : code;
  };

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['incidents'] });
  };

  const run = async (rule: Rule, v: ActionForm) => {
    setBusy(true);
    setActionError(null);
    try {
      const base = `/api/v1/incidents/${encodeURIComponent(d.id)}`;
      if (rule.action === 'transfer') {
        await api(`${base}/transfers`, { method: 'POST', body: { target: v.target, reason: v.reason } });
      } else if (rule.action === 'merge') {
        const masterId = await resolveIncident(v.master!.trim());
        if (!masterId) {
          form.setFields([{ name: 'master', errors: [t('mergeNotFound', { q: v.master! })] }]);
          return;
        }
        await api(`${base}/merge`, { method: 'POST', body: { masterId } });
      } else if (rule.action === 'unmerge') {
        await api(`${base}/unmerge`, { method: 'POST', body: { reason: v.reason } });
      } else {
        await api(`${base}/transitions`, {
          method: 'POST',
          body: { to: rule.to, reason: v.reason || undefined, dispositionCode: v.dispositionCode || undefined, dispositionNote: v.dispositionNote || undefined },
        });
      }
      message.success(t('actionDone', { action: label('ac_', rule.action) }));
      setAct(null);
      form.resetFields();
      await refresh();
    } catch (e) {
      if (act) {
        const msg = showFormError(form, e, ['reason', 'dispositionCode', 'dispositionNote', 'target', 'masterId'], () => {});
        if (e instanceof ApiError && e.field === 'masterId') form.setFields([{ name: 'master', errors: [msg] }]);
        else if (!(e instanceof ApiError && e.field && ['reason', 'dispositionCode', 'dispositionNote', 'target'].includes(e.field))) setActionError(msg);
      } else {
        setActionError(e instanceof Error ? e.message : String(e));
        message.error(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  /** A number (J…) or an id → the incident's id. */
  const resolveIncident = async (s: string): Promise<string | null> => {
    const m = NUMBER_RE.exec(s);
    if (!m) return s;
    const day = dayjs(m[2], 'YYYYMMDD');
    const r = await api<{ items: Incident[] }>('/api/v1/incidents', {
      query: { from: day.subtract(1, 'day').toISOString(), to: day.add(2, 'day').toISOString(), limit: 500 },
    });
    return r.items.find((x) => x.number === s || x.number === s.toUpperCase())?.id ?? null;
  };

  const start = (rule: Rule) => {
    setActionError(null);
    const needsForm = rule.needs || rule.action === 'transfer' || rule.action === 'merge';
    if (!needsForm) {
      void run(rule, {});
      return;
    }
    form.resetFields();
    setAct(rule);
  };

  const tm = d.times;
  const intake = seconds(tm.answeredAt, tm.recordedAt);
  const dispatch = seconds(tm.recordedAt, tm.dispatchedAt);
  const travel = seconds(tm.dispatchedAt, tm.onSceneAt);
  const response = intake !== null && dispatch !== null && travel !== null ? intake + dispatch + travel : null;
  const timeRows = [
    ['tCallStarted', tm.callStartedAt],
    ['tAnswered', tm.answeredAt],
    ['tRecorded', tm.recordedAt],
    ['tDispatched', tm.dispatchedAt],
    ['tEnRoute', tm.enRouteAt],
    ['tOnScene', tm.onSceneAt],
    ['tCleared', tm.clearedAt],
    ['tClosed', tm.closedAt],
  ] as const;
  const intervalRows = [
    ['iAnswer', 'iAnswerDef', seconds(tm.callStartedAt, tm.answeredAt)],
    ['iIntake', 'iIntakeDef', intake],
    ['iDispatch', 'iDispatchDef', dispatch],
    ['iTravel', 'iTravelDef', travel],
    ['iResponse', 'iResponseDef', response],
  ] as const;

  const eventText = (e: IncidentEvent) => {
    const det = e.detail ?? {};
    const parts: string[] = [];
    if (e.type === 'created') {
      if (det.priority) parts.push(`${t('priority')} ${String(det.priority)}${det.suggested && det.suggested !== det.priority ? ` (${t('suggested', { p: String(det.suggested) })})` : ''}`);
      // The reasons from their codes in the reader's language; the Chinese text only for events stored without codes.
      if (Array.isArray(det.reasonCodes) && det.reasonCodes.length) parts.push((det.reasonCodes as PriorityReason[]).map(priorityReason).join(lang === 'en' ? '; ' : '；'));
      else if (Array.isArray(det.reasons) && det.reasons.length) parts.push((det.reasons as string[]).join('；'));
      if (det.source) parts.push(label('src_', String(det.source)));
    }
    if (det.dispositionCode) parts.push(`${t('disposition')}: ${dispLabel(String(det.dispositionCode))}`);
    if (det.reason) parts.push(`${t('reason')}: ${String(det.reason)}`);
    if (det.masterNumber) parts.push(`→ ${String(det.masterNumber)}`);
    if (det.duplicateNumber) parts.push(`← ${String(det.duplicateNumber)}`);
    if (det.target) parts.push(`${t('transferTarget')} ${String(det.target)}`);
    if (det.answer) parts.push(String(det.answer));
    if (det.outcome) parts.push(label('cb_', String(det.outcome)));
    return parts.join(' · ');
  };

  return (
    <div data-testid="page-incident">
      <Card size="small" style={{ marginBottom: 12 }}>
        <div className="sw-incident-head">
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label="back" />
          <Typography.Title level={4} style={{ margin: 0 }} className="sw-mono" data-testid="incident-number">
            {d.number}
          </Typography.Title>
          <PriorityTag p={d.priority} long />
          <span data-testid="incident-status">
            <StatusTag s={d.status} />
          </span>
          <Typography.Text strong data-testid="incident-category">
            <CategoryPath code={d.categoryCode} fallback={d.categoryPath} />
          </Typography.Text>
          <Tag>{label('src_', d.source)}</Tag>
          <div style={{ flex: 1 }} />
          <Space wrap data-testid="incident-actions">
            {actions.map((r) => (
              <Button key={`${r.action}-${r.to}`} onClick={() => start(r)} danger={r.action === 'cancel'} type={r.action === 'dispatch' || r.action === 'close' ? 'primary' : 'default'} data-testid={`action-${r.action}`}>
                {label('ac_', r.action)}
              </Button>
            ))}
            <RegisterDisputeButton incident={d} permissions={user.permissions} />
            <OpenCaseButton incident={d} permissions={user.permissions} />
          </Space>
        </div>
        {actionError && <Alert type="error" showIcon closable style={{ marginTop: 8 }} title={actionError} onClose={() => setActionError(null)} data-testid="action-error" />}
      </Card>

      <Row gutter={12}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t('detailTitle')} style={{ marginBottom: 12 }}>
            <Descriptions column={1} size="small" bordered data-testid="incident-facts" styles={{ label: { width: 120 } }}>
              <Descriptions.Item label={t('caller')}>
                {[d.caller.name, d.caller.phone].filter(Boolean).join(' · ') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('address')}>
                {d.address ?? '—'} {d.addressCode && <span className="sw-muted sw-mono">({d.addressCode})</span>}
              </Descriptions.Item>
              <Descriptions.Item label={t('location')}>{d.location ? `${d.location.lon.toFixed(6)}, ${d.location.lat.toFixed(6)}` : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('jurisdiction')}>
                {d.stationName ?? d.stationId} <span className="sw-muted sw-mono">{d.gridId ?? ''}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('description')}>
                <span data-testid="incident-description" style={{ whiteSpace: 'pre-wrap' }}>
                  {d.description}
                </span>
              </Descriptions.Item>
              {d.priorityReason && <Descriptions.Item label={t('priorityOverride')}>{d.priorityReason}</Descriptions.Item>}
              <Descriptions.Item label={t('createdBy')}>{d.createdBy ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('disposition')}>
                {dispLabel(d.dispositionCode)}
                {d.dispositionNote ? ` · ${d.dispositionNote}` : ''}
              </Descriptions.Item>
              {d.masterId && (
                <Descriptions.Item label={t('masterIncident')}>
                  <Link to={`/incidents/${d.masterId}`} className="sw-mono">
                    {d.masterId}
                  </Link>
                </Descriptions.Item>
              )}
            </Descriptions>
          </Card>
          <IncidentDisputesCard incident={d} permissions={user.permissions} />
          <IncidentCasesCard incident={d} permissions={user.permissions} />
          <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 0 } }}>
            {d.location ? (
              <MapView height={300} testId="incident-map" points={[{ ...d.location, color: '#cf1322', size: 8 }]} focus={d.location} />
            ) : (
              <Empty description="—" />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <AssignmentsCard query={assignmentsQ} />
          <IncidentTimeline events={d.events} assignments={assignmentsQ.data ?? []} eventText={eventText} />
        </Col>
        <Col xs={24} xl={7}>
          <Card size="small" title={t('timesTitle')} style={{ marginBottom: 12 }} data-testid="incident-times">
            <Table
              size="small"
              pagination={false}
              rowKey="k"
              showHeader={false}
              dataSource={timeRows.map(([k, v]) => ({ k, v }))}
              columns={[
                { dataIndex: 'k', width: 110, render: (k: (typeof timeRows)[number][0]) => t(k) },
                { dataIndex: 'v', render: (v: string | null) => <span className="sw-mono">{fmtTime(v)}</span> },
              ]}
            />
            <div className="sw-hist-title" style={{ marginTop: 10 }}>
              {t('intervals')}
            </div>
            <Table
              size="small"
              pagination={false}
              rowKey="k"
              showHeader={false}
              dataSource={intervalRows.map(([k, def, v]) => ({ k, def, v }))}
              data-testid="incident-intervals"
              columns={[
                { dataIndex: 'k', width: 110, render: (k: (typeof intervalRows)[number][0]) => <b>{t(k)}</b> },
                { dataIndex: 'def', render: (k: (typeof intervalRows)[number][1]) => <span className="sw-muted">{t(k)}</span> },
                // No telephony call start: the answer time is unknown, not 0 s (issue 11 #7).
                { dataIndex: 'v', width: 90, align: 'right' as const, render: (v: number | null, r: { k: string }) => <span className="sw-mono">{v === null && r.k === 'iAnswer' && tm.answeredAt ? t('iUnknown') : fmtDuration(v, lang)}</span> },
              ]}
            />
          </Card>
          <Card size="small" title={t('transfers')} style={{ marginBottom: 12 }} data-testid="incident-transfers">
            {d.transfers.length ? (
              d.transfers.map((x) => (
                <div key={x.id} className="sw-incident-line">
                  <div className="sw-incident-line-head">
                    <b>{label('tg_', x.target)}</b>
                    <Tag color={x.status === 'answered' ? 'green' : x.overdue ? 'red' : 'orange'}>
                      {x.status === 'answered' ? t('transferAnswered') : x.overdue ? t('transferOverdue') : t('transferSent')}
                    </Tag>
                    <span className="sw-muted">{fmtTime(x.sentAt)}</span>
                  </div>
                  <div>
                    {t('transferReason')}: {x.reason}
                  </div>
                  <div className="sw-muted">
                    {t('transferDue')}: {fmtTime(x.dueAt)}
                    {x.answer ? ` · ${t('transferAnswer')}: ${x.answer}` : ''}
                  </div>
                </div>
              ))
            ) : (
              <span className="sw-muted">{t('noTransfers')}</span>
            )}
          </Card>
          <Card size="small" title={t('callback')} style={{ marginBottom: 12 }} data-testid="incident-callback">
            {d.callback ? (
              <div>
                <Tag color={d.callback.status === 'done' ? 'green' : 'orange'}>{d.callback.status === 'done' ? t('callbackDone') : t('callbackPending')}</Tag>
                {d.callback.outcome && <b>{label('cb_', d.callback.outcome)}</b>}
                {d.callback.reason && <span> · {d.callback.reason}</span>}
                <div className="sw-muted">
                  {fmtTime(d.callback.doneAt ?? d.callback.createdAt)} {d.callback.doneBy ?? ''}
                </div>
              </div>
            ) : (
              <span className="sw-muted">{t('noCallback')}</span>
            )}
          </Card>
          <Card size="small" title={t('mergedIncidents')} data-testid="incident-merged">
            {d.mergedIncidents.length ? (
              <Space wrap>
                {d.mergedIncidents.map((m) => (
                  <Link key={m.id} to={`/incidents/${m.id}`} className="sw-mono">
                    {m.number}
                  </Link>
                ))}
              </Space>
            ) : (
              <span className="sw-muted">{t('noMerged')}</span>
            )}
          </Card>
        </Col>
      </Row>

      <Modal
        open={!!act}
        title={act ? `${label('ac_', act.action)} · ${d.number}` : ''}
        onCancel={() => {
          setAct(null);
          setActionError(null);
        }}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText={t('confirm')}
        cancelText={t('cancel')}
        destroyOnHidden
        data-testid="action-modal"
      >
        {act && (
          <Form form={form} layout="vertical" onFinish={(v) => void run(act, v)} preserve={false}>
            {act.action === 'transfer' && (
              <Form.Item name="target" label={t('transferTo')} rules={[{ required: true, message: t('required') }]}>
                <Select options={TARGETS.map((x) => ({ value: x, label: label('tg_', x) }))} data-testid="action-target" />
              </Form.Item>
            )}
            {act.action === 'merge' && (
              <Form.Item name="master" label={t('mergeTarget')} extra={t('mergeTargetHint')} rules={[{ required: true, message: t('mergeTargetRequired') }]}>
                <Input className="sw-mono" data-testid="action-master" />
              </Form.Item>
            )}
            {act.needs === 'disposition' && (
              <>
                <Form.Item name="dispositionCode" label={t('disposition')} rules={[{ required: true, message: t('dispositionRequired') }]}>
                  <Select
                    data-testid="action-disposition"
                    options={(dispositions.data ?? [])
                      .filter((x) => x.code !== 'D08' && (!act.dispositions || act.dispositions.includes(x.code)))
                      .map((x) => ({ value: x.code, label: `${x.code} ${lang === 'en' ? x.nameEn : x.name}` }))}
                  />
                </Form.Item>
                <Form.Item name="dispositionNote" label={t('dispositionNote')}>
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
              </>
            )}
            {(act.needs === 'reason' || act.action === 'transfer') && (
              <Form.Item name="reason" label={t('reason')} rules={[{ required: true, whitespace: true, message: t('reasonRequired') }]}>
                <Input.TextArea rows={2} maxLength={500} data-testid="action-reason" />
              </Form.Item>
            )}
            {actionError && <Alert type="error" showIcon title={actionError} data-testid="action-modal-error" />}
          </Form>
        )}
      </Modal>
    </div>
  );
}
