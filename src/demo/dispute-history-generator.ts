/**
 * A year of the demo city's dispute register, drawn from the demo incidents: about one dispute for every
 * 20 incidents of the 纠纷 family (and 家庭暴力), registered by the community officer soon after the
 * incident closed, at its place, station and grid, typed from its category (from-incident.ts), the
 * caller as applicant. Each is lived by dispute-lifecycle.ts; today's scenarios (dispute-today.ts) come
 * first. The risk grade is the module's (risk.ts) from the same facts: the calls at the place and from
 * the parties' phones in the 90 days before, failed mediations and days open. Numbers JF + station +
 * day + 4 digits in registration order, with the counters that follow them. Pure and reproducible
 * (mulberry32 from `seed`); all names and phones are fake.
 */
import { mulberry32 } from '../core/random.js';
import { localDayCompact } from '../core/clock.js';
import type { WorkingDayCalendar } from '../core/working-days.js';
import type { disputeIncidents, disputeParties, disputes } from '../modules/disputes/schema.js';
import { disputeTypeOfCategory, isDisputeLikeCategory } from '../modules/disputes/domain/from-incident.js';
import { PLACE_RADIUS_M, gradeRisk, type RiskGrading } from '../modules/disputes/domain/risk.js';
import { disputeStatusFrom } from '../modules/disputes/domain/referral-machine.js';
import { policeMediationRefusal } from '../modules/disputes/domain/police-mediation.js';
import type { AgencyKind, DisputeSource, DisputeType } from '../modules/disputes/domain/vocabulary.js';
import { liveDispute, type DemoAgencyRow, type DemoMediator, type HandOff, type LifePlan, type LifeRows } from './dispute-lifecycle.js';
import { TODAY_SCENARIOS, type Scenario } from './dispute-today.js';
import { partiesOf, summaryOf } from './dispute-parties.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DemoDisputeIncident {
  id: string;
  source: string;
  categoryCode: string;
  status: string;
  callerName: string | null;
  callerPhone: string | null;
  addressText: string | null;
  addressCode: string | null;
  lon: number | null;
  lat: number | null;
  stationId: string;
  gridId: string | null;
  description: string;
  recordedAt: Date;
  closedAt: Date | null;
}

/** One past incident, for the risk grade's counts. */
export interface DemoCall {
  lon: number | null;
  lat: number | null;
  phone: string | null;
  categoryCode: string;
  at: number;
}

export interface DemoDisputeInput {
  seed: number;
  now: Date;
  calendar: WorkingDayCalendar;
  /** The demo's incidents of the 纠纷 family, oldest first. */
  incidents: readonly DemoDisputeIncident[];
  calls: readonly DemoCall[];
  stations: readonly { id: string; code: string; parentId: string | null }[];
  agencies: readonly DemoAgencyRow[];
  firstStationId: string;
  accounts: { mediator?: DemoMediator; lawyer?: DemoMediator; community?: DemoMediator };
}

export interface DemoDisputePlan extends LifeRows {
  disputes: (typeof disputes.$inferInsert)[];
  parties: (typeof disputeParties.$inferInsert)[];
  links: (typeof disputeIncidents.$inferInsert)[];
  counters: { stationCode: string; day: string; lastSeq: number }[];
  /** Today's scenarios that found an incident. */
  scenarios: string[];
}

/** The 纠纷 family (05…) and domestic violence: the incidents a dispute is registered from. */
export const inDisputeFamily = (categoryCode: string) => categoryCode.startsWith('05') || categoryCode === '02030102';

/** Relative chance that an incident of a category ends in a register entry. */
const REGISTER_WEIGHT: Record<string, number> = { '02030102': 6, '05010101': 1.6, '05010102': 1.6, '05010103': 1.3, '05010201': 1.3, '05010202': 1.4, '05010203': 0.4, '05010204': 1.2, '05010205': 0.7, '05010303': 0.4, '05020101': 1.4 };

/** Where each type of dispute is usually sent (the agency kind and its weight). */
const ROUTES: Record<DisputeType, [AgencyKind, number][]> = {
  family: [['station', 50], ['committee', 35], ['judicial', 15]],
  neighbour: [['station', 35], ['committee', 45], ['judicial', 20]],
  land: [['committee', 50], ['judicial', 50]],
  debt: [['committee', 30], ['law_firm', 35], ['court', 20], ['judicial', 15]],
  labour: [['judicial', 35], ['law_firm', 30], ['court', 20], ['committee', 15]],
  consumer: [['station', 45], ['committee', 55]],
  tenancy: [['committee', 50], ['law_firm', 25], ['station', 25]],
  property: [['committee', 70], ['judicial', 30]],
  medical: [['judicial', 50], ['law_firm', 30], ['court', 20]],
  traffic: [['station', 50], ['court', 25], ['committee', 25]],
  other: [['station', 50], ['committee', 50]],
};
const MEDIATION_OF = { station: 'police', committee: 'people', judicial: 'people', law_firm: 'lawyer', court: 'court' } as const;
const SOURCE_OF: Record<string, DisputeSource> = { hotline12345: 'hotline', walk_in: 'walk_in' };

function idMaker(seed: number) {
  const r = mulberry32(seed);
  const hex = () => Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0');
  return () => {
    const h = hex() + hex() + hex() + hex();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

/** Dispute-type incidents at a place (PLACE_RADIUS_M) and all incidents from phones in the 90 days up to `at`, as the register counts them. */
function callCounter(calls: readonly DemoCall[]) {
  const cells = new Map<string, DemoCall[]>();
  const byPhone = new Map<string, number[]>();
  const cell = (lat: number, lon: number) => `${Math.floor(lat * 1000)}:${Math.floor(lon * 1000)}`;
  for (const c of calls) {
    if (c.lat != null && c.lon != null && isDisputeLikeCategory(c.categoryCode)) (cells.get(cell(c.lat, c.lon)) ?? cells.set(cell(c.lat, c.lon), []).get(cell(c.lat, c.lon))!).push(c);
    if (c.phone) (byPhone.get(c.phone) ?? byPhone.set(c.phone, []).get(c.phone)!).push(c.at);
  }
  return (place: { lon: number | null; lat: number | null }, phones: readonly string[], at: number) => {
    const since = at - 90 * DAY;
    let atPlace = 0;
    if (place.lat != null && place.lon != null) {
      const k = Math.cos((place.lat * Math.PI) / 180);
      for (let i = -1; i <= 1; i++)
        for (let j = -1; j <= 1; j++)
          for (const c of cells.get(cell(place.lat + i / 1000, place.lon + j / 1000)) ?? []) {
            const m = Math.hypot((c.lat! - place.lat) * 111_320, (c.lon! - place.lon) * 111_320 * k);
            if (c.at >= since && c.at <= at && m <= PLACE_RADIUS_M) atPlace++;
          }
    }
    let fromPhones = 0;
    for (const p of new Set(phones)) for (const t of byPhone.get(p) ?? []) if (t >= since && t <= at) fromPhones++;
    return { atPlace, fromPhones };
  };
}

export function generateDemoDisputes(input: DemoDisputeInput): DemoDisputePlan {
  const { now, calendar } = input;
  const rand = mulberry32(input.seed);
  const id = idMaker(input.seed + 1);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const weighted = <T>(xs: readonly [T, number][]) => {
    let u = rand() * xs.reduce((s, x) => s + x[1], 0);
    for (const [x, w] of xs) if ((u -= w) < 0) return x;
    return xs.at(-1)![0];
  };
  const stations = new Map(input.stations.map((s) => [s.id, s]));
  const agencyOf = (kind: AgencyKind, stationId: string) => {
    const st = stations.get(stationId);
    const serves = kind === 'station' || kind === 'committee' ? stationId : kind === 'law_firm' ? null : st?.parentId;
    const list = input.agencies.filter((a) => a.kind === kind && (serves === null || a.servesUnitId === serves));
    return list.length ? pick(list) : undefined;
  };
  const mediatorOf = (a: DemoAgencyRow) => {
    const community = a.mediators.find((m) => m.id === input.accounts.community?.id);
    return community ?? (a.mediators.length ? pick(a.mediators) : null);
  };
  const withAccount = (account?: DemoMediator) => {
    const agency = account && input.agencies.find((a) => a.kind !== 'station' && a.mediators.some((m) => m.id === account.id));
    return agency && account ? { agency, account } : undefined;
  };
  const mediator = withAccount(input.accounts.mediator);
  const lawyer = withAccount(input.accounts.lawyer);
  const count = callCounter(input.calls);

  // When the community officer registers it: after the incident closed, never later than now.
  const eligible = input.incidents.flatMap((inc) => {
    if (inc.status !== 'closed' || !inc.closedAt || !inDisputeFamily(inc.categoryCode) || inc.closedAt.getTime() > now.getTime() - 2 * HOUR) return [];
    const registeredAt = new Date(Math.min(inc.closedAt.getTime() + (1 + rand() * 30) * HOUR, now.getTime() - (0.5 + rand()) * HOUR));
    return [{ inc, registeredAt, type: disputeTypeOfCategory(inc.categoryCode) }];
  });
  type Candidate = (typeof eligible)[number];
  const chosen: { c: Candidate; scenario?: Scenario }[] = [];
  const used = new Set<Candidate>();

  // Today's scenarios first: the newest fitting incident of a preferred type, else any fitting one.
  const scenarios: string[] = [];
  const firstBranch = stations.get(input.firstStationId)?.parentId;
  for (const s of TODAY_SCENARIOS) {
    const ageOk = (c: Candidate) => {
      const age = (now.getTime() - c.registeredAt.getTime()) / DAY;
      return age >= s.ageDays[0] && age <= s.ageDays[1] && !used.has(c);
    };
    const areas: ((c: Candidate) => boolean)[] =
      s.area === 'first_station' ? [(c) => c.inc.stationId === input.firstStationId] : s.area === 'mediator_area' ? [(c) => c.inc.stationId === input.firstStationId, (c) => stations.get(c.inc.stationId)?.parentId === firstBranch] : [];
    areas.push(() => true);
    let found: Candidate | undefined;
    for (const inArea of areas) {
      const fit = eligible.filter((c) => ageOk(c) && inArea(c));
      found = fit.filter((c) => s.types.includes(c.type)).at(-1) ?? (s.strictTypes ? undefined : fit.at(-1));
      if (found) break;
    }
    if (!found) continue;
    used.add(found);
    chosen.push({ c: found, scenario: s });
  }

  // The rest at random, about one in 20 of the family's incidents in all.
  const target = Math.round(input.incidents.filter((i) => inDisputeFamily(i.categoryCode)).length / 20) - chosen.length;
  const weightOf = (c: Candidate) => REGISTER_WEIGHT[c.inc.categoryCode] ?? 1;
  const total = eligible.reduce((s, c) => s + (used.has(c) ? 0 : weightOf(c)), 0);
  for (const c of eligible) if (!used.has(c) && total > 0 && rand() < Math.min(1, (target * weightOf(c)) / total)) chosen.push({ c });
  chosen.sort((a, b) => a.c.registeredAt.getTime() - b.c.registeredAt.getTime());

  /** Where an ordinary dispute is sent: mostly to an agreement; a few fail (some then go to court), are withdrawn or drag on. */
  const ordinaryHandOffs = (c: Candidate): HandOff[] => {
    const route = (exclude?: AgencyKind): HandOff | undefined => {
      let kind = weighted(ROUTES[c.type].filter(([k]) => k !== exclude));
      if (kind === 'station' && policeMediationRefusal({ categoryCodes: [c.inc.categoryCode] })) kind = 'committee';
      const agency = agencyOf(kind, c.inc.stationId);
      return agency && { agency, mediator: mediatorOf(agency), mediationType: MEDIATION_OF[kind], end: 'agreement', sessions: kind === 'station' ? (rand() < 0.7 ? 1 : 2) : 1 + Math.floor(rand() * 3) };
    };
    const first = route();
    if (!first) return [];
    const handOffs: HandOff[] = [first];
    // Now and then the agency sends it back and the station refers it elsewhere.
    if (rand() < 0.07) {
      first.end = 'declined';
      const next = route(first.agency.kind);
      if (next) handOffs.push(next);
    }
    const last = handOffs.at(-1)!;
    const u = rand();
    if (u < 0.015) {
      last.end = 'failed';
      const court = agencyOf('court', c.inc.stationId);
      if (court && last.agency.kind !== 'court') handOffs.push({ agency: court, mediator: mediatorOf(court), mediationType: 'court', end: 'agreement', sessions: 1 + Math.floor(rand() * 2) });
    } else if (u < 0.03) last.end = 'failed';
    else if (u < 0.035) last.end = 'withdrawn';
    else if (u < 0.038) Object.assign(last, { end: 'in_mediation', sessions: 4 });
    return handOffs;
  };
  const ordinaryEnding = (): Omit<LifePlan, 'handOffs'> => ({
    deadlineDays: rand() < 0.35 ? 0 : 3 + Math.floor(rand() * 18),
    partlyVisits: rand() < 0.1 ? 1 : 0,
    judicialConfirmation: rand() < 0.25,
    afterFailure: weighted([['litigation', 55], ['no_agreement', 35], ['transferred', 10]] as const),
    protocol: 'done',
    lateness: 0.05,
  });

  const out: DemoDisputePlan = { disputes: [], parties: [], links: [], counters: [], referrals: [], sessions: [], agreements: [], followups: [], steps: [], events: [], scenarios };
  const seqs = new Map<string, number>();
  for (const { c, scenario } of chosen) {
    const { inc, registeredAt, type } = c;
    const station = stations.get(inc.stationId);
    if (!station) continue;
    const disputeId = id();
    const registeredBy = inc.stationId === input.firstStationId && input.accounts.community ? input.accounts.community.username : 'demo';
    const parties = partiesOf(inc, type, rand, scenario?.vulnerable ?? false).map((p, i) => ({ ...p, id: id(), disputeId, sortOrder: i }));
    const summary = summaryOf(inc.description, type) + (scenario?.summary ?? '');
    const facts = {
      injuries: scenario?.injuries ?? (inc.categoryCode === '02030102' ? rand() < 0.5 : rand() < 0.03),
      weaponsOrThreats: scenario?.weaponsOrThreats ?? rand() < 0.015,
    };
    const base = ordinaryEnding();
    const plan = scenario ? scenario.plan({ now, calendar, rand, registeredAt, agency: (k) => agencyOf(k, inc.stationId), mediatorOf, mediator, lawyer, base }) : { ...base, handOffs: ordinaryHandOffs(c) };
    if (!plan) continue;
    if (scenario) scenarios.push(scenario.code);
    const eventsBefore = out.events.length;
    const life = liveDispute({ disputeId, type, registeredAt, registeredBy, partyIds: parties.map((p) => p.id), now, rand, id, calendar, rows: out }, plan);

    const phones = parties.flatMap((p) => (p.phone ? [p.phone] : []));
    const grade = (at: Date, failed: number): RiskGrading => {
      const n = count(inc, phones, at.getTime());
      return gradeRisk({ type, summary, ...facts, incidentsAtPlace90d: n.atPlace, incidentsBetweenPhones90d: n.fromPhones, failedMediations: failed, vulnerableParties: parties.some((p) => p.vulnerable), daysOpen: Math.floor((at.getTime() - registeredAt.getTime()) / DAY) });
    };
    const first = grade(registeredAt, 0);
    const asOf = life.closedAt ?? now;
    const risk = grade(asOf, life.failedAt.length);
    const riskAt = life.closedAt ? new Date(life.closedAt.getTime() - 60_000) : new Date(now.getTime() - (5 + rand() * 50) * 60_000);
    out.events.push({ disputeId, at: registeredAt, type: 'registered', username: registeredBy, detail: { source: SOURCE_OF[inc.source] ?? 'incident', incidentId: inc.id, riskGrade: first.grade } });
    if (risk.grade !== first.grade) out.events.push({ disputeId, at: life.failedAt[0] ?? riskAt, type: 'risk_changed', username: null, detail: { from: first.grade, to: risk.grade, reasons: risk.reasons.map((r) => r.code) } });

    const day = localDayCompact(registeredAt);
    const key = `${station.code}:${day}`;
    const seq = (seqs.get(key) ?? 0) + 1;
    seqs.set(key, seq);
    out.disputes.push({
      id: disputeId,
      number: `JF${station.code}${day}${String(seq).padStart(4, '0')}`,
      source: SOURCE_OF[inc.source] ?? 'incident',
      type,
      status: disputeStatusFrom(life.referralStates, life.closedAt !== null, life.hasAgreement),
      summary,
      addressText: inc.addressText,
      addressCode: inc.addressCode,
      lon: inc.lon,
      lat: inc.lat,
      stationId: inc.stationId,
      gridId: inc.gridId,
      facts,
      riskGrade: risk.grade,
      riskScore: risk.score,
      riskReasons: risk.reasons,
      riskAt: risk.grade === first.grade && risk.score === first.score ? registeredAt : riskAt,
      registeredAt,
      registeredBy,
      closedAt: life.closedAt,
      outcome: life.outcome,
      outcomeNote: life.outcomeNote,
      externalRef: null,
      version: out.events.length - eventsBefore,
    });
    out.parties.push(...parties);
    out.links.push({ disputeId, incidentId: inc.id, kind: 'origin', linkedAt: registeredAt });
  }
  out.counters = [...seqs].map(([k, lastSeq]) => ({ stationCode: k.split(':')[0]!, day: k.split(':')[1]!, lastSeq }));
  return out;
}
