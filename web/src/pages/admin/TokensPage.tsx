import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type TokenItem } from '../../api';
import { useLang } from '../../i18n';
import { useLabels } from '../../session';
import { errorMessage, fmtTime, showFormError } from '../../format';
import UnitSelect from '../../components/UnitSelect';

interface CreateValues {
  name: string;
  scopes: string[];
  unitId: string;
}

function CreateTokenModal({ onCreated, onClose }: { onCreated: (token: string, item: TokenItem) => void; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const { lang } = useLang();
  const { scopes } = useLabels(lang);
  const [form] = Form.useForm<CreateValues>();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: (v: CreateValues) => api<{ token: string; item: TokenItem }>('/api/v1/tokens', { method: 'POST', idempotent: true, body: v }),
    onSuccess: (res) => {
      void qc.invalidateQueries({ queryKey: ['tokens'] });
      onCreated(res.token, res.item);
    },
    onError: (e) => showFormError(form, e, ['name', 'scopes', 'unitId'], (msg) => message.error(msg)),
  });
  return (
    <Modal
      open
      title={t('tokensCreate')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('create')}
      cancelText={t('cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} data-testid="token-create-form">
        <Form.Item name="name" label={t('tokenName')} rules={[{ required: true, message: t('required') }, { max: 100 }]}>
          <Input placeholder="12345 热线对接 / 12345 hotline link" />
        </Form.Item>
        <Form.Item name="scopes" label={t('tokenScopes')} rules={[{ required: true, type: 'array', min: 1, message: t('tokenScopesRequired') }]}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={scopes.map((s) => ({ value: s.id, label: `${s[lang] || s.zh}（${s.id}）` }))}
          />
        </Form.Item>
        <Form.Item name="unitId" label={t('unit')} rules={[{ required: true, message: t('unitRequired') }]}>
          <UnitSelect />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function TokensPage() {
  const { t } = useTranslation('admin');
  const { lang } = useLang();
  const { scopeLabel } = useLabels(lang);
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ token: string; item: TokenItem } | null>(null);

  const list = useQuery({ queryKey: ['tokens'], queryFn: () => api<{ items: TokenItem[] }>('/api/v1/tokens').then((r) => r.items) });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/api/v1/tokens/${encodeURIComponent(id)}/revoke`, { method: 'POST' }),
    onSuccess: () => {
      message.success(t('tokenRevoked'));
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });

  const columns: TableColumnsType<TokenItem> = [
    { title: t('tokenName'), dataIndex: 'name', ellipsis: true },
    { title: t('tokenPrefix'), dataIndex: 'prefix', width: 130, render: (v: string) => <span className="sw-mono">{v}…</span> },
    {
      title: t('tokenScopes'),
      dataIndex: 'scopes',
      render: (s: string[]) => (
        <Space size={[4, 4]} wrap>
          {s.map((x) => (
            <Tag key={x} title={x} style={{ marginInlineEnd: 0 }}>
              {scopeLabel(x)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('unit'), dataIndex: 'unitName', ellipsis: true, width: 200 },
    { title: t('tokenCreatedBy'), dataIndex: 'createdBy', width: 120 },
    { title: t('createdAt'), dataIndex: 'createdAt', width: 160, render: fmtTime },
    { title: t('tokenLastUsed'), dataIndex: 'lastUsedAt', width: 160, render: fmtTime },
    {
      title: t('status'),
      key: 'status',
      width: 190,
      render: (_, r) =>
        r.revokedAt ? <Tag>{t('tokenStatusRevoked', { at: fmtTime(r.revokedAt) })}</Tag> : <Tag color="green">{t('tokenStatusActive')}</Tag>,
    },
    {
      title: t('actions'),
      key: 'actions',
      width: 100,
      render: (_, r) =>
        r.revokedAt ? null : (
          <Popconfirm title={t('tokenRevokeConfirm')} okText={t('tokenRevoke')} cancelText={t('cancel')} okButtonProps={{ danger: true }} onConfirm={() => revoke.mutateAsync(r.id)}>
            <Button type="link" danger size="small" icon={<StopOutlined />}>
              {t('tokenRevoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <div data-testid="page-tokens">
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('navTokens')}</Typography.Title>
        <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
          {t('tokensCreate')}
        </Button>
        <Button size="small" icon={<ReloadOutlined />} onClick={() => void list.refetch()}>
          {t('refresh')}
        </Button>
      </div>
      <Typography.Paragraph type="secondary">{t('tokensHint')}</Typography.Paragraph>
      {list.error && <Alert type="error" showIcon title={t('loadFailed', { msg: errorMessage(list.error) })} style={{ marginBottom: 12 }} />}
      <Table<TokenItem>
        data-testid="tokens-table"
        rowKey="id"
        size="small"
        bordered
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isFetching}
        scroll={{ x: 1200 }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('total', { n }) }}
      />
      {creating && (
        <CreateTokenModal
          onClose={() => setCreating(false)}
          onCreated={(token, item) => {
            setCreating(false);
            setCreated({ token, item });
          }}
        />
      )}
      <Modal
        open={!!created}
        title={t('tokenCreatedTitle')}
        closable={false}
        destroyOnHidden
        maskClosable={false}
        keyboard={false}
        footer={
          <Button type="primary" onClick={() => setCreated(null)} data-testid="token-created-close">
            {t('close')}
          </Button>
        }
        width={600}
      >
        {created && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="token-created">
            <Alert type="warning" showIcon title={t('tokenOnceWarning')} />
            <Typography.Text strong>{created.item.name}</Typography.Text>
            <Typography.Paragraph
              className="sw-token-box"
              copyable={{ text: created.token, tooltips: [t('tokenCopy'), t('tokenCopied')] }}
              style={{ marginBottom: 0 }}
              data-testid="token-value"
            >
              {created.token}
            </Typography.Paragraph>
          </Space>
        )}
      </Modal>
    </div>
  );
}
