/**
 * The procedural steps of a case (受案, 立案, 传唤, 拘留, 提请批准逮捕, 鉴定…) as events: the only input of
 * the statutory clocks (calculator.ts). Events are stored as recorded and never edited in place: a
 * correction is a new event that `replaces` the old one by id (or a `voided` event that removes it), so
 * the clocks are recomputed from the whole list and nothing is ever accumulated.
 *
 * `eventErrors` refuses bad input at entry, naming the field in Chinese and English.
 */
import type { Rule } from './rules.js';

export const EVENT_TYPES = [
  'accepted',
  'filed',
  'not_filed',
  'summons',
  'questioning_started',
  'questioning_ended',
  'detention',
  'arrest_requested',
  'arrest_approved',
  'arrest_refused',
  'arrest',
  'released',
  'examination_started',
  'examination_ended',
  'extension',
  'seizure',
  'seizure_released',
  'expert_opinion',
  'expert_opinion_notified',
  'other_crime_found',
  'identity_established',
  'mediation_failed',
  'transferred_for_prosecution',
  'closed',
  'voided',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface Label {
  zh: string;
  en: string;
}

export const EVENT_LABELS: Record<EventType, Label> = {
  accepted: { zh: '受案', en: 'Case accepted' },
  filed: { zh: '立案', en: 'Case filed' },
  not_filed: { zh: '不予立案', en: 'Not filed' },
  summons: { zh: '传唤到案', en: 'Summoned (arrived)' },
  questioning_started: { zh: '询问/讯问开始', en: 'Questioning started' },
  questioning_ended: { zh: '询问/讯问结束', en: 'Questioning ended' },
  detention: { zh: '刑事拘留', en: 'Criminal detention' },
  arrest_requested: { zh: '提请批准逮捕', en: 'Arrest approval requested' },
  arrest_approved: { zh: '批准逮捕', en: 'Arrest approved' },
  arrest_refused: { zh: '不批准逮捕', en: 'Arrest refused' },
  arrest: { zh: '执行逮捕', en: 'Arrested' },
  released: { zh: '释放或变更强制措施', en: 'Released or custody changed' },
  examination_started: { zh: '鉴定开始（送检）', en: 'Examination started' },
  examination_ended: { zh: '鉴定结束（鉴定意见送达）', en: 'Examination ended' },
  extension: { zh: '延长期限', en: 'Extension' },
  seizure: { zh: '扣押', en: 'Seizure' },
  seizure_released: { zh: '解除扣押', en: 'Seizure released' },
  expert_opinion: { zh: '收到鉴定意见', en: 'Expert opinion received' },
  expert_opinion_notified: { zh: '鉴定意见告知当事人', en: 'Expert opinion notified' },
  other_crime_found: { zh: '发现另有重要罪行', en: 'Another serious crime found' },
  identity_established: { zh: '查清身份', en: 'Identity established' },
  mediation_failed: { zh: '调解未达成协议或不履行', en: 'Mediation failed or not performed' },
  transferred_for_prosecution: { zh: '移送审查起诉', en: 'Transferred for prosecution' },
  closed: { zh: '结案', en: 'Case closed' },
  voided: { zh: '记录作废', en: 'Record voided' },
};

/** What an examination (鉴定) is of: criminal custody stops only for a psychiatric one (刑诉法第149条). */
export const EXAMINATION_KINDS = ['psychiatric', 'injury', 'valuation', 'item', 'other'] as const;
export type ExaminationKind = (typeof EXAMINATION_KINDS)[number];

export const EXAMINATION_LABELS: Record<ExaminationKind, Label> = {
  psychiatric: { zh: '精神病鉴定', en: 'psychiatric evaluation' },
  injury: { zh: '伤情鉴定', en: 'injury assessment' },
  valuation: { zh: '价格认定', en: 'valuation' },
  item: { zh: '物品检测、检验或技术鉴定', en: 'testing of items' },
  other: { zh: '其他鉴定', en: 'other examination' },
};

export interface CaseEvent {
  /** Needed only to be replaced or voided later. */
  id?: string;
  type: EventType;
  at: Date;
  /** Whom or what a per-subject clock is about: a suspect (拘留, 逮捕, 传唤) or a seized item. */
  subject?: string;
  /** Pairs an examination's start with its end when several run at once. */
  ref?: string;
  /** examination_started: what is examined. */
  kind?: ExaminationKind;
  /** extension: the clock (rule id) and which of its extensions. */
  rule?: string;
  extension?: string;
  /** extension: who approved it (name and office). */
  approver?: string;
  /** extension: by how much ('add'), or the new total ('total'), in the rule's unit. */
  amount?: number;
  /** A correction: this event takes the place of the event with that id (`voided`: removes it). */
  replaces?: string;
  note?: string;
}

export interface FieldError {
  field: string;
  zh: string;
  en: string;
}

const TYPE_ORDER = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));
const TEXT_FIELDS = ['id', 'subject', 'ref', 'rule', 'extension', 'approver', 'replaces'] as const;
const MAX_TEXT = 200;

/** A total order on events that depends on nothing but their content: results never depend on input order. */
export function compareEvents(a: CaseEvent, b: CaseEvent): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  const byType = (TYPE_ORDER.get(a.type) ?? 99) - (TYPE_ORDER.get(b.type) ?? 99);
  if (byType !== 0) return byType;
  const ka = JSON.stringify(a, Object.keys(a).sort());
  const kb = JSON.stringify(b, Object.keys(b).sort());
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * The events in force, in canonical order: a replaced event gives way to its replacement (the last one
 * in order when two replace the same), `voided` removes its target and itself.
 */
export function effectiveEvents(events: readonly CaseEvent[]): CaseEvent[] {
  const sorted = [...events].sort(compareEvents);
  // Only the last correction of an event counts; a corrected event stays gone even when its correction is corrected again.
  const replacer = new Map<string, CaseEvent>();
  for (const e of sorted) if (e.replaces !== undefined) replacer.set(e.replaces, e);
  const inForce = (e: CaseEvent) => {
    if (e.type === 'voided') return false;
    if (e.replaces !== undefined && replacer.get(e.replaces) !== e) return false;
    const by = e.id === undefined ? undefined : replacer.get(e.id);
    return by === undefined || by === e;
  };
  return sorted.filter(inForce);
}

const err = (field: string, zh: string, en: string): FieldError => ({ field, zh, en });

function shapeErrors(e: unknown, i: number): FieldError[] {
  const f = (name: string) => `events[${i}].${name}`;
  if (!e || typeof e !== 'object') return [err(`events[${i}]`, '事件须为对象', 'An event must be an object')];
  const ev = e as Record<string, unknown>;
  const errors: FieldError[] = [];
  if (!TYPE_ORDER.has(ev.type as string)) errors.push(err(f('type'), `未知的事件类型：${String(ev.type)}`, `Unknown event type: ${String(ev.type)}`));
  if (!(ev.at instanceof Date) || !Number.isFinite(ev.at.getTime())) errors.push(err(f('at'), '事件时间无效', 'The event time is not a valid date'));
  for (const name of TEXT_FIELDS) {
    const v = ev[name];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_TEXT) errors.push(err(f(name), `${name} 须为 1–${MAX_TEXT} 个字符的文本`, `${name} must be text of 1–${MAX_TEXT} characters`));
  }
  if (ev.note !== undefined && (typeof ev.note !== 'string' || ev.note.length > 2000)) errors.push(err(f('note'), '备注须为不超过2000字的文本', 'note must be text of at most 2000 characters'));
  if (ev.amount !== undefined && !(Number.isInteger(ev.amount) && (ev.amount as number) > 0)) errors.push(err(f('amount'), '延长数额须为正整数', 'amount must be a positive whole number'));
  if (ev.type === 'examination_started' && !EXAMINATION_KINDS.includes(ev.kind as ExaminationKind))
    errors.push(err(f('kind'), `鉴定类别须为：${EXAMINATION_KINDS.join('、')}`, `kind must be one of ${EXAMINATION_KINDS.join(', ')}`));
  if (ev.type === 'voided' && ev.replaces === undefined) errors.push(err(f('replaces'), '作废记录须写明被作废事件的 id', 'A voided record names the event it voids (replaces)'));
  return errors;
}

/** Examination starts and ends, paired per ref, each end with the earliest start still open. */
function examinationErrors(events: readonly CaseEvent[], index: Map<CaseEvent, number>): FieldError[] {
  const errors: FieldError[] = [];
  const open = new Map<string, CaseEvent[]>();
  for (const e of events) {
    const key = `${e.subject ?? ''}\u0000${e.ref ?? ''}`;
    const list = open.get(key) ?? [];
    open.set(key, list);
    const i = index.get(e)!;
    if (e.type === 'examination_started') {
      if (list.some((s) => s.kind !== e.kind))
        errors.push(err(`events[${i}].ref`, '另一项不同类别的鉴定尚未结束：请为每项鉴定填写不同的 ref', 'Another kind of examination is still open: give each examination its own ref'));
      list.push(e);
    } else if (e.type === 'examination_ended') {
      if (list.length > 0) list.shift();
      else if (events.some((s) => s.type === 'examination_started' && (s.ref ?? '') === (e.ref ?? '') && (s.subject ?? '') === (e.subject ?? '') && s.at > e.at))
        errors.push(err(`events[${i}].at`, '鉴定结束时间早于其开始时间', 'The examination ends before it starts'));
      else errors.push(err(`events[${i}].ref`, '没有与之对应的鉴定开始记录', 'No examination was started for this end'));
    }
  }
  return errors;
}

/** Extensions: a known clock already started, an approver, an amount within the rule, no more than allowed. */
function extensionErrors(events: readonly CaseEvent[], index: Map<CaseEvent, number>, rules: readonly Rule[]): FieldError[] {
  const errors: FieldError[] = [];
  const granted = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'extension') continue;
    const f = (name: string) => `events[${index.get(e)!}].${name}`;
    const rule = rules.find((r) => r.id === e.rule);
    if (!rule) {
      errors.push(err(f('rule'), `延长须写明期限规则（未知：${String(e.rule)}）`, `An extension names its clock (unknown: ${String(e.rule)})`));
      continue;
    }
    if (!e.approver) errors.push(err(f('approver'), '延长期限须写明批准人', 'An extension needs its approver'));
    const started = events.some((s) => rule.start.includes(s.type) && s.at <= e.at && (e.subject === undefined || s.subject === undefined || s.subject === e.subject));
    if (!started) errors.push(err(f('rule'), `${rule.zh}尚未开始计算，不能延长`, `${rule.en} has not started: nothing to extend`));
    const subjects = new Set(events.filter((s) => rule.start.includes(s.type)).map((s) => s.subject ?? null));
    if (rule.perSubject && e.subject === undefined && subjects.size > 1)
      errors.push(err(f('subject'), `${rule.zh}按人（物）计算：须写明延长的对象`, `${rule.en} runs per person or item: name the subject`));
    if (rule.extensions.length === 0) {
      errors.push(err(f('rule'), `${rule.zh}不可延长`, `${rule.en} cannot be extended`));
      continue;
    }
    if (e.extension === undefined && rule.extensions.length > 1)
      errors.push(err(f('extension'), `须写明延长依据：${rule.extensions.map((x) => x.id).join('、')}`, `Name the extension: ${rule.extensions.map((x) => x.id).join(', ')}`));
    const ext = e.extension === undefined ? rule.extensions[0] : rule.extensions.find((x) => x.id === e.extension);
    if (!ext) {
      errors.push(err(f('extension'), `${rule.zh}没有此种延长：${e.extension}`, `${rule.en} has no extension ${e.extension}`));
      continue;
    }
    if (e.amount !== undefined) {
      const min = ext.mode === 'add' ? (ext.min ?? 1) : rule.length.amount + 1;
      if (e.amount < min || e.amount > ext.amount)
        errors.push(err(f('amount'), `${ext.zh}：数额须在 ${min}–${ext.amount} 之间`, `${ext.en}: amount must be between ${min} and ${ext.amount}`));
    }
    const key = `${rule.id}\u0000${ext.id}\u0000${e.subject ?? ''}`;
    const count = (granted.get(key) ?? 0) + 1;
    granted.set(key, count);
    if (count > ext.maxTimes) errors.push(err(f('extension'), `${ext.zh}最多 ${ext.maxTimes} 次`, `${ext.en}: at most ${ext.maxTimes} time(s)`));
    if (ext.after !== undefined && !granted.has(`${rule.id}\u0000${ext.after}\u0000${e.subject ?? ''}`))
      errors.push(err(f('extension'), `${ext.zh}须在“${ext.after}”之后`, `${ext.en} comes only after "${ext.after}"`));
  }
  return errors;
}

/** True when following `replaces` from events[i] comes back to it. */
function replacesChainLoops(events: readonly CaseEvent[], i: number): boolean {
  const byId = new Map(events.filter((e) => typeof e.id === 'string').map((e) => [e.id!, e]));
  let e: CaseEvent | undefined = events[i];
  for (let steps = 0; e?.replaces !== undefined && steps <= events.length; steps++) {
    e = byId.get(e.replaces);
    if (e === events[i]) return true;
  }
  return false;
}

/** Ids unique; a correction names an existing event, never itself. */
function correctionErrors(events: readonly unknown[]): FieldError[] {
  const errors: FieldError[] = [];
  const ids = new Map<string, number>();
  const targets = new Map<string, number>();
  events.forEach((e, i) => {
    const id = (e as CaseEvent).id;
    if (typeof id !== 'string') return;
    if (ids.has(id)) errors.push(err(`events[${i}].id`, `事件 id 重复：${id}`, `Duplicate event id: ${id}`));
    else ids.set(id, i);
  });
  events.forEach((e, i) => {
    const { id, replaces } = e as CaseEvent;
    if (typeof replaces !== 'string') return;
    if (replaces === id) errors.push(err(`events[${i}].replaces`, '事件不能更正自身', 'An event cannot replace itself'));
    else if (!ids.has(replaces)) errors.push(err(`events[${i}].replaces`, `没有 id 为 ${replaces} 的事件`, `No event has the id ${replaces}`));
    else if (replacesChainLoops(events as CaseEvent[], i)) errors.push(err(`events[${i}].replaces`, '更正关系成环', 'The corrections form a loop'));
    else if (targets.has(replaces)) errors.push(err(`events[${i}].replaces`, `事件 ${replaces} 已被 events[${targets.get(replaces)}] 更正`, `Event ${replaces} is already replaced by events[${targets.get(replaces)}]`));
    else targets.set(replaces, i);
  });
  return errors;
}

/**
 * What is wrong with a case's event list, each error naming its field (`events[i].approver`…). Checked
 * on the events in force, so a corrected mistake no longer counts against the list.
 */
export function eventErrors(events: readonly unknown[], rules: readonly Rule[]): FieldError[] {
  if (!Array.isArray(events)) return [err('events', '事件须为列表', 'events must be a list')];
  const shape = events.flatMap((e, i) => shapeErrors(e, i));
  if (shape.length > 0) return shape;
  const list = events as CaseEvent[];
  const corrections = correctionErrors(list);
  if (corrections.length > 0) return corrections;
  const index = new Map<CaseEvent, number>(list.map((e, i) => [e, i]));
  const inForce = effectiveEvents(list);
  return [...examinationErrors(inForce, index), ...extensionErrors(inForce, index, rules)];
}
