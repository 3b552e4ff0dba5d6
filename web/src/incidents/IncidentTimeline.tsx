/**
 * The incident's timeline (#11.15): its own events (recorded, status changes, merges, transfers …) and
 * the events of the units sent to it (assigned by whom, acknowledged, en route, on scene, cleared,
 * withdrawn), by time, each naming the unit's call sign. Everything is said from codes in the reader's
 * language: a move caused by a unit names it (detail.units), a platform reason is a code (detail.reasonCode).
 */
import { Card, Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../format';
import { useLabel } from '../i18n';
import type { Assignment } from '../dispatch/model';
import type { IncidentEvent } from './model';
import { StatusTag } from './tags';
import { cancelReasonText } from './IncidentAssignments';

type UnitStep = 'assigned' | 'ack' | 'en_route' | 'on_scene' | 'cleared' | 'cancelled';

interface Item {
  at: string;
  key: string;
  color: string;
  node: React.ReactNode;
}

const UNIT_STEPS: [UnitStep, keyof Assignment, string][] = [
  ['assigned', 'assignedAt', 'orange'],
  ['ack', 'ackAt', 'blue'],
  ['en_route', 'enRouteAt', 'blue'],
  ['on_scene', 'onSceneAt', 'purple'],
  ['cleared', 'clearedAt', 'green'],
  ['cancelled', 'cancelledAt', 'gray'],
];

export function IncidentTimeline({ events, assignments, eventText }: { events: readonly IncidentEvent[]; assignments: readonly Assignment[]; eventText: (e: IncidentEvent) => string }) {
  const { t } = useTranslation('incidents');
  const { t: td } = useTranslation('dispatch');
  const label = useLabel('incidents');

  const unitsOf = (e: IncidentEvent): string => {
    const units = (e.detail as { units?: { callSign?: string; id?: string }[] } | null)?.units;
    return Array.isArray(units) && units.length ? td('tlUnits', { units: units.map((u) => u.callSign ?? u.id).join(td('listSep')) }) : '';
  };
  const reasonCodeOf = (e: IncidentEvent): string => {
    const code = (e.detail as { reasonCode?: string } | null)?.reasonCode;
    return code === 'units_withdrawn' ? td('rcUnitsWithdrawn') : '';
  };

  const items: Item[] = events.map((e, i) => {
    const extra = [unitsOf(e), reasonCodeOf(e), eventText(e)].filter(Boolean).join(' · ');
    return {
      at: e.at,
      key: `e-${e.at}-${i}`,
      color: e.type === 'created' ? 'blue' : e.toStatus === 'closed' ? 'green' : e.type === 'merged' || e.toStatus === 'cancelled' ? 'gray' : e.toStatus === 'new' ? 'red' : 'blue',
      node: (
        <div data-testid={`event-${e.type}`}>
          <div>
            <b>{label('ev_', e.type)}</b>{' '}
            {(e.fromStatus || e.toStatus) && (
              <span>
                {e.fromStatus ? <StatusTag s={e.fromStatus} /> : null}
                {e.fromStatus ? ' → ' : ''}
                {e.toStatus ? <StatusTag s={e.toStatus} /> : null}
              </span>
            )}
          </div>
          <div className="sw-muted">
            {t('by')}: {e.username ?? '—'}
            {extra ? ` · ${extra}` : ''}
          </div>
        </div>
      ),
    };
  });
  for (const a of assignments) {
    const cs = a.callSign ?? a.unitId;
    for (const [step, field, color] of UNIT_STEPS) {
      const at = a[field] as string | null;
      if (!at) continue;
      const by = step === 'assigned' ? a.assignedBy : null;
      const reason = step === 'cancelled' ? cancelReasonText(a.cancelReason, td) : '';
      items.push({
        at,
        key: `a-${a.id}-${step}`,
        color,
        node: (
          <div data-testid={`event-unit-${step}`} data-unit={cs}>
            <b>{td(`tl_${step}`, { callSign: cs })}</b>
            {(by || reason) && (
              <div className="sw-muted">
                {by ? `${t('by')}: ${by}` : ''}
                {by && reason ? ' · ' : ''}
                {reason ? `${t('reason')}: ${reason}` : ''}
              </div>
            )}
          </div>
        ),
      });
    }
  }
  // By time; at the same instant the incident's own event first (the units' follow).
  const order = items.map((x, i) => ({ x, i })).sort((p, q) => Date.parse(p.x.at) - Date.parse(q.x.at) || p.i - q.i);

  return (
    <Card size="small" title={t('timeline')} style={{ marginBottom: 12 }} data-testid="incident-timeline">
      <Timeline items={order.map(({ x }) => ({ key: x.key, color: x.color, title: <span className="sw-mono">{fmtTime(x.at)}</span>, content: x.node }))} />
    </Card>
  );
}
