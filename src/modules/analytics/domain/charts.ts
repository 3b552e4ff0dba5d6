/**
 * ECharts options of the analytics charts, pure (no ECharts import): the screen (web/src/analytics) and
 * the weekly report's server-side rendering (src/modules/reports) draw from the same option, so the
 * chart in the .docx is the chart on the screen. Interactive extras (tooltips) are added by the screen.
 */

/** Rows in display order: Monday … Sunday (the heat table's rows are 0 Sunday … 6 Saturday). */
export const HEAT_ROW_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/** Weekday names by the heat table's row index (0 Sunday … 6 Saturday). */
export const WEEKDAY_NAMES = {
  zh: ['周日', '周一', '周二', '周三', '周四', '周五', '周六'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
} as const;

/**
 * Incidents by weekday × hour as a heat map. `dayName(d)` names row d (0 Sunday … 6 Saturday) in the
 * reader's language.
 */
export function heatChartOption(cells: readonly (readonly number[])[], dayName: (d: number) => string) {
  const days = HEAT_ROW_ORDER.map((d) => dayName(d));
  const data = HEAT_ROW_ORDER.flatMap((d, y) => Array.from({ length: 24 }, (_, h) => [h, y, cells[d]?.[h] ?? 0] as [number, number, number]));
  const max = Math.max(1, ...data.map((x) => x[2]));
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 8, bottom: 56 },
    xAxis: { type: 'category' as const, data: Array.from({ length: 24 }, (_, h) => `${h}`), splitArea: { show: true } },
    yAxis: { type: 'category' as const, data: days, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal' as const, left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#f0f5ff', '#597ef7', '#10239e'] } },
    series: [{ type: 'heatmap' as const, data }],
  };
}
