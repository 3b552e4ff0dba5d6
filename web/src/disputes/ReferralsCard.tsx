/**
 * The dispute's referrals (one record per hand-off) with the steps the signed-in user may take: the
 * station refers, reassigns a pending or declined referral and withdraws one; the receiving mediator
 * (or any member of the agency when none is named) accepts, declines with a reason, reports failure
 * and extends people's mediation with consent. Buttons follow the shared state machine; the server decides.
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, Empty, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { fmtTime } from '../format';
import ActionModal from './ActionModal';
import { ExtendFields, ReasonField, ReferFields, referBody, type ReferValues } from './ReferralForms';
import { canStep, hasPermission, isOpenReferral, receivesReferral, useDisputeLabel, useWrite, type Agency, type DisputeDetail, type Referral } from './model';
import { ReferralStateTag } from './tags';

type Step = 'refer' | 'reassign' | 'cancel' | 'decline' | 'fail' | 'extend';
interface Open {
  step: Step;
  referral?: Referral;
}

export default function ReferralsCard({ dispute, user, agencies }: { dispute: DisputeDetail; user: User; agencies: readonly Agency[] }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const { message } = AntApp.useApp();
  const accept = useWrite();
  const [open, setOpen] = useState<Open | null>(null);
  const station = hasPermission(user, 'dispute.refer');
  const mediates = hasPermission(user, 'dispute.mediate');
  const closed = !!dispute.closedAt;
  const referrals = [...dispute.referrals].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const latest = referrals[0];
  const live = referrals.some((r) => isOpenReferral(r.status) || r.status === 'mediated');
  const agencyKind = (id: string) => agencies.find((a) => a.id === id)?.kind;

  const doAccept = async (r: Referral) => {
    try {
      await accept.run(`/api/v1/referrals/${r.id}/accept`);
      message.success(t('done', { action: t('accept') }));
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };

  const titles: Record<Step, string> = { refer: t('referTitle'), reassign: t('reassignTitle'), cancel: t('cancelTitle'), decline: t('declineTitle'), fail: t('failTitle'), extend: t('extendTitle') };
  const r = open?.referral;
  const path = open?.step === 'refer' ? `/api/v1/disputes/${dispute.id}/referrals` : open?.step === 'extend' ? `/api/v1/referrals/${r?.id}/extensions` : `/api/v1/referrals/${r?.id}/${open?.step}`;

  return (
    <Card
      size="small"
      title={t('referrals')}
      data-testid="dispute-referrals"
      extra={
        station && !closed && !live ? (
          <Button type="primary" size="small" onClick={() => setOpen({ step: 'refer' })} data-testid="referral-refer">
            {t('refer')}
          </Button>
        ) : null
      }
    >
      {referrals.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noReferrals')} />}
      {referrals.map((x) => {
        const mine = mediates && receivesReferral(user, x, agencies);
        const isLatest = x.id === latest?.id;
        const kind = agencyKind(x.agencyId);
        return (
          <div key={x.id} className="sw-item" data-testid={`referral-${x.id}`} data-state={x.status}>
            <div className="sw-item-head">
              <ReferralStateTag state={x.status} />
              <strong>{label('mt_', x.mediationType)}</strong>
              <span>
                {x.agencyName ?? x.agencyId}
                {kind ? `（${label('ak_', kind)}）` : ''}
              </span>
              <span className="sw-item-meta">
                {t('mediator')}：{x.mediatorName ?? t('anyMediator')}
              </span>
            </div>
            <div className="sw-item-meta">
              {t('referralBy', { user: x.createdBy, at: fmtTime(x.createdAt).slice(0, 16) })}
              {x.acceptedAt && ` · ${t('acceptedAt', { at: fmtTime(x.acceptedAt).slice(0, 16) })}`}
              {x.endedAt && ` · ${t('endedAt', { at: fmtTime(x.endedAt).slice(0, 16) })}`}
            </div>
            {x.reason && (
              <Typography.Paragraph className="sw-pre" style={{ margin: '4px 0 0' }} data-testid="referral-reason">
                {t('reason')}：{x.reason}
              </Typography.Paragraph>
            )}
            {x.extensions.map((e, i) => (
              <div key={i} className="sw-item-meta">
                {t('extendedBy', { days: e.days })} · {fmtTime(e.consentedAt).slice(0, 16)}
                {e.note ? ` · ${e.note}` : ''}
              </div>
            ))}
            <div className="sw-item-actions">
              {mine && canStep(x.status, 'accept') && (
                <Button type="primary" size="small" loading={accept.busy} onClick={() => void doAccept(x)} data-testid="referral-accept">
                  {t('accept')}
                </Button>
              )}
              {mine && canStep(x.status, 'decline') && (
                <Button size="small" danger className="sw-danger-outline" onClick={() => setOpen({ step: 'decline', referral: x })} data-testid="referral-decline">
                  {t('decline')}
                </Button>
              )}
              {mine && canStep(x.status, 'fail') && (
                <Button size="small" danger className="sw-danger-outline" onClick={() => setOpen({ step: 'fail', referral: x })} data-testid="referral-fail">
                  {t('fail')}
                </Button>
              )}
              {mine && x.mediationType === 'people' && isOpenReferral(x.status) && (
                <Button size="small" onClick={() => setOpen({ step: 'extend', referral: x })} data-testid="referral-extend">
                  {t('extend')}
                </Button>
              )}
              {station && !closed && isLatest && canStep(x.status, 'reassign') && (x.status !== 'declined' || !live) && (
                <Button size="small" type={x.status === 'declined' ? 'primary' : 'default'} onClick={() => setOpen({ step: 'reassign', referral: x })} data-testid="referral-reassign">
                  {t('reassign')}
                </Button>
              )}
              {station && !closed && canStep(x.status, 'cancel') && (
                <Button size="small" onClick={() => setOpen({ step: 'cancel', referral: x })} data-testid="referral-cancel">
                  {t('cancelReferral')}
                </Button>
              )}
            </div>
          </div>
        );
      })}
      {(open?.step === 'refer' || open?.step === 'reassign') && (
        <ActionModal<ReferValues>
          open
          title={titles[open.step]}
          path={path}
          testId={`modal-${open.step}`}
          fields={['mediationType', 'agencyId', 'mediatorId', 'reason']}
          // A reassignment proposes a different kind of agency than the one that declined.
          initialValues={{ mediationType: r?.mediationType === 'people' ? 'lawyer' : 'people' }}
          toBody={(v) => referBody(v, open.step === 'reassign')}
          onClose={() => setOpen(null)}
        >
          {(form) => <ReferFields form={form} agencies={agencies} withReason={open.step === 'reassign'} stationId={dispute.stationId} />}
        </ActionModal>
      )}
      {(open?.step === 'cancel' || open?.step === 'decline' || open?.step === 'fail') && (
        <ActionModal<{ reason: string }> open title={titles[open.step]} path={path} testId={`modal-${open.step}`} fields={['reason']} danger toBody={(v) => ({ reason: v.reason.trim() })} onClose={() => setOpen(null)}>
          <ReasonField />
        </ActionModal>
      )}
      {open?.step === 'extend' && (
        <ActionModal<{ days: number; consentedAt: dayjs.Dayjs; note?: string }>
          open
          title={titles.extend}
          path={path}
          testId="modal-extend"
          fields={['days', 'consentedAt', 'note']}
          initialValues={{ days: 15, consentedAt: dayjs() }}
          toBody={(v) => ({ days: v.days, consentedAt: v.consentedAt.toISOString(), note: v.note?.trim() || undefined })}
          onClose={() => setOpen(null)}
        >
          <ExtendFields />
        </ActionModal>
      )}
    </Card>
  );
}
