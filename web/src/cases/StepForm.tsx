/**
 * 记录步骤: one procedural step of a case — its type, when it happened, whom it is about, and what the
 * type needs (the kind of an examination; the clock, ground, approver and amount of an extension; the
 * step a voiding removes). The server checks it with every step before it; its refusal shows on the
 * field it names.
 */
import { useEffect } from 'react';
import { App as AntApp, Button, Card, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLang, useLabel } from '../i18n';
import { fmtTime, showFormError } from '../format';
import { EVENT_TYPES, EXAMINATION_KINDS, extendableRules, useCaseWrite, type CaseDetail, type EventType, type StepBody } from './model';

/** The form's values: the request body, with the time as the date picker holds it (no ref: not asked). */
type Values = Omit<StepBody, 'at' | 'ref'> & { at: Dayjs };

const FIELDS = ['type', 'at', 'subject', 'kind', 'rule', 'extension', 'approver', 'amount', 'replaces', 'note'] as const;
/** Steps about one person or thing: the subject is asked first. */
const PER_SUBJECT: readonly EventType[] = ['summons', 'questioning_started', 'questioning_ended', 'detention', 'arrest_requested', 'arrest_approved', 'arrest_refused', 'arrest', 'released', 'seizure', 'seizure_released', 'extension'];

export default function StepForm({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation('cases');
  const label = useLabel('cases');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const write = useCaseWrite();
  const type = Form.useWatch('type', form);
  const ruleId = Form.useWatch('rule', form);
  const closed = !!detail.case.closedAt;
  const types = closed ? (['voided'] as const) : EVENT_TYPES.filter((x) => x !== 'accepted');
  const rules = extendableRules(detail.case.kind);
  const rule = rules.find((r) => r.id === ruleId);
  const replaced = new Set(detail.events.map((e) => e.detail.replaces));
  const voidable = detail.events.filter((e) => e.type !== 'voided' && !replaced.has(e.id));

  useEffect(() => {
    form.setFieldsValue({ at: dayjs() });
  }, [form]);

  const submit = async (v: Values) => {
    const body: StepBody = { type: v.type, at: v.at.toISOString() };
    const text = (s?: string) => s?.trim() || undefined;
    if (PER_SUBJECT.includes(v.type) || v.type === 'examination_started' || v.type === 'examination_ended') body.subject = text(v.subject);
    if (v.type === 'examination_started') body.kind = v.kind;
    if (v.type === 'extension') Object.assign(body, { rule: v.rule, extension: v.extension, approver: text(v.approver), amount: v.amount ?? undefined });
    if (v.type === 'voided') body.replaces = v.replaces;
    body.note = text(v.note);
    try {
      await write.run(`/api/v1/cases/${encodeURIComponent(detail.case.id)}/events`, body);
      message.success(t('stepRecorded', { type: label('ev_', v.type) }));
      form.resetFields();
      form.setFieldsValue({ at: dayjs() });
    } catch (e) {
      showFormError(form, e, FIELDS, (m) => message.error(m));
    }
  };

  const required = [{ required: true, message: t('required') }];
  return (
    <Card size="small" title={t('recordStep')} data-testid="case-step-form">
      {closed && <div className="sw-case-step-detail" style={{ marginBottom: 8 }}>{t('caseClosedNoSteps')}</div>}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="type" label={t('stepType')} rules={required}>
          <Select<EventType> showSearch={{ optionFilterProp: 'label' }} options={types.map((x) => ({ value: x, label: label('ev_', x) }))} data-testid="step-type" aria-label={t('stepType')} />
        </Form.Item>
        <Form.Item name="at" label={t('stepAt')} rules={required}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} data-testid="step-at" />
        </Form.Item>
        {type && (PER_SUBJECT.includes(type) || type === 'examination_started' || type === 'examination_ended') && (
          <Form.Item name="subject" label={t('stepSubject')} extra={t('stepSubjectHint')} rules={[{ max: 200 }]}>
            <Input data-testid="step-subject" />
          </Form.Item>
        )}
        {type === 'examination_started' && (
          <Form.Item name="kind" label={t('stepKind')} rules={required}>
            <Select options={EXAMINATION_KINDS.map((k) => ({ value: k, label: label('exk_', k) }))} data-testid="step-kind" aria-label={t('stepKind')} />
          </Form.Item>
        )}
        {type === 'extension' && (
          <>
            <Form.Item name="rule" label={t('stepRule')} rules={required}>
              <Select options={rules.map((r) => ({ value: r.id, label: lang === 'en' ? r.en : r.zh }))} onChange={() => form.setFieldsValue({ extension: undefined })} data-testid="step-rule" aria-label={t('stepRule')} />
            </Form.Item>
            <Form.Item name="extension" label={t('stepExtension')} rules={required}>
              <Select options={(rule?.extensions ?? []).map((x) => ({ value: x.id, label: lang === 'en' ? x.en : x.zh, title: x.basis }))} data-testid="step-extension" aria-label={t('stepExtension')} />
            </Form.Item>
            <Form.Item name="approver" label={t('stepApprover')} extra={rule?.extensions.find((x) => x.id === form.getFieldValue('extension'))?.approvedBy} rules={[...required, { max: 200 }]}>
              <Input data-testid="step-approver" />
            </Form.Item>
            <Form.Item name="amount" label={t('stepAmount')} extra={rule ? t('stepAmountHint', { unit: label('unit_', rule.length.unit) }) : undefined}>
              <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} data-testid="step-amount" />
            </Form.Item>
          </>
        )}
        {type === 'voided' && (
          <Form.Item name="replaces" label={t('stepReplaces')} rules={required}>
            <Select options={voidable.map((e) => ({ value: e.id, label: `${label('ev_', e.type)} · ${fmtTime(e.at).slice(0, 16)}${e.detail.subject ? ` · ${String(e.detail.subject)}` : ''}` }))} data-testid="step-replaces" aria-label={t('stepReplaces')} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('stepNote')} rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="step-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={write.busy} data-testid="step-submit">
          {t('submit')}
        </Button>
      </Form>
    </Card>
  );
}
