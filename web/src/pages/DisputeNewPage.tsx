/**
 * 登记矛盾纠纷 — the registration form, usable on a 375 px phone by the community officer in the field.
 * Opened from an incident (`/disputes/new?incidentId=…`) it shows the incident, prefills what it can
 * and sends `source: 'incident'` with the incident's id: the server fills the rest from the incident.
 */
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Grid, Input, Select, Switch, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import type { ApiAnswer } from '../contract';
import { normaliseField } from '../format';
import { useCategoryLabel } from '../incidents/model';
import { DISPUTE_SOURCES, DISPUTE_TYPES, useDisputeLabel, useWrite, type Created, type RegisterBody } from '../disputes/model';
import { disputeTypeOfCategory } from '../../../src/modules/disputes/domain/from-incident';
import PartiesField, { type PartyValue } from '../disputes/PartiesField';
import PlaceField, { type Place } from '../disputes/PlaceField';
import '../disputes/disputes.css';

type IncidentDetail = ApiAnswer<'/api/v1/incidents/{id}', 'get'>;

interface Values {
  source: RegisterBody['source'];
  type?: RegisterBody['type'];
  parties?: PartyValue[];
  summary?: string;
  injuries?: boolean;
  weaponsOrThreats?: boolean;
  externalRef?: string;
}

const FIELDS = ['source', 'type', 'summary', 'externalRef', 'injuries', 'weaponsOrThreats'];
const masked = (s: string | null | undefined) => !!s && s.includes('*');

export default function DisputeNewPage() {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const catLabel = useCategoryLabel();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [params] = useSearchParams();
  const incidentId = params.get('incidentId') ?? '';
  const [form] = Form.useForm<Values>();
  const source = Form.useWatch('source', form);
  const [place, setPlace] = useState<Place>(null);
  const [error, setError] = useState<string | null>(null);
  const write = useWrite();
  const phone = Grid.useBreakpoint().md === false;

  const incident = useQuery({
    queryKey: ['incidents', 'detail', incidentId],
    queryFn: () => api<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(incidentId)}`),
    enabled: !!incidentId,
    retry: false,
  });

  // Prefill once from the incident: its type, description and (when shown in full) the caller.
  const filled = useRef(false);
  useEffect(() => {
    const inc = incident.data;
    if (!inc || filled.current) return;
    filled.current = true;
    const c = inc.caller;
    const caller = c && (c.name || c.phone) && !masked(c.name) && !masked(c.phone) ? [{ name: c.name ?? '', phone: c.phone ?? undefined, role: 'applicant' }] : [];
    form.setFieldsValue({ type: disputeTypeOfCategory(inc.categoryCode), summary: inc.description ?? '', parties: caller });
  }, [incident.data, form]);

  const submit = async (v: Values) => {
    setError(null);
    const parties = (v.parties ?? []).map((p) => ({
      name: (p.name ?? '').trim(),
      phone: p.phone?.trim() || undefined,
      role: (p.role ?? 'other') as NonNullable<RegisterBody['parties']>[number]['role'],
      relation: p.relation?.trim() || undefined,
      vulnerable: p.vulnerable || undefined,
    }));
    const body: RegisterBody = {
      source: incidentId ? 'incident' : v.source,
      incidentId: incidentId || undefined,
      type: v.type,
      parties: parties.length ? parties : undefined,
      summary: v.summary?.trim() || undefined,
      injuries: v.injuries || undefined,
      weaponsOrThreats: v.weaponsOrThreats || undefined,
      externalRef: v.source === 'hotline' ? v.externalRef?.trim() || undefined : undefined,
      // A landmark (hotel, school …) has a point and a name but no registry code (#11.4).
      ...(place?.kind === 'address' ? (place.hit.kind === 'landmark' ? { location: { lon: place.hit.lon, lat: place.hit.lat }, address: place.hit.text } : { addressCode: place.hit.code }) : {}),
      ...(place?.kind === 'point' ? { location: { lon: place.lon, lat: place.lat }, address: place.near ?? undefined } : {}),
    };
    try {
      const d = await write.run<Created>('/api/v1/disputes', body);
      message.success(t('registeredOk', { number: d.number, grade: label('grade_', d.riskGrade) }));
      navigate(`/disputes/${d.id}`, { replace: true });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      const field = e instanceof ApiError && e.field ? e.field.replace(/^\/+/, '').replace(/^body[./]/, '') : '';
      const party = /^parties[./](\d+)[./](\w+)/.exec(field);
      if (party) form.setFields([{ name: ['parties', Number(party[1]), party[2] as keyof PartyValue], errors: [msg] }]);
      else if (field && FIELDS.includes(normaliseField(field))) form.setFields([{ name: normaliseField(field) as keyof Values, errors: [msg] }]);
      else setError(msg);
    }
  };

  const inc = incident.data;
  const callerMasked = !!inc?.caller && (masked(inc.caller.name) || masked(inc.caller.phone));
  return (
    <div data-testid="page-dispute-new" className="sw-dispute-form">
      <div className="sw-page-title">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('backToList')} />
        <Typography.Title level={4}>{t('newTitle')}</Typography.Title>
      </div>
      {incidentId && (
        <Card size="small" style={{ marginBottom: 12 }} data-testid="dispute-from-incident" title={t('fromIncident', { number: inc?.number ?? '…' })}>
          {incident.error ? (
            <Typography.Text type="secondary">{t('incidentUnreadable')}</Typography.Text>
          ) : (
            inc && (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('colType')}>{catLabel(inc.categoryCode, true)}</Descriptions.Item>
                <Descriptions.Item label={t('placeLabel')}>{inc.address ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('parties')}>{[inc.caller?.name, inc.caller?.phone].filter(Boolean).join(' ') || '—'}</Descriptions.Item>
              </Descriptions>
            )
          )}
          <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0', fontSize: 12 }}>
            {t('fromIncidentHint')}
          </Typography.Paragraph>
        </Card>
      )}
      <Card size="small">
        <Form<Values> form={form} layout="vertical" size={phone ? 'large' : 'middle'} initialValues={{ source: incidentId ? 'incident' : 'visit', parties: incidentId ? [] : [{ role: 'applicant' }, { role: 'respondent' }] }} onFinish={submit} data-testid="dispute-form">
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="dispute-form-error" />}
          <div className="sw-party-grid">
            <Form.Item name="source" label={t('source')} rules={[{ required: true }]}>
              <Select disabled={!!incidentId} options={DISPUTE_SOURCES.map((s) => ({ value: s, label: label('src_', s) }))} data-testid="dispute-source" aria-label={t('source')} />
            </Form.Item>
            <Form.Item name="type" label={t('type')} rules={incidentId ? [] : [{ required: true, message: t('typeRequired') }]}>
              <Select allowClear={!!incidentId} options={DISPUTE_TYPES.map((s) => ({ value: s, label: label('ty_', s) }))} data-testid="dispute-type" aria-label={t('type')} />
            </Form.Item>
            {source === 'hotline' && (
              <Form.Item name="externalRef" label={t('externalRef')} rules={[{ max: 64 }]}>
                <Input data-testid="dispute-external-ref" />
              </Form.Item>
            )}
          </div>
          <Form.Item label={t('parties')} extra={incidentId ? (callerMasked ? t('partiesCallerMasked') : t('partiesFromCaller')) : undefined} required={!incidentId}>
            <PartiesField required={!incidentId} />
          </Form.Item>
          <Form.Item name="summary" label={t('summary')} rules={incidentId ? [{ max: 4000 }] : [{ required: true, whitespace: true, message: t('summaryRequiredNew') }, { max: 4000 }]}>
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} placeholder={t('summaryPlaceholder')} data-testid="dispute-summary" />
          </Form.Item>
          <Form.Item label={t('placeLabel')} extra={place ? undefined : incidentId ? (inc?.address ? t('placeFromIncident', { text: inc.address }) : undefined) : t('placeOptional')}>
            <PlaceField value={place} onChange={setPlace} />
          </Form.Item>
          <div className="sw-switches">
            <Form.Item name="injuries" valuePropName="checked" label={t('injuries')}>
              <Switch data-testid="dispute-injuries" aria-label={t('injuries')} />
            </Form.Item>
            <Form.Item name="weaponsOrThreats" valuePropName="checked" label={t('weaponsOrThreats')}>
              <Switch data-testid="dispute-weapons" aria-label={t('weaponsOrThreats')} />
            </Form.Item>
          </div>
          <div className="sw-form-actions">
            <Button type="primary" htmlType="submit" loading={write.busy} data-testid="dispute-submit" block>
              {t('submitRegister')}
            </Button>
          </div>
        </Form>
      </Card>
    </div>
  );
}
