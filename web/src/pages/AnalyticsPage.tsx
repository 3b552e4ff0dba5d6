/**
 * 数据研判 — the analyst's (and chief's, supervisor's) figures for a span of days in their jurisdiction,
 * each against last year's fair span with the change judged, and the weekday × hour heat table.
 */
import { useMemo, useState } from 'react';
import dayjs from 'dayjs';
import { Alert, Button, Card, Col, Empty, Row, Segmented, Space, Spin, Typography } from 'antd';
import { FundProjectionScreenOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import { SPAN_KEYS, spanOf, useHeat, useKpiDefs, useKpiValues, type SpanKey } from '../analytics/model';
import KpiCard from '../analytics/KpiCard';
import HeatTable from '../analytics/HeatTable';
import IntervalsTable from '../analytics/IntervalsTable';
import HotspotMap from '../analytics/HotspotMap';
import BreakdownTable from '../analytics/BreakdownTable';
import ExportButton from '../analytics/ExportButton';

const SPAN_LABEL = { week: 'spanWeek', month: 'spanMonth', ytd: 'spanYtd', d30: 'span30' } as const;

export default function AnalyticsPage() {
  const { t } = useTranslation('analytics');
  const { t: tw } = useTranslation('wall');
  const { lang } = useLang();
  const [key, setKey] = useState<SpanKey>('week');
  const span = useMemo(() => spanOf(key), [key]);
  const defs = useKpiDefs();
  // The drill-down's unit narrows every figure on the page (absent: my own unit).
  const [unitId, setUnitId] = useState<string | undefined>();
  const values = useKpiValues(span, unitId);
  const heat = useHeat(span, unitId);
  const byId = new Map((defs.data ?? []).map((d) => [d.id, d]));
  const items = (values.data?.items ?? []).filter((v) => byId.has(v.id));
  const rule = items.find((v) => v.rule)?.rule;
  // A span that holds today: counted up to now, last year's up to the same instant of its matching day.
  const cut = values.data?.cut;
  const at = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

  return (
    <div data-testid="page-analytics" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('pageTitle')}</Typography.Title>
        <Space style={{ marginInlineStart: 'auto' }} wrap>
          <span className="sw-muted">{t('spanLabel')}</span>
          <Segmented<SpanKey> value={key} onChange={setKey} options={SPAN_KEYS.map((k) => ({ value: k, label: t(SPAN_LABEL[k]) }))} data-testid="analytics-span" />
          <span className="sw-mono" data-testid="analytics-span-days">
            {span.from} — {span.to}
          </span>
          <Button href="/wall" target="_blank" rel="noopener" icon={<FundProjectionScreenOutlined />} title={tw('openWallHint')} data-testid="analytics-open-wall">
            {tw('openWall')}
          </Button>
        </Space>
      </div>
      {(values.error || defs.error) && <Alert type="error" showIcon title={String((values.error ?? defs.error) as Error)} />}
      <Card size="small" title={t('figures')} extra={<Space>{rule ? <span className="sw-muted">{t(`rule_${rule}` as 'rule_to_date')}</span> : null}{cut ? <span className="sw-muted" data-testid="analytics-cut">{t('cutNote', { now: at(cut.current), then: at(cut.previous) })}</span> : null}<ExportButton table="kpis" span={span} unitId={unitId} /></Space>}>
        {values.isLoading || defs.isLoading ? (
          <Spin />
        ) : items.length ? (
          <Row gutter={[12, 12]} data-testid="kpi-cards">
            {items.map((v) => (
              <Col key={v.id} xs={24} sm={12} xl={6}>
                <KpiCard def={byId.get(v.id)!} value={v} lang={lang} />
              </Col>
            ))}
          </Row>
        ) : (
          <Empty description={t('noData')} />
        )}
      </Card>
      <IntervalsTable span={span} />
      <Card size="small" title={t('heatTitle')} extra={<Space><span className="sw-muted">{t('heatNote')}</span><ExportButton table="heat" span={span} unitId={unitId} /></Space>}>
        {heat.data ? <HeatTable cells={heat.data.cells} /> : <Spin />}
      </Card>
      <BreakdownTable span={span} unitId={unitId} onUnit={setUnitId} />
      <Card size="small" title={t('hotTitle')} extra={<span className="sw-muted">{t('hotNote')}</span>} data-testid="analytics-hotspots">
        <HotspotMap span={span} unitId={unitId} />
      </Card>
    </div>
  );
}
