/**
 * 执法监督统计 on the cases page (case.supervise): the jurisdiction's figures for the last 7, 30 or 90
 * days — cases overdue (target 0), clocks in yellow, median time left when a clock is completed,
 * body-cam linkage, notices answered on time and overdue, reviews — then the problems by type and the
 * same figures by station.
 */
import { useState } from 'react';
import { Card, Segmented, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import { PROBLEM_LABELS, inLang, pct, useCaseStats, type Stats } from './notices-model';

const PERIODS = [7, 30, 90] as const;
type StationRow = Stats['byStation'][number];

export default function StatsCard({ refetchInterval }: { refetchInterval?: number }) {
  const { t } = useTranslation('cases');
  const { lang } = useLang();
  const [days, setDays] = useState<number>(30);
  const q = useCaseStats(days, refetchInterval);
  const s = q.data;
  const hours = (h: number | null | undefined) => (h === null || h === undefined ? '—' : t('statsHours', { n: h }));
  const tiles: { key: string; label: string; value: string; bad?: boolean }[] = s
    ? [
        { key: 'overdue', label: t('statsOverdue'), value: String(s.overdue), bad: s.overdue > 0 },
        { key: 'yellow', label: t('statsYellow'), value: String(s.yellow) },
        { key: 'median', label: t('statsMedianLeft'), value: hours(s.medianLeftAtCompletionHours), bad: (s.medianLeftAtCompletionHours ?? 0) < 0 },
        { key: 'linkage', label: t('statsLinkage'), value: s.linkageRate === null ? '—' : `${Math.round(s.linkageRate * 100)}%` },
        { key: 'onTime', label: t('statsNoticesOnTime'), value: `${s.noticesOnTime}/${s.noticesTotal} · ${pct(s.noticesOnTime, s.noticesTotal)}` },
        { key: 'noticesOverdue', label: t('statsNoticesOverdue'), value: String(s.noticesOverdue), bad: s.noticesOverdue > 0 },
        { key: 'reviews', label: t('statsReviews'), value: `${s.reviews} / ${s.meanReviewScore ?? '—'}` },
      ]
    : [];

  return (
    <Card
      size="small"
      title={t('statsTitle')}
      data-testid="case-stats"
      loading={q.isLoading}
      extra={
        <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
          <span id="case-stats-period">{t('statsPeriod')}</span>
          <Segmented<number> value={days} onChange={setDays} options={PERIODS.map((n) => ({ value: n, label: t('statsDays', { n }) }))} aria-labelledby="case-stats-period" data-testid="case-stats-period" />
        </span>
      }
    >
      <div className="sw-case-counts">
        {tiles.map((x) => (
          <div key={x.key} className="sw-case-count" style={{ borderColor: x.bad ? '#a8071a' : '#d9d9d9' }} data-testid={`stat-${x.key}`}>
            <span>{x.label}</span>
            <strong className={x.bad ? 'sw-case-overdue' : undefined}>{x.value}</strong>
          </div>
        ))}
      </div>
      {s && (
        <div style={{ marginBottom: 8 }} data-testid="stat-problems">
          <span style={{ marginInlineEnd: 8 }}>{t('statsProblems')}:</span>
          {s.problemsByType.length === 0 ? t('statsNone') : s.problemsByType.map((p) => <Tag key={p.type}>{`${inLang(PROBLEM_LABELS[p.type], lang)} ${p.count}`}</Tag>)}
        </div>
      )}
      <Table<StationRow>
        size="small"
        rowKey="stationId"
        dataSource={s?.byStation ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
        data-testid="case-stats-stations"
        columns={[
          { title: t('statsStation'), dataIndex: 'stationId', render: (v: string) => <span className="sw-mono">{v}</span> },
          { title: t('statsCases'), dataIndex: 'cases', width: 90, align: 'right' },
          { title: t('statsOverdue'), dataIndex: 'overdue', width: 110, align: 'right', render: (v: number) => <span className={v > 0 ? 'sw-case-overdue' : undefined}>{v}</span> },
          { title: t('statsYellow'), dataIndex: 'yellow', width: 110, align: 'right' },
          { title: t('statsMedianLeft'), dataIndex: 'medianLeftAtCompletionHours', width: 160, align: 'right', render: hours },
          { title: t('statsNoticesOnTime'), key: 'onTime', width: 170, align: 'right', render: (_: unknown, r) => `${r.noticesOnTime}/${r.noticesTotal}` },
          { title: t('statsNoticesOverdue'), dataIndex: 'noticesOverdue', width: 150, align: 'right', render: (v: number) => <span className={v > 0 ? 'sw-case-overdue' : undefined}>{v}</span> },
        ]}
      />
    </Card>
  );
}
