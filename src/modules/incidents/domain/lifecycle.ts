/**
 * The incident state machine (警情状态).
 *
 *   new ──dispatch──▶ dispatched ──depart──▶ en_route ──arrive──▶ on_scene ──clear──▶ cleared ──close──▶ closed
 *    │                    │  └──────────────arrive───────────────▲                                        │
 *    │                    └─recall─▶ new (all units withdrawn)                                           │
 *    ├─quick_close (D04 当场处理 / D07 无效警情) ──────────────────────────────────────────────────────▶ closed
 *    ├─transfer──▶ transferred ──return (12345/119… sends it back)──▶ new
 *    ├─cancel (new, dispatched, en_route; reason) ──▶ cancelled
 *    └─merge (any open status) ──▶ merged ──unmerge──▶ new
 *   closed ──reopen (chief, supervisor; reason)──▶ cleared
 *
 * Decisions (documented, tested):
 *  - Open statuses: new, dispatched, en_route, on_scene, cleared. Terminal: closed, transferred, merged,
 *    cancelled. The only exits from terminal statuses are reopen (closed → cleared), return
 *    (transferred → new) and unmerge (merged → new). cancelled is final.
 *  - Reopen goes back to `cleared`, not `new`: the response happened and its timestamps stand; reopening
 *    is for correcting the disposition or adding follow-up, then closing again. A fresh police response
 *    is a new incident linked to the old one.
 *  - Closing needs a disposition: from cleared any code except D08 (set by merging); straight from new
 *    only D04 当场处理 or D07 无效警情.
 *  - Officers may close their own cleared incidents (the field feedback 处警反馈 records the
 *    disposition); dispatchers and station chiefs may too.
 *  - A call-taker may cancel only before dispatch; after dispatch only the dispatcher. Cancel, return,
 *    unmerge, recall and reopen need a reason.
 *  - `admin` administers users and settings and has no operational transitions. `system` is the
 *    platform itself (device alarms, unit status messages).
 *  - Timestamp fields record the FIRST time a status was reached: the store sets `timestampField` only
 *    when it is null, and nulls the `clears` fields (so a reopened incident gets a new closedAt).
 */
import type { Role } from '../../../core/roles.js';
import { DISPOSITION_CODES, isDispositionCode, MERGE_DISPOSITION, QUICK_CLOSE_DISPOSITIONS, type DispositionCode } from './dispositions.js';

export const STATUSES = ['new', 'dispatched', 'en_route', 'on_scene', 'cleared', 'closed', 'transferred', 'merged', 'cancelled'] as const;
export type IncidentStatus = (typeof STATUSES)[number];

export const OPEN_STATUSES: readonly IncidentStatus[] = ['new', 'dispatched', 'en_route', 'on_scene', 'cleared'];
export const TERMINAL_STATUSES: readonly IncidentStatus[] = ['closed', 'transferred', 'merged', 'cancelled'];

export const STATUS_LABELS: Record<IncidentStatus, { zh: string; en: string }> = {
  new: { zh: '待派警', en: 'New' },
  dispatched: { zh: '已派警', en: 'Dispatched' },
  en_route: { zh: '在途', en: 'En route' },
  on_scene: { zh: '到场', en: 'On scene' },
  cleared: { zh: '处置完毕', en: 'Cleared' },
  closed: { zh: '已结警', en: 'Closed' },
  transferred: { zh: '已转办', en: 'Transferred' },
  merged: { zh: '已合并', en: 'Merged' },
  cancelled: { zh: '已撤警', en: 'Cancelled' },
};

/** Where an incident comes from. */
export const INCIDENT_SOURCES = ['call110', 'sms110', 'citizen_portal', 'hotline12345', 'device_alarm', 'walk_in', 'officer'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];
export const SOURCE_LABELS: Record<IncidentSource, { zh: string; en: string }> = {
  call110: { zh: '110电话', en: '110 call' },
  sms110: { zh: '110短信', en: '110 SMS' },
  citizen_portal: { zh: '网上报警', en: 'Citizen portal' },
  hotline12345: { zh: '12345转入', en: 'From 12345' },
  device_alarm: { zh: '报警装置', en: 'Alarm device' },
  walk_in: { zh: '来所报警', en: 'Walk-in' },
  officer: { zh: '民警发现', en: 'Officer-initiated' },
};

/** Staff roles plus the platform itself. */
export type Actor = Role | 'system';

export type TimestampField =
  | 'dispatchedAt'
  | 'enRouteAt'
  | 'onSceneAt'
  | 'clearedAt'
  | 'closedAt'
  | 'transferredAt'
  | 'cancelledAt'
  | 'mergedAt'
  | 'reopenedAt';

/** The field stamped when an incident first reaches a status (new has recordedAt, set at creation). */
export const TIMESTAMP_FIELD: Record<IncidentStatus, TimestampField | null> = {
  new: null,
  dispatched: 'dispatchedAt',
  en_route: 'enRouteAt',
  on_scene: 'onSceneAt',
  cleared: 'clearedAt',
  closed: 'closedAt',
  transferred: 'transferredAt',
  merged: 'mergedAt',
  cancelled: 'cancelledAt',
};

export type TransitionAction =
  | 'dispatch'
  | 'depart'
  | 'arrive'
  | 'clear'
  | 'close'
  | 'quick_close'
  | 'transfer'
  | 'return'
  | 'cancel'
  | 'recall'
  | 'merge'
  | 'unmerge'
  | 'reopen';

export const ACTION_LABELS: Record<TransitionAction, { zh: string; en: string }> = {
  dispatch: { zh: '派警', en: 'Dispatch' },
  depart: { zh: '出发', en: 'En route' },
  arrive: { zh: '到场', en: 'Arrive' },
  clear: { zh: '处置完毕', en: 'Clear' },
  close: { zh: '结警', en: 'Close' },
  quick_close: { zh: '直接结警', en: 'Close without dispatch' },
  transfer: { zh: '转办', en: 'Transfer' },
  return: { zh: '转办退回', en: 'Returned from transfer' },
  cancel: { zh: '撤警', en: 'Cancel' },
  recall: { zh: '撤回派警', en: 'Recall units' },
  merge: { zh: '合并', en: 'Merge' },
  unmerge: { zh: '取消合并', en: 'Unmerge' },
  reopen: { zh: '重新打开', en: 'Reopen' },
};

export interface TransitionRule {
  from: IncidentStatus;
  to: IncidentStatus;
  action: TransitionAction;
  roles: readonly Actor[];
  needs?: 'disposition' | 'reason';
  /** When needs = 'disposition': the codes accepted. */
  dispositions?: readonly DispositionCode[];
  timestampField: TimestampField | null;
  /** Timestamp fields the store sets back to null. */
  clears: readonly TimestampField[];
}

const FIELD_OPS: readonly Actor[] = ['officer', 'dispatcher', 'system'];
const INTAKE: readonly Actor[] = ['calltaker', 'dispatcher'];
const CLOSE_CODES: readonly DispositionCode[] = DISPOSITION_CODES.filter((c) => c !== MERGE_DISPOSITION);

const rule = (
  from: IncidentStatus,
  to: IncidentStatus,
  action: TransitionAction,
  roles: readonly Actor[],
  extra: Partial<Pick<TransitionRule, 'needs' | 'dispositions' | 'timestampField' | 'clears'>> = {},
): TransitionRule => ({ from, to, action, roles, timestampField: TIMESTAMP_FIELD[to], clears: [], ...extra });

export const TRANSITIONS: readonly TransitionRule[] = [
  rule('new', 'dispatched', 'dispatch', ['dispatcher', 'chief', 'system']),
  rule('dispatched', 'en_route', 'depart', FIELD_OPS),
  rule('dispatched', 'on_scene', 'arrive', FIELD_OPS),
  rule('en_route', 'on_scene', 'arrive', FIELD_OPS),
  rule('on_scene', 'cleared', 'clear', ['officer', 'dispatcher']),
  rule('cleared', 'closed', 'close', ['officer', 'dispatcher', 'chief'], { needs: 'disposition', dispositions: CLOSE_CODES }),
  rule('new', 'closed', 'quick_close', INTAKE, { needs: 'disposition', dispositions: QUICK_CLOSE_DISPOSITIONS }),
  rule('dispatched', 'new', 'recall', ['dispatcher', 'system'], { needs: 'reason' }),
  rule('en_route', 'new', 'recall', ['dispatcher', 'system'], { needs: 'reason' }),
  rule('new', 'transferred', 'transfer', INTAKE),
  rule('transferred', 'new', 'return', INTAKE, { needs: 'reason', timestampField: null, clears: ['transferredAt'] }),
  rule('new', 'cancelled', 'cancel', INTAKE, { needs: 'reason' }),
  rule('dispatched', 'cancelled', 'cancel', ['dispatcher'], { needs: 'reason' }),
  rule('en_route', 'cancelled', 'cancel', ['dispatcher'], { needs: 'reason' }),
  ...OPEN_STATUSES.map((from) => rule(from, 'merged', 'merge', INTAKE)),
  rule('merged', 'new', 'unmerge', INTAKE, { needs: 'reason', timestampField: null, clears: ['mergedAt'] }),
  rule('closed', 'cleared', 'reopen', ['chief', 'supervisor'], { needs: 'reason', timestampField: 'reopenedAt', clears: ['closedAt'] }),
];

const RULES = new Map<string, TransitionRule>();
for (const r of TRANSITIONS) {
  const key = `${r.from}>${r.to}`;
  if (RULES.has(key)) throw new Error(`duplicate transition ${key}`);
  RULES.set(key, r);
}

export function isStatus(x: unknown): x is IncidentStatus {
  return typeof x === 'string' && (STATUSES as readonly string[]).includes(x);
}
export function isOpenStatus(s: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(s);
}
export function isTerminalStatus(s: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(s);
}

export function findTransition(from: IncidentStatus, to: IncidentStatus): TransitionRule | undefined {
  return RULES.get(`${from}>${to}`);
}

export interface TransitionInput {
  dispositionCode?: string | null;
  reason?: string | null;
}

export type TransitionCheck =
  | { ok: true; timestampField: TimestampField | null; action: TransitionAction; clears: readonly TimestampField[] }
  | { ok: false; reason: 'illegal' | 'forbidden' | 'disposition_required' | 'reason_required'; message: string };

/** Checks in order: legal transition, role allowed, disposition given and accepted, reason given. */
export function canTransition(from: IncidentStatus, to: IncidentStatus, roles: readonly Actor[], input: TransitionInput = {}): TransitionCheck {
  const r = findTransition(from, to);
  if (!r) return { ok: false, reason: 'illegal', message: `不能从“${STATUS_LABELS[from]?.zh ?? from}”变为“${STATUS_LABELS[to]?.zh ?? to}”` };
  if (!roles.some((x) => r.roles.includes(x))) {
    return { ok: false, reason: 'forbidden', message: `“${ACTION_LABELS[r.action].zh}”仅限：${r.roles.join(', ')}` };
  }
  if (r.needs === 'disposition') {
    const code = input.dispositionCode;
    if (!code || !isDispositionCode(code) || !(r.dispositions ?? []).includes(code)) {
      return {
        ok: false,
        reason: 'disposition_required',
        message: code ? `处警结果 ${code} 不适用于“${ACTION_LABELS[r.action].zh}”，可用：${(r.dispositions ?? []).join(', ')}` : '结警须填写处警结果',
      };
    }
  }
  if (r.needs === 'reason' && !(input.reason ?? '').trim()) {
    return { ok: false, reason: 'reason_required', message: `“${ACTION_LABELS[r.action].zh}”须填写原因` };
  }
  return { ok: true, timestampField: r.timestampField, action: r.action, clears: r.clears };
}

export interface AllowedTransition {
  to: IncidentStatus;
  action: TransitionAction;
  label: { zh: string; en: string };
  needs?: 'disposition' | 'reason';
  dispositions?: readonly DispositionCode[];
}

/** What these roles may do from a status (for the UI's buttons), in TRANSITIONS order. */
export function allowedTransitions(from: IncidentStatus, roles: readonly Actor[]): AllowedTransition[] {
  return TRANSITIONS.filter((r) => r.from === from && roles.some((x) => r.roles.includes(x))).map((r) => ({
    to: r.to,
    action: r.action,
    label: ACTION_LABELS[r.action],
    ...(r.needs ? { needs: r.needs } : {}),
    ...(r.dispositions ? { dispositions: r.dispositions } : {}),
  }));
}
