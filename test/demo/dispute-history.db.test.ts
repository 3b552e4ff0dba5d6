/**
 * The demo's disputes are consistent with the demo incidents and with the module's own rules: each comes
 * from an incident of the 纠纷 family at its place, numbers are unique with the counters ahead of them,
 * referral states are reachable in the referral machine and agree with what was recorded, closed disputes
 * have outcomes, old ones are mostly resolved, and today there is work: high-risk and overdue disputes at
 * the first station, referrals waiting for the demo mediator and lawyer. On both drivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { orgUnits, users } from '../../src/db/schema.js';
import { incidents } from '../../src/modules/incidents/schema.js';
import { disputeAgreements, disputeCounters, disputeEvents, disputeFollowups, disputeIncidents, disputeProtocolSteps, disputeReferrals, disputes, disputeSessions } from '../../src/modules/disputes/schema.js';
import { seedDemo } from '../../src/demo/seed.js';
import { seedDemoHistory } from '../../src/demo/history.js';
import { loadDemoDisputeInput, seedDemoDisputeHistory } from '../../src/demo/dispute-history.js';
import { generateDemoDisputes } from '../../src/demo/dispute-history-generator.js';
import { listDisputes, clocksOf } from '../../src/modules/disputes/reads.js';
import { disputeFigures } from '../../src/modules/disputes/figures.js';
import { userPrincipal } from '../../src/modules/auth/service.js';
import { disputeTypeOfCategory, isDisputeLikeCategory } from '../../src/modules/disputes/domain/from-incident.js';
import { CLOSE_OUTCOMES_FROM, disputeStatusFrom, OPEN_REFERRAL_STATES, REFERRAL_STATES, REFERRAL_TRANSITIONS, type ReferralState } from '../../src/modules/disputes/domain/referral-machine.js';
import { OUTCOMES, RESOLVED_OUTCOMES } from '../../src/modules/disputes/domain/vocabulary.js';
import { clockState } from '../../src/modules/disputes/domain/clocks.js';
import { protocolFor, protocolProgress } from '../../src/modules/disputes/domain/protocols.js';
import { defaultCalendar } from '../../src/core/working-days.js';
import { localDayCompact } from '../../src/core/clock.js';
import { freshDatabase, testDrivers, type TestDatabase } from '../helpers/db.js';
import type { Db } from '../../src/db/client.js';

const NOW = new Date('2026-03-18T10:30:00+08:00');
const DAYS = 120;
const DAY = 86_400_000;
const calendar = defaultCalendar();

/** States a referral can be in: those reached from `pending` through the machine's transitions. */
function reachableStates(): Set<ReferralState> {
  const seen = new Set<ReferralState>(['pending']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of REFERRAL_TRANSITIONS) if (seen.has(t.from) && !seen.has(t.to)) grew = !!seen.add(t.to);
  }
  return seen;
}

async function principalOf(db: Db, username: string) {
  const [u] = await db.select().from(users).where(eq(users.username, username));
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, u!.unitId));
  return userPrincipal(u!, unit!);
}

describe.each(testDrivers())('demo dispute history (%s)', (driver) => {
  let database: TestDatabase;
  let db: Db;
  let all: (typeof disputes.$inferSelect)[];
  let refs: (typeof disputeReferrals.$inferSelect)[];
  let firstStation: string;

  beforeAll(async () => {
    database = await freshDatabase(driver);
    db = database.db;
    await seedDemo(db);
    await seedDemoHistory(db, { now: NOW, days: DAYS });
    all = await db.select().from(disputes);
    refs = await db.select().from(disputeReferrals);
    firstStation = (await db.select().from(users).where(eq(users.username, 'chief')))[0]!.unitId;
  });
  afterAll(() => database?.close());

  it('about one dispute for every 20 incidents of the 纠纷 family, each from one of them, at its place', async () => {
    const family = (await db.select({ code: incidents.categoryCode }).from(incidents)).filter((i) => i.code.startsWith('05') || i.code === '02030102').length;
    expect(all.length).toBeGreaterThan(family / 30);
    expect(all.length).toBeLessThan(family / 12);
    const links = await db.select().from(disputeIncidents);
    const origins = links.filter((l) => l.kind === 'origin');
    expect(origins.length).toBe(all.length);
    const byIncident = new Map((await db.select().from(incidents).where(inArray(incidents.id, origins.map((o) => o.incidentId)))).map((i) => [i.id, i]));
    for (const d of all) {
      const link = origins.filter((o) => o.disputeId === d.id);
      expect(link).toHaveLength(1);
      const inc = byIncident.get(link[0]!.incidentId);
      expect(inc, d.number).toBeDefined();
      expect(isDisputeLikeCategory(inc!.categoryCode)).toBe(true);
      expect(inc!.categoryCode.startsWith('05') || inc!.categoryCode === '02030102').toBe(true);
      expect({ type: d.type, stationId: d.stationId, gridId: d.gridId, lon: d.lon, lat: d.lat, addressCode: d.addressCode }).toEqual({
        type: disputeTypeOfCategory(inc!.categoryCode),
        stationId: inc!.stationId,
        gridId: inc!.gridId,
        lon: inc!.lon,
        lat: inc!.lat,
        addressCode: inc!.addressCode,
      });
      expect(d.registeredAt.getTime()).toBeGreaterThan(inc!.recordedAt.getTime());
      expect(d.registeredAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
  });

  it('numbers are JF + station + day + sequence, unique, and the counters are ahead of them', async () => {
    const codes = new Map((await db.select().from(orgUnits)).map((u) => [u.id, u.code]));
    const counters = new Map((await db.select().from(disputeCounters)).map((c) => [`${c.stationCode}:${c.day}`, c.lastSeq]));
    expect(new Set(all.map((d) => d.number)).size).toBe(all.length);
    for (const d of all) {
      const prefix = `JF${codes.get(d.stationId)}${localDayCompact(d.registeredAt)}`;
      expect(d.number.startsWith(prefix), d.number).toBe(true);
      const seq = Number(d.number.slice(prefix.length));
      expect(d.number.slice(prefix.length)).toMatch(/^\d{4}$/);
      expect(counters.get(`${codes.get(d.stationId)}:${localDayCompact(d.registeredAt)}`)).toBeGreaterThanOrEqual(seq);
    }
  });

  it('referral states are reachable in the machine and agree with what was recorded', async () => {
    const reachable = reachableStates();
    const agreements = await db.select().from(disputeAgreements);
    const agreementOf = new Map(agreements.map((a) => [a.referralId, a]));
    const sessionsOf = new Set((await db.select({ r: disputeSessions.referralId }).from(disputeSessions)).map((s) => s.r));
    expect(new Set(refs.map((r) => r.status))).toContain('declined');
    for (const r of refs) {
      const s = r.status as ReferralState;
      expect(REFERRAL_STATES).toContain(s);
      expect(reachable.has(s)).toBe(true);
      if (s === 'pending' || s === 'declined') expect(r.acceptedAt, `${r.id} ${s}`).toBeNull();
      if (['accepted', 'in_mediation', 'mediated', 'failed', 'closed'].includes(s)) expect(r.acceptedAt, `${r.id} ${s}`).not.toBeNull();
      expect(r.endedAt !== null, `${r.id} ${s}`).toBe(['declined', 'failed', 'closed', 'cancelled'].includes(s));
      if (['declined', 'failed', 'cancelled'].includes(s)) expect(r.reason).toBeTruthy();
      if (['in_mediation', 'mediated', 'failed'].includes(s)) expect(sessionsOf.has(r.id)).toBe(true);
      if (s === 'mediated') expect(agreementOf.has(r.id)).toBe(true);
      if (s === 'closed') expect(CLOSE_OUTCOMES_FROM[agreementOf.has(r.id) ? 'mediated' : 'failed']).toContain(r.outcome);
    }
    const hasAgreement = new Set(agreements.map((a) => a.disputeId));
    for (const d of all) {
      const mine = refs.filter((r) => r.disputeId === d.id).map((r) => r.status as ReferralState);
      expect(mine.filter((s) => [...OPEN_REFERRAL_STATES, 'mediated'].includes(s)).length).toBeLessThanOrEqual(1);
      expect(d.status, d.number).toBe(disputeStatusFrom(mine, d.closedAt !== null, hasAgreement.has(d.id)));
    }
  });

  it('closed disputes have an outcome that fits what happened; open ones none; the timeline starts at registration', async () => {
    const agreements = new Map((await db.select().from(disputeAgreements)).map((a) => [a.disputeId, a]));
    const events = await db.select().from(disputeEvents);
    for (const d of all) {
      const mine = events.filter((e) => e.disputeId === d.id).sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
      expect(mine[0]).toMatchObject({ type: 'registered', at: d.registeredAt });
      expect(mine.every((e) => e.at.getTime() <= NOW.getTime())).toBe(true);
      if (!d.closedAt) {
        expect(d.outcome).toBeNull();
        continue;
      }
      expect(OUTCOMES).toContain(d.outcome);
      expect(d.closedAt.getTime()).toBeGreaterThan(d.registeredAt.getTime());
      expect(mine.some((e) => e.type === 'closed' && (e.detail as { outcome: string }).outcome === d.outcome)).toBe(true);
      const a = agreements.get(d.id);
      if ((RESOLVED_OUTCOMES as readonly string[]).includes(d.outcome!)) expect(a, d.number).toBeDefined();
      if (d.outcome === 'agreement_performed') expect(a!.performedAt!.getTime()).toBeLessThanOrEqual(d.closedAt.getTime());
      if (a) expect((a.signatures as unknown[]).length).toBeGreaterThanOrEqual(2);
    }
    // Performed agreements were found so on a follow-up visit.
    const visits = await db.select().from(disputeFollowups).where(eq(disputeFollowups.performance, 'performed'));
    expect(visits.length).toBe([...agreements.values()].filter((a) => a.performedAt).length);
  });

  it('of the disputes older than two months, 95–99 % are resolved (resolved ÷ registered, as the figures count)', async () => {
    const admin = await principalOf(db, 'admin');
    const f = await disputeFigures(db, admin, new Date(NOW.getTime() - DAYS * DAY), new Date(NOW.getTime() - 60 * DAY));
    expect(f.registered).toBeGreaterThan(40);
    expect(f.resolutionRate!).toBeGreaterThanOrEqual(0.95);
    expect(f.resolutionRate!).toBeLessThanOrEqual(0.99);
  });

  it('grades risk across the scale, as a register should: red and orange the few, blue and yellow the many', async () => {
    const by = new Map<string, number>();
    for (const d of all) by.set(d.riskGrade, (by.get(d.riskGrade) ?? 0) + 1);
    const share = (g: string) => (by.get(g) ?? 0) / all.length;
    expect(share('red') + share('orange')).toBeLessThan(0.35);
    expect(share('blue') + share('yellow')).toBeGreaterThan(0.6);
    for (const g of ['red', 'orange', 'yellow', 'blue']) expect(by.get(g) ?? 0, g).toBeGreaterThan(0);
  });

  it('today: high-risk and overdue disputes at the first station, and work waiting for the mediator and the lawyer', async () => {
    const open = all.filter((d) => !d.closedAt && d.stationId === firstStation);
    expect(open.some((d) => d.riskGrade === 'red')).toBe(true);
    const clocks = new Set<string>();
    const steps = await db.select().from(disputeProtocolSteps);
    const sessions = await db.select().from(disputeSessions);
    const agreements = await db.select().from(disputeAgreements);
    const visits = await db.select().from(disputeFollowups);
    for (const d of open) {
      const latest = refs.filter((r) => r.disputeId === d.id).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
      const input = { referral: latest, sessions: sessions.filter((s) => s.referralId === latest?.id).map((s) => s.heldAt), agreement: agreements.find((a) => a.disputeId === d.id), followups: visits.filter((v) => v.disputeId === d.id).map((v) => v.at) };
      for (const c of clocksOf(input, calendar)) if (clockState(c, NOW, 0) === 'overdue') clocks.add(c.code);
      const protocol = protocolFor(d.type);
      const done = Object.fromEntries(steps.filter((s) => s.disputeId === d.id).map((s) => [s.code, s.doneAt]));
      if (protocol) for (const s of protocolProgress(protocol, d.registeredAt, done, NOW, calendar)) if (s.state === 'overdue') clocks.add(`protocol:${s.code}`);
    }
    expect([...clocks]).toEqual(expect.arrayContaining(['police_first_session', 'people_conclusion', 'followup_1', 'protocol:home_visit']));

    const mediator = await principalOf(db, 'mediator');
    const work = await listDisputes(db, mediator, { limit: 50, offset: 0 }, NOW);
    const pendingToMediator = refs.filter((r) => r.status === 'pending' && r.mediatorId === mediator.id);
    expect(pendingToMediator.length).toBeGreaterThanOrEqual(2);
    expect(work.items.map((d) => d.id)).toEqual(expect.arrayContaining(pendingToMediator.map((r) => r.disputeId)));
    const lawyer = await principalOf(db, 'lawyer');
    const lawyerWork = await listDisputes(db, lawyer, { limit: 50, offset: 0 }, NOW);
    const pendingToLawyer = refs.filter((r) => r.status === 'pending' && r.mediatorId === lawyer.id && r.agencyId === 'AG-LAW-1');
    expect(pendingToLawyer.length).toBeGreaterThanOrEqual(1);
    expect(lawyerWork.items.map((d) => d.id)).toEqual(expect.arrayContaining(pendingToLawyer.map((r) => r.disputeId)));
  });

  it('is reproducible and written once', async () => {
    const loaded = await loadDemoDisputeInput(db, NOW);
    const [a, b] = [generateDemoDisputes(loaded!.input), generateDemoDisputes(loaded!.input)];
    expect(a).toEqual(b);
    expect(a.disputes.map((d) => d.number).sort()).toEqual(all.map((d) => d.number).sort());
    expect(await seedDemoDisputeHistory(db, { now: NOW })).toBe(0);
    expect((await db.select().from(disputes)).length).toBe(all.length);
  });
});
