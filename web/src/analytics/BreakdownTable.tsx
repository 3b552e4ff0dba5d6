/**
 * 分级下钻 / By unit: the incidents of a unit of my jurisdiction (at first my own) and of each unit
 * directly below it, against last year's fair span with the change judged ('无显著变化' when chance
 * explains it). A click on a row with units below drills into it; the breadcrumb leads back up.
 * Answers of GET /analytics/breakdown (src/modules/analytics/breakdown-routes.ts).
 */
import { useState } from 'react';
import { Alert, Breadcrumb, Card, Table, Tag } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { ApiAnswer } from '../contract';
import ExportButton from './ExportButton';

/** GET /analytics/breakdown's answer (the server's contract): a unit, its children and the breadcrumb. */
export type BreakdownAnswer = ApiAnswer<'/api/v1/analytics/breakdown', 'get'>;
export type BreakdownRow = BreakdownAnswer['total'];

function Verdict({ row }: { row: BreakdownRow }) {
  const { t } = useTranslation('analytics');
  if (!row.significant) return <span className="sw-muted">{t('noSignificant')}</span>;
  const pct = row.pct === null ? '' : `${Math.abs(row.pct)}%`;
  // Incidents: a rise is bad news, a fall good (the figure's 'better' is neither; the colour follows the count).
  return row.direction === 'up' ? (
    <Tag color="red" icon={<ArrowUpOutlined />}>
      {t('significantUp', { pct })}
    </Tag>
  ) : (
    <Tag color="green" icon={<ArrowDownOutlined />}>
      {t('significantDown', { pct })}
    </Tag>
  );
}

/** The drill-down is the page's unit picker: `unitId` and `onUnit` let the page narrow its other figures with it. */
export default function BreakdownTable({ span, unitId: controlled, onUnit }: { span: { from: string; to: string }; unitId?: string; onUnit?: (id: string) => void }) {
  const { t } = useTranslation('analytics');
  const [own, setOwn] = useState<string | undefined>();
  const unitId = onUnit ? controlled : own;
  const setUnitId = onUnit ?? setOwn;
  const q = useQuery({
    queryKey: ['analytics', 'breakdown', span.from, span.to, unitId ?? ''],
    queryFn: () => api<BreakdownAnswer>('/api/v1/analytics/breakdown', { query: { from: span.from, to: span.to, unitId } }),
    placeholderData: (prev) => prev,
  });
  const data = q.data;
  const crumbs = data?.breadcrumb ?? [];
  return (
    <Card size="small" title={t('breakdownTitle')} extra={<ExportButton table="breakdown" span={span} unitId={unitId} />} data-testid="breakdown-card">
      {q.error && <Alert type="error" showIcon title={String(q.error as Error)} />}
      <Breadcrumb
        data-testid="breakdown-breadcrumb"
        style={{ marginBottom: 8 }}
        items={crumbs.map((c, i) => ({
          key: c.id,
          title:
            i < crumbs.length - 1 ? (
              <a onClick={() => setUnitId(c.id)} data-testid={`breakdown-crumb-${c.id}`}>
                {c.name}
              </a>
            ) : (
              <span data-testid={`breakdown-crumb-${c.id}`}>{c.name}</span>
            ),
        }))}
      />
      <Table<BreakdownRow>
        size="small"
        data-testid="breakdown-table"
        loading={q.isFetching}
        pagination={false}
        rowKey={(r) => r.id ?? '(other)'}
        dataSource={data?.children ?? []}
        onRow={(r) => ({
          onClick: () => r.hasChildren && r.id && setUnitId(r.id),
          style: r.hasChildren ? { cursor: 'pointer' } : undefined,
          'data-testid': `breakdown-row-${r.id ?? 'other'}`,
        })}
        columns={[
          { key: 'name', title: t('breakdownUnit'), render: (_, r) => (r.hasChildren ? <a>{r.name}</a> : r.name) },
          { key: 'now', title: t('breakdownNow'), dataIndex: 'now', align: 'right', sorter: (a, b) => a.now - b.now },
          { key: 'previous', title: data ? t('breakdownPrevious', { from: data.previous.from, to: data.previous.to }) : t('breakdownPreviousShort'), dataIndex: 'previous', align: 'right', sorter: (a, b) => a.previous - b.previous },
          { key: 'verdict', title: t('breakdownVerdict'), render: (_, r) => <Verdict row={r} /> },
        ]}
        summary={() =>
          data ? (
            <Table.Summary.Row data-testid="breakdown-total">
              <Table.Summary.Cell index={0}>
                <b>{t('breakdownTotal', { name: data.total.name })}</b>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <b>{data.total.now}</b>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {data.total.previous}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3}>
                <Verdict row={data.total} />
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
    </Card>
  );
}
