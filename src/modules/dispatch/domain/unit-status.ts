/**
 * The unit status machine (警力状态). Pure: no I/O, unit-tested in test/dispatch/unit-status.test.ts.
 *
 *   off_duty ──sign on / shift starts──▶ available ──assign──▶ dispatched ──depart──▶ en_route ──arrive──▶ on_scene
 *       ▲                                  │  ▲ ▲                  │   └─────────arrive──────────────────▲      │
 *       └──────sign off / shift ends───────┘  │ └──cancel/clear────┴────────────────────────────────────────────┘
 *                                             │
 *   busy (self-initiated work, breaks) ◀──────┤            en_route ──reassign (P1 diversion)──▶ dispatched
 *   out_of_service (vehicle fault …)  ◀───────┘
 *
 * Decisions:
 *  - `dispatched`, `en_route` and `on_scene` belong to an assignment: only the dispatcher (assign,
 *    reassign) or the platform enters `dispatched`; the crew (officer) reports en_route / on_scene /
 *    clear (→ available). Without an assignment those statuses are refused by the service.
 *  - Going off duty or out of service is refused while an assignment is open: cancel it first.
 *  - `system` is the platform itself (roster: shift start/end; cancellations).
 */
import type { Role } from '../../../core/roles.js';

export const UNIT_STATUSES = ['off_duty', 'available', 'dispatched', 'en_route', 'on_scene', 'busy', 'out_of_service'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const UNIT_STATUS_LABELS: Record<UnitStatus, { zh: string; en: string }> = {
  off_duty: { zh: '下班', en: 'Off duty' },
  available: { zh: '空闲', en: 'Available' },
  dispatched: { zh: '已派', en: 'Dispatched' },
  en_route: { zh: '在途', en: 'En route' },
  on_scene: { zh: '到场', en: 'On scene' },
  busy: { zh: '忙碌', en: 'Busy' },
  out_of_service: { zh: '暂停勤务', en: 'Out of service' },
};

/** Statuses in which the unit is working an assignment. */
export const ASSIGNED_STATUSES: readonly UnitStatus[] = ['dispatched', 'en_route', 'on_scene'];

export type UnitActor = Role | 'system';

const CREW: readonly UnitActor[] = ['officer', 'dispatcher', 'chief', 'system'];
const COMMAND: readonly UnitActor[] = ['dispatcher', 'chief', 'system'];
const ROSTER: readonly UnitActor[] = ['officer', 'dispatcher', 'chief', 'admin', 'system'];

interface UnitRule {
  from: UnitStatus;
  to: UnitStatus;
  roles: readonly UnitActor[];
}

const r = (from: UnitStatus, to: UnitStatus, roles: readonly UnitActor[]): UnitRule => ({ from, to, roles });

export const UNIT_TRANSITIONS: readonly UnitRule[] = [
  r('off_duty', 'available', ROSTER),
  r('off_duty', 'out_of_service', ROSTER),
  r('available', 'off_duty', ROSTER),
  r('available', 'dispatched', COMMAND),
  r('available', 'busy', CREW),
  r('available', 'out_of_service', CREW),
  r('dispatched', 'en_route', CREW),
  r('dispatched', 'on_scene', CREW),
  r('dispatched', 'available', COMMAND), // assignment cancelled
  r('en_route', 'on_scene', CREW),
  r('en_route', 'available', COMMAND), // assignment cancelled
  r('en_route', 'dispatched', COMMAND), // diverted to a higher-priority incident
  r('on_scene', 'available', CREW), // clear
  r('on_scene', 'busy', CREW), // follow-up work at the scene after the incident is cleared
  r('busy', 'available', CREW),
  r('busy', 'off_duty', ROSTER),
  r('busy', 'out_of_service', CREW),
  r('busy', 'dispatched', COMMAND),
  r('out_of_service', 'available', CREW),
  r('out_of_service', 'off_duty', ROSTER),
];

const RULES = new Map(UNIT_TRANSITIONS.map((x) => [`${x.from}>${x.to}`, x]));

export function isUnitStatus(x: unknown): x is UnitStatus {
  return typeof x === 'string' && (UNIT_STATUSES as readonly string[]).includes(x);
}

export type UnitTransitionCheck = { ok: true } | { ok: false; reason: 'illegal' | 'forbidden' | 'same'; message: string };

/** Whether these roles may move a unit from one status to another. */
export function canUnitTransition(from: UnitStatus, to: UnitStatus, roles: readonly UnitActor[]): UnitTransitionCheck {
  if (from === to) return { ok: false, reason: 'same', message: `警力已是“${UNIT_STATUS_LABELS[to].zh}”` };
  const rule = RULES.get(`${from}>${to}`);
  if (!rule) return { ok: false, reason: 'illegal', message: `警力不能从“${UNIT_STATUS_LABELS[from].zh}”变为“${UNIT_STATUS_LABELS[to].zh}”` };
  if (!roles.some((x) => rule.roles.includes(x))) return { ok: false, reason: 'forbidden', message: `仅限：${rule.roles.join(', ')}` };
  return { ok: true };
}

/** Statuses these roles may move a unit to from `from` (for the officer's buttons). */
export function allowedUnitTransitions(from: UnitStatus, roles: readonly UnitActor[]): UnitStatus[] {
  return UNIT_TRANSITIONS.filter((x) => x.from === from && roles.some((role) => x.roles.includes(role))).map((x) => x.to);
}

/** What the roster does to a unit's status when a shift starts or ends (null = leave it). */
export function rosterStatus(current: UnitStatus, onDuty: boolean): UnitStatus | null {
  if (onDuty && current === 'off_duty') return 'available';
  // Only an idle unit goes off duty; a unit at work finishes its job first.
  if (!onDuty && current === 'available') return 'off_duty';
  return null;
}
