/**
 * Recommendation reasons in the dispatcher's language: the server sends codes with parameters
 * (src/modules/dispatch/domain/reasons.ts); its Chinese `reason` string is used only when an older
 * server sends no codes.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Recommendation, ReasonCode } from './model';

type T = (key: string, opts?: Record<string, unknown>) => string;

export function useReasonText() {
  const { t: tt } = useTranslation('dispatch');
  const t = tt as unknown as T;
  const dur = useCallback(
    (seconds: number) => {
      const s = Math.max(0, Math.round(seconds));
      return s < 60 ? t('dur_s', { s }) : t('dur_ms', { m: Math.floor(s / 60), s: s % 60 });
    },
    [t],
  );
  const cap = useCallback((c: string) => t(`cap_${c}`, { defaultValue: c }), [t]);
  const caps = useCallback((cs: readonly string[]) => cs.map(cap).join(t('listSep')), [cap, t]);
  const partner = useCallback((p: string) => t(`partner_${p}`, { defaultValue: p }), [t]);
  const one = useCallback(
    (r: ReasonCode): string => {
      switch (r.code) {
        case 'plan_covers':
          return t('r_plan_covers', { caps: caps(r.caps) });
        case 'diverting':
          return t('r_diverting', { from: r.from ?? '—' });
        case 'station_estimate':
          return t(r.noPosition ? 'r_station_estimate_none' : 'r_station_estimate_old', { eta: dur(r.eta), penalty: dur(r.penalty) });
        case 'fastest':
          return t('r_fastest', { eta: dur(r.eta) });
        case 'slower':
          return t('r_slower', { eta: dur(r.eta), behind: dur(r.behind) });
        default:
          return t(`r_${r.code}`, { defaultValue: r.code });
      }
    },
    [t, caps, dur],
  );
  const reasonOf = useCallback((rec: Recommendation) => (rec.reasons ? rec.reasons.map(one).join(t('reasonSep')) : rec.reason), [one, t]);
  return { reasonOf, caps, cap, partner };
}
