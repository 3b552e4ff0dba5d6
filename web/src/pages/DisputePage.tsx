/**
 * 纠纷详情 — one dispute: number, type, status and risk grade with its reasons; parties (masked or in
 * full as the server sends them); place and linked incidents; referrals with the user's steps; sessions;
 * agreement; follow-ups; clocks and protocol; close with an outcome; the timeline of every step. A
 * mediator reaching a dispute not referred to them gets the server's 404 as a not-found page.
 */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import PageLoadState from '../components/PageLoadState';
import { api, type User } from '../api';
import { fmtTime } from '../format';
import { pollInterval, useRealtime } from '../realtime';
import ActionModal from '../disputes/ActionModal';
import AgreementCard from '../disputes/AgreementCard';
import ReferralsCard from '../disputes/ReferralsCard';
import { ClocksCard, TimelineCard } from '../disputes/ProgressCards';
import { FollowupsCard, SessionsCard } from '../disputes/WorkCards';
import { CLOSE_OUTCOMES_FROM, hasPermission, OUTCOMES, useAgencies, useDispute, useDisputeLabel, type DisputeDetail, type Party } from '../disputes/model';
import { DisputeStatusTag, RiskReasons, RiskTag } from '../disputes/tags';
import '../disputes/disputes.css';

function CloseButton({ dispute }: { dispute: DisputeDetail }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const [open, setOpen] = useState(false);
  // A referral that ended in mediation or failure closes with an outcome that fits how it ended.
  const ended = dispute.referrals.find((r) => r.status === 'mediated' || r.status === 'failed');
  const outcomes = ended ? (CLOSE_OUTCOMES_FROM[ended.status] ?? OUTCOMES) : OUTCOMES;
  return (
    <>
      <Button danger className="sw-danger-outline" onClick={() => setOpen(true)} data-testid="dispute-close">
        {t('close')}
      </Button>
      <ActionModal<{ outcome: string; note?: string }>
        open={open}
        title={t('closeTitle')}
        path={`/api/v1/disputes/${dispute.id}/close`}
        testId="modal-close"
        fields={['outcome', 'note']}
        initialValues={{ outcome: ended?.status === 'mediated' ? (dispute.agreement?.performedAt ? 'agreement_performed' : 'agreement') : undefined }}
        toBody={(v) => ({ outcome: v.outcome, note: v.note?.trim() || undefined })}
        onClose={() => setOpen(false)}
      >
        <Form.Item name="outcome" label={t('outcome')} rules={[{ required: true, message: t('outcomeRequired') }]}>
          <Select options={outcomes.map((o) => ({ value: o, label: label('oc_', o) }))} data-testid="close-outcome" aria-label={t('outcome')} />
        </Form.Item>
        <Form.Item name="note" label={t('outcomeNote')} rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="close-note" />
        </Form.Item>
      </ActionModal>
    </>
  );
}

/** A linked incident by its number when the user may read it, else by the start of its id. */
function IncidentLink({ id, readable }: { id: string; readable: boolean }) {
  const q = useQuery({ queryKey: ['incidents', 'detail', id], queryFn: () => api<{ number: string }>(`/api/v1/incidents/${encodeURIComponent(id)}`), retry: false, staleTime: 5 * 60_000, enabled: readable });
  if (!readable) return <span className="sw-mono">{id.slice(0, 8)}</span>;
  return (
    <Link to={`/incidents/${id}`} className="sw-mono" data-testid="dispute-incident-link">
      {q.data?.number ?? id.slice(0, 8)}
    </Link>
  );
}

export default function DisputePage({ user }: { user: User }) {
  const { id = '' } = useParams();
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const live = useRealtime(qc);
  // The stream refreshes ['disputes'] queries; without it (a mediator never gets one) the page polls.
  const q = useDispute(id, pollInterval(live));
  const agencies = useAgencies();
  const back = hasPermission(user, 'console.disputes') ? '/disputes' : '/mediation';

  if (q.isLoading || q.error || !q.data) {
    return (
      <PageLoadState
        query={q}
        notFoundTitle={t('notFound')}
        notFoundText={t('notFoundText')}
        failedTitle={(msg) => t('loadFailed', { msg })}
        backLabel={t('backToList')}
        onBack={() => navigate(back)}
        testId="dispute-not-found"
      />
    );
  }
  const d = q.data;
  const list = agencies.data ?? [];

  return (
    <div data-testid="page-dispute" className="sw-dispute">
      <Card size="small">
        <div className="sw-dispute-head">
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(back)} aria-label={t('backToList')} />
          <Typography.Title level={4} className="sw-mono" style={{ fontSize: 18 }} data-testid="dispute-number">
            {d.number}
          </Typography.Title>
          <RiskTag grade={d.riskGrade} long />
          <Tag style={{ marginInlineEnd: 0 }}>{label('ty_', d.type)}</Tag>
          <DisputeStatusTag status={d.status} />
          <span className="sw-item-meta">
            {label('src_', d.source)} · {t('registeredBy', { user: d.registeredBy, at: fmtTime(d.registeredAt).slice(0, 16) })} · {t('days', { n: d.daysOpen })}
          </span>
          <span style={{ flex: 1 }} />
          {!d.closedAt && hasPermission(user, 'dispute.close') && <CloseButton dispute={d} />}
        </div>
        {d.closedAt && (
          <div className="sw-item-meta" data-testid="dispute-closed" style={{ marginTop: 6 }}>
            {t('closedAs', { at: fmtTime(d.closedAt).slice(0, 16), outcome: label('oc_', d.outcome) })}
            {d.outcomeNote ? ` · ${d.outcomeNote}` : ''}
          </div>
        )}
        <div className="sw-dispute-reasons" data-testid="dispute-risk-reasons">
          <RiskReasons reasons={d.riskReasons} score={d.riskScore} />
        </div>
        <Typography.Paragraph className="sw-pre" style={{ margin: '8px 0 0' }} data-testid="dispute-summary-text">
          {d.summary}
        </Typography.Paragraph>
      </Card>
      <Row gutter={12}>
        <Col xs={24} xl={15}>
          <Card size="small" title={t('parties')} data-testid="dispute-parties">
            <Table<Party>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={d.parties}
              scroll={{ x: 520 }}
              columns={[
                { title: t('partyRole'), dataIndex: 'role', width: 110, render: (v: string) => label('role_', v) },
                { title: t('partyName'), dataIndex: 'name', width: 120 },
                { title: t('partyPhone'), dataIndex: 'phone', width: 140, render: (v: string | null) => <span className="sw-mono">{v ?? '—'}</span> },
                { title: t('partyRelation'), dataIndex: 'relation', render: (v: string | null) => v ?? '—' },
                { title: t('partyVulnerable'), dataIndex: 'vulnerable', width: 90, render: (v: boolean) => (v ? t('yes') : '') },
              ]}
            />
          </Card>
          <Card size="small" title={t('place')} data-testid="dispute-place">
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('place')}>{d.address ?? (d.location ? `${d.location.lon.toFixed(5)}, ${d.location.lat.toFixed(5)}` : t('noPlace'))}</Descriptions.Item>
              <Descriptions.Item label={t('colStation')}>
                <span className="sw-mono">
                  {d.stationId}
                  {d.gridId ? ` / ${d.gridId}` : ''}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('incidents')}>
                {d.incidents.length === 0 ? (
                  t('noIncidents')
                ) : (
                  <span data-testid="dispute-incidents">
                    {d.incidents.map((i) => (
                      <span key={i.incidentId} style={{ marginInlineEnd: 12, whiteSpace: 'nowrap' }}>
                        <IncidentLink id={i.incidentId} readable={hasPermission(user, 'incident.read')} />{' '}
                        <span className="sw-item-meta">
                          {label('ik_', i.kind)} · {fmtTime(i.linkedAt).slice(5, 16)}
                        </span>
                      </span>
                    ))}
                  </span>
                )}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <ReferralsCard dispute={d} user={user} agencies={list} />
          <SessionsCard dispute={d} user={user} agencies={list} />
          <AgreementCard dispute={d} user={user} agencies={list} />
          <FollowupsCard dispute={d} user={user} />
        </Col>
        <Col xs={24} xl={9}>
          <ClocksCard dispute={d} user={user} />
          <TimelineCard dispute={d} />
        </Col>
      </Row>
    </div>
  );
}
