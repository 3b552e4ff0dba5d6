/**
 * The dispute register in the web app: the server's contract types (web/src/contract), the vocabulary
 * and the referral state machine shared with the server (pure files of src/modules/disputes/domain, as
 * the incident state machine is shared), the queries, and a write helper that sends an Idempotency-Key
 * kept for the form's life so a retried submission is answered, not repeated.
 */
import { useCallback, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, uuid, type User } from '../api';
import type { ApiAnswer, ApiBody } from '../contract';
import { zh } from '../i18n/resources';
import { AGENCY_KINDS, DISPUTE_SOURCES, DISPUTE_STATUSES, DISPUTE_TYPES, MEDIATION_TYPES, OUTCOMES, PARTY_ROLES } from '../../../src/modules/disputes/domain/vocabulary';
import { CLOSE_OUTCOMES_FROM, OPEN_REFERRAL_STATES, REFERRAL_ACTORS, REFERRAL_STATES, REFERRAL_TRANSITIONS, type ReferralActionType, type ReferralState } from '../../../src/modules/disputes/domain/referral-machine';

export { AGENCY_KINDS, DISPUTE_SOURCES, DISPUTE_STATUSES, DISPUTE_TYPES, MEDIATION_TYPES, OUTCOMES, PARTY_ROLES, REFERRAL_STATES, CLOSE_OUTCOMES_FROM };
export type { ReferralState };

export type DisputeList = ApiAnswer<'/api/v1/disputes', 'get'>;
export type DisputeItem = DisputeList['items'][number];
export type DisputeDetail = ApiAnswer<'/api/v1/disputes/{id}', 'get'>;
export type Party = DisputeDetail['parties'][number];
export type Referral = DisputeDetail['referrals'][number];
export type Clock = DisputeDetail['clocks'][number];
export type TimelineEntry = DisputeDetail['timeline'][number];
export type Agreement = NonNullable<DisputeDetail['agreement']>;
export type Agency = ApiAnswer<'/api/v1/agencies', 'get'>[number];
export type Stats = ApiAnswer<'/api/v1/disputes/stats', 'get'>;
export type WorkItem = ApiAnswer<'/api/v1/referrals', 'get'>['items'][number];
export type RegisterBody = ApiBody<'/api/v1/disputes', 'post'>;
export type Created = ApiAnswer<'/api/v1/disputes', 'post', 201>;
export type RiskGrade = DisputeItem['riskGrade'];
export type RiskReason = DisputeItem['riskReasons'][number];
export type DueState = Clock['state'];

export const RISK_GRADES: readonly RiskGrade[] = ['red', 'orange', 'yellow', 'blue'];

/** The agencies that take each kind of mediation (mirrors AGENCY_KINDS_FOR in src/modules/disputes/referrals.ts). */
export const AGENCY_KINDS_FOR: Record<(typeof MEDIATION_TYPES)[number], readonly string[]> = {
  police: ['station'],
  people: ['committee', 'judicial'],
  court: ['court'],
  lawyer: ['law_firm', 'judicial'],
};

/** May the referral in `state` be given `action` (the machine's table; the server decides). */
export const canStep = (state: string, action: ReferralActionType) => REFERRAL_TRANSITIONS.some((t) => t.from === state && t.action === action);
export const isOpenReferral = (state: string) => (OPEN_REFERRAL_STATES as readonly string[]).includes(state);
export const actorOf = (action: ReferralActionType) => REFERRAL_ACTORS[action];

/** The user works this referral: named as its mediator, or a member of its agency when none is named. */
export function receivesReferral(user: User, r: Referral, agencies: readonly Agency[] | undefined): boolean {
  if (r.mediatorId) return r.mediatorId === user.id;
  return !!agencies?.find((a) => a.id === r.agencyId)?.mediators.some((m) => m.id === user.id);
}

export const hasPermission = (user: User, p: string) => user.permissions.includes(p);

type Prefix = 'ty_' | 'src_' | 'st_' | 'rs_' | 'oc_' | 'mt_' | 'ak_' | 'role_' | 'fm_' | 'pf_' | 'sig_' | 'clk_' | 'ik_' | 'ev_' | 'grade_';

/** `label('ty_', 'family')`: the label of a server value; the value itself when there is none. */
export function useDisputeLabel() {
  const { t } = useTranslation('disputes');
  return useCallback(
    (prefix: Prefix, value: string | null | undefined): string => {
      if (!value) return '—';
      const key = `${prefix}${value}`;
      return Object.hasOwn(zh.disputes, key) ? (t as unknown as (k: string) => string)(key) : value;
    },
    [t],
  );
}

export function useDispute(id: string, refetchInterval?: number) {
  return useQuery({ queryKey: ['disputes', 'detail', id], queryFn: () => api<DisputeDetail>(`/api/v1/disputes/${encodeURIComponent(id)}`), enabled: !!id, refetchInterval });
}

export function useAgencies(enabled = true) {
  // Not under ['disputes']: every dispute event invalidates those, and the agencies do not change with them
  // (a refetch while a select of them is open redrew the options under the pointer).
  return useQuery({ queryKey: ['agencies'], queryFn: () => api<Agency[]>('/api/v1/agencies'), staleTime: 5 * 60_000, enabled });
}

/**
 * A write with its Idempotency-Key: the same key until it succeeds (a retry after a lost answer is
 * answered by the server's stored answer), a new one after. Refreshes the register's queries.
 */
export function useWrite() {
  const qc = useQueryClient();
  const key = useRef(uuid());
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async <T>(path: string, body: unknown = {}): Promise<T> => {
      setBusy(true);
      try {
        const out = await api<T>(path, { method: 'POST', body, idempotencyKey: key.current });
        key.current = uuid();
        await qc.invalidateQueries({ queryKey: ['disputes'] });
        return out;
      } finally {
        setBusy(false);
      }
    },
    [qc],
  );
  return { run, busy, reset: () => (key.current = uuid()) };
}

/** Start of the current year (local time) for the "this year to date" figures. */
export function yearStart(now = new Date()): Date {
  return new Date(now.getFullYear(), 0, 1);
}
