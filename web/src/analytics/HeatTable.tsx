/**
 * Incidents by weekday × hour of day as an ECharts heat map (the modules the chart needs only, so the
 * bundle carries no more of ECharts than this). Monday first, as a Chinese duty roster reads.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { HEAT_ROW_ORDER, heatChartOption } from '../../../src/modules/analytics/domain/charts';

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export default function HeatTable({ cells }: { cells: number[][] }) {
  const { t } = useTranslation('analytics');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    // The option is shared with the weekly report's server-side chart (domain/charts.ts); the tooltip is the screen's own.
    const dayName = (d: number) => t(`weekday${d as (typeof HEAT_ROW_ORDER)[number]}`);
    const days = HEAT_ROW_ORDER.map(dayName);
    chart.setOption({
      ...heatChartOption(cells, dayName),
      tooltip: { formatter: (p: { value: number[] }) => t('cellTip', { day: days[p.value[1]!]!, hour: String(p.value[0]), n: String(p.value[2]) }) },
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [cells, t]);
  return <div ref={ref} style={{ width: '100%', height: 300 }} role="img" aria-label={t('heatTitle')} data-testid="heat-chart" />;
}
