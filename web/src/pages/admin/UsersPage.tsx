import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { EditOutlined, KeyOutlined, PlusOutlined, ReloadOutlined, UnlockOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, type Page, type UserItem } from '../../api';
import { useLang } from '../../i18n';
import { useLabels } from '../../session';
import { errorMessage, fmtTime, showFormError } from '../../format';
import UnitSelect from '../../components/UnitSelect';

const PAGE_SIZE = 20;

interface CreateValues {
  username: string;
  displayName: string;
  unitId: string;
  roles: string[];
  password: string;
  phone?: string;
}

interface EditValues {
  displayName: string;
  unitId: string;
  roles: string[];
  disabled: boolean;
  phone?: string;
}

function useRoleOptions() {
  const { lang } = useLang();
  const { roles } = useLabels(lang);
  return roles.map((r) => ({ value: r.id, label: r[lang] || r.zh }));
}

function CreateUserModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation(['admin', 'auth']);
  const [form] = Form.useForm<CreateValues>();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const roleOptions = useRoleOptions();
  const m = useMutation({
    mutationFn: (v: CreateValues) =>
      api<UserItem>('/api/v1/users', { method: 'POST', idempotent: true, body: { ...v, phone: v.phone?.trim() || undefined } }),
    onSuccess: () => {
      message.success(t('created'));
      void qc.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (e) => showFormError(form, e, ['username', 'displayName', 'unitId', 'roles', 'password', 'phone'], (msg) => message.error(msg)),
  });
  return (
    <Modal
      open
      title={t('usersCreate')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('create')}
      cancelText={t('cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} data-testid="user-create-form">
        <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required') }, { max: 64 }]}>
          <Input autoComplete="off" className="sw-mono" />
        </Form.Item>
        <Form.Item name="displayName" label={t('displayName')} rules={[{ required: true, message: t('required') }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="unitId" label={t('unit')} rules={[{ required: true, message: t('unitRequired') }]}>
          <UnitSelect />
        </Form.Item>
        <Form.Item name="roles" label={t('roles')} rules={[{ required: true, type: 'array', min: 1, message: t('rolesRequired') }]}>
          <Select mode="multiple" options={roleOptions} optionFilterProp="label" />
        </Form.Item>
        <Form.Item name="password" label={t('initialPassword')} rules={[{ required: true, min: 8, message: t('auth:passwordMin') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="phone" label={`${t('phone')}（${t('optional')}）`} rules={[{ max: 32 }]}>
          <Input autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EditUserModal({ user, onClose }: { user: UserItem; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [form] = Form.useForm<EditValues>();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const roleOptions = useRoleOptions();
  const m = useMutation({
    mutationFn: (v: EditValues) => {
      const body: Record<string, unknown> = {};
      if (v.displayName !== user.displayName) body.displayName = v.displayName;
      if (v.unitId !== user.unitId) body.unitId = v.unitId;
      if ([...v.roles].sort().join() !== [...user.roles].sort().join()) body.roles = v.roles;
      if (v.disabled !== user.disabled) body.disabled = v.disabled;
      // The phone comes masked from the server; send it only when the admin typed a new one.
      if (v.phone && v.phone.trim() && v.phone !== user.phone) body.phone = v.phone.trim();
      return api<UserItem>(`/api/v1/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body });
    },
    onSuccess: () => {
      message.success(t('saved'));
      void qc.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (e) => showFormError(form, e, ['displayName', 'unitId', 'roles', 'disabled', 'phone'], (msg) => message.error(msg)),
  });
  return (
    <Modal
      open
      title={`${t('usersEdit')} · ${user.username}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={560}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ displayName: user.displayName, unitId: user.unitId, roles: user.roles, disabled: user.disabled }}
        onFinish={(v) => m.mutate(v)}
        data-testid="user-edit-form"
      >
        <Form.Item name="displayName" label={t('displayName')} rules={[{ required: true, message: t('required') }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="unitId" label={t('unit')} rules={[{ required: true, message: t('unitRequired') }]}>
          <UnitSelect />
        </Form.Item>
        <Form.Item name="roles" label={t('roles')} rules={[{ required: true, type: 'array', min: 1, message: t('rolesRequired') }]}>
          <Select mode="multiple" options={roleOptions} optionFilterProp="label" />
        </Form.Item>
        <Form.Item name="phone" label={`${t('phone')}（${t('optional')}）`} extra={user.phone ? user.phone : undefined} rules={[{ max: 32 }]}>
          <Input autoComplete="off" placeholder={user.phone ?? ''} />
        </Form.Item>
        <Form.Item name="disabled" label={t('disabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: UserItem; onClose: () => void }) {
  const { t } = useTranslation(['admin', 'auth']);
  const [form] = Form.useForm<{ newPassword: string }>();
  const { message } = AntApp.useApp();
  const m = useMutation({
    mutationFn: (v: { newPassword: string }) =>
      api(`/api/v1/users/${encodeURIComponent(user.id)}/reset-password`, { method: 'POST', body: { newPassword: v.newPassword } }),
    onSuccess: () => {
      message.success(t('passwordReset'));
      onClose();
    },
    onError: (e) => showFormError(form, e, ['newPassword'], (msg) => message.error(msg)),
  });
  return (
    <Modal
      open
      title={t('resetPasswordFor', { name: `${user.displayName}（${user.username}）` })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={420}
    >
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item name="newPassword" label={t('auth:newPassword')} rules={[{ required: true, min: 8, message: t('auth:passwordMin') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const { t } = useTranslation('admin');
  const { lang } = useLang();
  const { roleLabel } = useLabels(lang);
  const roleOptions = useRoleOptions();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<string | undefined>();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(PAGE_SIZE);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserItem | null>(null);
  const [resetting, setResetting] = useState<UserItem | null>(null);

  const list = useQuery({
    queryKey: ['users', { q, role, unitId, page, pageSize }],
    queryFn: () =>
      api<Page<UserItem>>('/api/v1/users', { query: { q, role, unitId, limit: pageSize, offset: (page - 1) * pageSize } }),
    placeholderData: keepPreviousData,
  });

  const unlock = useMutation({
    mutationFn: (u: UserItem) => api(`/api/v1/users/${encodeURIComponent(u.id)}/unlock`, { method: 'POST' }),
    onSuccess: () => {
      message.success(t('unlocked'));
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });

  const isLocked = (u: UserItem) => !!u.lockedUntil && dayjs(u.lockedUntil).isAfter(dayjs());

  const columns: TableColumnsType<UserItem> = [
    { title: t('username'), dataIndex: 'username', width: 130, render: (v: string) => <span className="sw-mono">{v}</span> },
    { title: t('displayName'), dataIndex: 'displayName', width: 140 },
    {
      title: t('roles'),
      dataIndex: 'roles',
      render: (roles: string[]) => (
        <Space size={[4, 4]} wrap>
          {roles.map((r) => (
            <Tag key={r} color={r === 'admin' ? 'volcano' : 'blue'} style={{ marginInlineEnd: 0 }}>
              {roleLabel(r)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('unit'), dataIndex: 'unitName', ellipsis: true },
    { title: t('phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => (v ? <span className="sw-mono">{v}</span> : '—') },
    {
      title: t('status'),
      key: 'status',
      width: 170,
      render: (_, u) =>
        u.disabled ? (
          <Tag color="default">{t('statusDisabled')}</Tag>
        ) : isLocked(u) ? (
          <Tag color="red">{t('statusLocked', { until: fmtTime(u.lockedUntil) })}</Tag>
        ) : (
          <Tag color="green">{t('statusActive')}</Tag>
        ),
    },
    { title: t('lastLogin'), dataIndex: 'lastLoginAt', width: 160, render: (v: string | null) => (v ? fmtTime(v) : t('neverLoggedIn')) },
    {
      title: t('actions'),
      key: 'actions',
      width: 230,
      fixed: 'right',
      render: (_, u) => (
        <Space size={0} wrap>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>
            {t('edit')}
          </Button>
          <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)}>
            {t('resetPassword')}
          </Button>
          {isLocked(u) && (
            <Button type="link" size="small" icon={<UnlockOutlined />} loading={unlock.isPending && unlock.variables?.id === u.id} onClick={() => unlock.mutate(u)}>
              {t('unlock')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="page-users">
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('navUsers')}</Typography.Title>
        <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
          {t('usersCreate')}
        </Button>
      </div>
      <Space wrap className="sw-filters">
        <Input.Search
          allowClear
          placeholder={t('usersSearch')}
          aria-label={t('usersSearch')}
          style={{ width: 240 }}
          onSearch={(v) => {
            setQ(v.trim());
            setPage(1);
          }}
          data-testid="users-search"
        />
        <Select
          allowClear
          placeholder={t('usersRoleFilter')}
          aria-label={t('usersRoleFilter')}
          style={{ width: 180 }}
          options={roleOptions}
          value={role}
          onChange={(v) => {
            setRole(v);
            setPage(1);
          }}
        />
        <UnitSelect
          allowClear
          placeholder={t('usersUnitFilter')}
          aria-label={t('usersUnitFilter')}
          style={{ width: 240 }}
          value={unitId}
          onChange={(v) => {
            setUnitId(v);
            setPage(1);
          }}
        />
        <Tooltip title={t('refresh')}>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} />
        </Tooltip>
      </Space>
      {list.error && <Alert type="error" showIcon title={t('loadFailed', { msg: errorMessage(list.error) })} style={{ marginBottom: 12 }} />}
      <Table<UserItem>
        data-testid="users-table"
        rowKey="id"
        size="small"
        bordered
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 1200 }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100],
          showTotal: (n) => t('total', { n }),
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
          },
        }}
      />
      {creating && <CreateUserModal onClose={() => setCreating(false)} />}
      {editing && <EditUserModal user={editing} onClose={() => setEditing(null)} />}
      {resetting && <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />}
    </div>
  );
}
