/**
 * 调解工作台 — the mediator's work list (GET /referrals): what waits for an answer first (accept, or
 * decline with a reason), then what is in hand, then what ended. Cards, so it works on a 375 px phone.
 * Mediators get no live stream (they see only what is referred to them), so the list polls.
 */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Collapse, Empty, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fmtTime } from '../format';
import ActionModal from '../disputes/ActionModal';
import { ReasonField } from '../disputes/ReferralForms';
import { useDisputeLabel, useWrite, type WorkItem } from '../disputes/model';
import { ReferralStateTag, RiskTag } from '../disputes/tags';
import '../disputes/disputes.css';

const WORKING = ['accepted', 'in_mediation', 'mediated'];
/** Ended referrals whose dispute the mediator still sees (a declined or cancelled one is no longer theirs). */
const STILL_VISIBLE = ['failed', 'closed'];

function WorkCard({ item, onDecline }: { item: WorkItem; onDecline: (r: WorkItem) => void }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const { message } = AntApp.useApp();
  const accept = useWrite();
  const navigate = useNavigate();
  const { referral: r, dispute: d } = item;
  const linked = r.status === 'pending' || WORKING.includes(r.status) || STILL_VISIBLE.includes(r.status);
  const doAccept = async () => {
    try {
      await accept.run(`/api/v1/referrals/${r.id}/accept`);
      message.success(t('done', { action: t('accept') }));
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Card size="small" className="sw-work-card" data-testid={`work-${d.number}`} data-state={r.status}>
      <div className="sw-item-head">
        <RiskTag grade={d.riskGrade} reasons={d.riskReasons} score={d.riskScore} />
        {linked ? (
          <Link to={`/disputes/${d.id}`} className="sw-mono" data-testid="work-open">
            {d.number}
          </Link>
        ) : (
          <span className="sw-mono">{d.number}</span>
        )}
        <ReferralStateTag state={r.status} />
      </div>
      <div className="sw-item-meta" style={{ marginTop: 4 }}>
        {label('ty_', d.type)} · {label('mt_', r.mediationType)} · {r.agencyName ?? r.agencyId} · {t('days', { n: d.daysOpen })}
      </div>
      <div className="sw-work-summary">{d.summary}</div>
      {d.address && <div className="sw-item-meta">{d.address}</div>}
      <div className="sw-item-meta">{t('referralBy', { user: r.createdBy, at: fmtTime(r.createdAt).slice(0, 16) })}</div>
      {r.reason && <div className="sw-item-meta">{t('reason')}：{r.reason}</div>}
      <div className="sw-item-actions">
        {r.status === 'pending' && (
          <>
            <Button type="primary" loading={accept.busy} onClick={() => void doAccept()} data-testid="work-accept">
              {t('accept')}
            </Button>
            <Button danger className="sw-danger-outline" onClick={() => onDecline(item)} data-testid="work-decline">
              {t('decline')}
            </Button>
          </>
        )}
        {linked && <Button onClick={() => navigate(`/disputes/${d.id}`)}>{t('openDispute')}</Button>}
      </div>
    </Card>
  );
}

export default function MediationPage() {
  const { t } = useTranslation('disputes');
  const [declining, setDeclining] = useState<WorkItem | null>(null);
  const q = useQuery({
    queryKey: ['disputes', 'work'],
    queryFn: () => api<{ items: WorkItem[] }>('/api/v1/referrals', { query: { limit: 200 } }),
    refetchInterval: 15_000,
  });
  const items = q.data?.items ?? [];
  const pending = items.filter((x) => x.referral.status === 'pending');
  const working = items.filter((x) => WORKING.includes(x.referral.status));
  const ended = items.filter((x) => x.referral.status !== 'pending' && !WORKING.includes(x.referral.status)).slice(0, 20);
  const group = (title: string, list: WorkItem[], empty: string | null, testId: string) => (
    <section data-testid={testId}>
      <h2 className="sw-work-group">
        {title}（{list.length}）
      </h2>
      {list.length === 0 && empty ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> : null}
      <div className="sw-work">
        {list.map((x) => (
          <WorkCard key={x.referral.id} item={x} onDecline={setDeclining} />
        ))}
      </div>
    </section>
  );

  return (
    <div data-testid="page-mediation" style={{ maxWidth: 900 }}>
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('mediationTitle')}</Typography.Title>
      </div>
      {q.error && <Alert type="error" showIcon title={t('loadFailed', { msg: q.error instanceof Error ? q.error.message : '' })} />}
      {q.isLoading ? (
        <Spin />
      ) : (
        <>
          {group(t('groupPending'), pending, t('emptyPending'), 'work-pending')}
          {group(t('groupWorking'), working, t('emptyWorking'), 'work-working')}
          {ended.length > 0 && (
            // What ended stays out of the way: folded, newest first.
            <Collapse
              ghost
              style={{ marginTop: 8 }}
              items={[
                {
                  key: 'ended',
                  label: <span className="sw-work-group">{`${t('groupEnded')}（${ended.length}）`}</span>,
                  children: (
                    <div className="sw-work" data-testid="work-ended">
                      {ended.map((x) => (
                        <WorkCard key={x.referral.id} item={x} onDecline={setDeclining} />
                      ))}
                    </div>
                  ),
                },
              ]}
            />
          )}
        </>
      )}
      <ActionModal<{ reason: string }>
        open={!!declining}
        title={t('declineTitle')}
        path={`/api/v1/referrals/${declining?.referral.id}/decline`}
        testId="modal-decline"
        fields={['reason']}
        danger
        toBody={(v) => ({ reason: v.reason.trim() })}
        onClose={() => setDeclining(null)}
      >
        <ReasonField />
      </ActionModal>
    </div>
  );
}
