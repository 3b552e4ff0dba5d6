/**
 * The demo's year of disputes, written with the incident history it comes from (history.ts calls this in
 * the transaction that marks the history done, so both are there or neither). Reads the demo incidents
 * of the 纠纷 family, the agencies and the demo accounts, draws the register (dispute-history-generator.ts)
 * and bulk-inserts it, with the counters moved past every number used so that later registrations do
 * not collide. Once per database: the `demo_disputes` setting says it is written.
 */
import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { orgUnits, settings, users } from '../db/schema.js';
import { incidents } from '../modules/incidents/index.js';
import {
  disputeAgencies,
  disputeAgencyMembers,
  disputeAgreements,
  disputeCounters,
  disputeEvents,
  disputeFollowups,
  disputeIncidents,
  disputeParties,
  disputeProtocolSteps,
  disputeReferrals,
  disputes,
  disputeSessions,
} from '../modules/disputes/schema.js';
import { defaultCalendar } from '../core/working-days.js';
import type { AgencyKind } from '../modules/disputes/domain/vocabulary.js';
import { generateDemoDisputes, type DemoDisputeInput } from './dispute-history-generator.js';
import type { DemoAgencyRow, DemoMediator } from './dispute-lifecycle.js';

export const DISPUTES_SETTING = 'demo_disputes';
const SEED = 1212;
const CHUNK = 1000;

export interface DemoDisputeOptions {
  now: Date;
  seed?: number;
  log?: (msg: string) => void;
}

/** What the register is drawn from: the demo incidents of the 纠纷 family, the calls for the risk counts, the agencies and accounts. */
export async function loadDemoDisputeInput(db: Db, now: Date, seed = SEED): Promise<{ input: DemoDisputeInput; familyIncidents: number } | null> {
  const agencyRows = await db.select().from(disputeAgencies).where(eq(disputeAgencies.active, true)).orderBy(asc(disputeAgencies.id));
  if (!agencyRows.length) return null;
  const members = await db
    .select({ agencyId: disputeAgencyMembers.agencyId, id: users.id, username: users.username, displayName: users.displayName })
    .from(disputeAgencyMembers)
    .innerJoin(users, eq(users.id, disputeAgencyMembers.userId))
    .orderBy(asc(disputeAgencyMembers.agencyId), asc(users.username));
  const agencies: DemoAgencyRow[] = agencyRows.map((a) => ({
    id: a.id,
    kind: a.kind as AgencyKind,
    name: a.name,
    servesUnitId: a.servesUnitId,
    mediators: members.filter((m) => m.agencyId === a.id).map(({ id, username, displayName }) => ({ id, username, displayName })),
  }));
  const demoUsers = await db.select({ id: users.id, username: users.username, displayName: users.displayName, unitId: users.unitId }).from(users).where(inArray(users.username, ['mediator', 'lawyer', 'community', 'chief']));
  const account = (name: string): DemoMediator | undefined => demoUsers.find((u) => u.username === name);
  const stations = await db.select({ id: orgUnits.id, code: orgUnits.code, parentId: orgUnits.parentId }).from(orgUnits).where(eq(orgUnits.kind, 'station')).orderBy(asc(orgUnits.code));
  // The first station is where the demo chief sits.
  const chiefUnit = demoUsers.find((u) => u.username === 'chief')?.unitId;
  const firstStationId = stations.find((s) => s.id === chiefUnit)?.id ?? stations[0]?.id;
  if (!firstStationId) return null;

  const family = await db
    .select({
      id: incidents.id,
      source: incidents.source,
      categoryCode: incidents.categoryCode,
      status: incidents.status,
      callerName: incidents.callerName,
      callerPhone: incidents.callerPhone,
      addressText: incidents.addressText,
      addressCode: incidents.addressCode,
      lon: incidents.lon,
      lat: incidents.lat,
      stationId: incidents.stationId,
      gridId: incidents.gridId,
      description: incidents.description,
      recordedAt: incidents.recordedAt,
      closedAt: incidents.closedAt,
    })
    .from(incidents)
    .where(and(eq(incidents.createdBy, 'demo'), or(sql`starts_with(${incidents.categoryCode}, '05')`, eq(incidents.categoryCode, '02030102'))))
    .orderBy(asc(incidents.recordedAt), asc(incidents.number));
  const calls = await db.select({ lon: incidents.lon, lat: incidents.lat, phone: incidents.callerPhone, categoryCode: incidents.categoryCode, at: incidents.recordedAt }).from(incidents).where(lte(incidents.recordedAt, now));
  return {
    familyIncidents: family.length,
    input: {
      seed,
      now,
      calendar: defaultCalendar(),
      incidents: family.map((i) => ({ ...i, stationId: i.stationId ?? '', description: i.description ?? '' })),
      calls: calls.map((c) => ({ ...c, at: c.at.getTime() })),
      stations,
      agencies,
      firstStationId,
      accounts: { mediator: account('mediator'), lawyer: account('lawyer'), community: account('community') },
    },
  };
}

/** Writes the demo disputes unless they are written; resolves with the number written. `db` may be a transaction. */
export async function seedDemoDisputeHistory(db: Db, opts: DemoDisputeOptions): Promise<number> {
  const started = performance.now();
  const log = opts.log ?? (() => {});
  if ((await db.select({ key: settings.key }).from(settings).where(eq(settings.key, DISPUTES_SETTING))).length) return 0;
  const loaded = await loadDemoDisputeInput(db, opts.now, opts.seed);
  if (!loaded) {
    log('demo history: no mediation agencies or stations, no disputes written');
    return 0;
  }
  const plan = generateDemoDisputes(loaded.input);

  const insert = async <T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK));
  };
  await insert(plan.disputes, (c) => db.insert(disputes).values(c));
  await insert(plan.parties, (c) => db.insert(disputeParties).values(c));
  await insert(plan.links, (c) => db.insert(disputeIncidents).values(c));
  await insert(plan.referrals, (c) => db.insert(disputeReferrals).values(c));
  await insert(plan.sessions, (c) => db.insert(disputeSessions).values(c));
  await insert(plan.agreements, (c) => db.insert(disputeAgreements).values(c));
  await insert(plan.followups, (c) => db.insert(disputeFollowups).values(c));
  await insert(plan.steps, (c) => db.insert(disputeProtocolSteps).values(c));
  // In time order, so that the timeline's ids follow its times.
  const events = [...plan.events].sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime());
  await insert(events, (c) => db.insert(disputeEvents).values(c));
  await insert(plan.counters, (c) =>
    db
      .insert(disputeCounters)
      .values(c)
      .onConflictDoUpdate({ target: [disputeCounters.stationCode, disputeCounters.day], set: { lastSeq: sql`greatest(${disputeCounters.lastSeq}, excluded.last_seq)` } }),
  );
  await db.insert(settings).values({ key: DISPUTES_SETTING, value: { disputes: plan.disputes.length, scenarios: plan.scenarios, seededAt: new Date().toISOString() } });
  log(`demo history: ${plan.disputes.length} disputes from ${loaded.familyIncidents} incidents of the 纠纷 family (today: ${plan.scenarios.join(', ') || 'none'}) in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return plan.disputes.length;
}
