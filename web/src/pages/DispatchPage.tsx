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
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Badge, Button, Empty, Input, Modal, Tabs, Tag, Typography } from 'antd';
import { AimOutlined, BellOutlined, NodeIndexOutlined, QuestionCircleOutlined, RadarChartOutlined, SendOutlined } from '@ant-design/icons';
import type { Map as MlMap } from 'maplibre-gl';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type User } from '../api';
import { errorMessage } from '../format';
import MapView from '../components/MapView';
import { priorityRank, useCategoryLabel, type Incident } from '../incidents/model';
import { WaitTimer } from '../dispatch/clock';
import { QueueList } from '../dispatch/QueueList';
import { UnitTable } from '../dispatch/UnitTable';
import { possibleDuplicates, type DuplicateOf } from '../dispatch/duplicates';
import { DuplicateMerge } from '../dispatch/DuplicateMerge';
import { PriorityTag, StatusTag } from '../incidents/tags';
import { CategoryPath } from '../incidents/CategoryPath';
import { useUnits } from '../session';
import { pollInterval, useRealtime } from '../realtime';
import { useLabel, useLang } from '../i18n';
import { useConsoleMap } from '../dispatch/useConsoleMap';
import { useConsoleKeys } from '../dispatch/useConsoleKeys';
import { useCoverage } from '../dispatch/useCoverage';
import { useStationPlaces, useStations } from '../dispatch/places';
import { RecPlanSummary, RecRow } from '../dispatch/RecRow';
import { IdleSummary } from '../dispatch/IdleSummary';
import { AlertsDrawer, ConsoleLegend, KeyHelp, Kbd, SelectedAssignments, StreamTag } from '../dispatch/ConsoleParts';
import { DisputeLegend, DisputeToggle, useDisputeLayer } from '../dispatch/DisputeLayer';
import {
  metres,
  mmss,
  useDispatchUnits,
  useOpenIncidents,
  type Assignment,
  type DispatchAlert,
  type DispatchUnit,
  type Recommendation,
  type RouteFeature,
} from '../dispatch/model';

const COMMAND = ['dispatcher', 'chief'];

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

  const coverage = useCoverage(units, coverageOn);
  const coverageQ = coverage.query;

  // ------------------------------------------------------------------ the map
  const [map, setMap] = useState<MlMap | null>(null);
  const stationsQ = useStations();
  const stationPlaces = useStationPlaces(stationsQ.data);
  const selectRef = useRef<(id: string) => void>(() => {});
  const unitLabel = useCallback((u: DispatchUnit) => `${u.callSign} · ${dl('us_', u.status)}${u.stale || !u.position ? ` · ${u.position ? t('stale') : t('noPosition')}` : ''}`, [dl, t]);
  const incidentLabel = useCallback((i: Incident) => `${i.priority} ${i.number} · ${catLabel(i.categoryCode)}`, [catLabel]);
  const route = selected && highlighted && routeQ.data?.properties.unitId === highlighted.unitId ? routeQ.data : null;
  const positionTimes = useConsoleMap({
    map,
    queue,
    units,
    selected,
    highlighted,
    focusUnit,
    route,
    coverage: coverageQ.data ?? null,
    coverageOn,
    unitLabel,
    incidentLabel,
    onIncidentClick: (id) => selectRef.current(id),
    onUnitClick: setFocusUnit,
  });
  // High-risk dispute places (issue 12), under the incidents: installed after the live layers.
  const disputeLayer = useDisputeLayer(map, live, user.permissions);

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
  useConsoleKeys(
    { queue, cursor, selectedId, recs, highlighted, helpOpen, alertsOpen, asking: !!cancelling || !!mergeAsk, mergeFirst: canMerge ? (selectedDuplicates[0] ?? null) : null },
    {
      select,
      assign,
      moveCursor: (id) => {
        setTab('queue');
        setCursorId(id);
      },
      pickRecommendation: setRecIdx,
      toggleCoverage: () => setCoverageOn((v) => !v),
      toggleDisputes: disputeLayer.toggle,
      toggleUnits: () => setTab((v) => (v === 'queue' ? 'units' : 'queue')),
      askMerge: setMergeAsk,
      openAlerts: () => setAlertsOpen(true),
      openHelp: () => setHelpOpen(true),
      closeOverlays: () => {
        setHelpOpen(false);
        setAlertsOpen(false);
      },
      clearSelection: () => {
        setSelectedId(null);
        setFocusUnit(null);
      },
    },
  );

  // Keep the cursor row visible.
  useEffect(() => {
    document.querySelector(`[data-testid="dq-row-${queue[cursor]?.number}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [cursor, queue]);

  // ------------------------------------------------------------------ render
  const alerts = alertsQ.data ?? [];
  const available = units.filter((u) => u.status === 'available').length;

  const legend = <ConsoleLegend disputes={<DisputeLegend s={disputeLayer} />} coverage={{ on: coverageOn, ready: !!coverageQ.data, origins: coverage.hasOrigins, within5: coverage.within5 }} />;

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
