/** The cases' tags: a clock's board colour, its state, the kind and status of a case, and time left or overdue. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../i18n';
import { splitMinutes, type ClockState, type Colour } from './model';

/** Solid colours with white (or black on yellow) text at 4.5:1 or better (as the disputes' RISK_STYLE). */
export const COLOUR_STYLE: Record<Colour, { background: string; color: string; borderColor: string }> = {
  red: { background: '#cf1322', color: '#fff', borderColor: '#a8071a' },
  yellow: { background: '#fadb14', color: '#1f1f1f', borderColor: '#d4b106' },
  green: { background: '#237804', color: '#fff', borderColor: '#135200' },
  grey: { background: '#595959', color: '#fff', borderColor: '#434343' },
};

export function ColourTag({ colour }: { colour: Colour }) {
  const label = useLabel('cases');
  return (
    <Tag style={{ ...COLOUR_STYLE[colour], fontWeight: 600, marginInlineEnd: 0 }} data-colour={colour}>
      {label('colour_', colour)}
    </Tag>
  );
}

const STATE_COLOR: Record<ClockState, string> = { running: 'blue', stopped: 'default', done: 'green', overdue: 'red' };

export function ClockStateTag({ state }: { state: ClockState }) {
  const label = useLabel('cases');
  return (
    <Tag color={STATE_COLOR[state]} data-state={state} style={{ marginInlineEnd: 0 }}>
      {label('state_', state)}
    </Tag>
  );
}

export function CaseKindTag({ kind }: { kind: string }) {
  const label = useLabel('cases');
  return (
    <Tag color={kind === 'criminal' ? 'volcano' : 'geekblue'} style={{ marginInlineEnd: 0 }} data-kind={kind}>
      {label('kind_', kind)}
    </Tag>
  );
}

export function CaseStatusTag({ status }: { status: string }) {
  const label = useLabel('cases');
  return (
    <Tag color={status === 'closed' ? 'default' : 'blue'} style={{ marginInlineEnd: 0 }} data-status={status}>
      {label('status_', status)}
    </Tag>
  );
}

/** "2 天 3 小时" left, or overdue by it (red text); '—' when the clock is stopped. */
export function TimeLeft({ minutes }: { minutes: number | null }) {
  const { t } = useTranslation('cases');
  if (minutes === null) return <span>—</span>;
  const { days, hours, mins } = splitMinutes(minutes);
  const d = days > 0 ? t('durDays', { d: days, h: hours }) : t('durHours', { h: hours, m: mins });
  return minutes < 0 ? (
    <span className="sw-case-overdue" data-overdue="true">
      {t('overdueBy', { d })}
    </span>
  ) : (
    <span>{t('left', { d })}</span>
  );
}
