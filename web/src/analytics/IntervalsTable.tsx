/**
 * 响应时间 — answer, intake, dispatch, travel and response times of the span in the user's jurisdiction:
 * a row per interval, a column per priority (and all together), each cell the median / 90th percentile
 * (m:ss) with last year's fair span beside it and how many incidents it counts
 * (GET /api/v1/analytics/intervals; read from buckets, so within a second under two minutes).
 */
import { Alert, Card, Spin, Table, Tooltip } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { ApiAnswer } from '../contract';
import { formatSeconds } from './duration';

const MEASURES = ['answer', 'intake', 'dispatch', 'travel', 'response'] as const;
const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'all'] as const;

/** GET /analytics/intervals's answer (the server's contract). */
type Intervals = ApiAnswer<'/api/v1/analytics/intervals', 'get'>;
type Cell = Intervals['items'][number]['current'];
type MedianChange = Intervals['items'][number]['median'];

const LABEL = { answer: 'ivAnswer', intake: 'ivIntake', dispatch: 'ivDispatch', travel: 'ivTravel', response: 'ivResponse' } as const;
const HINT = { answer: 'ivAnswerHint', intake: 'ivIntakeHint', dispatch: 'ivDispatchHint', travel: 'ivTravelHint', response: 'ivResponseHint' } as const;

function Figures({ now, before, median, testId }: { now: Cell; before: Cell; median: MedianChange; testId: string }) {
  const { t } = useTranslation('analytics');
  if (!now.n && !before.n) return <span className="sw-muted">—</span>;
  return (
    <div data-testid={testId} style={{ lineHeight: 1.4 }}>
      <div className="sw-mono">
        {formatSeconds(now.median)} / {formatSeconds(now.p90)}
      </div>
      <div className="sw-muted sw-mono" style={{ fontSize: 12 }}>
        {t('ivLastYear', { median: formatSeconds(before.median), p90: formatSeconds(before.p90) })}
      </div>
      <div className="sw-muted" style={{ fontSize: 12 }}>
        {t('ivCount', { n: now.n.toLocaleString(), before: before.n.toLocaleString() })}
      </div>
      {median.change !== null && (
        // A median's change is judged from the two histograms (their confidence intervals), as counts are.
        <div style={{ fontSize: 12, fontWeight: median.significant ? 600 : 400, color: median.significant ? (median.direction === 'up' ? '#cf1322' : '#237804') : undefined }} className={median.significant ? undefined : 'sw-muted'} data-testid={`${testId}-median`}>
          {median.significant ? t(median.direction === 'up' ? 'ivSlower' : 'ivFaster', { d: formatSeconds(Math.abs(median.change)) }) : t('noSignificant')}
        </div>
      )}
    </div>
  );
}

export default function IntervalsTable({ span }: { span: { from: string; to: string } }) {
  const { t } = useTranslation('analytics');
  const q = useQuery({
    queryKey: ['analytics', 'intervals', span.from, span.to],
    queryFn: () => api<Intervals>('/api/v1/analytics/intervals', { query: { from: span.from, to: span.to } }),
  });
  const rows = MEASURES.map((measure) => ({ measure, cells: new Map((q.data?.items ?? []).filter((x) => x.measure === measure).map((x) => [x.priority, x])) }));
  const columns = [
    {
      key: 'measure',
      title: t('ivMeasure'),
      width: 150,
      render: (_: unknown, r: (typeof rows)[number]) => (
        <Tooltip title={t(HINT[r.measure])}>
          <span style={{ borderBottom: '1px dotted currentColor', cursor: 'help' }}>{t(LABEL[r.measure])}</span>
        </Tooltip>
      ),
    },
    ...PRIORITIES.map((p) => ({
      key: p,
      title: p === 'all' ? t('ivAll') : p,
      render: (_: unknown, r: (typeof rows)[number]) => {
        const c = r.cells.get(p);
        return c ? <Figures now={c.current} before={c.previous} median={c.median} testId={`intervals-${r.measure}-${p}`} /> : null;
      },
    })),
  ];
  return (
    <Card size="small" title={t('ivTitle')} extra={<span className="sw-muted">{t('ivNote', q.data ? { from: q.data.previous.from, to: q.data.previous.to } : { from: '…', to: '…' })}</span>} data-testid="analytics-intervals">
      {q.error ? (
        <Alert type="error" showIcon title={String(q.error as Error)} />
      ) : q.isLoading ? (
        <Spin />
      ) : (
        <div data-testid="intervals-table">
          <Table size="small" rowKey="measure" pagination={false} dataSource={rows} columns={columns} scroll={{ x: 760 }} />
        </div>
      )}
    </Card>
  );
}
