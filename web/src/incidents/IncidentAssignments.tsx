/**
 * The units sent to an incident (#11.15), on the incident page: each assignment with its status, who
 * assigned it and when it was assigned, acknowledged, en route, on scene, cleared (or withdrawn, with
 * the reason). The same rows give the timeline its unit events (IncidentTimeline).
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api } from '../api';
import { fmtTime } from '../format';
import { useLabel } from '../i18n';
import type { Assignment } from '../dispatch/model';

export const ASSIGNMENT_TAG: Record<string, string> = { assigned: 'orange', acknowledged: 'blue', en_route: 'geekblue', on_scene: 'purple', cleared: 'green', cancelled: 'default' };

/** The incident's assignments, oldest first (none asked for without the permission). */
export function useIncidentAssignments(incidentId: string, permissions: readonly string[]) {
  return useQuery({
    queryKey: ['incidents', 'assignments', incidentId],
    queryFn: () => api<{ items: Assignment[] }>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/assignments`).then((r) => r.items),
    enabled: !!incidentId && permissions.includes('assignment.read'),
  });
}

/**
 * A withdrawal's reason as the reader's language says it: the platform's own reasons were stored as
 * Chinese sentences (an ended incident, a diversion to a P1 call, a unit that changed meanwhile) and are
 * recognised here; anything else is the dispatcher's own words, shown as written.
 */
export function cancelReasonText(reason: string | null, t: TFunction<'dispatch'>): string {
  if (!reason) return '';
  const ended = /^警情已(结警|合并|转办|撤警)$/.exec(reason);
  if (ended) return t(({ 结警: 'cr_ended_closed', 合并: 'cr_ended_merged', 转办: 'cr_ended_transferred', 撤警: 'cr_ended_cancelled' } as const)[ended[1] as '结警']);
  const diverted = /^改派至P1警情 (\S+)$/.exec(reason);
  if (diverted) return t('cr_diverted', { number: diverted[1] });
  if (reason === 'unit status changed meanwhile') return t('cr_status_changed');
  const withdrawn = /^取消派警：(.*)$/s.exec(reason);
  return withdrawn ? withdrawn[1] : reason;
}

const STEPS = [
  ['assignedAt', 'asgAssigned'],
  ['ackAt', 'asgAck'],
  ['enRouteAt', 'asgEnRoute'],
  ['onSceneAt', 'asgOnScene'],
  ['clearedAt', 'asgCleared'],
] as const;

export function AssignmentsCard({ query }: { query: ReturnType<typeof useIncidentAssignments> }) {
  const { t } = useTranslation('dispatch');
  const dl = useLabel('dispatch');
  const rows = query.data ?? [];
  return (
    <Card size="small" title={t('asgTitle')} style={{ marginBottom: 12 }} data-testid="incident-assignments">
      {query.isLoading ? (
        <span className="sw-muted">{t('loading')}</span>
      ) : !rows.length ? (
        <span className="sw-muted">{t('noAssignments')}</span>
      ) : (
        rows.map((a) => (
          <div key={a.id} className="sw-incident-line" data-testid={`incident-asg-${a.callSign ?? a.unitId}`} data-status={a.status}>
            <div className="sw-incident-line-head">
              <b>{a.callSign ?? a.unitId}</b>
              <Tag color={ASSIGNMENT_TAG[a.status] ?? 'default'}>{dl('as_', a.status)}</Tag>
              <span className="sw-muted">
                {t('asgBy')}: {a.assignedBy ?? '—'}
              </span>
            </div>
            <dl className="sw-asg-times">
              {STEPS.map(([field, key]) => (
                <div key={field} data-testid={`asg-${field}`}>
                  <dt>{t(key)}</dt>
                  <dd className="sw-mono">{a[field] ? fmtTime(a[field]).slice(11) : '—'}</dd>
                </div>
              ))}
              {a.cancelledAt && (
                <div data-testid="asg-cancelledAt">
                  <dt>{t('asgCancelled')}</dt>
                  <dd className="sw-mono">{fmtTime(a.cancelledAt).slice(11)}</dd>
                </div>
              )}
            </dl>
            {a.cancelledAt && a.cancelReason && (
              <div className="sw-muted">
                {t('asgReason')}: {cancelReasonText(a.cancelReason, t)}
              </div>
            )}
          </div>
        ))
      )}
    </Card>
  );
}
