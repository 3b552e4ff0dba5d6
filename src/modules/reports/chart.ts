/**
 * The report's charts, rendered on the server from the same ECharts option as the screen
 * (analytics' heatChartOption): ECharts' server-side SVG renderer, then sharp → PNG for the .docx.
 * Same cells → same pixels → same PNG bytes (no animation, no time in the option, no metadata written).
 */
import * as echarts from 'echarts';
import sharp from 'sharp';
import { heatChartOption, WEEKDAY_NAMES } from '../analytics/index.js';

export const HEAT_CHART = { width: 900, height: 320 } as const;

export function heatChartSvg(cells: readonly (readonly number[])[]): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: HEAT_CHART.width, height: HEAT_CHART.height });
  try {
    chart.setOption(heatChartOption(cells, (d) => WEEKDAY_NAMES.zh[d] ?? String(d)));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** PNG at twice the size for print sharpness. */
export async function heatChartPng(cells: readonly (readonly number[])[]): Promise<Buffer> {
  return sharp(Buffer.from(heatChartSvg(cells)), { density: 144 }).flatten({ background: '#ffffff' }).png({ compressionLevel: 9, adaptiveFiltering: false }).toBuffer();
}
