/**
 * The station chief's figures over the register, this year to date: registered, resolved, the
 * resolution rate as "resolved ÷ registered" with both numbers (PRODUCT.md: never a bare percentage),
 * open, high-risk open, disputes with overdue steps, agreements performed ÷ signed.
 */
import { useMemo, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Card, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { ApiAnswer } from '../contract';
import { yearStart, type DisputeList, type Stats } from './model';

type Attention = ApiAnswer<'/api/v1/disputes/attention', 'get'>;

function Figure({ label, value, hint, testId, tone }: { label: string; value: ReactNode; hint?: string; testId: string; tone?: 'alert' | 'warn' }) {
  const body = (
    <div className={`sw-fig${tone ? ` sw-fig-${tone}` : ''}`} data-testid={testId} tabIndex={hint ? 0 : undefined}>
      <div className="sw-fig-label">{label}</div>
      <div className="sw-fig-value">{value}</div>
    </div>
  );
  return hint ? <Tooltip title={hint}>{body}</Tooltip> : body;
}

/** a ÷ b with the percentage beside it, or "none registered" when b is 0. */
function Ratio({ a, b, testId }: { a: number; b: number; testId: string }) {
  const { t } = useTranslation('disputes');
  return (
    <span data-testid={testId} data-numerator={a} data-denominator={b}>
      {t('statRateValue', { resolved: a, registered: b })}
      <span className="sw-fig-pct">{b > 0 ? t('statRatePct', { pct: ((a / b) * 100).toFixed(1) }) : t('statNone')}</span>
    </span>
  );
}

export default function SummaryStrip() {
  const { t } = useTranslation('disputes');
  // The period is fixed for the page's life: from 1 January to the end of today.
  const period = useMemo(() => ({ from: yearStart().toISOString(), to: dayjs().endOf('day').toISOString() }), []);
  const stats = useQuery({ queryKey: ['disputes', 'stats', period], queryFn: () => api<Stats>('/api/v1/disputes/stats', { query: period }) });
  const high = useQuery({
    queryKey: ['disputes', 'list', 'high-open'],
    queryFn: () => api<DisputeList>('/api/v1/disputes', { query: { open: true, riskGrade: ['red', 'orange'], limit: 1 } }),
  });
  const attention = useQuery({ queryKey: ['disputes', 'attention'], queryFn: () => api<Attention>('/api/v1/disputes/attention') });
  const s = stats.data;
  const overdue = attention.data?.items.filter((x) => x.overdue.length > 0).length;

  return (
    <Card size="small" className="sw-figs" data-testid="dispute-figures">
      <div className="sw-figs-period">{t('statsPeriod', { from: dayjs(period.from).format('YYYY-MM-DD') })}</div>
      {stats.error ? (
        <div className="sw-muted">{t('statsUnavailable')}</div>
      ) : (
        <div className="sw-figs-row">
          <Figure label={t('statRegistered')} value={<span data-testid="stat-registered">{s?.registered ?? '…'}</span>} testId="fig-registered" />
          <Figure label={t('statResolved')} value={<span data-testid="stat-resolved">{s?.resolved ?? '…'}</span>} testId="fig-resolved" />
          <Figure label={t('statRate')} hint={t('statRateHint')} value={s ? <Ratio a={s.resolved} b={s.registered} testId="stat-rate" /> : '…'} testId="fig-rate" />
          <Figure label={t('statOpen')} value={<span data-testid="stat-open">{s?.open ?? '…'}</span>} testId="fig-open" />
          <Figure label={t('statHigh')} value={<span data-testid="stat-high">{high.data?.total ?? '…'}</span>} testId="fig-high" tone={high.data?.total ? 'alert' : undefined} />
          <Figure label={t('statOverdue')} hint={t('statOverdueHint')} value={<span data-testid="stat-overdue">{overdue ?? (attention.error ? '—' : '…')}</span>} testId="fig-overdue" tone={overdue ? 'warn' : undefined} />
          <Figure label={t('statPerformed')} value={s ? <Ratio a={s.agreementsPerformed} b={s.agreementsSigned} testId="stat-performed" /> : '…'} testId="fig-performed" />
        </div>
      )}
    </Card>
  );
}
