/**
 * The right third of the console while no incident is selected: today's picture at a glance — the calls
 * recorded today and how many of them are dealt with, open incidents by priority, units by status, and
 * the open alerts (a click opens the incident) — instead of an empty panel.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { Empty, Tag } from 'antd';
import { ExclamationCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useLabel } from '../i18n';
import { PRIORITY_COLOR, type Incident, type Priority } from '../incidents/model';
import { UNIT_STATUS_COLOR, type DispatchAlert, type DispatchUnit } from './model';
import { useAlertText } from './alertText';

const SHOWN_STATUSES = ['available', 'dispatched', 'en_route', 'on_scene', 'busy'] as const;
const DEALT_WITH = ['cleared', 'closed', 'transferred', 'merged', 'cancelled'];

/**
 * Incidents recorded since local midnight: all of them, and those dealt with (no longer waiting or
 * worked). Asked again when an incident joins or leaves the queue (`queueKey`), else every 30 s.
 */
function useToday(queueKey: string) {
  return useQuery({
    queryKey: ['dispatch', 'today', queueKey],
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const from = dayjs().startOf('day').toISOString();
      const [all, done] = await Promise.all([
        api<{ total: number }>('/api/v1/incidents', { query: { from, limit: 1 } }),
        api<{ total: number }>('/api/v1/incidents', { query: { from, status: DEALT_WITH, limit: 1 } }),
      ]);
      return { recorded: all.total, dealtWith: done.total };
    },
    refetchInterval: 30_000,
  });
}

export function IdleSummary({ queue, units, alerts, onOpenIncident }: { queue: Incident[]; units: DispatchUnit[]; alerts: DispatchAlert[]; onOpenIncident: (id: string) => void }) {
  const { t } = useTranslation('dispatch');
  const dl = useLabel('dispatch');
  const alertText = useAlertText();
  const byPriority = (p: Priority) => queue.filter((i) => i.priority === p).length;
  const byStatus = (s: string) => units.filter((u) => u.status === s).length;
  const open = alerts.filter((a) => a.status !== 'resolved');
  const today = useToday(`${queue.length}:${queue.reduce((m, i) => (i.times.recordedAt > m ? i.times.recordedAt : m), '')}`);
  return (
    <div className="sw-dc-panel" data-testid="idle-summary" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <div className="sw-muted">{t('recommendHint')}</div>
      <section aria-label={t('summaryToday')}>
        <div className="sw-dc-panel-title">{t('summaryToday')}</div>
        <div style={{ fontSize: 14 }} data-testid="summary-today">
          {today.data ? t('summaryTodayText', { n: today.data.recorded, done: today.data.dealtWith }) : '…'}
        </div>
      </section>
      <section aria-label={t('summaryQueue')}>
        <div className="sw-dc-panel-title">{t('summaryQueue')}</div>
        <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
          {(['P1', 'P2', 'P3', 'P4'] as Priority[]).map((p) => (
            <Tag key={p} color={PRIORITY_COLOR[p]} style={{ fontSize: 14, padding: '2px 10px' }} data-testid={`summary-${p}`}>
              {p} · {byPriority(p)}
            </Tag>
          ))}
        </div>
      </section>
      <section aria-label={t('summaryUnits')}>
        <div className="sw-dc-panel-title">{t('summaryUnits')}</div>
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', fontSize: 14 }}>
          {SHOWN_STATUSES.map((s) => (
            <span key={s} data-testid={`summary-units-${s}`}>
              <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: UNIT_STATUS_COLOR[s], marginInlineEnd: 6 }} />
              {dl('us_', s)} <b>{byStatus(s)}</b>
            </span>
          ))}
        </div>
      </section>
      <section aria-label={t('alertsTitle')}>
        <div className="sw-dc-panel-title">
          {t('alertsTitle')} ({open.length})
        </div>
        {open.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alertsEmpty')} />
        ) : (
          open.slice(0, 8).map((a) => (
            <button
              key={a.id}
              type="button"
              className="sw-dc-alert"
              style={{ display: 'block', width: '100%', textAlign: 'start', cursor: a.incidentId ? 'pointer' : 'default', background: 'transparent', border: 0, padding: '4px 0' }}
              onClick={() => a.incidentId && onOpenIncident(a.incidentId)}
              data-testid={`summary-alert-${a.kind}`}
            >
              <ExclamationCircleOutlined style={{ color: '#cf1322', marginInlineEnd: 6 }} />
              <b>{dl('alert_', a.kind)}</b>
              {a.level === 'escalated' && (
                <Tag color="red" style={{ marginInlineStart: 6 }}>
                  {t('escalated')}
                </Tag>
              )}
              <div className="sw-muted" style={{ fontSize: 12 }} data-testid="summary-alert-text">
                {alertText(a)}
              </div>
            </button>
          ))
        )}
      </section>
    </div>
  );
}
