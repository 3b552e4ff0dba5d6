import { App as AntApp, Form, Input, Modal } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { showFormError } from '../format';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('auth');
  const [form] = Form.useForm<Values>();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const m = useMutation({
    mutationFn: (v: Values) => api('/api/v1/auth/password', { method: 'POST', body: { currentPassword: v.currentPassword, newPassword: v.newPassword } }),
    onSuccess: () => {
      message.success(t('passwordChanged'));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['me'] });
      onClose();
    },
    onError: (e) => showFormError(form, e, ['currentPassword', 'newPassword'], (msg) => message.error(msg)),
  });
  return (
    <Modal
      title={t('changePassword')}
      open={open}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={420}
    >
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} requiredMark={false} data-testid="change-password-form">
        <Form.Item name="currentPassword" label={t('currentPassword')} rules={[{ required: true, message: t('passwordRequired') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('newPassword')} rules={[{ required: true, min: 8, message: t('passwordMin') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('passwordMin') },
            ({ getFieldValue }) => ({
              validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('passwordMismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
