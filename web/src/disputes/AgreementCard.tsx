/**
 * The agreement: the form that records it (terms; how, where and by when it is performed; each party's
 * signature, confirmed on screen or as a signed scan) and, once signed, its summary with the printable
 * document, its performance and the request for judicial confirmation (司法确认).
 */
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App as AntApp, Button, Card, Checkbox, DatePicker, Descriptions, Empty, Form, Input, Radio, Space, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { fmtTime } from '../format';
import ActionModal from './ActionModal';
import { workedBy } from './WorkCards';
import { hasPermission, useDisputeLabel, useWrite, type Agency, type DisputeDetail } from './model';

interface AgreementValues {
  text: string;
  performanceMethod?: string;
  performancePlace?: string;
  performanceDeadline?: Dayjs;
  [signature: `signed_${string}` | `method_${string}`]: unknown;
}

export default function AgreementCard({ dispute, user, agencies }: { dispute: DisputeDetail; user: User; agencies: readonly Agency[] }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const { message } = AntApp.useApp();
  const confirm = useWrite();
  const [open, setOpen] = useState(false);
  const navigate = useNavigate();
  const a = dispute.agreement;
  const can = !a && !!workedBy(dispute, user, agencies, ['in_mediation']);

  const requestConfirmation = async () => {
    try {
      await confirm.run(`/api/v1/disputes/${dispute.id}/agreement/judicial-confirmation`);
      message.success(t('done', { action: t('requestConfirmation') }));
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };

  const toBody = (v: AgreementValues) => ({
    text: v.text.trim(),
    performanceMethod: v.performanceMethod?.trim() || undefined,
    performancePlace: v.performancePlace?.trim() || undefined,
    performanceDeadline: v.performanceDeadline ? v.performanceDeadline.format('YYYY-MM-DD') : undefined,
    signatures: dispute.parties.filter((p) => v[`signed_${p.id}`]).map((p) => ({ partyId: p.id, method: (v[`method_${p.id}`] as 'on_screen' | 'scan') ?? 'on_screen' })),
  });

  return (
    <Card
      size="small"
      title={t('agreement')}
      data-testid="dispute-agreement"
      extra={
        can ? (
          <Button size="small" type="primary" onClick={() => setOpen(true)} data-testid="agreement-add">
            {t('addAgreement')}
          </Button>
        ) : null
      }
    >
      {!a && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noAgreement')} />}
      {a && (
        <>
          <Typography.Paragraph className="sw-pre" data-testid="agreement-text">
            {a.text}
          </Typography.Paragraph>
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('performanceMethod')}>{a.performanceMethod ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('performancePlace')}>{a.performancePlace ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('performanceDeadline')}>{a.performanceDeadline ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('signedAt')}>{fmtTime(a.signedAt).slice(0, 16)}</Descriptions.Item>
            <Descriptions.Item label={t('mediator')}>{a.mediatorName ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('agency')}>{agencies.find((x) => x.id === a.agencyId)?.name ?? dispute.referrals.find((r) => r.agencyId === a.agencyId)?.agencyName ?? a.agencyId}</Descriptions.Item>
            <Descriptions.Item label={t('signatures')} span={2}>
              <span data-testid="agreement-signatures">
                {dispute.parties
                  .map((p) => {
                    const s = a.signatures.find((x) => x.partyId === p.id);
                    return t('signedBy', { name: p.name, method: s ? label('sig_', s.method) : t('notSigned') });
                  })
                  .join('；')}
              </span>
            </Descriptions.Item>
          </Descriptions>
          <div className="sw-item-meta" data-testid="agreement-performance">
            {a.performedAt ? t('performedAt', { at: fmtTime(a.performedAt).slice(0, 16) }) : t('notPerformed')}
            {a.judicialConfirmationAt && ` · ${t('confirmationRequested', { at: fmtTime(a.judicialConfirmationAt).slice(0, 16) })}`}
          </div>
          <Space wrap style={{ marginTop: 8 }}>
            <Button size="small" icon={<PrinterOutlined />} onClick={() => navigate(`/disputes/${dispute.id}/agreement`)} data-testid="agreement-print">
              {t('printAgreement')}
            </Button>
            {!a.judicialConfirmationAt && !dispute.closedAt && hasPermission(user, 'dispute.mediate') && (
              <Button size="small" loading={confirm.busy} onClick={() => void requestConfirmation()} data-testid="agreement-confirmation">
                {t('requestConfirmation')}
              </Button>
            )}
          </Space>
        </>
      )}
      <ActionModal<AgreementValues>
        open={open}
        title={t('addAgreement')}
        path={`/api/v1/disputes/${dispute.id}/agreement`}
        testId="modal-agreement"
        fields={['text', 'performanceMethod', 'performancePlace', 'performanceDeadline']}
        width={640}
        initialValues={Object.fromEntries(dispute.parties.map((p) => [`method_${p.id}`, 'on_screen'])) as Partial<AgreementValues>}
        toBody={toBody}
        onClose={() => setOpen(false)}
      >
        <Form.Item name="text" label={t('agreementText')} rules={[{ required: true, whitespace: true, message: t('agreementTextRequired') }, { max: 10_000 }]}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} data-testid="agreement-text-input" />
        </Form.Item>
        <Form.Item name="performanceMethod" label={t('performanceMethod')} rules={[{ max: 500 }]}>
          <Input data-testid="agreement-method" />
        </Form.Item>
        <Form.Item name="performancePlace" label={t('performancePlace')} rules={[{ max: 200 }]}>
          <Input data-testid="agreement-place" />
        </Form.Item>
        <Form.Item name="performanceDeadline" label={t('performanceDeadline')}>
          <DatePicker data-testid="agreement-deadline" />
        </Form.Item>
        <Typography.Text strong>{t('signatures')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '2px 0 6px' }}>
          {t('signaturesHint')}
        </Typography.Paragraph>
        {dispute.parties.map((p, i) => (
          <div key={p.id} className="sw-item-head" style={{ marginBottom: 6 }}>
            <Form.Item name={`signed_${p.id}`} valuePropName="checked" noStyle>
              <Checkbox data-testid={`agreement-sign-${i}`}>
                {p.name}（{label('role_', p.role)}）
              </Checkbox>
            </Form.Item>
            <Form.Item name={`method_${p.id}`} noStyle>
              <Radio.Group size="small" optionType="button" options={(['on_screen', 'scan'] as const).map((m) => ({ value: m, label: label('sig_', m) }))} aria-label={`${p.name} ${t('signatures')}`} />
            </Form.Item>
          </div>
        ))}
      </ActionModal>
    </Card>
  );
}
