/**
 * One figure: its value (a rate with its two numbers), last year's fair span beside it, and the change —
 * "no significant change" when chance explains it, never a bold percentage. A duration median is judged
 * as counts and rates are (from its two histograms: `test` 'quantile_interval'); a figure the server does
 * not judge shows its difference and says so. Hovering the name shows what is counted (the definition,
 * numerator, denominator, exclusions, version) and how the change is judged.
 */
import { Card, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../i18n';
import type { KpiDef, KpiValue, Measure } from './model';
import { formatSeconds } from './duration';

function shown(m: Measure | null, unit: string): string {
  if (!m || m.value === null) return '—';
  if (unit === 'rate') return `${(m.value * 100).toFixed(1)}%`;
  if (unit === 'seconds') return formatSeconds(m.value);
  return Number.isInteger(m.value) ? m.value.toLocaleString() : m.value.toFixed(1);
}

/** How the change is judged, in words; for a duration also both confidence intervals. */
function Test({ def, value }: { def: KpiDef; value: KpiValue }) {
  const { t } = useTranslation('analytics');
  const ci = (m: Measure | null) => (m?.ci ? `${m.ci.low === null ? '…' : shown({ ...m, value: m.ci.low }, def.unit)} – ${m.ci.high === null ? '…' : shown({ ...m, value: m.ci.high }, def.unit)}` : '—');
  return (
    <div data-testid="kpi-test">
      <b>{t('testLabel')}</b>：{t(value.test ? `test_${value.test}` : 'test_none')}
      {value.test === 'quantile_interval' && <div>{t('ciBoth', { now: ci(value.current), before: ci(value.previous) })}</div>}
    </div>
  );
}

function Definition({ def, value }: { def: KpiDef; value: KpiValue }) {
  const { t } = useTranslation('analytics');
  return (
    <div style={{ maxWidth: 420 }}>
      <div>
        <b>{t('definition')}</b>：{def.definition}
      </div>
      {def.numerator && (
        <div>
          <b>{t('numerator')}</b>：{def.numerator}
        </div>
      )}
      {def.denominator && (
        <div>
          <b>{t('denominator')}</b>：{def.denominator}
        </div>
      )}
      {def.exclusions && (
        <div>
          <b>{t('exclusions')}</b>：{def.exclusions}
        </div>
      )}
      {value.previous && <Test def={def} value={value} />}
      <div style={{ opacity: 0.75 }}>
        {def.id} · {t('version', { v: def.version })}
      </div>
    </div>
  );
}

export default function KpiCard({ def, value, lang }: { def: KpiDef; value: KpiValue; lang: Lang }) {
  const { t } = useTranslation('analytics');
  const good = value.direction === 'same' || def.better === 'neither' ? null : value.direction === def.better;
  const colour = good === null ? undefined : good ? '#237804' : '#cf1322';
  let change: string;
  if (!value.previous) change = '';
  else if (value.previous.value === null || value.current.value === null) change = t('noComparison');
  // Not judged (a mean, another module's median): the difference only, and it says so.
  else if (!value.test) change = t('notJudged', { d: `${(value.change ?? 0) > 0 ? '+' : (value.change ?? 0) < 0 ? '−' : '±'}${shown({ ...value.current, value: Math.abs(value.change ?? 0) }, def.unit)}` });
  else if (!value.significant || value.direction === 'same') change = t('noSignificant');
  else if (value.test === 'quantile_interval') change = t(value.direction === 'up' ? 'ivSlower' : 'ivFaster', { d: shown({ ...value.current, value: Math.abs(value.change ?? 0) }, def.unit) });
  else if (def.unit === 'rate') change = value.direction === 'up' ? t('pointsUp', { points: String(Math.abs(value.change ?? 0)) }) : t('pointsDown', { points: String(Math.abs(value.change ?? 0)) });
  else {
    const pct = value.pct === null ? '' : `${Math.abs(value.pct)}%`;
    change = value.direction === 'up' ? t('significantUp', { pct }) : t('significantDown', { pct });
  }
  const Icon = value.direction === 'up' ? ArrowUpOutlined : value.direction === 'down' ? ArrowDownOutlined : MinusOutlined;
  return (
    <Card size="small" data-testid={`kpi-${def.id}`} data-significant={String(value.significant)} data-test={value.test ?? ''}>
      <Tooltip title={<Definition def={def} value={value} />} placement="bottomLeft">
        <Typography.Text strong tabIndex={0} style={{ borderBottom: '1px dotted currentColor', cursor: 'help' }} data-testid="kpi-name">
          {lang === 'en' ? def.en : def.zh}
        </Typography.Text>
      </Tooltip>
      <div style={{ fontSize: 28, fontWeight: 600, lineHeight: 1.3 }} data-testid="kpi-value">
        {shown(value.current, def.unit)}
      </div>
      {def.unit === 'rate' && value.current.denominator !== null && (
        <div className="sw-muted" data-testid="kpi-rate-of">
          {t('rateOf', { numerator: String(value.current.numerator ?? 0), denominator: String(value.current.denominator) })}
        </div>
      )}
      {!value.scope.exact && (
        <div className="sw-muted" data-testid="kpi-scope">
          {value.current.value === null ? t('scopeNone', { unit: value.scope.name }) : t('scopeEnclosing', { unit: value.scope.name })}
        </div>
      )}
      {value.previous && (
        <div className="sw-muted" data-testid="kpi-previous">
          {t('lastYear', { value: shown(value.previous, def.unit), from: value.previous.from, to: value.previous.to })}
        </div>
      )}
      {change && (
        <div style={{ color: colour, fontWeight: value.significant ? 600 : 400 }} data-testid="kpi-change">
          <Icon /> {change}
        </div>
      )}
    </Card>
  );
}
