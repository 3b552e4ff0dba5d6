/**
 * The dispatch figures (PRODUCT.md "Measures"), declared for analytics (issue 16): from recorded to the
 * first unit assigned, from assigned to on scene, the whole response, and P1 on scene within target.
 * Medians and 90th percentiles, by priority.
 */
import type { KpiDef } from '../../kernel/module.js';

export const DISPATCH_KPIS: readonly KpiDef[] = [
  { id: 'dispatch.dispatch_time', zh: '派警用时', en: 'Dispatch time', unit: 'seconds', better: 'down', definition: 'incident recorded → first unit assigned, median and 90th percentile by priority', exclusions: 'incidents transferred or closed without dispatch' },
  { id: 'dispatch.travel_time', zh: '途中用时', en: 'Travel time', unit: 'seconds', better: 'down', definition: 'first unit assigned → first unit on scene, median and 90th percentile by priority', exclusions: 'assignments recalled before arrival' },
  { id: 'dispatch.response_time', zh: '响应用时', en: 'Response time', unit: 'seconds', better: 'down', definition: 'intake + dispatch + travel: answered → first unit on scene (recorded → on scene when the answer time is unknown: a desk entry, a 12345 order), median and 90th percentile by priority', version: 2 },
  { id: 'dispatch.p1_on_scene_in_target', zh: 'P1 按时到场率', en: 'P1 on scene within target', unit: 'rate', better: 'up', definition: 'P1 incidents with a unit on scene within the target (the bureau’s, SHOUWANG_P1_TARGET_MINUTES, 10 minutes by default) after recording ÷ P1 incidents dispatched in the period', numerator: 'P1 incidents of the period with a unit on scene within the target', denominator: 'P1 incidents of the period with a unit dispatched', exclusions: 'P1 incidents transferred or cancelled before dispatch', version: 2 },
];
