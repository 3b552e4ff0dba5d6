import { useMemo, useState } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined, SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, type AuditItem, type AuditVerify, type Page } from '../../api';
import { useLang } from '../../i18n';
import { useLabels, useUnits } from '../../session';
import { errorMessage, fmtTime } from '../../format';
import zhAdmin from '../../i18n/zh/admin';

interface Filters {
  range?: [Dayjs | null, Dayjs | null] | null;
  username?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  outcome?: string;
}

const OUTCOMES = ['success', 'rejected', 'denied', 'error', 'failure'];

/** The actions the server names in its routes (`config.audit.action`) and the CLI; others show their code. */
export const AUDIT_ACTIONS = [
  'auth.login', 'auth.logout', 'auth.password_change',
  'incident.create', 'incident.read', 'incident.history', 'incident.transition', 'incident.assign', 'incident.merge', 'incident.unmerge', 'incident.transfer',
  'transfer.answer', 'hotline.order_in', 'callback.record', 'callback.review', 'category.create', 'category.update',
  'assignment.ack', 'assignment.cancel', 'assignment.reassign', 'assignment.mine', 'alert.ack',
  'unit.list', 'unit.read', 'unit.create', 'unit.update', 'unit.status', 'unit.position', 'unit.positions', 'unit.shift.create',
  'address.create', 'address.import', 'landmark.create', 'landmark.update', 'org.unit_create', 'org.unit_update',
  'user.list', 'user.create', 'user.update', 'user.reset_password', 'user.unlock', 'token.create', 'token.revoke',
  'audit.search', 'audit.verify', 'demo.seed',
] as const;

/** The translated name of an action or outcome code; the code itself when we have no name for it. */
function useAuditLabels() {
  const { t } = useTranslation('admin');
  const known = (key: string) => Object.hasOwn(zhAdmin, key);
  return {
    action: (code: string) => (known(`aa_${code.replace(/\./g, '_')}`) ? t(`aa_${code.replace(/\./g, '_')}` as 'aa_auth_login') : code),
    outcome: (code: string) => (known(`ao_${code}`) ? t(`ao_${code}` as 'ao_success') : code),
  };
}

function outcomeColor(o: string): string {
  const s = o.toLowerCase();
  if (s === 'success' || s === 'ok' || s === 'allowed') return 'green';
  if (s === 'denied' || s === 'forbidden' || s === 'rejected') return 'orange';
  return 'red';
}

export default function AuditPage() {
  const { t } = useTranslation('admin');
  const { lang } = useLang();
  const { roleLabel } = useLabels(lang);
  const units = useUnits();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const labels = useAuditLabels();
  const actionOptions = useMemo(() => AUDIT_ACTIONS.map((a) => ({ value: a, label: labels.action(a), code: a })), [labels]);
  const unitName = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u.name])), [units.data]);

  const query = {
    from: filters.range?.[0]?.toISOString(),
    to: filters.range?.[1]?.toISOString(),
    username: filters.username?.trim(),
    action: filters.action?.trim(),
    entity: filters.entity?.trim(),
    entityId: filters.entityId?.trim(),
    outcome: filters.outcome?.trim(),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  const list = useQuery({
    queryKey: ['audit', query],
    queryFn: () => api<Page<AuditItem>>('/api/v1/audit', { query }),
    placeholderData: keepPreviousData,
  });
  const verify = useMutation({
    mutationFn: () => api<AuditVerify>('/api/v1/audit/verify'),
    onSettled: () => void list.refetch(),
  });

  const columns: TableColumnsType<AuditItem> = [
    { title: '#', dataIndex: 'seq', width: 70, render: (v: number) => <span className="sw-mono">{v}</span> },
    { title: t('auditTime'), dataIndex: 'at', width: 160, render: fmtTime },
    { title: t('auditUser'), dataIndex: 'username', width: 110, render: (v: string | null) => v ?? '—' },
    {
      title: t('auditRole'),
      dataIndex: 'roles',
      width: 130,
      render: (r: string[] | null) => (r && r.length ? r.map(roleLabel).join('、') : '—'),
    },
    {
      title: t('auditUnit'),
      dataIndex: 'unitId',
      width: 150,
      ellipsis: true,
      render: (v: string | null) => (v ? unitName.get(v) ?? <span className="sw-mono">{v}</span> : '—'),
    },
    {
      title: t('auditAction'),
      dataIndex: 'action',
      width: 170,
      render: (v: string) => (
        <Tooltip title={<span className="sw-mono">{v}</span>}>
          <span data-testid="audit-action" data-code={v}>
            {labels.action(v)}
          </span>
        </Tooltip>
      ),
    },
    { title: t('auditEntity'), dataIndex: 'entity', width: 100, render: (v: string | null) => v ?? '—' },
    {
      title: t('auditEntityId'),
      dataIndex: 'entityId',
      width: 140,
      ellipsis: true,
      render: (v: string | null) => (v ? <span className="sw-mono">{v}</span> : '—'),
    },
    { title: t('auditOutcome'), dataIndex: 'outcome', width: 90, render: (v: string) => <Tag color={outcomeColor(v)} data-testid="audit-outcome">{labels.outcome(v)}</Tag> },
    {
      title: t('auditRequestId'),
      dataIndex: 'requestId',
      width: 150,
      ellipsis: true,
      render: (v: string | null) => (v ? <span className="sw-mono">{v}</span> : '—'),
    },
    { title: t('auditClientIp'), dataIndex: 'clientIp', width: 130, render: (v: string | null) => (v ? <span className="sw-mono">{v}</span> : '—') },
  ];

  const v = verify.data;

  return (
    <div data-testid="page-audit">
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('navAudit')}</Typography.Title>
        <Button size="small" icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
          {t('auditVerify')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('auditHint')}
      </Typography.Paragraph>
      {verify.error && (
        <Alert type="error" showIcon closable title={errorMessage(verify.error)} style={{ marginBottom: 12 }} onClose={() => verify.reset()} />
      )}
      {v && (
        <Alert
          data-testid="audit-verify-result"
          type={v.ok ? 'success' : 'error'}
          showIcon
          closable
          onClose={() => verify.reset()}
          title={t('auditVerifyTitle')}
          description={
            v.ok ? t('auditVerifyOk', { rows: v.rows }) : t('auditVerifyBad', { seq: v.firstBadSeq ?? '?', reason: v.reason ?? '', rows: v.rows })
          }
          style={{ marginBottom: 12 }}
        />
      )}
      <Form
        form={form}
        layout="inline"
        className="sw-filters"
        onFinish={(vals) => {
          setFilters(vals);
          setPage(1);
        }}
        data-testid="audit-filters"
      >
        <Form.Item name="range" label={t('auditRange')}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="username" label={t('auditUser')}>
          <Input allowClear style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="action" label={t('auditAction')}>
          <Select
            allowClear
            showSearch={{ filterOption: (input, o) => !!o && `${o.label} ${o.code}`.toLowerCase().includes(input.toLowerCase()) }}
            style={{ width: 190 }}
            placeholder={t('auditActionAny')}
            options={actionOptions}
            data-testid="audit-action-filter"
            popupMatchSelectWidth={260}
          />
        </Form.Item>
        <Form.Item name="entity" label={t('auditEntity')}>
          <Input allowClear style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="entityId" label={t('auditEntityId')}>
          <Input allowClear style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="outcome" label={t('auditOutcome')}>
          <Select allowClear style={{ width: 150 }} options={OUTCOMES.map((o) => ({ value: o, label: labels.outcome(o) }))} data-testid="audit-outcome-filter" />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              {t('search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
                setPage(1);
              }}
            >
              {t('reset')}
            </Button>
            <Tooltip title={t('refresh')}>
              <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} />
            </Tooltip>
          </Space>
        </Form.Item>
      </Form>
      {list.error && <Alert type="error" showIcon title={t('loadFailed', { msg: errorMessage(list.error) })} style={{ marginBottom: 12 }} />}
      <Table<AuditItem>
        data-testid="audit-table"
        rowKey="seq"
        size="small"
        bordered
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 1400 }}
        expandable={{
          rowExpandable: (r) => r.detail !== null && r.detail !== undefined && !(typeof r.detail === 'object' && Object.keys(r.detail as object).length === 0),
          expandedRowRender: (r) => (
            <pre className="sw-mono" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
              {JSON.stringify(r.detail, null, 2)}
            </pre>
          ),
        }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('total', { n }),
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
          },
        }}
      />
    </div>
  );
}
