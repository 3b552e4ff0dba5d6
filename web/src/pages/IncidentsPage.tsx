/** 警情查询 — incidents in my jurisdiction, newest first, filtered by status, priority and date. */
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Checkbox, DatePicker, Form, Input, Select, Table, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import FilterButtons from '../components/FilterButtons';
import { api } from '../api';
import { fmtTime } from '../format';
import { PRIORITIES, STATUSES, useCategoryLabel, type Incident, type IncidentStatus, type Priority } from '../incidents/model';
import { useLabel } from '../i18n';
import { LocationPendingTag, PriorityTag, StatusTag } from '../incidents/tags';

interface Filters {
  /** Number (or its start), caller's phone, or words of the address. */
  q?: string;
  status: IncidentStatus[];
  priority?: Priority;
  range?: [Dayjs, Dayjs] | null;
  mine: boolean;
}

export default function IncidentsPage() {
  const { t } = useTranslation('incidents');
  const label = useLabel('incidents');
  const navigate = useNavigate();
  const catLabel = useCategoryLabel();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({ status: [], mine: false, range: [dayjs().subtract(6, 'day').startOf('day'), dayjs().endOf('day')] });
  const [page, setPage] = useState({ current: 1, pageSize: 20 });

  const q = useQuery({
    queryKey: ['incidents', 'list', filters, page],
    queryFn: () =>
      api<{ items: Incident[]; total: number }>('/api/v1/incidents', {
        query: {
          q: filters.q?.trim() || undefined,
          status: filters.status,
          priority: filters.priority,
          from: filters.range?.[0]?.startOf('day').toISOString(),
          to: filters.range?.[1]?.endOf('day').toISOString(),
          mine: filters.mine || undefined,
          limit: page.pageSize,
          offset: (page.current - 1) * page.pageSize,
        },
      }),
    placeholderData: keepPreviousData,
  });

  return (
    <div data-testid="page-incidents">
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('listTitle')}</Typography.Title>
      </div>
      <Card size="small" className="sw-filters">
        <Form
          form={form}
          layout="inline"
          initialValues={filters}
          onFinish={(v) => {
            setFilters({ q: v.q, status: v.status ?? [], priority: v.priority, range: v.range ?? null, mine: !!v.mine });
            setPage((p) => ({ ...p, current: 1 }));
          }}
          data-testid="incidents-filters"
        >
          <Form.Item name="q" label={t('filterSearch')}>
            <Input allowClear autoFocus style={{ width: 260 }} maxLength={100} placeholder={t('filterSearchHint')} data-testid="filter-q" />
          </Form.Item>
          <Form.Item name="status" label={t('filterStatus')}>
            <Select
              mode="multiple"
              allowClear
              style={{ minWidth: 260 }}
              placeholder={t('all')}
              options={STATUSES.map((s) => ({ value: s, label: label('st_', s) }))}
              data-testid="filter-status"
              maxTagCount="responsive"
            />
          </Form.Item>
          <Form.Item name="priority" label={t('filterPriority')}>
            <Select allowClear style={{ width: 140 }} placeholder={t('all')} options={PRIORITIES.map((p) => ({ value: p, label: t(p) }))} data-testid="filter-priority" />
          </Form.Item>
          <Form.Item name="range" label={t('filterDate')}>
            <DatePicker.RangePicker allowEmpty={[true, true]} data-testid="filter-range" />
          </Form.Item>
          <Form.Item name="mine" valuePropName="checked">
            <Checkbox>{t('filterMine')}</Checkbox>
          </Form.Item>
          <FilterButtons form={form} onRefresh={() => void q.refetch()} labels={{ search: t('search'), reset: t('reset'), refresh: t('refresh') }} />
        </Form>
      </Card>
      <Card size="small">
        <Table<Incident>
          size="small"
          rowKey="id"
          loading={q.isFetching}
          dataSource={q.data?.items ?? []}
          data-testid="incidents-table"
          onRow={(r) => ({ onClick: () => navigate(`/incidents/${r.id}`), style: { cursor: 'pointer' } })}
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
            { title: t('number'), dataIndex: 'number', width: 200, render: (v: string, r) => <a className="sw-mono" href={`/incidents/${r.id}`} onClick={(e) => e.preventDefault()}>{v}</a> },
            { title: t('filterDate'), key: 'at', width: 170, render: (_, r) => fmtTime(r.times.recordedAt) },
            { title: t('priority'), key: 'p', width: 70, render: (_, r) => <PriorityTag p={r.priority} /> },
            // The leaf says what happened; the path is there on hover.
            {
              title: t('category'),
              key: 'cat',
              width: 180,
              ellipsis: { showTitle: false },
              render: (_, r) => (
                <Tooltip title={catLabel(r.categoryCode, true)}>
                  <span>{catLabel(r.categoryCode)}</span>
                </Tooltip>
              ),
            },
            {
              title: t('address'),
              dataIndex: 'address',
              ellipsis: true,
              render: (v: string | null, r: Incident) => (
                <>
                  <LocationPendingTag incident={r} />
                  {v ?? '—'}
                </>
              ),
            },
            { title: t('description'), dataIndex: 'description', ellipsis: true },
            { title: t('jurisdiction'), dataIndex: 'stationId', width: 90, render: (v: string) => <span className="sw-mono">{v}</span> },
            { title: t('source'), dataIndex: 'source', width: 100, render: (v: string) => label('src_', v) },
            { title: t('status'), key: 'status', width: 100, render: (_, r) => <StatusTag s={r.status} /> },
          ]}
        />
      </Card>
    </div>
  );
}
