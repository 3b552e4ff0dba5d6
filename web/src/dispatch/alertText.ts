/**
 * An alert's text in the reader's language, from its kind and parameters (the server keeps what the
 * message names: call sign, incident number, seconds). The stored Chinese `message` is shown only in
 * Chinese, for alerts raised before the parameters were kept; in English those show their kind alone.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { DispatchAlert } from './model';

type T = (key: string, opts?: Record<string, unknown>) => string;

export function useAlertText() {
  const { t: tt, i18n } = useTranslation('dispatch');
  const t = tt as unknown as T;
  const en = i18n.language.startsWith('en');
  return useCallback(
    (a: DispatchAlert): string | null => {
      if (!a.params) return en ? null : a.message;
      const text = t(`am_${a.kind}`, { callSign: a.params.callSign ?? '—', number: a.params.number, s: a.params.seconds, defaultValue: '' });
      if (!text) return en ? null : a.message;
      return a.level === 'escalated' ? text + t('am_escalated') : text;
    },
    [t, en],
  );
}
