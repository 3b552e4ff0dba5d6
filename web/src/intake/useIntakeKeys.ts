/**
 * The intake console's keys, read on the window before any field sees them: Ctrl+Enter records,
 * F2 address, F3 category, F4 description, F6 the station of a call located later (issue 11 #4),
 * F8 call answered, F9 transfer a non-police matter (issue 11 #8), Esc clears (after confirming).
 * While a dialog of the console is open (`blocked`), the dialog has the keys.
 */
import { useEffect, type MutableRefObject } from 'react';
import { focusedListOpen } from './form';

export type IntakeKeyActions = Partial<Record<'submit' | 'address' | 'category' | 'description' | 'station' | 'answered' | 'transfer' | 'clear', () => void>>;

const KEYS: Record<string, keyof IntakeKeyActions> = { F2: 'address', F3: 'category', F4: 'description', F6: 'station', F8: 'answered', F9: 'transfer' };

export function useIntakeKeys(actions: MutableRefObject<IntakeKeyActions>, blocked: MutableRefObject<boolean>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (blocked.current) return;
      const a = actions.current;
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        e.stopPropagation();
        a.submit?.();
      } else if (KEYS[e.key]) {
        e.preventDefault();
        a[KEYS[e.key]]?.();
      } else if (e.key === 'Escape') {
        // An open list closes first (its own Esc); a dialog handles its own Esc.
        if (focusedListOpen() || document.querySelector('.ant-modal-wrap:not([style*="display: none"])')) return;
        e.preventDefault();
        e.stopPropagation();
        // Open the dialog after this key event is over: opened during it, the same Escape closed it at once.
        window.setTimeout(() => actions.current.clear?.(), 0);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [actions, blocked]);
}
