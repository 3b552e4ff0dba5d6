/**
 * 调度台 — the dispatcher console (1920×1080, keyboard first): the live map in the centre with open
 * incidents by priority and age and units by status, the open-incident queue and the unit list on the
 * left, the recommendation of the selected incident with its route and one-key assignment on the right,
 * the alert tray, the coverage layer (C) and the key help (?).
 *
 * Works with the live stream (src/realtime.ts) or without it: every query polls, every 3 s when the
 * stream is down and every 15 s as a safety net when it is live.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Badge, Button, Empty, Input, Modal, Tabs, Tag, Typography } from 'antd';
import { AimOutlined, BellOutlined, NodeIndexOutlined, QuestionCircleOutlined, RadarChartOutlined, SendOutlined } from '@ant-design/icons';
import type { Map as MlMap } from 'maplibre-gl';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type User } from '../api';
import { errorMessage } from '../format';
import MapView, { boundsOf } from '../components/MapView';
import { priorityRank, useCategoryLabel, type Incident } from '../incidents/model';
import { PositionTimes, WaitTimer } from '../dispatch/clock';
import { QueueList } from '../dispatch/QueueList';
import { UnitTable } from '../dispatch/UnitTable';
import { possibleDuplicates, type DuplicateOf } from '../dispatch/duplicates';
import { DuplicateMerge } from '../dispatch/DuplicateMerge';
import { PriorityTag, StatusTag } from '../incidents/tags';
import { CategoryPath } from '../incidents/CategoryPath';
import { useUnits } from '../session';
import { pollInterval, useRealtime, useStreamEvent } from '../realtime';
import { useLabel, useLang } from '../i18n';
import { LiveLayers, type LiveIncident } from '../dispatch/liveLayers';
import { useStationPlaces, useStations } from '../dispatch/places';
import { RecPlanSummary, RecRow } from '../dispatch/RecRow';
import { IdleSummary } from '../dispatch/IdleSummary';
import { AlertsDrawer, ConsoleLegend, KeyHelp, Kbd, SelectedAssignments, StreamTag } from '../dispatch/ConsoleParts';
import { DisputeLegend, DisputeToggle, useDisputeLayer } from '../dispatch/DisputeLayer';
import {
  metres,
  mmss,
  unitPoint,
  useDispatchUnits,
  useOpenIncidents,
  type Assignment,
  type CoverageCollection,
  type DispatchAlert,
  type DispatchUnit,
  type Recommendation,
  type RouteFeature,
} from '../dispatch/model';

const COMMAND = ['dispatcher', 'chief'];
const MAX_ORIGINS = 300;

const sortQueue = (a: Incident, b: Incident) => priorityRank(a.priority) - priorityRank(b.priority) || Date.parse(a.times.recordedAt) - Date.parse(b.times.recordedAt);

/* ---------------------------------------------------------------------------------------------- */

export default function DispatchPage({ user }: { user: User }) {
  const { t } = useTranslation('dispatch');
  const { lang } = useLang();
  const dl = useLabel('dispatch');
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const live = useRealtime(qc);
  const catLabel = useCategoryLabel();
  const orgUnits = useUnits();
  const canDispatch = user.roles.some((r) => COMMAND.includes(r));

  const incidentsQ = useOpenIncidents(live);
  const unitsQ = useDispatchUnits(live);
  const alertsQ = useQuery({
    queryKey: ['dispatch', 'alerts'],
    queryFn: () => api<{ items: DispatchAlert[] }>('/api/v1/alerts').then((r) => r.items),
    refetchInterval: pollInterval(live),
    enabled: canDispatch,
  });

  const queue = useMemo(() => [...(incidentsQ.data ?? [])].sort(sortQueue), [incidentsQ.data]);
  const units = useMemo(() => unitsQ.data ?? [], [unitsQ.data]);
  const stationName = useMemo(() => new Map((orgUnits.data ?? []).map((u) => [u.id, u.name])), [orgUnits.data]);

  const [tab, setTab] = useState<'queue' | 'units'>('queue');
  // The cursor follows its incident when the queue reorders (kept as an id, not an index).
  const [cursorId, setCursorId] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [recIdx, setRecIdx] = useState(0);
  const [coverageOn, setCoverageOn] = useState(false);
  const [alertsOpen, setAlertsOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [cancelling, setCancelling] = useState<Assignment | null>(null);
  const [cancelReason, setCancelReason] = useState('');
  const [assigning, setAssigning] = useState(false);
  const [focusUnit, setFocusUnit] = useState<string | null>(null);
  const [mergeAsk, setMergeAsk] = useState<DuplicateOf | null>(null);
  const duplicates = useMemo(() => possibleDuplicates(queue), [queue]);
  const canMerge = user.permissions.includes('incident.merge');

  const selected = useMemo(() => queue.find((i) => i.id === selectedId) ?? null, [queue, selectedId]);
  const cursor = Math.max(0, queue.findIndex((i) => i.id === cursorId));
  const recsQ = useQuery({
    queryKey: ['dispatch', 'recommendations', selectedId],
    queryFn: () => api<Recommendation[]>(`/api/v1/incidents/${encodeURIComponent(selectedId!)}/recommendations`, { query: { limit: 10 } }),
    enabled: !!selectedId && canDispatch && !!selected?.location,
    refetchInterval: pollInterval(live),
    placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[2] === selectedId ? prev : undefined),
  });
  const recs = useMemo(() => recsQ.data ?? [], [recsQ.data]);
  const highlighted = recs[Math.min(recIdx, Math.max(0, recs.length - 1))] ?? null;

  const assignmentsQ = useQuery({
    queryKey: ['dispatch', 'assignments', selectedId],
    queryFn: () => api<{ items: Assignment[] }>(`/api/v1/incidents/${encodeURIComponent(selectedId!)}/assignments`).then((r) => r.items),
    enabled: !!selectedId,
    refetchInterval: pollInterval(live),
  });

  const routeQ = useQuery({
    queryKey: ['dispatch', 'route', selectedId, highlighted?.unitId],
    queryFn: () => api<RouteFeature>(`/api/v1/incidents/${encodeURIComponent(selectedId!)}/route`, { query: { unitId: highlighted!.unitId } }),
    enabled: !!selectedId && !!highlighted && highlighted.etaSeconds !== null,
    staleTime: 10_000,
    retry: false,
  });

  // Coverage: origins = the free units (at most MAX_ORIGINS, evenly sampled), rounded to ~10 m.
  const origins = useMemo(() => {
    if (!coverageOn) return '';
    const free = units.filter((u) => u.status === 'available' && u.onDuty);
    const step = Math.max(1, free.length / MAX_ORIGINS);
    const pts: string[] = [];
    for (let i = 0; i < free.length && pts.length < MAX_ORIGINS; i += step) {
      const [lon, lat] = unitPoint(free[Math.floor(i)]);
      pts.push(`${lon.toFixed(4)},${lat.toFixed(4)}`);
    }
    return [...new Set(pts)].sort().join(';');
  }, [coverageOn, units]);
  const coverageQ = useQuery({
    queryKey: ['dispatch', 'coverage', origins],
    queryFn: () => api<CoverageCollection>('/api/v1/roads/coverage', { query: { origins, bands: '3,5,8' } }),
    enabled: coverageOn && !!origins,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });

  // ------------------------------------------------------------------ the map
  const [map, setMap] = useState<MlMap | null>(null);
  const stationsQ = useStations();
  const stationPlaces = useStationPlaces(stationsQ.data);
  const layersRef = useRef<LiveLayers | null>(null);
  const [layers, setLayers] = useState<LiveLayers | null>(null);
  const selectRef = useRef<(id: string) => void>(() => {});
  useEffect(() => {
    if (!map) return;
    const l = new LiveLayers(map, { onIncidentClick: (id) => selectRef.current(id), onUnitClick: (id) => setFocusUnit(id) });
    layersRef.current = l;
    setLayers(l);
    return () => {
      l.destroy();
      layersRef.current = null;
      setLayers(null);
    };
  }, [map]);
  // High-risk dispute places (issue 12), under the incidents: installed after the live layers.
  const disputeLayer = useDisputeLayer(map, live, user.permissions);

  const unitLabel = useCallback((u: DispatchUnit) => `${u.callSign} · ${dl('us_', u.status)}${u.stale || !u.position ? ` · ${u.position ? t('stale') : t('noPosition')}` : ''}`, [dl, t]);
  useEffect(() => {
    layers?.setUnits(units, unitLabel);
  }, [layers, units, unitLabel]);
  useEffect(() => {
    if (!layers) return;
    const items: LiveIncident[] = queue
      .filter((i) => i.location)
      .map((i) => ({ id: i.id, number: i.number, lon: i.location!.lon, lat: i.location!.lat, priority: i.priority, recordedAt: i.times.recordedAt, label: `${i.priority} ${i.number} · ${catLabel(i.categoryCode)}` }));
    layers.setIncidents(items);
  }, [layers, queue, catLabel]);
  useEffect(() => layers?.selectIncident(selectedId), [layers, selectedId]);
  useEffect(() => layers?.selectUnit(highlighted?.unitId ?? focusUnit), [layers, highlighted, focusUnit]);
  const route = selected && highlighted && routeQ.data?.properties.unitId === highlighted.unitId ? routeQ.data : null;
  useEffect(() => layers?.setRoute(route), [layers, route]);
  useEffect(() => layers?.setCoverage(coverageOn ? (coverageQ.data ?? null) : null), [layers, coverageOn, coverageQ.data]);
  // Positions from the stream go to the map layer and the position times (no React render).
  const positionTimes = useMemo(() => new PositionTimes(), []);
  useStreamEvent<{ unitId: string; lon: number; lat: number; status?: string; at?: string }>('unit_position', (e) => {
    positionTimes.note(e.data.unitId, e.data.at);
    layersRef.current?.position(e.data);
  });

  // Fly to the selected incident; fit the route when one is shown.
  useEffect(() => {
    if (!map || !selected?.location) return;
    map.easeTo({ center: [selected.location.lon, selected.location.lat], zoom: Math.max(map.getZoom(), 15), duration: 400 });
  }, [map, selected?.id]);
  useEffect(() => {
    if (!map || !route) return;
    const b = boundsOf([route.geometry]);
    if (b) map.fitBounds(b, { padding: { top: 160, bottom: 160, left: 220, right: 220 }, maxZoom: 15, duration: 400 });
  }, [map, route]);
  // Coverage on: show the whole area of the free units.
  useEffect(() => {
    if (!map || !coverageOn) return;
    const free = units.filter((u) => u.status === 'available');
    const b = boundsOf(free.map((u) => ({ type: 'Point' as const, coordinates: unitPoint(u) })));
    if (b) map.fitBounds(b, { padding: 60, maxZoom: 15, duration: 400 });
  }, [map, coverageOn]);
  useEffect(() => {
    if (!map || !focusUnit) return;
    const u = units.find((x) => x.id === focusUnit);
    if (u) map.easeTo({ center: unitPoint(u), zoom: Math.max(map.getZoom(), 15), duration: 400 });
  }, [map, focusUnit]);

  // ------------------------------------------------------------------ actions
  const select = useCallback(
    (id: string) => {
      setSelectedId(id);
      setRecIdx(0);
      setFocusUnit(null);
      setTab('queue');
      setCursorId(id);
    },
    [],
  );
  selectRef.current = select;

  const assign = useCallback(
    async (rec: Recommendation | null) => {
      if (!selected || !rec || assigning) return;
      setAssigning(true);
      try {
        await api(`/api/v1/incidents/${encodeURIComponent(selected.id)}/assignments`, { method: 'POST', body: { unitIds: [rec.unitId] }, idempotent: true });
        message.success({ content: <span data-testid="assign-toast">{t('assigned', { callSign: rec.callSign, number: selected.number })}</span> });
        setRecIdx(0);
        void qc.invalidateQueries({ queryKey: ['dispatch'] });
      } catch (e) {
        message.error(errorMessage(e));
        void qc.invalidateQueries({ queryKey: ['dispatch', 'recommendations'] });
      } finally {
        setAssigning(false);
      }
    },
    [selected, assigning, message, t, qc],
  );

  const doCancel = async () => {
    if (!cancelling) return;
    if (!cancelReason.trim()) {
      message.warning(t('cancelReasonRequired'));
      return;
    }
    try {
      await api(`/api/v1/assignments/${encodeURIComponent(cancelling.id)}/cancel`, { method: 'POST', body: { reason: cancelReason.trim() } });
      message.success(t('cancelled', { callSign: cancelling.callSign ?? cancelling.unitId }));
      setCancelling(null);
      setCancelReason('');
      void qc.invalidateQueries({ queryKey: ['dispatch'] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const ackAlert = async (a: DispatchAlert) => {
    try {
      await api(`/api/v1/alerts/${encodeURIComponent(a.id)}/ack`, { method: 'POST' });
      message.success(t('alertAcked'));
      void qc.invalidateQueries({ queryKey: ['dispatch', 'alerts'] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  // ------------------------------------------------------------------ keyboard
  const selectedDuplicates = (selectedId && duplicates.get(selectedId)) || [];
  const keyState = useRef({ queue, cursor, selectedId, recs, highlighted, alertsOpen, helpOpen, cancelling, assign, select, toggleDisputes: disputeLayer.toggle, mergeAsk, mergeFirst: canMerge ? (selectedDuplicates[0] ?? null) : null });
  keyState.current = { queue, cursor, selectedId, recs, highlighted, alertsOpen, helpOpen, cancelling, assign, select, toggleDisputes: disputeLayer.toggle, mergeAsk, mergeFirst: canMerge ? (selectedDuplicates[0] ?? null) : null };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = keyState.current;
      const el = e.target as HTMLElement | null;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (s.cancelling || s.mergeAsk) return;
      if (s.helpOpen || s.alertsOpen) {
        if (e.key === 'Escape') {
          setHelpOpen(false);
          setAlertsOpen(false);
        }
        return;
      }
      const k = e.key;
      if ((k === 'Enter' || k === ' ') && el && (el.tagName === 'BUTTON' || el.tagName === 'A' || el.getAttribute('role') === 'tab')) return;
      if (k === 'ArrowDown' || k === 'ArrowUp') {
        e.preventDefault();
        setTab('queue');
        const next = s.queue[Math.max(0, Math.min(s.queue.length - 1, s.cursor + (k === 'ArrowDown' ? 1 : -1)))];
        if (next) setCursorId(next.id);
      } else if (k === 'Enter') {
        e.preventDefault();
        const at = s.queue[s.cursor];
        if (at && at.id !== s.selectedId) s.select(at.id);
        else if (at) void s.assign(s.highlighted);
      } else if (/^[1-5]$/.test(k)) {
        const i = Number(k) - 1;
        if (i < s.recs.length) setRecIdx(i);
      } else if (k === 'a' || k === 'A') {
        void s.assign(s.highlighted);
      } else if (k === 'c' || k === 'C') {
        setCoverageOn((v) => !v);
      } else if (k === 'd' || k === 'D') {
        s.toggleDisputes();
      } else if (k === 'u' || k === 'U') {
        setTab((v) => (v === 'queue' ? 'units' : 'queue'));
      } else if ((k === 'm' || k === 'M') && s.mergeFirst) {
        setMergeAsk(s.mergeFirst);
      } else if (k === 'l' || k === 'L') {
        setAlertsOpen(true);
      } else if (k === '?') {
        setHelpOpen(true);
      } else if (k === 'Escape') {
        setSelectedId(null);
        setFocusUnit(null);
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Keep the cursor row visible.
  useEffect(() => {
    document.querySelector(`[data-testid="dq-row-${queue[cursor]?.number}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor, queue]);

  // ------------------------------------------------------------------ render
  const alerts = alertsQ.data ?? [];
  const available = units.filter((u) => u.status === 'available').length;
  const within5 = coverageQ.data?.bands ? coverageQ.data.bands.filter((b) => b.maxMinutes !== null && b.maxMinutes <= 5).reduce((s, b) => s + b.share, 0) : null;

  const legend = <ConsoleLegend disputes={<DisputeLegend s={disputeLayer} />} coverage={{ on: coverageOn, ready: !!coverageQ.data, origins: !!origins, within5 }} />;

  return (
    <div className="sw-dc" data-testid="page-dispatch">
      <div className="sw-dc-bar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('navDispatch')}
        </Typography.Title>
        <StreamTag state={live} />
        <span className="sw-muted">
          {t('queue')} <b data-testid="queue-count">{queue.length}</b> · {t('unitsTab')} <b>{t('unitsCount', { a: available, n: units.length })}</b>
        </span>
        <span style={{ flex: 1 }} />
        <Button icon={<RadarChartOutlined />} type={coverageOn ? 'primary' : 'default'} onClick={() => setCoverageOn((v) => !v)} data-testid="coverage-toggle" loading={coverageOn && coverageQ.isFetching && !coverageQ.data}>
          {t('coverage')} <span className="sw-btn-kbd">C</span>
        </Button>
        <DisputeToggle s={disputeLayer} />
        {canDispatch && (
          <Badge count={alerts.length} size="small" offset={[-4, 4]}>
            <Button icon={<BellOutlined />} danger={alerts.length > 0} onClick={() => setAlertsOpen(true)} data-testid="alerts-button">
              {t('alerts')} <span className="sw-btn-kbd">L</span>
            </Button>
          </Badge>
        )}
        <Button icon={<QuestionCircleOutlined />} onClick={() => setHelpOpen(true)} data-testid="help-button">
          {t('help')} <span className="sw-btn-kbd">?</span>
        </Button>
      </div>

      <div className="sw-dc-grid">
        {/* left: queue / units */}
        <div className="sw-dc-left">
          <Tabs
            size="small"
            activeKey={tab}
            onChange={(k) => setTab(k as 'queue' | 'units')}
            items={[
              {
                key: 'queue',
                label: (
                  <span data-testid="tab-queue">
                    {t('queue')} <Tag style={{ marginInlineStart: 4 }}>{queue.length}</Tag>
                  </span>
                ),
                children: <QueueList queue={queue} cursor={cursor} selectedId={selectedId} onSelect={select} catLabel={catLabel} duplicates={duplicates} />,
              },
              {
                key: 'units',
                label: (
                  <span data-testid="tab-units">
                    {t('unitsTab')}{' '}
                    <Tag style={{ marginInlineStart: 4 }} data-testid="units-count">
                      {units.length}
                    </Tag>
                  </span>
                ),
                children: <UnitTable units={units} stationName={stationName} onPick={setFocusUnit} focus={focusUnit} positionTimes={positionTimes} />,
              },
            ]}
          />
        </div>

        {/* centre: the map */}
        <div className="sw-dc-map">
          <MapView height="100%" testId="dispatch-map" onMap={setMap} legend={legend} outlines={stationsQ.data ?? null} places={stationPlaces} />
          {route && (
            <div className="sw-dc-route" data-testid="route-info">
              <NodeIndexOutlined /> {t('route', { callSign: route.properties.callSign, eta: mmss(route.properties.seconds), dist: metres(route.properties.meters, lang) })}
              {route.properties.stale ? t('routeStale') : ''}
            </div>
          )}
        </div>

        {/* right: the selected incident, recommendations, assignments */}
        <div className="sw-dc-right">
          {!selected ? (
            <IdleSummary queue={queue} units={units} alerts={alerts} onOpenIncident={(id) => selectRef.current(id)} />
          ) : (
            <>
              <div className="sw-dc-panel" data-testid="selected-incident">
                <div className="sw-dc-inc-head">
                  <PriorityTag p={selected.priority} />
                  <a className="sw-mono" onClick={() => navigate(`/incidents/${selected.id}`)} data-testid="selected-number" title={t('open')}>
                    {selected.number}
                  </a>
                  <StatusTag s={selected.status} />
                  <span style={{ flex: 1 }} />
                  <span className="sw-muted">
                    {selected.times.onSceneAt ? null : `${t('age')} `}
                    <WaitTimer incident={selected} testId="selected-wait" />
                  </span>
                </div>
                <div className="sw-dc-inc-cat">
                  <CategoryPath code={selected.categoryCode} />
                </div>
                <div className="sw-dc-inc-addr">
                  <AimOutlined /> {selected.address ?? (selected.location ? `${selected.location.lon.toFixed(5)}, ${selected.location.lat.toFixed(5)}` : '—')}
                </div>
                <Typography.Paragraph className="sw-dc-inc-desc" ellipsis={{ rows: 2, tooltip: selected.description }}>
                  {selected.description}
                </Typography.Paragraph>
              </div>

              <DuplicateMerge incident={selected} candidates={selectedDuplicates} canMerge={canMerge} confirming={mergeAsk} onConfirm={setMergeAsk} onMerged={(masterId) => {
                void qc.invalidateQueries({ queryKey: ['dispatch'] });
                select(masterId);
              }} />

              <div className="sw-dc-panel sw-dc-recs" data-testid="rec-panel">
                <div className="sw-dc-panel-title">
                  {t('recommend')}
                  <span style={{ flex: 1 }} />
                  <Button type="primary" size="small" icon={<SendOutlined />} disabled={!highlighted || !canDispatch} loading={assigning} onClick={() => void assign(highlighted)} data-testid="rec-assign">
                    {t('assignKey')}
                  </Button>
                </div>
                {!canDispatch || (recsQ.error instanceof ApiError && recsQ.error.status === 403) ? (
                  <Alert type="info" showIcon title={t('recommendForbidden')} />
                ) : recsQ.error ? (
                  <Alert type="warning" showIcon title={errorMessage(recsQ.error)} />
                ) : recsQ.isLoading ? (
                  <div className="sw-muted" style={{ padding: 12 }}>
                    {t('loading')}
                  </div>
                ) : recs.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('recommendEmpty')} />
                ) : (
                  <div className="sw-dc-rec-list" data-testid="rec-list" tabIndex={0} role="region" aria-label={t('recommend')}>
                    <RecPlanSummary first={recs[0]} />
                    {recs.map((r, i) => (
                      <RecRow key={r.unitId} r={r} i={i} active={highlighted?.unitId === r.unitId} onPick={() => setRecIdx(i)} onAssign={() => void assign(r)} />
                    ))}
                  </div>
                )}
              </div>

              <SelectedAssignments assignments={assignmentsQ.data ?? []} canDispatch={canDispatch} onCancel={setCancelling} />            </>
          )}
          <div className="sw-dc-keys" data-testid="dispatch-keys">
            <Kbd>↑↓</Kbd> <Kbd>Enter</Kbd> <Kbd>1–5</Kbd> <Kbd>A</Kbd> <Kbd>C</Kbd> {disputeLayer.allowed && <Kbd>D</Kbd>} <Kbd>M</Kbd> <Kbd>U</Kbd> <Kbd>L</Kbd> <Kbd>?</Kbd>
          </div>
        </div>
      </div>

      <AlertsDrawer
        open={alertsOpen}
        onClose={() => setAlertsOpen(false)}
        alerts={alerts}
        onAck={(a) => void ackAlert(a)}
        openOf={(a) =>
          a.incidentId && queue.some((q) => q.id === a.incidentId)
            ? () => {
                select(a.incidentId!);
                setAlertsOpen(false);
              }
            : null
        }
      />

      <KeyHelp open={helpOpen} onClose={() => setHelpOpen(false)} />

      <Modal
        open={!!cancelling}
        title={`${t('cancelAssignment')} ${cancelling?.callSign ?? ''}`}
        onCancel={() => {
          setCancelling(null);
          setCancelReason('');
        }}
        onOk={() => void doCancel()}
        okButtonProps={{ danger: true, 'data-testid': 'cancel-ok' } as React.ComponentProps<typeof Button>}
        destroyOnHidden
      >
        <Input.TextArea autoFocus value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} placeholder={t('cancelReason')} maxLength={500} rows={3} data-testid="cancel-reason" />
      </Modal>
    </div>
  );
}
