/** The portal's figures for the analytics module: reports per day by channel, medians to acceptance and resolution, duplicate share. */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { unitScope } from '../../core/access.js';
import type { KpiDef, KpiQuery } from '../../kernel/module.js';

function firstRow(rows: unknown): Record<string, unknown> {
  return (rows as { rows?: Record<string, unknown>[] }).rows?.[0] ?? (rows as Record<string, unknown>[])[0] ?? {};
}

async function perDay(db: Db, q: KpiQuery, channel: string | null) {
  const scope = unitScope(q.principal, sql.raw('unit_id')) ?? sql`true`;
  const r = firstRow(await db.execute(sql`select count(*)::int as n from citizen_reports where ${scope} and created_at >= ${q.from.toISOString()}::timestamptz and created_at < ${q.to.toISOString()}::timestamptz and (${channel}::text is null or channel = ${channel})`));
  const days = Math.max(1, (q.to.getTime() - q.from.getTime()) / 86_400_000);
  const n = Number(r.n ?? 0);
  return { value: Math.round((n / days) * 100) / 100, numerator: n, denominator: Math.round(days * 100) / 100 };
}

async function medianHours(db: Db, q: KpiQuery, column: 'accepted_at' | 'closed_at') {
  const scope = unitScope(q.principal, sql.raw('unit_id')) ?? sql`true`;
  const extra = column === 'closed_at' ? sql`and status = 'resolved'` : sql``;
  const r = firstRow(
    await db.execute(sql`select count(*)::int as n, percentile_cont(0.5) within group (order by extract(epoch from ${sql.raw(column)} - created_at) / 3600.0) as m
      from citizen_reports where ${scope} and created_at >= ${q.from.toISOString()}::timestamptz and created_at < ${q.to.toISOString()}::timestamptz and ${sql.raw(column)} is not null ${extra}`),
  );
  return { value: r.m === null || r.m === undefined ? null : Math.round(Number(r.m) * 10) / 10, denominator: Number(r.n ?? 0) };
}

async function duplicateShare(db: Db, q: KpiQuery) {
  const scope = unitScope(q.principal, sql.raw('unit_id')) ?? sql`true`;
  const r = firstRow(
    await db.execute(sql`select count(*)::int as n, count(*) filter (where status = 'duplicate')::int as d,
      (select count(*)::int from citizen_voices v join citizen_reports r2 on r2.id = v.report_id where ${scope} and v.at >= ${q.from.toISOString()}::timestamptz and v.at < ${q.to.toISOString()}::timestamptz) as voices
      from citizen_reports where ${scope} and created_at >= ${q.from.toISOString()}::timestamptz and created_at < ${q.to.toISOString()}::timestamptz`),
  );
  const num = Number(r.d ?? 0) + Number(r.voices ?? 0);
  const den = Number(r.n ?? 0) + Number(r.voices ?? 0);
  return { value: den ? num / den : null, numerator: num, denominator: den };
}

export const CITIZEN_KPIS: KpiDef[] = [
  { id: 'citizen.reports_per_day', zh: '网上报事日均量', en: 'Citizen reports per day', unit: 'value', better: 'neither', definition: 'reports received in the period (portal and Open311) ÷ days in the period, by the owning unit', measure: (db, q) => perDay(db, q, null) },
  { id: 'citizen.reports_per_day_portal', zh: '网上报事日均量（群众门户）', en: 'Citizen reports per day: portal', unit: 'value', better: 'neither', definition: 'reports made in the portal in the period ÷ days', measure: (db, q) => perDay(db, q, 'portal') },
  { id: 'citizen.reports_per_day_open311', zh: '网上报事日均量（Open311）', en: 'Citizen reports per day: Open311', unit: 'value', better: 'neither', definition: 'reports made through Open311 clients in the period ÷ days', measure: (db, q) => perDay(db, q, 'open311') },
  { id: 'citizen.median_hours_to_accept', zh: '报事受理用时中位数（小时）', en: 'Median hours to acceptance', unit: 'hours', better: 'down', definition: 'median of accepted_at − created_at over the reports made in the period that were accepted', measure: (db, q) => medianHours(db, q, 'accepted_at') },
  { id: 'citizen.median_hours_to_resolve', zh: '报事办结用时中位数（小时）', en: 'Median hours to resolution', unit: 'hours', better: 'down', definition: 'median of closed_at − created_at over the reports made in the period and resolved (rejected and duplicates left out)', measure: (db, q) => medianHours(db, q, 'closed_at') },
  {
    id: 'citizen.duplicate_share',
    zh: '重复报事占比',
    en: 'Duplicate share',
    unit: 'rate',
    better: 'neither',
    numerator: 'reports marked duplicate by staff + voices added instead of a new report',
    denominator: 'reports made + voices added',
    definition: '(duplicates merged by staff + “add my voice” instead of a new report) ÷ (reports made + voices), in the period',
    measure: duplicateShare,
  },
];
