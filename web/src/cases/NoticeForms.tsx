/**
 * The forms of a supervision notice: issue one (the supervisor: problems by type with their description,
 * the answer's due date), answer it (the station), verify the answer (accept, or return with a reason and
 * a new due date). The server's refusal shows on the field it names.
 */
import { useEffect } from 'react';
import { App as AntApp, Button, DatePicker, Form, Input, Modal, Select, Space, type ButtonProps } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import { showFormError } from '../format';
import { useCaseWrite } from './model';
import { PROBLEM_LABELS, PROBLEM_TYPES, inLang, type Notice, type ProblemType } from './notices-model';

interface IssueValues {
  items: { type?: ProblemType; description?: string }[];
  answerDueAt: Dayjs;
}

export function IssueNoticeModal({ caseId, open, onClose }: { caseId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation('cases');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<IssueValues>();
  const write = useCaseWrite();

  useEffect(() => {
    if (open) form.setFieldsValue({ items: [{}], answerDueAt: dayjs().add(5, 'day').hour(17).minute(0).second(0) });
  }, [open, form]);

  const submit = async (v: IssueValues) => {
    try {
      const n = await write.run<Notice>(`/api/v1/cases/${encodeURIComponent(caseId)}/notices`, { items: v.items.map((i) => ({ type: i.type, description: i.description?.trim() ?? '' })), answerDueAt: v.answerDueAt.toISOString() });
      message.success(t('noticeIssued', { number: n.number }));
      form.resetFields();
      onClose();
    } catch (e) {
      showFormError(form, e, ['items', 'answerDueAt'], (m) => message.error(m));
    }
  };

  const required = [{ required: true, message: t('required') }];
  return (
    <Modal open={open} title={t('noticeIssueTitle')} onCancel={onClose} onOk={() => form.submit()} okText={t('noticeIssue')} confirmLoading={write.busy} width={720} destroyOnHidden cancelText={t('cancel')} okButtonProps={{ 'data-testid': 'notice-issue-submit' } as ButtonProps}>
      <Form<IssueValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="notice-issue-form">
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" style={{ display: 'flex' }}>
                  <Form.Item name={[f.name, 'type']} label={i === 0 ? t('noticeItemType') : undefined} rules={required} style={{ width: 200 }}>
                    <Select<ProblemType> showSearch={{ optionFilterProp: 'label' }} options={PROBLEM_TYPES.map((p) => ({ value: p, label: inLang(PROBLEM_LABELS[p], lang) }))} aria-label={t('noticeItemType')} data-testid={`notice-item-type-${i}`} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'description']} label={i === 0 ? t('noticeItemText') : undefined} rules={[...required, { max: 1000 }]} style={{ width: 420 }}>
                    <Input aria-label={t('noticeItemText')} data-testid={`notice-item-text-${i}`} />
                  </Form.Item>
                  {fields.length > 1 && <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('noticeRemoveItem')} style={{ marginTop: i === 0 ? 30 : 0 }} />}
                </Space>
              ))}
              {fields.length < 20 && (
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} style={{ marginBottom: 12 }} data-testid="notice-add-item">
                  {t('noticeAddItem')}
                </Button>
              )}
            </>
          )}
        </Form.List>
        <Form.Item name="answerDueAt" label={t('noticeDue')} rules={required}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="notice-due" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function AnswerForm({ notice }: { notice: Notice }) {
  const { t } = useTranslation('cases');
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ text: string }>();
  const write = useCaseWrite();
  const submit = async (v: { text: string }) => {
    try {
      await write.run(`/api/v1/notices/${encodeURIComponent(notice.id)}/answer`, { text: v.text.trim() });
      message.success(t('noticeAnswered'));
      form.resetFields();
    } catch (e) {
      showFormError(form, e, ['text'], (m) => message.error(m));
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid={`notice-answer-form-${notice.number}`}>
      <Form.Item name="text" label={t('noticeAnswerText')} rules={[{ required: true, whitespace: true, message: t('required') }, { max: 4000 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="notice-answer-text" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={write.busy} data-testid="notice-answer-submit">
        {t('noticeAnswerSubmit')}
      </Button>
    </Form>
  );
}

interface VerifyValues {
  comment?: string;
  answerDueAt?: Dayjs;
}

export function VerifyForm({ notice }: { notice: Notice }) {
  const { t } = useTranslation('cases');
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<VerifyValues>();
  const write = useCaseWrite();
  const send = async (result: 'accepted' | 'returned') => {
    const v = form.getFieldsValue();
    try {
      await write.run(`/api/v1/notices/${encodeURIComponent(notice.id)}/verify`, { result, comment: v.comment?.trim() || undefined, answerDueAt: result === 'returned' ? v.answerDueAt?.toISOString() : undefined });
      message.success(t('noticeVerified'));
      form.resetFields();
    } catch (e) {
      showFormError(form, e, ['comment', 'answerDueAt'], (m) => message.error(m));
    }
  };
  return (
    <Form<VerifyValues> form={form} layout="vertical" data-testid={`notice-verify-form-${notice.number}`} initialValues={{ answerDueAt: dayjs().add(3, 'day').hour(17).minute(0).second(0) }}>
      <Form.Item name="comment" label={t('noticeReturnComment')} rules={[{ max: 2000 }]}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="notice-verify-comment" />
      </Form.Item>
      <Form.Item name="answerDueAt" label={t('noticeNewDue')}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="notice-verify-due" />
      </Form.Item>
      <Space>
        <Button type="primary" onClick={() => void send('accepted')} loading={write.busy} data-testid="notice-accept">
          {t('noticeAccept')}
        </Button>
        <Button danger onClick={() => void send('returned')} loading={write.busy} data-testid="notice-return">
          {t('noticeReturn')}
        </Button>
      </Space>
    </Form>
  );
}
