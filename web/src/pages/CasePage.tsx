/**
 * 案件 — one case: number, kind, title, station, officer in charge, status and linked incident; its
 * statutory clocks with state, colour, due time and how it was counted; its steps; and, for those who
 * record steps, the form to record one. A case outside the user's jurisdiction is the server's 404.
 */
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Row, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import PageLoadState from '../components/PageLoadState';
import { api, type User } from '../api';
import { useLang } from '../i18n';
import { fmtTime } from '../format';
import { pollInterval, useRealtime } from '../realtime';
import { hasPermission, useCase } from '../cases/model';
import { CaseKindTag, CaseStatusTag } from '../cases/tags';
import ClocksCard from '../cases/ClocksCard';
import StepsCard from '../cases/StepsCard';
import StepForm from '../cases/StepForm';
import NoticesCard from '../cases/NoticesCard';
import ReviewCard from '../cases/ReviewCard';
import MediaCard from '../cases/MediaCard';
import '../cases/cases.css';

/** The linked incident by its number when the user may read it, else by the start of its id. */
function IncidentLink({ id, readable }: { id: string; readable: boolean }) {
  const q = useQuery({ queryKey: ['incidents', 'detail', id], queryFn: () => api<{ number: string }>(`/api/v1/incidents/${encodeURIComponent(id)}`), retry: false, staleTime: 5 * 60_000, enabled: readable });
  if (!readable) return <span className="sw-mono">{id.slice(0, 8)}</span>;
  return (
    <Link to={`/incidents/${id}`} className="sw-mono" data-testid="case-incident-link">
      {q.data?.number ?? id.slice(0, 8)}
    </Link>
  );
}

export default function CasePage({ user }: { user: User }) {
  const { id = '' } = useParams();
  const { t } = useTranslation('cases');
  const { lang } = useLang();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const live = useRealtime(qc);
  const q = useCase(id, lang, pollInterval(live));

  if (q.isLoading || q.error || !q.data) {
    return (
      <PageLoadState
        query={q}
        notFoundTitle={t('notFound')}
        notFoundText={t('notFoundText')}
        failedTitle={(msg) => t('loadFailed', { msg })}
        backLabel={t('backToList')}
        onBack={() => navigate('/cases')}
        testId="case-not-found"
      />
    );
  }
  const { case: c, events, clocks } = q.data;

  return (
    <div data-testid="page-case" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <Card size="small">
        <div className="sw-case-head">
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/cases')} aria-label={t('backToList')} />
          <Typography.Title level={4} className="sw-mono" style={{ fontSize: 18 }} data-testid="case-number">
            {c.number}
          </Typography.Title>
          <CaseKindTag kind={c.kind} />
          <CaseStatusTag status={c.status} />
          <Typography.Text strong data-testid="case-title">
            {c.title}
          </Typography.Text>
        </div>
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }} style={{ marginTop: 8 }}>
          <Descriptions.Item label={t('colStation')}>
            <span className="sw-mono">{c.stationId}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('colOfficer')}>{c.officer}</Descriptions.Item>
          <Descriptions.Item label={t('openedAt')}>{fmtTime(c.openedAt).slice(0, 16)}</Descriptions.Item>
          {c.closedAt && <Descriptions.Item label={t('closedAt')}>{fmtTime(c.closedAt).slice(0, 16)}</Descriptions.Item>}
          <Descriptions.Item label={t('incident')}>{c.incidentId ? <IncidentLink id={c.incidentId} readable={hasPermission(user, 'incident.read')} /> : t('noIncident')}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[12, 12]}>
        <Col xs={24} xl={hasPermission(user, 'case.record') ? 16 : 24} style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
          <ClocksCard clocks={clocks} />
          <NoticesCard kase={c} user={user} refetchInterval={pollInterval(live)} />
          {c.closedAt && <ReviewCard kase={c} user={user} />}
          <MediaCard caseId={c.id} user={user} />
          <StepsCard events={events} />
        </Col>
        {hasPermission(user, 'case.record') && (
          <Col xs={24} xl={8}>
            <StepForm detail={q.data} />
          </Col>
        )}
      </Row>
    </div>
  );
}
