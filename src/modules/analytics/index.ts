/**
 * Analytics (数据研判, issue 16): the KPI catalogue composed from every module's manifest, and the fair
 * comparison rules (domain/periods.ts, festivals.ts, significance.ts) its figures will be judged by.
 * A module adds its figures by declaring `kpis` in its manifest alone. See docs/analytics.md.
 */
import { defineModule } from '../../kernel/module.js';
import analyticsRoutes, { ANALYTICS_MESSAGES } from './routes.js';

export { comparisonFor, isoWeekOf, weekOnWeek, yearToDate, type Comparison, type Span } from './domain/periods.js';
export { festivalOnFestival, festivalsIn, FESTIVALS, type Festival } from './domain/festivals.js';
export { countChange, rateChange, Z_THRESHOLD } from './domain/significance.js';

export default defineModule({
  name: 'analytics',
  // After every module whose KPIs it lists (the catalogue is the kernel's, composed from all manifests).
  needs: ['incidents', 'dispatch'],
  messages: ANALYTICS_MESSAGES,
  permissions: [{ id: 'analytics.read', zh: '查看指标定义与统计分析', en: 'Read the KPI definitions and the analyses', roles: ['analyst', 'chief', 'supervisor', 'admin'] }],
  routes: async (api, kernel) => {
    await api.register(analyticsRoutes, { kpis: kernel.kpis, db: kernel.ctx.db });
  },
});
