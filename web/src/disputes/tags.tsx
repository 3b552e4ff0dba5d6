/** The register's tags: risk grade (its reasons on hover), dispute status, referral state, and a clock or protocol step by state. */
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import { fmtTime } from '../format';
import { useDisputeLabel, type DueState, type RiskGrade, type RiskReason } from './model';

/** Solid colours with white (or black on yellow) text at 4.5:1 or better (axe, #11.24). */
const RISK_STYLE: Record<RiskGrade, { background: string; color: string; borderColor: string }> = {
  red: { background: '#cf1322', color: '#fff', borderColor: '#a8071a' },
  orange: { background: '#ad4e00', color: '#fff', borderColor: '#873800' },
  yellow: { background: '#fadb14', color: '#1f1f1f', borderColor: '#d4b106' },
  blue: { background: '#0958d9', color: '#fff', borderColor: '#003eb3' },
};

export function RiskReasons({ reasons, score }: { reasons: readonly RiskReason[]; score: number }) {
  const { t } = useTranslation('disputes');
  const { lang } = useLang();
  return (
    <div className="sw-risk-reasons">
      <div className="sw-risk-reasons-title">{t('riskReasons', { score })}</div>
      <ul>
        {reasons.map((r) => (
          <li key={r.code}>
            <span className="sw-risk-points">{t('riskPoints', { n: r.points })}</span> {lang === 'en' ? r.en : r.zh}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The grade as a coloured tag; with `reasons` its explanation shows on hover and focus. */
export function RiskTag({ grade, reasons, score, long }: { grade: RiskGrade; reasons?: readonly RiskReason[]; score?: number; long?: boolean }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const text = long ? t('gradeLong', { grade: label('grade_', grade) }) : label('grade_', grade);
  const tag = (
    <Tag style={{ ...RISK_STYLE[grade], fontWeight: 600, marginInlineEnd: 0 }} data-grade={grade} tabIndex={reasons ? 0 : undefined}>
      {text}
    </Tag>
  );
  if (!reasons?.length) return tag;
  return <Tooltip title={<RiskReasons reasons={reasons} score={score ?? reasons.reduce((n, r) => n + r.points, 0)} />}>{tag}</Tooltip>;
}

const STATUS_COLOR: Record<string, string> = { registered: 'default', referred: 'blue', in_mediation: 'purple', agreed: 'cyan', closed: 'green' };

export function DisputeStatusTag({ status }: { status: string }) {
  const label = useDisputeLabel();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} data-status={status} style={{ marginInlineEnd: 0 }}>
      {label('st_', status)}
    </Tag>
  );
}

const REFERRAL_COLOR: Record<string, string> = { pending: 'gold', accepted: 'blue', declined: 'volcano', in_mediation: 'purple', mediated: 'green', failed: 'red', closed: 'default', cancelled: 'default' };

export function ReferralStateTag({ state }: { state: string }) {
  const label = useDisputeLabel();
  return (
    <Tag color={REFERRAL_COLOR[state] ?? 'default'} data-state={state} style={{ marginInlineEnd: 0 }}>
      {label('rs_', state)}
    </Tag>
  );
}

/** Green when done or not yet due, yellow when due soon, red when overdue. */
const DUE_STYLE: Record<DueState, { background: string; color: string; borderColor: string }> = {
  done: { background: '#f6ffed', color: '#135200', borderColor: '#95de64' },
  due: { background: '#f6ffed', color: '#135200', borderColor: '#95de64' },
  soon: { background: '#fffbe6', color: '#613400', borderColor: '#ffd666' },
  overdue: { background: '#fff1f0', color: '#a8071a', borderColor: '#ff7875' },
};

export function DueTag({ state, dueAt, doneAt, basis }: { state: DueState; dueAt: string; doneAt: string | null; basis?: string }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const tag = (
    <Tag style={{ ...DUE_STYLE[state], marginInlineEnd: 0 }} data-due={state} tabIndex={basis ? 0 : undefined}>
      {label('clk_', state)} · {doneAt ? t('clockDoneAt', { at: fmtTime(doneAt).slice(0, 16) }) : t('clockDue', { at: fmtTime(dueAt).slice(0, 16) })}
    </Tag>
  );
  return basis ? <Tooltip title={basis}>{tag}</Tooltip> : tag;
}
