/**
 * 随手拍 in the review queue (issue 15): the plate, the violation, its time, the evidence photos or video
 * (played by HTTP range from the server, each view audited) and the
 * verdict; valid or not valid (with a reason the reporter reads). One reward per violation: the server
 * rewards the first valid report and marks later ones as duplicates of it.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Descriptions, Image, Input, Modal, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { useLang } from '../i18n';
import type { ApiAnswer } from '../contract';

type StaffViolation = ApiAnswer<'/api/v1/citizen-reports/{id}/violation', 'get'>;
const VERDICT_COLOR = { pending: 'blue', valid: 'green', not_valid: 'red', duplicate: 'default' } as const;
const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

export default function ViolationPanel({ id, photos }: { id: string; photos: string[] }) {
  const { t } = useTranslation('citizen');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const v = useQuery({ queryKey: ['citizen-violation', id], queryFn: () => api<StaffViolation>(`/api/v1/citizen-reports/${id}/violation`) });
  const judge = useMutation({
    mutationFn: (b: { verdict: 'valid' | 'not_valid'; reason?: string }) => api<StaffViolation>(`/api/v1/citizen-reports/${id}/violation-review`, { method: 'POST', body: b, idempotent: true }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['citizen-violation', id] });
      void qc.invalidateQueries({ queryKey: ['citizen-reports'] });
      void qc.invalidateQueries({ queryKey: ['citizen-report', id] });
    },
  });
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const d = v.data;
  if (!d) return null;
  const run = async (b: { verdict: 'valid' | 'not_valid'; reason?: string }) => {
    try {
      await judge.mutateAsync(b);
      message.success(t('done'));
      setAsking(false);
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <div data-testid="violation-panel" style={{ margin: '12px 0' }}>
      <Typography.Title level={5}>{t('tvPanel')}</Typography.Title>
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('tvPlate')}>
          <strong style={{ fontSize: 16 }}>{d.plate}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('tvType')}>{lang === 'en' ? d.violationName.en : d.violationName.zh}</Descriptions.Item>
        <Descriptions.Item label={t('tvObserved')}>{when(d.observedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('tvVerdict')}>
          <Tag color={VERDICT_COLOR[d.verdict]} data-testid="verdict">{t(`verdict_${d.verdict}` as 'verdict_pending')}</Tag>
          {d.rewarded && <Tag color="gold">{t('tvRewarded')}</Tag>}
        </Descriptions.Item>
        {d.rewardOf && <Descriptions.Item label={t('tvRewardOf')} span={2}>#{d.rewardOf}</Descriptions.Item>}
        {d.verdictReason && <Descriptions.Item label={t('tvNotValidReason')} span={2}>{d.verdictReason}</Descriptions.Item>}
      </Descriptions>
      {photos.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap style={{ marginTop: 8 }} aria-label={t('tvPhotos')}>
            {photos.map((p) => (
              <Image key={p} width={96} height={72} style={{ objectFit: 'cover' }} src={`/api/v1/citizen-reports/${id}/photos/${p}?thumb=true`} preview={{ src: `/api/v1/citizen-reports/${id}/photos/${p}` }} alt={t('tvPhotos')} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {d.videos.map((vid) => (
        <figure key={vid.id} style={{ margin: '8px 0' }} data-testid="tv-video">
          <video src={`/api/v1/citizen-reports/${id}/videos/${vid.id}`} controls preload="metadata" playsInline style={{ width: '100%', maxWidth: 480, maxHeight: 320, background: '#000' }} />
          <figcaption>
            <Typography.Text type="secondary">{t('tvVideo', { s: (vid.durationMs / 1000).toFixed(1) })}</Typography.Text>
          </figcaption>
        </figure>
      ))}
      {d.verdict === 'pending' && (
        <>
          <Alert type="info" showIcon message={t('tvRule')} style={{ margin: '12px 0' }} />
          <Space>
            <Button type="primary" onClick={() => run({ verdict: 'valid' })} loading={judge.isPending} data-testid="tv-valid">
              {t('tvValid')}
            </Button>
            <Button danger onClick={() => setAsking(true)} data-testid="tv-not-valid">
              {t('tvNotValid')}
            </Button>
          </Space>
        </>
      )}
      <Modal open={asking} title={t('tvNotValid')} okText={t('confirm')} confirmLoading={judge.isPending} onCancel={() => setAsking(false)} onOk={() => run({ verdict: 'not_valid', reason: reason.trim() || undefined })}>
        <Input.TextArea rows={3} placeholder={t('tvNotValidReason')} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="tv-reason" />
      </Modal>
    </div>
  );
}
