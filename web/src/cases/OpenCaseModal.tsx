/** 受案: open a case directly (kind, optional title, time of acceptance); the server's field errors show on their field. */
import { useEffect } from 'react';
import { useNavigate } from 'react-router-dom';
import { App as AntApp, DatePicker, Form, Input, Modal, Select, type ButtonProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../i18n';
import { showFormError } from '../format';
import { CASE_KINDS, useCaseWrite, type CaseItem, type CaseKind } from './model';

interface Values {
  kind: CaseKind;
  title?: string;
  acceptedAt?: Dayjs;
}

const FIELDS = ['kind', 'title', 'acceptedAt'] as const;

export default function OpenCaseModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('cases');
  const label = useLabel('cases');
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const write = useCaseWrite();

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ acceptedAt: dayjs() });
    write.reset();
  }, [open]); // only when the modal opens

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      const c = await write.run<CaseItem>('/api/v1/cases', { kind: v.kind, title: v.title?.trim() || undefined, acceptedAt: v.acceptedAt?.toISOString() });
      message.success(t('opened', { number: c.number }));
      onClose();
      navigate(`/cases/${c.id}`);
    } catch (e) {
      showFormError(form, e, FIELDS, (m) => message.error(m));
    }
  };

  return (
    <Modal
      open={open}
      title={t('openCaseTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('confirm')}
      cancelText={t('cancel')}
      okButtonProps={{ loading: write.busy, 'data-testid': 'case-open-ok' } as ButtonProps}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" data-testid="case-open-form" preserve={false}>
        <Form.Item name="kind" label={t('fieldKind')} rules={[{ required: true, message: t('kindRequired') }]}>
          <Select<CaseKind> options={CASE_KINDS.map((k) => ({ value: k, label: label('kind_', k) }))} data-testid="case-open-kind" aria-label={t('fieldKind')} />
        </Form.Item>
        <Form.Item name="title" label={t('fieldTitle')} extra={t('fieldTitleHint')} rules={[{ max: 200 }]}>
          <Input data-testid="case-open-title" />
        </Form.Item>
        <Form.Item name="acceptedAt" label={t('fieldAcceptedAt')} rules={[{ required: true, message: t('required') }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="case-open-at" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
