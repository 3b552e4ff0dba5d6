/**
 * One step on a dispute as a small form in a modal: posts with its own Idempotency-Key (kept across
 * retries of the same submission), shows the server's message next to the field it names or above
 * the form, and refreshes the register's queries when done.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Form, Modal, type ButtonProps, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { normaliseField } from '../format';
import { useWrite } from './model';

export interface ActionModalProps<V> {
  open: boolean;
  title: string;
  path: string;
  /** The request body from the form's values. */
  toBody: (v: V) => unknown;
  /** Form item names, for placing the server's field errors. */
  fields?: readonly string[];
  initialValues?: Partial<V>;
  okText?: string;
  danger?: boolean;
  testId: string;
  onClose: () => void;
  onDone?: (answer: unknown) => void;
  children?: ReactNode | ((form: FormInstance<V>) => ReactNode);
  width?: number;
}

export default function ActionModal<V extends object>({ open, title, path, toBody, fields = [], initialValues, okText, danger, testId, onClose, onDone, children, width }: ActionModalProps<V>) {
  const { t } = useTranslation('disputes');
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<V>();
  const write = useWrite();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    write.reset();
  }, [open]); // only when the modal opens

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setError(null);
    try {
      const out = await write.run(path, toBody(v));
      message.success(t('done', { action: title }));
      onClose();
      onDone?.(out);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const name = e instanceof ApiError && e.field ? normaliseField(e.field) : '';
      if (name && fields.includes(name)) form.setFields([{ name: name as never, errors: [msg] }]);
      else setError(msg);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={okText ?? t('confirm')}
      okButtonProps={{ danger, className: danger ? 'sw-danger-solid' : undefined, loading: write.busy, 'data-testid': `${testId}-ok` } as ButtonProps}
      destroyOnHidden
      width={width}
    >
      <div data-testid={testId}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid={`${testId}-error`} />}
        <Form<V> form={form} layout="vertical" initialValues={initialValues} preserve={false}>
          {typeof children === 'function' ? children(form) : children}
        </Form>
      </div>
    </Modal>
  );
}
