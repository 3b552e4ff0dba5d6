/**
 * Local protocols: a bureau's mandatory steps for a dispute type, each with a deadline counted from
 * registration, recorded done or overdue. They differ by bureau, so they are data (PRODUCT.md "Rules
 * that are data, not code"). One example ships: the "三个一律" many bureaus apply to family and
 * relationship disputes (register in full, visit at home, notify the community and the women's
 * federation). Its deadlines are an example for a bureau to correct, not a national rule.
 */
import { dayOf, dueAtEndOfDay, type WorkingDayCalendar } from '../../../core/working-days.js';
import { clockState, type ClockState } from './clocks.js';
import type { DisputeType, Label } from './vocabulary.js';

export interface ProtocolStep extends Label {
  code: string;
  /** From registration: `hours` (an instant) or `workingDays` (the end of that working day). */
  due: { hours?: number; workingDays?: number };
}

export interface Protocol extends Label {
  code: string;
  type: DisputeType;
  /** Where the steps come from (the bureau's document). */
  source: string;
  steps: ProtocolStep[];
}

export const FAMILY_PROTOCOL_EXAMPLE: Protocol = {
  code: 'family_three_always',
  type: 'family',
  zh: '婚恋家庭纠纷“三个一律”（示例）',
  en: 'Family and relationship disputes: the “three always” (example)',
  source: '示例：按各地公安机关婚恋家庭纠纷“三个一律”做法编写，时限须按本局规定修改',
  steps: [
    {
      code: 'register_in_full',
      zh: '一律登记：当事人、关系、纠纷经过及风险情况登记完整',
      en: 'Always register: parties, their relation, what happened and the risk, in full',
      due: { hours: 24 },
    },
    {
      code: 'home_visit',
      zh: '一律上门回访：民警上门见到双方当事人',
      en: 'Always visit: an officer sees both parties at home',
      due: { workingDays: 3 },
    },
    {
      code: 'notify_community',
      zh: '一律通报：通报社区（村）和妇联，共同落实稳控',
      en: 'Always notify: the residents’ (villagers’) committee and the women’s federation',
      due: { workingDays: 5 },
    },
  ],
};

/** The protocols in force: at most one per dispute type. */
export const PROTOCOLS: readonly Protocol[] = [FAMILY_PROTOCOL_EXAMPLE];

/** The protocol a dispute type follows, if any. */
export function protocolFor(type: DisputeType | string, protocols: readonly Protocol[] = PROTOCOLS): Protocol | undefined {
  return protocols.find((p) => p.type === type);
}

/** What is wrong with a protocol, one sentence each (empty when sound). */
export function protocolErrors(p: Protocol): string[] {
  const errors: string[] = [];
  const codes = new Set<string>();
  for (const s of p.steps) {
    if (!/^[a-z][a-z0-9_]*$/.test(s.code)) errors.push(`step "${s.code}": the code is lower-case letters, digits and _`);
    if (codes.has(s.code)) errors.push(`step "${s.code}" appears twice`);
    codes.add(s.code);
    const { hours, workingDays } = s.due ?? {};
    if ((hours === undefined) === (workingDays === undefined)) errors.push(`step "${s.code}": due needs hours or workingDays (one of them)`);
    if (hours !== undefined && !(Number.isFinite(hours) && hours > 0)) errors.push(`step "${s.code}": hours must be a positive number`);
    if (workingDays !== undefined && !(Number.isInteger(workingDays) && workingDays >= 0)) errors.push(`step "${s.code}": workingDays must be a whole number`);
  }
  return errors;
}

/** When a step is due for a dispute registered at `registeredAt` (the earlier, should a step give both). */
export function stepDueAt(step: ProtocolStep, registeredAt: Date, calendar: WorkingDayCalendar): Date {
  const dues: number[] = [];
  if (step.due.hours !== undefined) dues.push(registeredAt.getTime() + step.due.hours * 3_600_000);
  if (step.due.workingDays !== undefined) dues.push(dueAtEndOfDay(calendar.addWorkingDays(dayOf(registeredAt), step.due.workingDays)).getTime());
  if (dues.length === 0) throw new RangeError(`protocol step ${step.code} has no deadline`);
  return new Date(Math.min(...dues));
}

export interface ProtocolStepProgress extends Label {
  code: string;
  dueAt: Date;
  doneAt: Date | null;
  state: ClockState;
  /** Done after its deadline. */
  late: boolean;
}

const DEFAULT_LEAD_MS = 24 * 3_600_000;

/** Each step of the protocol for one dispute: its deadline, when it was done and where it stands at `now`. */
export function protocolProgress(
  protocol: Protocol,
  registeredAt: Date,
  done: Record<string, Date>,
  now: Date,
  calendar: WorkingDayCalendar,
  leadMs = DEFAULT_LEAD_MS,
): ProtocolStepProgress[] {
  return protocol.steps.map((s) => {
    const dueAt = stepDueAt(s, registeredAt, calendar);
    const doneAt = Object.hasOwn(done, s.code) ? done[s.code] : null;
    return { code: s.code, zh: s.zh, en: s.en, dueAt, doneAt, state: clockState({ dueAt, doneAt }, now, leadMs), late: doneAt !== null && doneAt.getTime() > dueAt.getTime() };
  });
}
