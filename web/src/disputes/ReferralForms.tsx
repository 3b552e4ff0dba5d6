/** The forms of a referral's steps: refer or reassign (type, agency, mediator), a reason, an extension. */
import { Checkbox, DatePicker, Form, Input, InputNumber, Select, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { AGENCY_KINDS_FOR, MEDIATION_TYPES, useDisputeLabel, type Agency } from './model';

export interface ReferValues {
  mediationType: (typeof MEDIATION_TYPES)[number];
  agencyId: string;
  mediatorId?: string;
  hiredViolence?: boolean;
  repeatOffender?: boolean;
  reason?: string;
}

export const referBody = (v: ReferValues, withReason: boolean) => ({
  mediationType: v.mediationType,
  agencyId: v.agencyId,
  mediatorId: v.mediatorId || undefined,
  hiredViolence: v.mediationType === 'police' ? v.hiredViolence || undefined : undefined,
  repeatOffender: v.mediationType === 'police' ? v.repeatOffender || undefined : undefined,
  ...(withReason ? { reason: v.reason?.trim() } : {}),
});

/** Agencies serving the dispute's station first, then its branch (codes nest), then city-wide ones, then the rest. */
function nearFirst(agencies: readonly Agency[], stationId: string): Agency[] {
  const rank = (a: Agency) => (a.servesUnitId === stationId ? 0 : a.servesUnitId && stationId.startsWith(a.servesUnitId) ? 1 : a.servesUnitId === null ? 2 : 3);
  return [...agencies].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'zh'));
}

export function ReferFields({ form, agencies, withReason, stationId }: { form: FormInstance<ReferValues>; agencies: readonly Agency[]; withReason: boolean; stationId: string }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const type = Form.useWatch('mediationType', form);
  const agencyId = Form.useWatch('agencyId', form);
  const fitting = type ? nearFirst(agencies.filter((a) => AGENCY_KINDS_FOR[type].includes(a.kind)), stationId) : [];
  const agency = agencies.find((a) => a.id === agencyId);
  return (
    <>
      <Form.Item name="mediationType" label={t('mediationType')} rules={[{ required: true }]}>
        <Select
          options={MEDIATION_TYPES.map((m) => ({ value: m, label: label('mt_', m) }))}
          onChange={() => form.setFieldsValue({ agencyId: undefined, mediatorId: undefined })}
          data-testid="refer-type"
          aria-label={t('mediationType')}
        />
      </Form.Item>
      <Form.Item name="agencyId" label={t('referAgency')} rules={[{ required: true }]}>
        <Select
          showSearch
          optionFilterProp="label"
          options={fitting.map((a) => ({ value: a.id, label: `${a.name}（${label('ak_', a.kind)}）` }))}
          onChange={() => form.setFieldsValue({ mediatorId: undefined })}
          data-testid="refer-agency"
          aria-label={t('referAgency')}
        />
      </Form.Item>
      <Form.Item name="mediatorId" label={t('referMediator')}>
        <Select allowClear placeholder={t('anyMediator')} options={(agency?.mediators ?? []).map((m) => ({ value: m.id, label: m.displayName }))} data-testid="refer-mediator" aria-label={t('referMediator')} />
      </Form.Item>
      {type === 'police' && (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 4 }}>
            {t('policeFactsHint')}
          </Typography.Paragraph>
          <Form.Item name="hiredViolence" valuePropName="checked" style={{ marginBottom: 4 }}>
            <Checkbox>{t('hiredViolence')}</Checkbox>
          </Form.Item>
          <Form.Item name="repeatOffender" valuePropName="checked">
            <Checkbox>{t('repeatOffender')}</Checkbox>
          </Form.Item>
        </>
      )}
      {withReason && <ReasonField />}
    </>
  );
}

export function ReasonField() {
  const { t } = useTranslation('disputes');
  return (
    <Form.Item name="reason" label={t('reason')} rules={[{ required: true, whitespace: true, message: t('reasonRequired') }, { max: 1000 }]}>
      <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="action-reason" />
    </Form.Item>
  );
}

export function ExtendFields() {
  const { t } = useTranslation('disputes');
  return (
    <>
      <Form.Item name="days" label={t('extendDays')} rules={[{ required: true }]}>
        <InputNumber min={1} max={90} style={{ width: 120 }} />
      </Form.Item>
      <Form.Item name="consentedAt" label={t('consentedAt')} rules={[{ required: true }]}>
        <DatePicker showTime />
      </Form.Item>
      <Form.Item name="note" label={t('note')} rules={[{ max: 1000 }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} />
      </Form.Item>
    </>
  );
}
