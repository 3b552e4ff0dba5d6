/**
 * 需要关注 — what the chief should look at now, each a count that opens its list: case clocks overdue
 * (red) and due soon (yellow), high-risk disputes and disputes with overdue steps, transfers past their
 * due time without an answer (those open their incidents, as there is no transfer list page). A line
 * shows only when the user holds the permission its endpoint asks for.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Card } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { useLabel } from '../i18n';
import { LIST_CAP, useCaseDigest, useDisputesOverdue, useHighRiskDisputes, useOpenTransfers } from './model';

function Line({ label, n, to, tone, testId, children }: { label: string; n: number | undefined; to?: string; tone: 'red' | 'amber'; testId: string; children?: ReactNode }) {
  const { t } = useTranslation('home');
  const count = (
    <span className={`sw-home-att-n${n ? ` sw-home-att-${tone}` : ''}`} data-testid={`${testId}-n`}>
      {n === undefined ? '…' : n >= LIST_CAP ? `${LIST_CAP}+` : n}
    </span>
  );
  return (
    <li data-testid={testId} className="sw-home-att-item">
      {to ? (
        <Link to={to} className="sw-home-att-row" title={t('attentionHint')}>
          <span>{label}</span>
          {count}
          <RightOutlined className="sw-home-att-go" />
        </Link>
      ) : (
        <div className="sw-home-att-row">
          <span>{label}</span>
          {count}
        </div>
      )}
      {children}
    </li>
  );
}

export default function AttentionCard({ user }: { user: User }) {
  const { t } = useTranslation('home');
  const il = useLabel('incidents');
  const has = (p: string) => user.permissions.includes(p);
  const digest = useCaseDigest(has('case.warn'));
  const high = useHighRiskDisputes(has('dispute.read'));
  const disputesOverdue = useDisputesOverdue(has('dispute.stats'));
  const transfers = useOpenTransfers(has('transfer.read'));
  const now = Date.now();
  const overdueTransfers = (transfers.data ?? []).filter((x) => x.overdue || Date.parse(x.dueAt) < now);

  return (
    <Card size="small" title={t('attention')} data-testid="home-attention" style={{ height: '100%' }}>
      <ul className="sw-home-att">
        {has('case.warn') && <Line label={t('casesOverdue')} n={digest.data?.overdue} to="/cases" tone="red" testId="att-cases-overdue" />}
        {has('case.warn') && <Line label={t('casesDueSoon')} n={digest.data?.dueSoon} to="/cases" tone="amber" testId="att-cases-due" />}
        {has('dispute.read') && <Line label={t('disputesHigh')} n={high.data} to="/disputes" tone="red" testId="att-disputes-high" />}
        {has('dispute.stats') && <Line label={t('disputesOverdue')} n={disputesOverdue.data} to="/disputes" tone="amber" testId="att-disputes-overdue" />}
        {has('transfer.read') && (
          <Line label={t('transfersOverdue')} n={transfers.data ? overdueTransfers.length : undefined} tone="red" testId="att-transfers-overdue">
            {overdueTransfers.length > 0 && (
              <ul className="sw-home-att-sub">
                {overdueTransfers.slice(0, 3).map((x) => (
                  <li key={x.id}>
                    <Link to={`/incidents/${encodeURIComponent(x.incidentId)}`}>
                      {il('tg_', x.target)} · {dayjs(x.dueAt).format('MM-DD HH:mm')}
                    </Link>
                  </li>
                ))}
                {overdueTransfers.length > 3 && <li className="sw-muted">{t('more', { n: String(overdueTransfers.length), shown: '3' })}</li>}
              </ul>
            )}
          </Line>
        )}
        {has('transfer.read') && <Line label={t('transfersSent')} n={transfers.data?.length} tone="amber" testId="att-transfers-sent" />}
      </ul>
    </Card>
  );
}
