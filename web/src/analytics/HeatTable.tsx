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

echarts.use([HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

/** Rows in display order: Monday … Sunday (the API's rows are 0 Sunday … 6 Saturday). */
const ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

export default function HeatTable({ cells }: { cells: number[][] }) {
  const { t } = useTranslation('analytics');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    const days = ORDER.map((d) => t(`weekday${d}`));
    const data = ORDER.flatMap((d, y) => Array.from({ length: 24 }, (_, h) => [h, y, cells[d]?.[h] ?? 0]));
    const max = Math.max(1, ...data.map((x) => x[2]!));
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 8, bottom: 56 },
      xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => `${h}`), splitArea: { show: true } },
      yAxis: { type: 'category', data: days, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f0f5ff', '#597ef7', '#10239e'] } },
      tooltip: { formatter: (p: { value: number[] }) => t('cellTip', { day: days[p.value[1]!]!, hour: String(p.value[0]), n: String(p.value[2]) }) },
      series: [{ type: 'heatmap', data }],
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
