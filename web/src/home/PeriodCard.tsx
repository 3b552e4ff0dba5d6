/**
 * One span of the chief's home (today, this week, year to date): the incident count against last year's
 * fair span, judged (today, and any span that holds today, up to the same instant last year: the server
 * cuts both there), and the two rates with their numbers: callback satisfaction and transfers answered on time.
 */
import { Card, Spin, Tooltip } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { KpiValue } from '../analytics/model';
import type { HomeSpanKey } from './model';

function Rate({ v, label, testId }: { v: KpiValue | undefined; label: string; testId: string }) {
  const { t } = useTranslation('home');
  const c = v?.current;
  const text = c && c.denominator ? t('rateOf', { pct: `${((c.value ?? 0) * 100).toFixed(1)}%`, numerator: String(c.numerator ?? 0), denominator: String(c.denominator) }) : t('rateNone');
  return (
    <div className="sw-home-rate" data-testid={testId} data-numerator={c?.numerator ?? ''} data-denominator={c?.denominator ?? ''}>
      <span className="sw-muted">{label}</span>
      <span className="sw-home-rate-value">{text}</span>
    </div>
  );
}

export default function PeriodCard({ spanKey, span, figures, loading, error }: { spanKey: HomeSpanKey; span: { from: string; to: string }; figures: Map<string, KpiValue> | undefined; loading: boolean; error: boolean }) {
  const { t } = useTranslation('home');
  const count = figures?.get('incident.count');
  const prev = count?.previous?.value;
  let verdict: string | null = null;
  if (count && (!count.significant || count.direction === 'same')) verdict = t('noSignificant');
  else if (count) verdict = count.direction === 'up' ? t('significantUp', { pct: count.pct === null ? '' : `${Math.abs(count.pct)}%` }) : t('significantDown', { pct: count.pct === null ? '' : `${Math.abs(count.pct)}%` });
  const Icon = !count?.significant ? MinusOutlined : count.direction === 'up' ? ArrowUpOutlined : ArrowDownOutlined;
  const tone = count?.significant ? (count.direction === 'up' ? 'sw-home-up' : 'sw-home-down') : '';
  return (
    <Card
      size="small"
      title={t(spanKey)}
      extra={<span className="sw-muted sw-mono">{span.from === span.to ? span.from : t('spanDays', span)}</span>}
      data-testid={`home-period-${spanKey}`}
      data-from={span.from}
      data-to={span.to}
      style={{ height: '100%' }}
    >
      {loading ? (
        <Spin />
      ) : error || !count ? (
        <span className="sw-muted">{t('figuresUnavailable')}</span>
      ) : (
        <>
          <div className="sw-home-count">
            <span className="sw-muted">{t('incidents')}</span>
            <span className="sw-home-count-value" data-testid="home-count">
              {count.current.value?.toLocaleString() ?? '—'}
            </span>
            <span className="sw-muted">{t('incidentsUnit')}</span>
          </div>
          {count.previous && (
            <Tooltip title={`${count.previous.from} — ${count.previous.to}`}>
              <div className="sw-muted" data-testid="home-count-previous" tabIndex={0}>
                {t('lastYear', { value: prev === null || prev === undefined ? '—' : prev.toLocaleString() })}
              </div>
            </Tooltip>
          )}
          {verdict && (
            <div className={`sw-home-verdict ${tone}`} data-testid="home-count-verdict" title={spanKey === 'today' ? t('sameInstant') : undefined}>
              <Icon /> {verdict}
            </div>
          )}
          <Rate v={figures?.get('incident.satisfaction')} label={t('satisfaction')} testId="home-satisfaction" />
          <Rate v={figures?.get('incident.transfer_on_time')} label={t('transfersOnTime')} testId="home-transfers" />
        </>
      )}
    </Card>
  );
}
