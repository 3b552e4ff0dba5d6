/**
 * 受案: open a case (kind, optional title, time of acceptance), directly or from an incident (the incident
 * page passes it: the case is linked, its kind preset from the category, its title from the incident);
 * the server's field errors show on their field.
 */
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

/** The incident a case is opened from, with the kind its category suggests. */
export interface FromIncident {
  id: string;
  number: string;
  kind: CaseKind;
}

export default function OpenCaseModal({ open, onClose, incident }: { open: boolean; onClose: () => void; incident?: FromIncident }) {
  const { t } = useTranslation('cases');
  const label = useLabel('cases');
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const write = useCaseWrite();

  useEffect(() => {
    if (!open) return;
    // The form mounts with the modal (destroyOnHidden): its initial values are set on every opening.
    form.resetFields();
    write.reset();
  }, [open]); // only when the modal opens

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      const c = await write.run<CaseItem>('/api/v1/cases', { kind: v.kind, title: v.title?.trim() || undefined, acceptedAt: v.acceptedAt?.toISOString(), incidentIds: incident ? [incident.id] : undefined });
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
      <Form<Values> form={form} layout="vertical" data-testid="case-open-form" preserve={false} initialValues={{ kind: incident?.kind, acceptedAt: dayjs() }}>
        {incident && (
          <Form.Item label={t('fieldIncident')}>
            <span className="sw-mono" data-testid="case-open-incident">
              {incident.number}
            </span>
          </Form.Item>
        )}
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
