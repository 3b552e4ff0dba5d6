/**
 * Esc / 清空: clears the form at once when it is empty, else after confirming. While the dialog is open
 * the console's keys stand aside (`blocked`); the focus then goes to the phone field for a fresh call,
 * or back where it was when the call is kept.
 */
import { useCallback, type MutableRefObject, type RefObject } from 'react';
import { App as AntApp } from 'antd';
import { useTranslation } from 'react-i18next';

export function useClearCall(o: { filled: boolean; reset: () => void; blocked: MutableRefObject<boolean>; phoneRef: RefObject<{ focus: () => void } | null> }) {
  const { t } = useTranslation('incidents');
  const { modal } = AntApp.useApp();
  const { filled, reset, blocked, phoneRef } = o;
  return useCallback(() => {
    if (!filled) {
      reset();
      return;
    }
    blocked.current = true;
    let cleared = false;
    const before = document.activeElement as HTMLElement | null;
    modal.confirm({
      // Focus goes back by our rule below, not the dialog's: its late restore took keys typed meanwhile.
      focusable: { focusTriggerAfterClose: false },
      title: t('clearConfirmTitle'),
      content: t('clearConfirmText'),
      okText: t('clear'),
      okButtonProps: { danger: true, 'data-testid': 'intake-clear-ok' } as { danger: boolean },
      onOk: () => {
        cleared = true;
        // The keys work again at once (F2 right after confirming), not only once the dialog has faded.
        blocked.current = false;
        reset();
      },
      afterClose: () => {
        blocked.current = false;
        // A fresh call starts in the phone field, a kept one where it was; unless the call-taker has
        // already moved on (F2 right after confirming) while the dialog faded.
        if (document.activeElement?.closest('[data-testid="intake-form"]')) return;
        if (cleared) phoneRef.current?.focus();
        else before?.focus();
      },
    });
  }, [filled, modal, t, reset, blocked, phoneRef]);
}
