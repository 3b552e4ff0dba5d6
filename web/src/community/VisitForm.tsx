/**
 * The home visit form, phone first (375 px), to be filled in under a minute: the door (given by the
 * plan or the QR door plate, else searched or the phone's position), household or shop, the services
 * given (big toggles), the problems found (each with a short note about the problem, not the people),
 * how many people were met. Without signal the visit is kept on the phone and sent later with the same
 * Idempotency-Key (offline.ts). After saving, a dispute found turns into a dispute of the register here,
 * and any finding into a 12345 matter or a task (FollowUps.tsx).
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, Form, Input, InputNumber, Modal, Result, Segmented, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { errorMessage } from '../format';
import { useLang } from '../i18n';
import PlaceField, { type Place } from '../disputes/PlaceField';
import { sendVisit } from './offline';
import FollowUpButtons from './FollowUps';
import VisitPhotos from './VisitPhotos';
import { FINDING_LABELS, FINDINGS, SERVICE_LABELS, SERVICES, type FollowUp, type Visit, type VisitBody } from './model';

type Finding = { code: (typeof FINDINGS)[number]; note?: string };

export default function VisitForm({ addressCode, address, onDone }: { addressCode?: string; address?: string; onDone?: (v: Visit | null) => void }) {
  const { t } = useTranslation('community');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const [place, setPlace] = useState<Place>(null);
  const [premises, setPremises] = useState<'household' | 'unit'>('household');
  const [services, setServices] = useState<string[]>([]);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [met, setMet] = useState<number | null>(1);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Visit | 'queued' | null>(null);
  const [disputeOf, setDisputeOf] = useState<number | null>(null);
  const [followUps, setFollowUps] = useState<Record<number, string>>({});

  const toggle = (s: string) => setServices((x) => (x.includes(s) ? x.filter((y) => y !== s) : [...x, s]));
  const door: Pick<VisitBody, 'addressCode' | 'location'> | null = addressCode
    ? { addressCode }
    : place?.kind === 'address'
      ? { addressCode: place.hit.code }
      : place?.kind === 'point'
        ? { location: { lon: place.lon, lat: place.lat } }
        : null;

  const submit = async () => {
    if (!door) return message.error(t('pickAddress'));
    setBusy(true);
    try {
      const body: VisitBody = { ...door, premises, services: services as VisitBody['services'], findings: findings.map((f) => ({ code: f.code, ...(f.note?.trim() ? { note: f.note.trim() } : {}) })), ...(met !== null ? { metCount: met } : {}) };
      const v = await sendVisit(body);
      if (v) message.success(t('saved'));
      else message.warning(t('queued'));
      setSaved(v ?? 'queued');
      onDone?.(v);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (saved) {
    const v = saved === 'queued' ? null : saved;
    return (
      <Result
        status={v ? 'success' : 'info'}
        title={v ? t('saved') : t('queued')}
        subTitle={v?.address ?? address}
        data-testid="visit-saved"
        extra={
          <Space orientation="vertical" style={{ width: '100%' }}>
            {v?.findings.map((f) => (
              <Card size="small" key={f.index}>
                <Space wrap>
                  <Tag color="orange">{FINDING_LABELS[f.code][lang]}</Tag>
                  {f.note}
                  {followUps[f.index] ? (
                    <Tag color="green">{followUps[f.index]!.startsWith('@') ? followUps[f.index]!.slice(1) : t('followedUp', { number: followUps[f.index] })}</Tag>
                  ) : (
                    <>
                      {f.code === 'dispute' && (
                        <Button type="primary" onClick={() => setDisputeOf(f.index)} data-testid={`to-dispute-${f.index}`}>
                          {t('toDispute')}
                        </Button>
                      )}
                      <FollowUpButtons visitId={v.id} finding={f.index} onDone={(label) => setFollowUps((x) => ({ ...x, [f.index]: `@${label}` }))} />
                    </>
                  )}
                </Space>
              </Card>
            ))}
            {v && <VisitPhotos visitId={v.id} />}
            {v && disputeOf !== null && (
              <DisputeModal
                visitId={v.id}
                finding={disputeOf}
                onClose={(f) => {
                  if (f) setFollowUps((x) => ({ ...x, [f.finding]: f.followUp.number ?? f.followUp.id }));
                  setDisputeOf(null);
                }}
              />
            )}
          </Space>
        }
      />
    );
  }

  return (
    <Form layout="vertical" onFinish={submit} data-testid="visit-form">
      <Form.Item label={t('plateAddress')}>{addressCode ? <Typography.Text strong data-testid="visit-address">{address ?? addressCode}</Typography.Text> : <PlaceField value={place} onChange={setPlace} />}</Form.Item>
      <Form.Item label={t('premises')}>
        <Segmented block value={premises} onChange={(v) => setPremises(v as 'household' | 'unit')} options={[{ value: 'household', label: t('premises_household') }, { value: 'unit', label: t('premises_unit') }]} />
      </Form.Item>
      <Form.Item label={t('services')}>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
          {SERVICES.map((s) => (
            <Button key={s} type={services.includes(s) ? 'primary' : 'default'} onClick={() => toggle(s)} data-testid={`service-${s}`} style={{ height: 44, whiteSpace: 'normal' }}>
              {SERVICE_LABELS[s][lang]}
            </Button>
          ))}
        </div>
      </Form.Item>
      <Form.Item label={t('findings')} extra={t('privacyHint')}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          {findings.map((f, i) => (
            <Card size="small" key={i} data-testid={`finding-${i}`}>
              <Space.Compact style={{ width: '100%' }}>
                <Select value={f.code} style={{ width: '100%' }} onChange={(code) => setFindings((x) => x.map((y, j) => (j === i ? { ...y, code } : y)))} options={FINDINGS.map((c) => ({ value: c, label: FINDING_LABELS[c][lang] }))} />
                <Button icon={<DeleteOutlined />} onClick={() => setFindings((x) => x.filter((_, j) => j !== i))} aria-label="delete" />
              </Space.Compact>
              <Input.TextArea style={{ marginTop: 8 }} rows={2} maxLength={500} placeholder={t('findingNote')} value={f.note} onChange={(e) => setFindings((x) => x.map((y, j) => (j === i ? { ...y, note: e.target.value } : y)))} data-testid={`finding-note-${i}`} />
            </Card>
          ))}
          {findings.length < 10 && (
            <Button block icon={<PlusOutlined />} onClick={() => setFindings((x) => [...x, { code: 'dispute' }])} data-testid="add-finding">
              {t('addFinding')}
            </Button>
          )}
        </Space>
      </Form.Item>
      <Form.Item label={t('metCount')}>
        <InputNumber min={0} max={50} value={met} onChange={(v) => setMet(v)} style={{ width: 120 }} size="large" />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block loading={busy} disabled={!services.length && !findings.length} data-testid="visit-save">
        {t('save')}
      </Button>
    </Form>
  );
}

function DisputeModal({ visitId, finding, onClose }: { visitId: string; finding: number; onClose: (f: FollowUp | null) => void }) {
  const { t } = useTranslation('community');
  const { message } = AntApp.useApp();
  const [parties, setParties] = useState<{ name: string; role: 'applicant' | 'respondent' | 'other' }[]>([{ name: '', role: 'applicant' }]);
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    setBusy(true);
    try {
      const f = await api<FollowUp>(`/api/v1/visits/${encodeURIComponent(visitId)}/findings/${finding}/dispute`, { body: { parties: parties.filter((p) => p.name.trim()) }, idempotent: true });
      message.success(t('disputeRegistered', { number: f.followUp.number ?? '' }));
      onClose(f);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={t('toDispute')} onOk={ok} okButtonProps={{ loading: busy, disabled: !parties.some((p) => p.name.trim()), id: 'dispute-ok' }} onCancel={() => onClose(null)} width={360}>
      <Typography.Paragraph type="secondary">{t('disputeParties')}</Typography.Paragraph>
      <Space orientation="vertical" style={{ width: '100%' }}>
        {parties.map((p, i) => (
          <Space.Compact key={i} style={{ width: '100%' }}>
            <Input placeholder={t('partyName')} value={p.name} maxLength={50} onChange={(e) => setParties((x) => x.map((y, j) => (j === i ? { ...y, name: e.target.value } : y)))} data-testid={`party-name-${i}`} />
            <Select value={p.role} style={{ width: 130 }} onChange={(role) => setParties((x) => x.map((y, j) => (j === i ? { ...y, role } : y)))} options={(['applicant', 'respondent', 'other'] as const).map((r) => ({ value: r, label: t(`role_${r}`) }))} />
          </Space.Compact>
        ))}
        <Button icon={<PlusOutlined />} onClick={() => setParties((x) => [...x, { name: '', role: 'respondent' }])}>
          {t('addParty')}
        </Button>
      </Space>
    </Modal>
  );
}
