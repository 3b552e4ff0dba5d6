/**
 * Parts of the dispatcher console (pages/DispatchPage.tsx) that only show what they are given: the
 * stream state, the map legend, the selected incident's assignments, the alert drawer and the key help.
 */
import { Badge, Button, Drawer, Empty, Modal, Space, Tag, Tooltip } from 'antd';
import { ExclamationCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../format';
import { useLabel } from '../i18n';
import { PRIORITY_COLOR, type Priority } from '../incidents/model';
import type { StreamState } from '../realtime';
import { Age } from './clock';
import { useAlertText } from './alertText';
import { ACTIVE_ASSIGNMENT, UNIT_STATUS_COLOR, type Assignment, type DispatchAlert } from './model';

export function Kbd({ children }: { children: string }) {
  return <kbd className="sw-kbd">{children}</kbd>;
}

export function StreamTag({ state }: { state: StreamState }) {
  const { t } = useTranslation('dispatch');
  const color = state === 'live' ? 'green' : state === 'connecting' ? 'gold' : 'default';
  return (
    <Tooltip title={state === 'live' ? t('liveHint') : t('pollingHint')}>
      <Tag color={color} data-testid="stream-state" data-state={state} style={{ marginInlineEnd: 0 }}>
        <Badge status={state === 'live' ? 'success' : state === 'connecting' ? 'processing' : 'default'} /> {state === 'live' ? t('live') : state === 'connecting' ? t('connecting') : t('polling')}
      </Tag>
    </Tooltip>
  );
}

/** The map's legend: priorities, unit statuses, the dispute layer's key and the coverage line when on. */
export function ConsoleLegend({ disputes, coverage }: { disputes: React.ReactNode; coverage: { on: boolean; ready: boolean; origins: boolean; within5: number | null } }) {
  const { t } = useTranslation('dispatch');
  const dl = useLabel('dispatch');
  return (
    <div className="sw-dc-legend" data-testid="dispatch-legend">
      <span className="sw-dc-legend-title">{t('legendP')}</span>
      {(['P1', 'P2', 'P3', 'P4'] as Priority[]).map((p) => (
        <span key={p} className="sw-dc-dot" style={{ background: PRIORITY_COLOR[p] }}>
          {p}
        </span>
      ))}
      <span className="sw-dc-legend-title" style={{ marginInlineStart: 8 }}>
        {t('legendUnits')}
      </span>
      {(['available', 'en_route', 'on_scene', 'busy'] as const).map((s) => (
        <span key={s} className="sw-dc-unit-dot">
          <i style={{ background: UNIT_STATUS_COLOR[s] }} />
          {dl('us_', s)}
        </span>
      ))}
      <span className="sw-dc-unit-dot">
        <i style={{ background: '#fff', border: `2px solid ${UNIT_STATUS_COLOR.available}` }} />
        {t('stale')}
      </span>
      {disputes}
      {coverage.on && (
        <span className="sw-dc-cov" data-testid="coverage-legend">
          <i />
          {coverage.ready ? t('coverageOn') : coverage.origins ? '…' : t('coverageNone')}
          {coverage.within5 !== null && <b> · {t('coverageShare', { p: Math.round(coverage.within5 * 100) })}</b>}
        </span>
      )}
    </div>
  );
}

/** The selected incident's units: the active ones and the last three ended, each withdrawable. */
export function SelectedAssignments({ assignments, canDispatch, onCancel }: { assignments: Assignment[]; canDispatch: boolean; onCancel: (a: Assignment) => void }) {
  const { t } = useTranslation('dispatch');
  const dl = useLabel('dispatch');
  const activeAssignments = assignments.filter((a) => ACTIVE_ASSIGNMENT.includes(a.status));
  const pastAssignments = assignments.filter((a) => !ACTIVE_ASSIGNMENT.includes(a.status));
  return (
    <div className="sw-dc-panel sw-dc-assignments" data-testid="assignments">
      <div className="sw-dc-panel-title">{t('assignments')}</div>
      {activeAssignments.length === 0 && pastAssignments.length === 0 ? (
        <div className="sw-muted" style={{ fontSize: 12 }}>
          {t('noAssignments')}
        </div>
      ) : (
        [...activeAssignments, ...pastAssignments.slice(-3)].map((a) => (
          <div key={a.id} className={`sw-dc-asg ${ACTIVE_ASSIGNMENT.includes(a.status) ? '' : 'sw-dc-asg-past'}`} data-testid={`assignment-${a.callSign ?? a.unitId}`} data-status={a.status}>
            <b>{a.callSign ?? a.unitId}</b>
            <Tag color={a.status === 'on_scene' ? 'purple' : a.status === 'en_route' ? 'geekblue' : a.status === 'assigned' ? 'orange' : a.status === 'acknowledged' ? 'blue' : 'default'} data-testid="assignment-status">
              {dl('as_', a.status)}
            </Tag>
            <span className="sw-muted sw-mono">{fmtTime(a.assignedAt).slice(11)}</span>
            {a.status === 'assigned' && <Age since={a.assignedAt} warnAfter={60} />}
            <span style={{ flex: 1 }} />
            {ACTIVE_ASSIGNMENT.includes(a.status) && canDispatch && (
              <Button size="small" danger type="text" onClick={() => onCancel(a)} data-testid={`cancel-${a.callSign ?? a.unitId}`}>
                {t('cancelAssignment')}
              </Button>
            )}
          </div>
        ))
      )}
    </div>
  );
}

/** The alert drawer (L): each open alert, acknowledged here or opened on its incident when it is queued. */
export function AlertsDrawer({ open, onClose, alerts, onAck, openOf }: { open: boolean; onClose: () => void; alerts: DispatchAlert[]; onAck: (a: DispatchAlert) => void; openOf: (a: DispatchAlert) => (() => void) | null }) {
  const { t } = useTranslation('dispatch');
  const dl = useLabel('dispatch');
  const alertText = useAlertText();
  return (
    <Drawer title={t('alertsTitle')} open={open} onClose={onClose} size={440} data-testid="alerts-drawer">
      {alerts.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alertsEmpty')} />
      ) : (
        alerts.map((a) => {
          const openIt = openOf(a);
          return (
            <div key={a.id} className={`sw-dc-alert sw-dc-alert-${a.kind} ${a.level === 'escalated' ? 'sw-dc-alert-escalated' : ''}`} data-testid={`alert-${a.kind}`}>
              <div className="sw-dc-alert-head">
                <ExclamationCircleOutlined />
                <b>{dl('alert_', a.kind)}</b>
                {a.level === 'escalated' && <Tag color="red">{t('escalated')}</Tag>}
                <span style={{ flex: 1 }} />
                <Age since={a.raisedAt} />
              </div>
              <div className="sw-dc-alert-msg" data-testid="alert-text">
                {alertText(a)}
              </div>
              <Space size={6}>
                <Button size="small" type="primary" onClick={() => onAck(a)} data-testid="alert-ack">
                  {t('alertAck')}
                </Button>
                {openIt && (
                  <Button size="small" onClick={openIt}>
                    {t('selectedIncident')}
                  </Button>
                )}
              </Space>
            </div>
          );
        })
      )}
    </Drawer>
  );
}

const KEYS = [
  ['↑ / ↓', 'k_updown'],
  ['Enter', 'k_enter'],
  ['1 – 5', 'k_digits'],
  ['A', 'k_a'],
  ['C', 'k_c'],
  ['D', 'k_d'],
  ['M', 'k_m'],
  ['U', 'k_u'],
  ['L', 'k_l'],
  ['Esc', 'k_esc'],
  ['?', 'k_help'],
] as const;

/** The key help (?). */
export function KeyHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('dispatch');
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('helpTitle')} width={520} data-testid="help-overlay">
      <table className="sw-dc-help" data-testid="help-table">
        <tbody>
          {KEYS.map(([k, m]) => (
            <tr key={k}>
              <td>
                <Kbd>{k}</Kbd>
              </td>
              <td>{t(m)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
