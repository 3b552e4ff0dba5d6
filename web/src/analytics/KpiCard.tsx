/**
 * One figure: its value (a rate with its two numbers), last year's fair span beside it, and the change —
 * "no significant change" when chance explains it, never a bold percentage. Hovering the name shows what
 * is counted (the definition, numerator, denominator, exclusions, version).
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

function Definition({ def }: { def: KpiDef }) {
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
  else if (!value.significant) change = t('noSignificant');
  else if (def.unit === 'rate') change = value.direction === 'up' ? t('pointsUp', { points: String(Math.abs(value.change ?? 0)) }) : t('pointsDown', { points: String(Math.abs(value.change ?? 0)) });
  else {
    const pct = value.pct === null ? '' : `${Math.abs(value.pct)}%`;
    change = value.direction === 'up' ? t('significantUp', { pct }) : t('significantDown', { pct });
  }
  const Icon = value.direction === 'up' ? ArrowUpOutlined : value.direction === 'down' ? ArrowDownOutlined : MinusOutlined;
  return (
    <Card size="small" data-testid={`kpi-${def.id}`} data-significant={String(value.significant)}>
      <Tooltip title={<Definition def={def} />} placement="bottomLeft">
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
