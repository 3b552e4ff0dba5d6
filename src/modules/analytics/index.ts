/**
 * Analytics (数据研判, issue 16): the KPI catalogue composed from every module's manifest, and the fair
 * comparison rules (domain/periods.ts, festivals.ts, significance.ts) its figures will be judged by.
 * A module adds its figures by declaring `kpis` in its manifest alone. See docs/analytics.md.
 */
import { defineModule } from '../../kernel/module.js';
import type { Kernel } from '../../kernel/kernel.js';
import analyticsRoutes, { ANALYTICS_MESSAGES } from './routes.js';
import intervalRoutes from './interval-routes.js';
import { incidentDeltas, incidentHours, rollupLock, staleHours } from './schema.js';
import { cellSpans, incidentCells } from './cells-schema.js';
import hotspotRoutes from './hotspot-routes.js';
import { intervalHours } from './intervals-schema.js';
import { heatDays, incidentSpans, intervalSpans } from './spans-schema.js';
import { fillSpansIfMissing, mergeIdle, recountAllSpans, refreshStale } from './rollups.js';
import breakdownRoutes from './breakdown-routes.js';
import exportRoutes from './export-routes.js';
import type { JurisdictionIndex } from '../org/index.js';

export { comparisonFor, isoWeekOf, weekOnWeek, yearToDate, type Comparison, type Span } from './domain/periods.js';
export { festivalOnFestival, festivalsIn, FESTIVALS, type Festival } from './domain/festivals.js';
export { countChange, rateChange, Z_THRESHOLD } from './domain/significance.js';
export { heatTable, markAllStale, refreshStale } from './rollups.js';
// For the weekly report (src/modules/reports): the same figures and the same chart as the screen.
export { familyCounts, judgedFigures, reportComparison, reportCut, settleRollups } from './report-figures.js';
export { comparedInstants } from './figures.js';
export { reportHotSpots, type ReportHotCell } from './report-hotspots.js';
export type { JudgedFigure } from './figures.js';
export { parseIsoWeek, formatIsoWeek, isoWeekSpan } from './domain/periods.js';
export { heatChartOption, WEEKDAY_NAMES } from './domain/charts.js';

/** How often the worker recounts the hours marked stale (the figures lag the writes by about this much). */
const REFRESH_MS = Number(process.env.SHOUWANG_ANALYTICS_REFRESH_MS ?? 2000);
const workers = new WeakMap<Kernel, { timer: NodeJS.Timeout | null; running: Promise<unknown> | null }>();

export default defineModule({
  name: 'analytics',
  // After every module whose KPIs it lists (the catalogue is the kernel's, composed from all manifests).
  needs: ['org', 'incidents', 'dispatch'],
  tables: { incidentHours, staleHours, incidentDeltas, rollupLock, incidentCells, intervalHours, incidentSpans, intervalSpans, heatDays, cellSpans },
  messages: ANALYTICS_MESSAGES,
  permissions: [{ id: 'analytics.read', zh: '查看指标定义与统计分析', en: 'Read the KPI definitions and the analyses', roles: ['analyst', 'chief', 'supervisor', 'admin'] }],
  setup: (kernel) => {
    // The day and month tier counts each row for the units on its org path: a changed tree is counted again.
    kernel.caches.onChange('org', async () => {
      await recountAllSpans(kernel.ctx.db);
    });
  },
  start: (kernel) => {
    const w = { timer: null as NodeJS.Timeout | null, running: null as Promise<unknown> | null };
    let filled = false;
    // One bounded round per tick: a backlog (an upgrade, the demo's history) is worked off over many ticks, between requests.
    const tick = () => {
      const db = kernel.ctx.db;
      // Nothing stale: the interval tier's appended rows are merged instead (rollups.ts, mergeIdle).
      w.running ??= (filled ? refreshStale(db, { maxRounds: 1 }).then((hours) => (hours ? 0 : mergeIdle(db))) : fillSpansIfMissing(db).then(() => (filled = true)))
        .catch((err) => kernel.log(err, 'analytics: rollup refresh failed'))
        .finally(() => (w.running = null));
    };
    w.timer = setInterval(tick, REFRESH_MS);
    w.timer.unref();
    workers.set(kernel, w);
  },
  stop: async (kernel) => {
    const w = workers.get(kernel);
    if (w?.timer) clearInterval(w.timer);
    await w?.running;
  },
  web: { namespace: 'analytics', menu: [{ path: '/analytics', permission: 'analytics.read', labelKey: 'nav.analytics' }] },
  routes: async (api, kernel) => {
    await api.register(analyticsRoutes, { kpis: kernel.kpis, db: kernel.ctx.db, org: kernel.api<JurisdictionIndex>('org') });
    await api.register(intervalRoutes, { db: kernel.ctx.db });
    await api.register(hotspotRoutes, { db: kernel.ctx.db, org: kernel.api<JurisdictionIndex>('org') });
    await api.register(breakdownRoutes, { db: kernel.ctx.db, org: kernel.api<JurisdictionIndex>('org') });
    await api.register(exportRoutes, { db: kernel.ctx.db, org: kernel.api<JurisdictionIndex>('org'), kpis: kernel.kpis });
  },
});
