/**
 * The incident figures (PRODUCT.md "Measures"), declared for analytics (issue 16): counts by family and
 * priority, the intervals of a call from ring to recorded, transfers answered on time, callback
 * satisfaction. Times are medians and 90th percentiles, by priority; only 110 calls with the times known.
 */
import { and, count, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { unitScope } from '../../core/access.js';
import type { KpiDef, KpiMeasure, KpiQuery } from '../../kernel/module.js';
import type { Db } from '../../db/client.js';
import { callbacks, incidents, transfers } from './schema.js';
import { incidentScope } from './service.js';

const num = (x: unknown) => Number(x ?? 0);
const rate = (numerator: number, denominator: number): KpiMeasure => ({ value: denominator > 0 ? numerator / denominator : null, numerator, denominator });

async function incidentCount(db: Db, q: KpiQuery): Promise<KpiMeasure> {
  const [r] = await db
    .select({ n: count() })
    .from(incidents)
    .where(and(incidentScope(q.principal), gte(incidents.recordedAt, q.from), lt(incidents.recordedAt, q.to), isNull(incidents.masterId)));
  return { value: num(r?.n) };
}

async function transfersOnTime(db: Db, q: KpiQuery): Promise<KpiMeasure> {
  const [r] = await db
    .select({ total: count(), onTime: sql<number>`count(*) filter (where ${transfers.answeredAt} is not null and ${transfers.answeredAt} <= ${transfers.dueAt})` })
    .from(transfers)
    .where(and(unitScope(q.principal, transfers.stationId), gte(transfers.sentAt, q.from), lt(transfers.sentAt, q.to)));
  return rate(num(r?.onTime), num(r?.total));
}

/** Satisfied and basically satisfied ÷ callbacks that reached the caller. */
async function satisfaction(db: Db, q: KpiQuery): Promise<KpiMeasure> {
  const [r] = await db
    .select({ reached: count(), satisfied: sql<number>`count(*) filter (where ${callbacks.outcome} in ('satisfied', 'basically_satisfied'))` })
    .from(callbacks)
    .where(and(unitScope(q.principal, callbacks.stationId), isNotNull(callbacks.doneAt), gte(callbacks.doneAt, q.from), lt(callbacks.doneAt, q.to), inArray(callbacks.outcome, ['satisfied', 'basically_satisfied', 'dissatisfied'])));
  return rate(num(r?.satisfied), num(r?.reached));
}

export const INCIDENT_KPIS: readonly KpiDef[] = [
  { id: 'incident.count', zh: '警情数', en: 'Incidents', unit: 'count', better: 'neither', definition: 'incidents recorded in the period in the jurisdiction (recorded_at), by category family and priority', exclusions: 'duplicates merged into another incident', measure: incidentCount },
  { id: 'incident.answer_time', zh: '接听用时', en: 'Answer time', unit: 'seconds', better: 'down', definition: 'call start → answered, median and 90th percentile by priority (NENA: 90 % within 15 s)', exclusions: 'incidents without a telephony call start (entered from the desk or a 12345 order)' },
  { id: 'incident.intake_time', zh: '录入用时', en: 'Intake time', unit: 'seconds', better: 'down', definition: 'answered → incident recorded, median and 90th percentile by priority' },
  { id: 'incident.transfer_on_time', zh: '移交按时回复率', en: 'Transfers answered on time', unit: 'rate', better: 'up', definition: 'transfers to 12345/119/120/122 answered by their due time ÷ transfers made in the period', numerator: 'transfers of the period answered by their due time', denominator: 'transfers made in the period', measure: transfersOnTime },
  { id: 'incident.satisfaction', zh: '回访满意率', en: 'Callback satisfaction', unit: 'rate', better: 'up', definition: 'satisfied ÷ callbacks answered (PRODUCT.md)', numerator: 'callbacks done in the period answered satisfied or basically satisfied (满意, 基本满意)', denominator: 'callbacks done in the period that reached the caller', exclusions: 'callers unreachable', measure: satisfaction },
];
