/**
 * 民警端 — the patrol officer's phone view (375 px): the current assignment of the unit they crew with
 * the incident, a map with the unit, the incident and the route, big status buttons in order
 * (acknowledge → en route → on scene → clear with a disposition), the recent assignments, and
 * optionally the phone's position reported to the server.
 *
 * Polls every 3 s without the live stream (src/realtime.ts), every 15 s with it.
 */
import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Empty, Form, Input, Modal, Select, Spin, Tag, Typography } from 'antd';
import { AimOutlined, BellOutlined, CarOutlined, CheckCircleOutlined, EnvironmentOutlined, FlagOutlined, PhoneOutlined, SoundOutlined, UserOutlined } from '@ant-design/icons';
import type { Map as MlMap } from 'maplibre-gl';
import { useTranslation } from 'react-i18next';
import { api, type User } from '../api';
import { errorMessage, fmtTime } from '../format';
import MapView, { boundsOf } from '../components/MapView';
import { useCategoryLabel, useDispositions } from '../incidents/model';
import { PriorityTag, StatusTag } from '../incidents/tags';
import { pollInterval, useRealtime } from '../realtime';
import { useLabel, useLang } from '../i18n';
import { LiveLayers } from '../dispatch/liveLayers';
import { ACTIVE_ASSIGNMENT, metres, mmss, UNIT_STATUS_TAG, unitPoint, type Assignment, type MyAssignment, type RouteFeature } from '../dispatch/model';
import { notificationPermission, useAssignmentAlert, useSoundSetting, type NotifyPermission } from '../officer/alerting';
import GeoReporter from '../officer/GeoReporter';
import RecentAssignments from '../officer/RecentAssignments';

type Step = 'ack' | 'en_route' | 'on_scene' | 'clear';

export default function OfficerPage({ user }: { user: User }) {
  const { t } = useTranslation('officer');
  const { lang } = useLang();
  const dl = useLabel('dispatch');
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const live = useRealtime(qc);
  const catLabel = useCategoryLabel();
  const dispositions = useDispositions();
  const [busy, setBusy] = useState<Step | null>(null);
  const [clearOpen, setClearOpen] = useState(false);
  const [form] = Form.useForm<{ dispositionCode?: string; note?: string }>();
  const [sound, setSound] = useSoundSetting();
  const [notifyPerm, setNotifyPerm] = useState<NotifyPermission>(notificationPermission);

  const mine = useQuery({
    queryKey: ['me', 'assignment'],
    queryFn: () => api<MyAssignment>('/api/v1/me/assignment'),
    refetchInterval: pollInterval(live),
  });
  const recent = useQuery({
    queryKey: ['me', 'assignments'],
    queryFn: () => api<{ items: Assignment[] }>('/api/v1/me/assignments', { query: { limit: 10 } }).then((r) => r.items),
    refetchInterval: pollInterval(live) * 2,
  });

  const unit = mine.data?.unit ?? null;
  const asg = mine.data?.assignment && ACTIVE_ASSIGNMENT.includes(mine.data.assignment.status) ? mine.data.assignment : null;
  const inc = asg ? (mine.data?.incident ?? null) : null;
  const alertText = useMemo(() => ({ title: t('newAssignment'), body: inc ? `${inc.priority} ${inc.number} ${inc.address ?? ''}`.trim() : '' }), [t, inc]);
  const alerts = useAssignmentAlert(asg, alertText, sound);

  const routeQ = useQuery({
    queryKey: ['me', 'route', inc?.id, unit?.id, unit?.position?.at ? Math.floor(Date.parse(unit.position.at) / 30_000) : 0],
    queryFn: () => api<RouteFeature>(`/api/v1/incidents/${encodeURIComponent(inc!.id)}/route`, { query: { unitId: unit!.id } }),
    enabled: !!inc?.location && !!unit,
    retry: false,
    staleTime: 30_000,
  });

  // Map: the unit, the incident and the route, drawn with the console's live layers.
  const [map, setMap] = useState<MlMap | null>(null);
  const [layers, setLayers] = useState<LiveLayers | null>(null);
  useEffect(() => {
    if (!map) return;
    const l = new LiveLayers(map);
    setLayers(l);
    return () => {
      l.destroy();
      setLayers(null);
    };
  }, [map]);
  useEffect(() => {
    if (!layers) return;
    layers.setUnits(unit ? [unit] : [], (u) => u.callSign);
    layers.setIncidents(inc?.location ? [{ id: inc.id, number: inc.number, lon: inc.location.lon, lat: inc.location.lat, priority: inc.priority, recordedAt: inc.times.recordedAt, label: inc.number }] : []);
    layers.setRoute(inc && routeQ.data ? routeQ.data : null);
  }, [layers, unit, inc, routeQ.data]);
  const fitKey = `${inc?.id ?? ''}|${routeQ.data ? 'r' : ''}|${unit?.id ?? ''}`;
  useEffect(() => {
    if (!map) return;
    const geoms = [];
    if (routeQ.data && inc) geoms.push(routeQ.data.geometry);
    if (inc?.location) geoms.push({ type: 'Point' as const, coordinates: [inc.location.lon, inc.location.lat] });
    if (unit) geoms.push({ type: 'Point' as const, coordinates: unitPoint(unit) });
    const b = boundsOf(geoms);
    if (b) map.fitBounds(b, { padding: 36, maxZoom: 16, duration: 0 });
  }, [map, fitKey]);

  // The next step, from the assignment and the unit's status.
  const next: Step | null = !asg || !unit ? null : asg.status === 'assigned' ? 'ack' : unit.status === 'dispatched' ? 'en_route' : unit.status === 'en_route' ? 'on_scene' : unit.status === 'on_scene' ? 'clear' : null;
  const done = (s: Step) => {
    const order: Step[] = ['ack', 'en_route', 'on_scene', 'clear'];
    return next !== null && order.indexOf(s) < order.indexOf(next);
  };

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['me'] });
  };

  const setStatus = async (step: Step, body?: { dispositionCode?: string; note?: string }) => {
    if (!asg || !unit) return;
    setBusy(step);
    try {
      if (step === 'ack') await api(`/api/v1/assignments/${encodeURIComponent(asg.id)}/ack`, { method: 'POST' });
      else await api(`/api/v1/units/${encodeURIComponent(unit.id)}/status`, { method: 'POST', body: { status: step === 'clear' ? 'available' : step, ...body } });
      message.success(step === 'clear' ? t('clearedForReview') : t('statusSaved', { s: t(step === 'ack' ? 'btnAck' : step === 'en_route' ? 'btnEnRoute' : 'btnOnScene') }));
      if (step === 'clear') {
        setClearOpen(false);
        form.resetFields();
      }
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
      refresh();
    }
  };

  const submitClear = async () => {
    // A missing disposition is shown under its field; nothing to send then.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    await setStatus('clear', { dispositionCode: v.dispositionCode, note: v.note?.trim() || undefined });
  };

  if (mine.isLoading) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }

  const buttons: { step: Step; label: string; icon: React.ReactNode }[] = [
    { step: 'ack', label: t('btnAck'), icon: <CheckCircleOutlined /> },
    { step: 'en_route', label: t('btnEnRoute'), icon: <CarOutlined /> },
    { step: 'on_scene', label: t('btnOnScene'), icon: <EnvironmentOutlined /> },
    { step: 'clear', label: t('btnClear'), icon: <FlagOutlined /> },
  ];

  return (
    <div className="sw-officer" data-testid="page-officer">
      {mine.error && <Alert type="error" showIcon title={errorMessage(mine.error)} />}
      {!unit ? (
        <Alert type="info" showIcon title={t('noUnit')} data-testid="officer-no-unit" />
      ) : (
        <div className="sw-officer-unit" data-testid="officer-unit">
          <b>{unit.callSign}</b>
          <Tag color={UNIT_STATUS_TAG[unit.status] ?? 'default'} data-testid="officer-unit-status" data-status={unit.status}>
            {dl('us_', unit.status)}
          </Tag>
          <span className="sw-muted">{dl('uk_', unit.kind)}</span>
          <span style={{ flex: 1 }} />
          <GeoReporter unitId={unit.id} />
        </div>
      )}
      {unit && (
        <div className="sw-officer-settings">
          <Button className="sw-touch" icon={<SoundOutlined />} role="switch" aria-checked={sound} type={sound ? 'default' : 'dashed'} onClick={() => setSound(!sound)} data-testid="officer-sound">
            {sound ? t('soundOn') : t('soundOff')}
          </Button>
          {notifyPerm === 'default' && (
            <Button className="sw-touch" icon={<BellOutlined />} onClick={() => void Notification.requestPermission().then(setNotifyPerm)} data-testid="officer-notify">
              {t('enableNotifications')}
            </Button>
          )}
        </div>
      )}
      {asg?.status === 'assigned' && alerts > 0 && <Alert type="warning" showIcon title={t('newAssignment')} data-testid="officer-new-alert" data-alerts={alerts} />}

      {unit && !asg && (
        <Card size="small" className="sw-officer-card">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="officer-idle">{t('noAssignment')}</span>}>
            <div className="sw-muted">
              {t('noAssignmentHint')}
            </div>
          </Empty>
        </Card>
      )}

      {asg && (
        <Card size="small" className="sw-officer-card" data-testid="officer-assignment" data-status={asg.status}>
          <div className="sw-officer-head">
            {inc && <PriorityTag p={inc.priority} long />}
            <span className="sw-mono" data-testid="officer-incident-number">
              {inc?.number ?? asg.incidentId}
            </span>
            {inc && <StatusTag s={inc.status} />}
          </div>
          {inc && (
            <>
              <div className="sw-officer-cat" data-testid="officer-category">
                {catLabel(inc.categoryCode, true)}
              </div>
              <div className="sw-officer-row">
                <AimOutlined /> <span data-testid="officer-address">{inc.address ?? (inc.location ? `${inc.location.lon.toFixed(5)}, ${inc.location.lat.toFixed(5)}` : '—')}</span>
              </div>
              <div className="sw-officer-row">
                <UserOutlined /> {t('caller')}：{inc.caller.name ?? '—'}
                {inc.caller.phone && (
                  <Button className="sw-touch" href={`tel:${inc.caller.phone}`} icon={<PhoneOutlined />} style={{ marginInlineStart: 8 }} aria-label={t('callCaller', { phone: inc.caller.phone })} data-testid="officer-call">
                    {inc.caller.phone}
                  </Button>
                )}
              </div>
              <Typography.Paragraph className="sw-officer-desc" data-testid="officer-description">
                {inc.description}
              </Typography.Paragraph>
            </>
          )}
          <div className="sw-officer-meta sw-muted">
            {t('assignedAt')} {fmtTime(asg.assignedAt).slice(11)}
            {routeQ.data ? ` · ${t('routeInfo', { eta: mmss(routeQ.data.properties.seconds), dist: metres(routeQ.data.properties.meters, lang) })}` : asg.etaSeconds !== null ? ` · ${t('etaShort', { eta: mmss(asg.etaSeconds) })}` : ''}
          </div>
          {unit && inc?.location && (!unit.position || routeQ.data?.properties.stale) && (
            <Alert type="warning" showIcon className="sw-officer-nopos" title={unit.position ? t('routeFromStationStale') : t('routeFromStation')} data-testid="officer-route-from-station" />
          )}
          <div className="sw-officer-map">
            <MapView height={220} testId="officer-map" onMap={setMap} />
          </div>
          <div className="sw-officer-buttons">
            {buttons.map((b) => (
              <Button
                key={b.step}
                size="large"
                block
                type={next === b.step ? 'primary' : 'default'}
                icon={done(b.step) ? <CheckCircleOutlined /> : b.icon}
                disabled={next !== b.step}
                loading={busy === b.step}
                className={`sw-officer-btn ${done(b.step) ? 'sw-officer-btn-done' : ''}`}
                onClick={() => (b.step === 'clear' ? setClearOpen(true) : void setStatus(b.step))}
                data-testid={`officer-${b.step}`}
              >
                {b.label}
              </Button>
            ))}
          </div>
        </Card>
      )}

      <RecentAssignments items={recent.data ?? []} />

      <Modal
        open={clearOpen}
        title={t('clearTitle')}
        onCancel={() => setClearOpen(false)}
        onOk={() => void submitClear()}
        okText={t('submit')}
        cancelText={t('cancel')}
        confirmLoading={busy === 'clear'}
        okButtonProps={{ 'data-testid': 'officer-clear-ok' } as React.ComponentProps<typeof Button>}
        width={360}
        forceRender
      >
        <Form form={form} layout="vertical" data-testid="officer-clear-form">
          <Form.Item name="dispositionCode" label={t('disposition')} rules={[{ required: true, message: t('dispositionRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={dispositions.isLoading}
              options={(dispositions.data ?? []).map((d) => ({ value: d.code, label: `${d.code} ${lang === 'en' ? d.nameEn || d.name : d.name}` }))}
              data-testid="officer-disposition"
              classNames={{ popup: { root: 'sw-disp-popup' } }}
            />
          </Form.Item>
          <Form.Item name="note" label={t('note')}>
            <Input.TextArea rows={3} maxLength={500} placeholder={t('notePlaceholder')} data-testid="officer-note" />
          </Form.Item>
        </Form>
      </Modal>
      <div className="sw-muted" style={{ textAlign: 'center' }}>
        {user.displayName}
      </div>
    </div>
  );
}
