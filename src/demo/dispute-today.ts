/**
 * What the demo's dispute register shows today, whatever the random draw: a few red and orange disputes
 * in the first station's area (where the demo `chief` and `community` accounts sit), clocks that are
 * overdue (police mediation accepted 5 working days ago with no session, people's mediation past its
 * month, an agreement's follow-up visit, the family protocol's home visit), and referrals waiting for
 * the demo `mediator` (judicial office of the first branch) and `lawyer` (first law firm) so that those
 * accounts find work at first sign-in. Each scenario names the incidents it may come from; the
 * generator (dispute-history-generator.ts) picks one and lives it with its plan.
 */
import { localDayStart } from '../core/clock.js';
import { dayOf, type WorkingDayCalendar } from '../core/working-days.js';
import type { DisputeType } from '../modules/disputes/domain/vocabulary.js';
import type { DemoAgencyRow, DemoMediator, HandOff, LifePlan } from './dispute-lifecycle.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Where a scenario's incident lies: the first station, the stations of the mediator's agency, anywhere. */
export type ScenarioArea = 'first_station' | 'mediator_area' | 'any';

export interface ScenarioContext {
  now: Date;
  calendar: WorkingDayCalendar;
  rand: () => number;
  registeredAt: Date;
  /** The agencies a dispute at this station would go to, by kind. */
  agency: (kind: DemoAgencyRow['kind']) => DemoAgencyRow | undefined;
  mediatorOf: (a: DemoAgencyRow) => DemoMediator | null;
  mediator?: { agency: DemoAgencyRow; account: DemoMediator };
  lawyer?: { agency: DemoAgencyRow; account: DemoMediator };
  base: Omit<LifePlan, 'handOffs'>;
}

export interface Scenario {
  code: string;
  area: ScenarioArea;
  /** Days before now the registration may lie in. */
  ageDays: [number, number];
  types: readonly DisputeType[];
  /** Only these types (the family protocol needs a family dispute); else the types are a preference. */
  strictTypes?: boolean;
  /** Added to the summary (threats found there weigh on the grade). */
  summary?: string;
  injuries?: boolean;
  weaponsOrThreats?: boolean;
  vulnerable?: boolean;
  /** The plan, or undefined when the agencies or accounts it needs are missing (the scenario is skipped). */
  plan(ctx: ScenarioContext): LifePlan | undefined;
}

const hoursBefore = (now: Date, rand: () => number, a: number, b: number) => new Date(now.getTime() - (a + rand() * (b - a)) * HOUR);
const hand = (agency: DemoAgencyRow | undefined, mediator: DemoMediator | null, end: HandOff['end'], extra: Partial<HandOff> = {}): HandOff | undefined =>
  agency ? { agency, mediator, mediationType: MEDIATION_OF[agency.kind], end, sessions: 1, ...extra } : undefined;
const MEDIATION_OF = { station: 'police', committee: 'people', judicial: 'people', law_firm: 'lawyer', court: 'court' } as const;
const all = (list: (HandOff | undefined)[]) => (list.every(Boolean) ? (list as HandOff[]) : undefined);

export const TODAY_SCENARIOS: readonly Scenario[] = [
  {
    code: 'red_family',
    area: 'first_station',
    ageDays: [1, 6],
    types: ['family'],
    summary: '。男方酒后扬言要与女方“同归于尽”，女方手臂有伤',
    injuries: true,
    weaponsOrThreats: true,
    plan: (c) => ({ ...c.base, handOffs: [] }),
  },
  {
    code: 'orange_neighbour_in_mediation',
    area: 'first_station',
    ageDays: [6, 14],
    types: ['neighbour', 'property', 'tenancy'],
    summary: '。对方多次上门吵闹，扬言要报复',
    weaponsOrThreats: true,
    plan: (c) => {
      const tw = c.agency('committee');
      const h = all([hand(tw, tw ? c.mediatorOf(tw) : null, 'in_mediation')]);
      return h && { ...c.base, handOffs: h };
    },
  },
  {
    // Police mediation failed; the station hands it to the judicial office: the mediator's first case.
    code: 'failed_then_mediator',
    area: 'first_station',
    ageDays: [18, 32],
    types: ['family', 'neighbour'],
    injuries: true,
    vulnerable: true,
    plan: (c) => {
      if (!c.mediator) return undefined;
      const ps = c.agency('station');
      const h = all([hand(ps, ps ? c.mediatorOf(ps) : null, 'failed', { sessions: 2 }), hand(c.mediator.agency, c.mediator.account, 'pending', { referredAt: hoursBefore(c.now, c.rand, 20, 44) })]);
      return h && { ...c.base, handOffs: h };
    },
  },
  {
    // Declined by the committee (another area's party), sent on to the judicial office.
    code: 'declined_then_mediator',
    area: 'mediator_area',
    ageDays: [3, 9],
    types: ['debt', 'labour', 'neighbour'],
    plan: (c) => {
      if (!c.mediator) return undefined;
      const tw = c.agency('committee');
      const h = all([hand(tw, tw ? c.mediatorOf(tw) : null, 'declined'), hand(c.mediator.agency, c.mediator.account, 'pending', { referredAt: hoursBefore(c.now, c.rand, 6, 30) })]);
      return h && { ...c.base, handOffs: h };
    },
  },
  {
    code: 'mediator_pending',
    area: 'mediator_area',
    ageDays: [1, 5],
    types: ['labour', 'property', 'family'],
    plan: (c) => c.mediator && { ...c.base, handOffs: [hand(c.mediator.agency, c.mediator.account, 'pending', { referredAt: hoursBefore(c.now, c.rand, 2, 18) })!] },
  },
  {
    code: 'mediator_in_mediation',
    area: 'mediator_area',
    ageDays: [8, 20],
    types: ['neighbour', 'debt', 'family'],
    plan: (c) => c.mediator && { ...c.base, handOffs: [hand(c.mediator.agency, c.mediator.account, 'in_mediation')!] },
  },
  {
    code: 'lawyer_pending',
    area: 'mediator_area',
    ageDays: [2, 10],
    types: ['debt', 'labour', 'tenancy', 'traffic', 'medical'],
    plan: (c) => c.lawyer && { ...c.base, handOffs: [hand(c.lawyer.agency, c.lawyer.account, 'pending', { referredAt: hoursBefore(c.now, c.rand, 4, 30) })!] },
  },
  {
    // 治安调解 accepted 5 working days ago, no session yet: the first session (3 working days) is overdue.
    code: 'police_first_session_overdue',
    area: 'first_station',
    ageDays: [9, 18],
    types: ['neighbour', 'family', 'consumer', 'traffic'],
    plan: (c) => {
      const ps = c.agency('station');
      const acceptedAt = new Date(localDayStart(c.calendar.addWorkingDays(dayOf(c.now), -5)).getTime() + (9.5 + c.rand() * 6) * HOUR);
      if (!ps || acceptedAt.getTime() - c.registeredAt.getTime() < 4 * HOUR) return undefined;
      const referredAt = new Date(Math.max(c.registeredAt.getTime() + HOUR, acceptedAt.getTime() - 20 * HOUR));
      return { ...c.base, handOffs: [hand(ps, c.mediatorOf(ps), 'accepted', { referredAt, acceptedAt })!] };
    },
  },
  {
    // People's mediation accepted over a month ago, two sessions, no agreement and no consent to extend.
    code: 'people_month_overdue',
    area: 'first_station',
    ageDays: [36, 48],
    types: ['neighbour', 'tenancy', 'debt', 'property'],
    plan: (c) => {
      const tw = c.agency('committee');
      const h = all([hand(tw, tw ? c.mediatorOf(tw) : null, 'in_mediation', { sessions: 2 })]);
      return h && { ...c.base, lateness: 0, handOffs: h };
    },
  },
  {
    // An agreement whose performance deadline passed a week ago with no follow-up visit.
    code: 'followup_overdue',
    area: 'first_station',
    ageDays: [20, 35],
    types: ['neighbour', 'consumer', 'traffic', 'family'],
    plan: (c) => {
      const ps = c.agency('station');
      const deadline = dayOf(new Date(c.now.getTime() - 7 * DAY));
      return ps && { ...c.base, lateness: 0, deadline, noVisits: true, judicialConfirmation: false, handOffs: [hand(ps, c.mediatorOf(ps), 'agreement')!] };
    },
  },
  {
    // The family protocol: registered a week ago, the home visit and the notification not done.
    code: 'family_protocol_overdue',
    area: 'first_station',
    ageDays: [7, 14],
    types: ['family'],
    strictTypes: true,
    plan: (c) => {
      const tw = c.agency('committee');
      return tw && { ...c.base, protocol: 'first_only', handOffs: [hand(tw, c.mediatorOf(tw), 'pending', { referredAt: new Date(c.registeredAt.getTime() + 26 * HOUR) })!] };
    },
  },
];
