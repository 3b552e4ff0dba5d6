/**
 * The incident figures (PRODUCT.md "Measures"), declared for analytics (issue 16): counts by family and
 * priority, the intervals of a call from ring to recorded, transfers answered on time, callback
 * satisfaction. Times are medians and 90th percentiles, by priority; only 110 calls with the times known.
 */
import type { KpiDef } from '../../kernel/module.js';

export const INCIDENT_KPIS: readonly KpiDef[] = [
  { id: 'incident.count', zh: '警情数', en: 'Incidents', unit: 'count', better: 'neither', definition: 'incidents recorded in the period in the jurisdiction (recorded_at), by category family and priority', exclusions: 'duplicates merged into another incident; invalid and nuisance calls (family 09) are counted apart' },
  { id: 'incident.answer_time', zh: '接听用时', en: 'Answer time', unit: 'seconds', better: 'down', definition: 'call start → answered, median and 90th percentile by priority (NENA: 90 % within 15 s)', exclusions: 'incidents without a telephony call start (entered from the desk or a 12345 order)' },
  { id: 'incident.intake_time', zh: '录入用时', en: 'Intake time', unit: 'seconds', better: 'down', definition: 'answered → incident recorded, median and 90th percentile by priority' },
  { id: 'incident.transfer_on_time', zh: '移交按时回复率', en: 'Transfers answered on time', unit: 'rate', better: 'up', definition: 'transfers to 12345/119/120/122 answered by their due time ÷ transfers made in the period', numerator: 'transfers of the period answered by their due time', denominator: 'transfers made in the period' },
  { id: 'incident.satisfaction', zh: '回访满意率', en: 'Callback satisfaction', unit: 'rate', better: 'up', definition: 'satisfied ÷ callbacks answered (PRODUCT.md)', numerator: 'callbacks of the period answered "satisfied" or "very satisfied"', denominator: 'callbacks of the period that reached the caller', exclusions: 'callers unreachable' },
];
