/**
 * The dispatcher console's dispute-risk layer (issue 12) as React pieces: the hook that keeps the map
 * layer (disputePlaces.ts) in step with /disputes/risk-places and the toggle, its legend entry and its
 * toggle button beside the coverage toggle. Only for users with `dispute.map`.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button } from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import type { Map as MlMap } from 'maplibre-gl';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { StreamState } from '../realtime';
import { daysSince, RISK_COLOR, useDisputeLabels, type RiskPlace } from '../components/DisputeRisk';
import { DisputePlacesLayer, useRiskPlaces } from './disputePlaces';

export interface DisputeLayerState {
  allowed: boolean;
  on: boolean;
  toggle: () => void;
  count: number;
  loading: boolean;
}

/** Draws the layer on `map` (call it after the live layers are installed: it goes under the incidents). */
export function useDisputeLayer(map: MlMap | null, live: StreamState, permissions: readonly string[]): DisputeLayerState {
  const { t } = useTranslation('dispatch');
  const labels = useDisputeLabels();
  const navigate = useNavigate();
  const allowed = permissions.includes('dispute.map');
  const canOpen = permissions.includes('dispute.read');
  const [on, setOn] = useState(true);
  const q = useRiskPlaces(allowed, live);
  const [layer, setLayer] = useState<DisputePlacesLayer | null>(null);

  // The popup is built when it opens, in the language of that moment.
  const render = useRef({ t, labels, navigate, canOpen });
  render.current = { t, labels, navigate, canOpen };
  const content = useMemo(
    () => ({
      hover: (p: RiskPlace) => {
        const { t: tr, labels: l } = render.current;
        return `${tr('disputeHint')} · ${l.grade(p.riskGrade)} · ${p.number} · ${l.type(p.type)}`;
      },
      popup: (p: RiskPlace) => disputePopup(p, render.current),
    }),
    [],
  );

  useEffect(() => {
    if (!map || !allowed) return;
    const l = new DisputePlacesLayer(map, content);
    setLayer(l);
    return () => {
      l.destroy();
      setLayer(null);
    };
  }, [map, allowed, content]);
  useEffect(() => layer?.setPlaces(on ? (q.data ?? []) : []), [layer, on, q.data]);

  return { allowed, on, toggle: () => setOn((v) => !v), count: q.data?.length ?? 0, loading: q.isLoading };
}

function disputePopup(p: RiskPlace, r: { t: TFunction<'dispatch'>; labels: ReturnType<typeof useDisputeLabels>; navigate: (to: string) => void; canOpen: boolean }): HTMLElement {
  const el = document.createElement('div');
  el.className = 'sw-dispute-pop';
  el.dataset.testid = 'dispute-popup';
  const head = el.appendChild(document.createElement('div'));
  head.className = 'sw-dispute-pop-head';
  const grade = head.appendChild(document.createElement('span'));
  grade.className = 'sw-dispute-pop-grade';
  grade.style.background = RISK_COLOR[p.riskGrade];
  grade.textContent = r.labels.grade(p.riskGrade);
  const num = head.appendChild(document.createElement(r.canOpen ? 'a' : 'b'));
  num.className = 'sw-mono';
  num.textContent = p.number;
  if (num instanceof HTMLAnchorElement) {
    num.href = `/disputes/${encodeURIComponent(p.id)}`;
    num.onclick = (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      r.navigate(`/disputes/${encodeURIComponent(p.id)}`);
    };
  }
  const days = daysSince(p.registeredAt);
  el.appendChild(document.createElement('div')).textContent = `${r.labels.type(p.type)} · ${r.t('disputeDays', { n: days })}`;
  const note = el.appendChild(document.createElement('div'));
  note.className = 'sw-muted';
  note.textContent = r.t('disputeNotIncident');
  return el;
}

/** The legend entry (when the layer is on). */
export function DisputeLegend({ s }: { s: DisputeLayerState }) {
  const { t } = useTranslation('dispatch');
  if (!s.allowed || !s.on) return null;
  return (
    <span className="sw-dc-dispute-key" data-testid="dispute-legend" title={t('disputeLayerHint')}>
      <i className="sw-dc-tri" style={{ borderBottomColor: RISK_COLOR.red }} />
      <i className="sw-dc-tri" style={{ borderBottomColor: RISK_COLOR.orange }} />
      {t('disputeLayer')} <b data-testid="dispute-count">{s.loading ? '…' : s.count}</b>
    </span>
  );
}

/** The toggle beside the coverage toggle (key D). */
export function DisputeToggle({ s }: { s: DisputeLayerState }) {
  const { t } = useTranslation('dispatch');
  if (!s.allowed) return null;
  return (
    <Button icon={<WarningOutlined />} type={s.on ? 'primary' : 'default'} ghost={s.on} onClick={s.toggle} aria-pressed={s.on} data-testid="dispute-toggle" title={t('disputeLayerHint')}>
      {t('disputeLayer')} <span className="sw-btn-kbd">D</span>
    </Button>
  );
}
