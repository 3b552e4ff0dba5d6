/**
 * The priority suggestion's reasons in the reader's language: the server sends codes with parameters
 * (src/modules/incidents/domain/priority.ts); its Chinese `reasons` are used only when an older server
 * sends no codes.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { PrioritySuggestion } from './model';

export type PriorityReason = PrioritySuggestion['reasonCodes'][number];

type T = (key: string, opts?: Record<string, unknown>) => string;

export function usePriorityReasonText() {
  const { t: tt, i18n } = useTranslation('incidents');
  const t = tt as unknown as T;
  const en = i18n.language.startsWith('en');
  const one = useCallback(
    (r: PriorityReason): string => {
      switch (r.code) {
        case 'category_default':
        case 'category_not_leaf':
          return t(`pr_${r.code}`, { name: en ? r.params.nameEn || r.params.name : r.params.name, priority: r.params.priority });
        case 'keyword':
          return t('pr_keyword', { word: t(`kw_${r.params.rule}`, { defaultValue: r.params.word }), priority: r.params.priority });
        case 'in_progress':
          return t(r.params.word ? 'pr_in_progress_word' : 'pr_in_progress', { word: r.params.word ?? '', priority: r.params.priority });
        default:
          return t(`pr_${r.code}`, { priority: r.params.priority });
      }
    },
    [t, en],
  );
  /** Every reason of a suggestion as a line. */
  const reasonsOf = useCallback((s: PrioritySuggestion): string[] => (s.reasonCodes ? s.reasonCodes.map(one) : s.reasons), [one]);
  return { one, reasonsOf };
}
