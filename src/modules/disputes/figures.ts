/**
 * The register's figures, always with their denominators (PRODUCT.md "Measures"):
 *  - resolution rate = resolved ÷ registered, both counted over the disputes registered in the period
 *    (resolved: closed with a resolving outcome, whenever that happened up to now);
 *  - performance rate = disputeAgreements performed ÷ disputeAgreements signed in the period;
 *  - recurrence = disputes closed in the period that saw a new incident between the same people or at
 *    the same place within 90 days of closure ÷ disputes closed in the period;
 *  - median days from registration to resolution.
 * By station, type and agency. Counted in SQL, scoped like every read.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Principal } from '../../core/access.js';
import { disputeScope } from './access.js';
import { RESOLVED_OUTCOMES } from './domain/vocabulary.js';

const resolvedList = sql.raw(RESOLVED_OUTCOMES.map((o) => `'${o}'`).join(', '));

export interface Figures {
  registered: number;
  resolved: number;
  /** resolved ÷ registered, null when nothing was registered. */
  resolutionRate: number | null;
  open: number;
  agreementsSigned: number;
  agreementsPerformed: number;
  performanceRate: number | null;
  closed: number;
  recurred: number;
  recurrenceRate: number | null;
  medianDaysToResolution: number | null;
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

async function figuresWhere(db: Db, scope: SQL | undefined, from: Date, to: Date, extra: SQL = sql`true`): Promise<Figures> {
  const s = scope ?? sql`true`;
  const rows = await db.execute(sql`
    with d as (select * from disputes where ${s} and ${extra}),
    reg as (select * from d where registered_at >= ${from} and registered_at < ${to}),
    clo as (select * from d where closed_at >= ${from} and closed_at < ${to}),
    agr as (select a.* from dispute_agreements a join d on d.id = a.dispute_id where a.signed_at >= ${from} and a.signed_at < ${to})
    select
      (select count(*)::int from reg) as registered,
      (select count(*)::int from reg where closed_at is not null and outcome in (${resolvedList})) as resolved,
      (select count(*)::int from reg where closed_at is null) as open,
      (select count(*)::int from agr) as signed,
      (select count(*)::int from agr where performed_at is not null) as performed,
      (select count(*)::int from clo) as closed,
      (select count(*)::int from clo where exists (select 1 from dispute_incidents i where i.dispute_id = clo.id and i.kind = 'recurrence')) as recurred,
      (select percentile_cont(0.5) within group (order by extract(epoch from closed_at - registered_at) / 86400.0) from reg where closed_at is not null and outcome in (${resolvedList})) as median_days
  `);
  const r = (rows as unknown as { rows?: Record<string, unknown>[] }).rows?.[0] ?? (rows as unknown as Record<string, unknown>[])[0] ?? {};
  const n = (k: string) => Number(r[k] ?? 0);
  const median = r.median_days === null || r.median_days === undefined ? null : Math.round(Number(r.median_days) * 10) / 10;
  return {
    registered: n('registered'),
    resolved: n('resolved'),
    resolutionRate: rate(n('resolved'), n('registered')),
    open: n('open'),
    agreementsSigned: n('signed'),
    agreementsPerformed: n('performed'),
    performanceRate: rate(n('performed'), n('signed')),
    closed: n('closed'),
    recurred: n('recurred'),
    recurrenceRate: rate(n('recurred'), n('closed')),
    medianDaysToResolution: median,
  };
}

async function groups(db: Db, scope: SQL | undefined, column: 'station_id' | 'type', from: Date, to: Date): Promise<string[]> {
  const rows = await db.execute(sql`select distinct ${sql.raw(column)} as k from disputes where ${scope ?? sql`true`} and registered_at >= ${from} and registered_at < ${to} order by 1 limit 200`);
  const list = (rows as unknown as { rows?: { k: string }[] }).rows ?? (rows as unknown as { k: string }[]);
  return list.map((x) => x.k);
}

/** Per agency: disputeReferrals received in the period, accepted, declined, and mediated to an agreement. */
async function byAgency(db: Db, scope: SQL | undefined, from: Date, to: Date) {
  const rows = await db.execute(sql`
    select r.agency_id as "agencyId", a.name as "agencyName", a.kind as "kind",
      count(*)::int as received,
      count(r.accepted_at)::int as accepted,
      count(*) filter (where r.status = 'declined')::int as declined,
      count(*) filter (where exists (select 1 from dispute_agreements g where g.referral_id = r.id))::int as mediated
    from dispute_referrals r join disputes on disputes.id = r.dispute_id join dispute_agencies a on a.id = r.agency_id
    where ${scope ?? sql`true`} and r.created_at >= ${from} and r.created_at < ${to}
    group by r.agency_id, a.name, a.kind order by received desc limit 200`);
  const list = (rows as unknown as { rows?: Record<string, unknown>[] }).rows ?? (rows as unknown as Record<string, unknown>[]);
  return list.map((x) => ({
    agencyId: String(x.agencyId),
    agencyName: String(x.agencyName),
    kind: String(x.kind),
    received: Number(x.received),
    accepted: Number(x.accepted),
    declined: Number(x.declined),
    mediated: Number(x.mediated),
    mediationRate: rate(Number(x.mediated), Number(x.accepted)),
  }));
}

export async function disputeFigures(db: Db, p: Principal, from: Date, to: Date) {
  const scope = disputeScope(p);
  const total = await figuresWhere(db, scope, from, to);
  const stations = await groups(db, scope, 'station_id', from, to);
  const types = await groups(db, scope, 'type', from, to);
  const byStation = [];
  for (const id of stations) byStation.push({ stationId: id, ...(await figuresWhere(db, scope, from, to, sql`station_id = ${id}`)) });
  const byType = [];
  for (const t of types) byType.push({ type: t, ...(await figuresWhere(db, scope, from, to, sql`type = ${t}`)) });
  return { from: from.toISOString(), to: to.toISOString(), ...total, byStation, byType, byAgency: await byAgency(db, scope, from, to) };
}
