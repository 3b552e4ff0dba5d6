/** Sessions and follow-up visits of a dispute, each with its "add" form for those who may record it. */
import { useState } from 'react';
import { Button, Card, DatePicker, Empty, Form, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { fmtTime } from '../format';
import ActionModal from './ActionModal';
import { hasPermission, receivesReferral, useDisputeLabel, type Agency, type DisputeDetail } from './model';

/** The referral being worked, if the user may record its sessions and agreement (the server decides). */
export function workedBy(dispute: DisputeDetail, user: User, agencies: readonly Agency[], states: readonly string[]) {
  if (dispute.closedAt || !hasPermission(user, 'dispute.mediate')) return undefined;
  const r = dispute.referrals.find((x) => states.includes(x.status));
  if (!r) return undefined;
  return receivesReferral(user, r, agencies) || hasPermission(user, 'dispute.refer') ? r : undefined;
}

const FOLLOWUP_METHODS = ['visit', 'phone', 'other'] as const;
const PERFORMANCE = ['performed', 'partly', 'not_performed'] as const;

export function SessionsCard({ dispute, user, agencies }: { dispute: DisputeDetail; user: User; agencies: readonly Agency[] }) {
  const { t } = useTranslation('disputes');
  const [open, setOpen] = useState(false);
  const can = !!workedBy(dispute, user, agencies, ['accepted', 'in_mediation']);
  return (
    <Card
      size="small"
      title={t('sessions')}
      data-testid="dispute-sessions"
      extra={
        can ? (
          <Button size="small" type="primary" onClick={() => setOpen(true)} data-testid="session-add">
            {t('addSession')}
          </Button>
        ) : null
      }
    >
      {dispute.sessions.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noSessions')} />}
      {dispute.sessions.map((s) => (
        <div key={s.id} className="sw-item" data-testid="session">
          <div className="sw-item-meta">
            {fmtTime(s.heldAt).slice(0, 16)}
            {s.place ? ` · ${s.place}` : ''}
            {s.attendees ? ` · ${t('attendees')} ${s.attendees}` : ''} · {s.recordedBy}
          </div>
          <div className="sw-pre">{s.summary}</div>
        </div>
      ))}
      <ActionModal<{ heldAt: Dayjs; place?: string; attendees?: number; summary: string }>
        open={open}
        title={t('addSession')}
        path={`/api/v1/disputes/${dispute.id}/sessions`}
        testId="modal-session"
        fields={['heldAt', 'place', 'attendees', 'summary']}
        initialValues={{ heldAt: dayjs() }}
        toBody={(v) => ({ heldAt: v.heldAt?.toISOString(), place: v.place?.trim() || undefined, attendees: v.attendees ?? undefined, summary: v.summary.trim() })}
        onClose={() => setOpen(false)}
      >
        <Form.Item name="heldAt" label={t('heldAt')}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="place" label={t('sessionPlace')} rules={[{ max: 200 }]}>
          <Input data-testid="session-place" />
        </Form.Item>
        <Form.Item name="attendees" label={t('attendees')}>
          <InputNumber min={1} max={500} data-testid="session-attendees" />
        </Form.Item>
        <Form.Item name="summary" label={t('sessionSummary')} rules={[{ required: true, whitespace: true, message: t('summaryRequired') }, { max: 4000 }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} data-testid="session-summary" />
        </Form.Item>
      </ActionModal>
    </Card>
  );
}

export function FollowupsCard({ dispute, user }: { dispute: DisputeDetail; user: User }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const [open, setOpen] = useState(false);
  const can = !!dispute.agreement && !dispute.closedAt && hasPermission(user, 'dispute.followup');
  return (
    <Card
      size="small"
      title={t('followups')}
      data-testid="dispute-followups"
      extra={
        can ? (
          <Button size="small" type="primary" onClick={() => setOpen(true)} data-testid="followup-add">
            {t('addFollowup')}
          </Button>
        ) : null
      }
    >
      {dispute.followups.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={dispute.agreement ? t('noFollowups') : t('needsAgreement')} />}
      {dispute.followups.map((f) => (
        <div key={f.id} className="sw-item" data-testid="followup" data-performance={f.performance}>
          <div className="sw-item-head">
            <strong>{label('pf_', f.performance)}</strong>
            <span className="sw-item-meta">
              {fmtTime(f.at).slice(0, 16)} · {label('fm_', f.method)} · {f.recordedBy}
            </span>
          </div>
          {f.note && <div className="sw-pre">{f.note}</div>}
        </div>
      ))}
      <ActionModal<{ at: Dayjs; method: string; performance: string; note?: string }>
        open={open}
        title={t('addFollowup')}
        path={`/api/v1/disputes/${dispute.id}/followups`}
        testId="modal-followup"
        fields={['at', 'method', 'performance', 'note']}
        initialValues={{ at: dayjs(), method: 'visit' }}
        toBody={(v) => ({ at: v.at?.toISOString(), method: v.method, performance: v.performance, note: v.note?.trim() || undefined })}
        onClose={() => setOpen(false)}
      >
        <Form.Item name="at" label={t('followupAt')}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="method" label={t('followupMethod')} rules={[{ required: true }]}>
          <Select options={FOLLOWUP_METHODS.map((m) => ({ value: m, label: label('fm_', m) }))} aria-label={t('followupMethod')} data-testid="followup-method" />
        </Form.Item>
        <Form.Item name="performance" label={t('performance')} rules={[{ required: true }]}>
          <Select options={PERFORMANCE.map((m) => ({ value: m, label: label('pf_', m) }))} aria-label={t('performance')} data-testid="followup-performance" />
        </Form.Item>
        <Form.Item name="note" label={t('note')} rules={[{ max: 2000 }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="followup-note" />
        </Form.Item>
      </ActionModal>
    </Card>
  );
}
