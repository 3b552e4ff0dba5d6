/**
 * 快处快赔 — a minor, property-only traffic accident settled online (issue 15). Pure rules, no I/O:
 *
 *   drafted ──join(B)──▶ joined ──submit──▶ submitted ──determine──▶ liability_determined
 *      │                   │                    │                         │ confirm(A) + confirm(B)
 *      │                   │                    │                         ▼
 *      │                   │                    │                       agreed ──close(insurer ref)──▶ closed
 *      ├── withdraw ───────┴────────────────────┘  (parties, before the officer decides) ──▶ withdrawn
 *      ├── escalate (an injury, or a party refuses to cooperate) from any open state ─────▶ escalated_to_110
 *      └── reject (the officer: not a case for online handling) from submitted/determined ─▶ rejected
 *
 * An injury or a refusal ends the online path at once: the parties are told to call 110 and stay.
 * Both drivers must have joined before review; the agreement stands only when both confirmed it on
 * their own phones. Table and property tests: test/citizen/domain/accident.test.ts.
 */
import { createHmac, randomInt } from 'node:crypto';

export const ACCIDENT_STATUSES = ['drafted', 'joined', 'submitted', 'liability_determined', 'agreed', 'closed', 'rejected', 'withdrawn', 'escalated_to_110'] as const;
export type AccidentStatus = (typeof ACCIDENT_STATUSES)[number];
export const OPEN_ACCIDENT: readonly AccidentStatus[] = ['drafted', 'joined', 'submitted', 'liability_determined', 'agreed'];
export const FINAL_ACCIDENT: readonly AccidentStatus[] = ['closed', 'rejected', 'withdrawn', 'escalated_to_110'];
/** Handled online: the two drivers reached an agreement (agreed, then closed with the insurer's reference). */
export const HANDLED_ONLINE: readonly AccidentStatus[] = ['agreed', 'closed'];

export const LIABILITIES = ['a_full', 'b_full', 'equal', 'a_main', 'b_main'] as const;
export type Liability = (typeof LIABILITIES)[number];
export const LIABILITY_TEXT: Record<Liability, { zh: string; en: string }> = {
  a_full: { zh: '甲方负全部责任，乙方无责任', en: 'A fully liable, B not liable' },
  b_full: { zh: '乙方负全部责任，甲方无责任', en: 'B fully liable, A not liable' },
  equal: { zh: '甲乙双方负同等责任', en: 'Equal liability' },
  a_main: { zh: '甲方负主要责任，乙方负次要责任', en: 'A mainly liable, B minor' },
  b_main: { zh: '甲方负次要责任，乙方负主要责任', en: 'A minor, B mainly liable' },
};

export type Party = 'a' | 'b';
export type EscalationReason = 'injury' | 'refusal';

export interface AccidentState {
  status: AccidentStatus;
  /** B has joined with the shared code. */
  joined: boolean;
  /** Each party gave plate, insurer and statement. */
  completeA: boolean;
  completeB: boolean;
  confirmedA: boolean;
  confirmedB: boolean;
}

export type AccidentEvent =
  | { type: 'join' }
  | { type: 'submit'; by: Party }
  | { type: 'determine'; liability: string; reason: string }
  | { type: 'confirm'; by: Party }
  | { type: 'close'; insurerRef: string }
  | { type: 'reject'; reason: string }
  | { type: 'withdraw'; by: Party }
  | { type: 'escalate'; reason: EscalationReason };

export type AccidentVerdict =
  | { ok: true; state: AccidentState }
  | { ok: false; code: 'not_allowed' | 'not_joined' | 'incomplete' | 'reason_required' | 'bad_liability' | 'already_confirmed' | 'insurer_ref_required'; field?: string };

export const CALL_110_ACCIDENT = {
  zh: '有人受伤或一方不配合：请立即拨打110，保护现场、原地等候民警，不要继续网上处理。',
  en: 'Someone is hurt or a party will not cooperate: call 110 now, keep the scene and wait for the police; do not continue online.',
};

export const isOpenAccident = (s: AccidentStatus) => OPEN_ACCIDENT.includes(s);

const deny = (code: Exclude<AccidentVerdict, { ok: true }>['code'], field?: string): AccidentVerdict => ({ ok: false, code, field });

/** What the event makes of the state; never mutates its input. */
export function nextAccident(s: AccidentState, e: AccidentEvent): AccidentVerdict {
  const to = (status: AccidentStatus, patch: Partial<AccidentState> = {}): AccidentVerdict => ({ ok: true, state: { ...s, ...patch, status } });
  if (e.type === 'escalate') return isOpenAccident(s.status) && s.status !== 'agreed' ? to('escalated_to_110') : deny('not_allowed', 'status');
  switch (e.type) {
    case 'join':
      return s.status === 'drafted' && !s.joined ? to('joined', { joined: true }) : deny('not_allowed', 'code');
    case 'submit':
      if (s.status === 'drafted') return deny('not_joined', 'status');
      if (s.status !== 'joined') return deny('not_allowed', 'status');
      if (!s.completeA || !s.completeB) return deny('incomplete', 'statement');
      return to('submitted');
    case 'determine':
      if (s.status !== 'submitted') return deny('not_allowed', 'status');
      if (!(LIABILITIES as readonly string[]).includes(e.liability)) return deny('bad_liability', 'liability');
      if (!e.reason.trim()) return deny('reason_required', 'reason');
      return to('liability_determined');
    case 'confirm': {
      if (s.status !== 'liability_determined') return deny('not_allowed', 'status');
      if ((e.by === 'a' && s.confirmedA) || (e.by === 'b' && s.confirmedB)) return deny('already_confirmed', 'status');
      const next = { confirmedA: s.confirmedA || e.by === 'a', confirmedB: s.confirmedB || e.by === 'b' };
      return to(next.confirmedA && next.confirmedB ? 'agreed' : 'liability_determined', next);
    }
    case 'close':
      if (s.status !== 'agreed') return deny('not_allowed', 'status');
      if (!e.insurerRef.trim()) return deny('insurer_ref_required', 'insurerRef');
      return to('closed');
    case 'reject':
      if (s.status !== 'submitted' && s.status !== 'liability_determined') return deny('not_allowed', 'status');
      if (!e.reason.trim()) return deny('reason_required', 'reason');
      return to('rejected');
    case 'withdraw':
      return s.status === 'drafted' || s.status === 'joined' || s.status === 'submitted' ? to('withdrawn') : deny('not_allowed', 'status');
  }
}

// ------------------------------------------------------------------ the shared code

export const SHARE_CODE = {
  /** The code driver A shows driver B lives this long. */
  ttlMs: 30 * 60_000,
  /** Wrong codes a citizen may enter in `windowMs` before joining is refused for the rest of it. */
  wrongPerCitizen: 5,
  windowMs: 30 * 60_000,
} as const;

export function newShareCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The stored form of a code: HMAC-SHA-256 with the module's secret (a million codes are no secret from a plain hash). */
export function hashShareCode(secret: string, code: string): string {
  return createHmac('sha256', secret).update(`accident:${code}`).digest('hex');
}

export function normaliseShareCode(input: string): string | null {
  const c = input.replace(/\s/g, '');
  return /^\d{6}$/.test(c) ? c : null;
}

/** Whether a citizen with `wrong` failures inside the window may try another code. */
export function mayTryCode(wrong: number): boolean {
  return wrong < SHARE_CODE.wrongPerCitizen;
}

// ------------------------------------------------------------------ plates and the agreement

/** Mainland plates (粤A12345, 新能源 8 characters) and Macau plates (MX-12-34, AA-12-34); spaces and dashes kept out. */
export function normalisePlate(input: string): string | null {
  const p = input.toUpperCase().replace(/[\s·•-]/g, '');
  if (/^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$/.test(p)) return p;
  if (/^[A-Z]{1,2}\d{4}$/.test(p) || /^[A-Z]{2}\d{2}[A-Z0-9]{2}$/.test(p) || /^M\d{6}$/.test(p)) return p;
  return null;
}

export interface AgreementParty {
  plate: string;
  insurer: string;
  statement: string;
}

export interface AgreementInput {
  id: number | string;
  occurredAt: string;
  place: string;
  a: AgreementParty;
  b: AgreementParty;
  liability: Liability;
  reason: string;
  officerName: string;
  officerNo: string;
  unitName: string;
  determinedAt: string;
}

/** The agreement both drivers confirm (zh-CN, the text of record; the .docx is built from it). */
export function agreementText(x: AgreementInput): string[] {
  return [
    '道路交通事故快处快赔协议书',
    `编号：KPKC-${x.id}`,
    `事故时间：${x.occurredAt}`,
    `事故地点：${x.place}`,
    `甲方：车牌号 ${x.a.plate}，承保保险公司 ${x.a.insurer}`,
    `甲方陈述：${x.a.statement}`,
    `乙方：车牌号 ${x.b.plate}，承保保险公司 ${x.b.insurer}`,
    `乙方陈述：${x.b.statement}`,
    `责任认定：${LIABILITY_TEXT[x.liability].zh}`,
    `认定理由：${x.reason}`,
    `认定民警：${x.officerName}（警号 ${x.officerNo}），${x.unitName}，${x.determinedAt}`,
    '本事故仅造成财产损失，无人员伤亡。双方对上述事实及责任认定无异议，同意按责任比例由各自承保的保险公司理赔；双方分别在本人手机上确认后本协议生效。',
  ];
}
