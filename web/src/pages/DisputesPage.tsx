/**
 * 矛盾纠纷台账 — the station's register (station chief, community officer): open first, by risk and
 * age; filters by status, grade, type, open or closed and number; the chief's figures above it.
 */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Segmented, Select, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import FilterButtons from '../components/FilterButtons';
import { api, type User } from '../api';
import { fmtTime } from '../format';
import { pollInterval, useRealtime } from '../realtime';
import { DISPUTE_STATUSES, DISPUTE_TYPES, hasPermission, RISK_GRADES, useDisputeLabel, type DisputeItem, type DisputeList, type RiskGrade } from '../disputes/model';
import { DisputeStatusTag, RiskTag } from '../disputes/tags';
import SummaryStrip from '../disputes/SummaryStrip';
import '../disputes/disputes.css';

type OpenFilter = 'open' | 'closed' | 'all';
type Sort = 'risk' | 'age' | 'recent';

interface Filters {
  status: string[];
  riskGrade: RiskGrade[];
  type: string[];
  open: OpenFilter;
  number: string;
  sort: Sort;
}

const INITIAL: Filters = { status: [], riskGrade: [], type: [], open: 'open', number: '', sort: 'risk' };

export default function DisputesPage({ user }: { user: User }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const live = useRealtime(qc);
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>(INITIAL);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });

  const q = useQuery({
    queryKey: ['disputes', 'list', filters, page],
    queryFn: () =>
      api<DisputeList>('/api/v1/disputes', {
        query: {
          status: filters.status,
          riskGrade: filters.riskGrade,
          type: filters.type,
          open: filters.open === 'all' ? undefined : filters.open === 'open',
          number: filters.number.trim() || undefined,
          sort: filters.sort,
          limit: page.pageSize,
          offset: (page.current - 1) * page.pageSize,
        },
      }),
    placeholderData: keepPreviousData,
    refetchInterval: pollInterval(live),
  });

  const apply = (v: Partial<Filters>) => {
    setFilters({ ...INITIAL, ...v, number: v.number ?? '' });
    setPage((p) => ({ ...p, current: 1 }));
  };

  return (
    <div data-testid="page-disputes">
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('registerTitle')}</Typography.Title>
        {hasPermission(user, 'dispute.register') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/disputes/new')} data-testid="dispute-new">
            {t('registerNew')}
          </Button>
        )}
      </div>
      {hasPermission(user, 'dispute.stats') && <SummaryStrip />}
      <Card size="small" className="sw-filters">
        <Form form={form} layout="inline" initialValues={INITIAL} onFinish={apply} data-testid="dispute-filters">
          <Form.Item name="open" label={t('filterOpen')}>
            <Segmented<OpenFilter>
              options={[
                { value: 'open', label: t('openOnly') },
                { value: 'closed', label: t('closedOnly') },
                { value: 'all', label: t('openAll') },
              ]}
              onChange={() => form.submit()}
              data-testid="filter-open"
            />
          </Form.Item>
          <Form.Item name="riskGrade" label={t('filterRisk')}>
            <Select mode="multiple" allowClear style={{ minWidth: 160 }} placeholder={t('all')} options={RISK_GRADES.map((g) => ({ value: g, label: label('grade_', g) }))} data-testid="filter-risk" aria-label={t('filterRisk')} />
          </Form.Item>
          <Form.Item name="status" label={t('filterStatus')}>
            <Select mode="multiple" allowClear style={{ minWidth: 160 }} placeholder={t('all')} maxTagCount="responsive" options={DISPUTE_STATUSES.map((s) => ({ value: s, label: label('st_', s) }))} data-testid="filter-status" aria-label={t('filterStatus')} />
          </Form.Item>
          <Form.Item name="type" label={t('filterType')}>
            <Select mode="multiple" allowClear style={{ minWidth: 180 }} placeholder={t('all')} maxTagCount="responsive" options={DISPUTE_TYPES.map((s) => ({ value: s, label: label('ty_', s) }))} data-testid="filter-type" aria-label={t('filterType')} />
          </Form.Item>
          <Form.Item name="number" label={t('numberSearch')} rules={[{ pattern: /^[A-Za-z0-9_-]*$/, message: t('numberInvalid') }]}>
            <Input allowClear style={{ width: 220 }} placeholder={t('numberPlaceholder')} data-testid="filter-number" />
          </Form.Item>
          <Form.Item name="sort" label={t('sort')}>
            <Select<Sort> style={{ width: 200 }} options={(['risk', 'age', 'recent'] as const).map((s) => ({ value: s, label: t(`sort_${s}`) }))} data-testid="filter-sort" aria-label={t('sort')} />
          </Form.Item>
          <FilterButtons form={form} onRefresh={() => void q.refetch()} labels={{ search: t('search'), reset: t('reset'), refresh: t('refresh') }} />
        </Form>
      </Card>
      <Card size="small">
        <Table<DisputeItem>
          size="small"
          rowKey="id"
          loading={q.isFetching && !q.data}
          dataSource={q.data?.items ?? []}
          data-testid="disputes-table"
          scroll={{ x: 1100 }}
          onRow={(r) => ({ onClick: () => navigate(`/disputes/${r.id}`), style: { cursor: 'pointer' }, 'data-testid': `dispute-row-${r.number}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: q.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100],
            showTotal: (n) => t('total', { n }),
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
          columns={[
            { title: t('colRisk'), key: 'risk', width: 76, render: (_, r) => <RiskTag grade={r.riskGrade} reasons={r.riskReasons} score={r.riskScore} /> },
            {
              title: t('colNumber'),
              dataIndex: 'number',
              width: 210,
              render: (v: string, r) => (
                <Link className="sw-mono" to={`/disputes/${r.id}`} onClick={(e) => e.stopPropagation()}>
                  {v}
                </Link>
              ),
            },
            { title: t('colType'), dataIndex: 'type', width: 130, render: (v: string) => label('ty_', v) },
            { title: t('colStatus'), dataIndex: 'status', width: 110, render: (v: string) => <DisputeStatusTag status={v} /> },
            { title: t('colDaysOpen'), dataIndex: 'daysOpen', width: 90, align: 'right', render: (v: number, r) => <span className={!r.closedAt && v >= 30 ? 'sw-days-long' : undefined}>{t('days', { n: v })}</span> },
            { title: t('colSummary'), dataIndex: 'summary', ellipsis: true },
            { title: t('colPlace'), dataIndex: 'address', width: 220, ellipsis: true, render: (v: string | null) => v ?? '—' },
            { title: t('colSource'), dataIndex: 'source', width: 100, render: (v: string) => label('src_', v) },
            { title: t('colRegisteredAt'), dataIndex: 'registeredAt', width: 150, render: (v: string) => fmtTime(v).slice(0, 16) },
          ]}
        />
      </Card>
    </div>
  );
}
