/**
 * The intake side of "transfer, not a police matter" (issue 11 #8): the button, the toast, and the
 * request — the call recorded already transferred, with its own Idempotency-Key (a retry after a lost
 * answer records it once). The dialog is TransferDialog.tsx.
 */
import { useRef, useState, type MutableRefObject } from 'react';
import { App as AntApp, Button } from 'antd';
import { SwapOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, uuid } from '../api';
import type { CreatedIncident } from '../incidents/model';
import type { TransferDialogProps, TransferRequest } from './TransferDialog';

export function TransferButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation('intake');
  return (
    <Button icon={<SwapOutlined />} onClick={onClick} data-testid="intake-transfer">
      {t('transferButton')} <span className="sw-btn-kbd sw-btn-kbd-dark">F9</span>
    </Button>
  );
}

export interface IntakeTransferOptions {
  /** Checks the form before the dialog opens (the caller's words are needed); false keeps it closed. */
  ready: () => boolean;
  /** The request body of the call as the form holds it (without category and transfer). */
  body: () => Record<string, unknown>;
  /** Set while the dialog is open: the console's own keys stand aside (useIntakeKeys). */
  blocked: MutableRefObject<boolean>;
  /** The call is recorded: update the queue and start the next call. */
  onRecorded: (created: CreatedIncident) => void;
}

/** State and actions of the transfer dialog; `dialog` is spread into TransferDialog (plus the station). */
export function useIntakeTransfer(o: IntakeTransferOptions) {
  const { t } = useTranslation(['intake', 'incidents']);
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = useRef<string | null>(null);
  // Where the call-taker was when the dialog opened, and whether the call was recorded meanwhile.
  const before = useRef<HTMLElement | null>(null);
  const recorded = useRef(false);

  const close = () => {
    o.blocked.current = false;
    setOpen(false);
  };
  const start = () => {
    if (!o.ready()) return;
    setError(null);
    before.current = document.activeElement as HTMLElement | null;
    recorded.current = false;
    o.blocked.current = true;
    setOpen(true);
  };
  const submit = async (r: TransferRequest) => {
    if (busy) return;
    const body = { ...o.body(), categoryCode: r.categoryCode, transfer: { target: r.target, reason: r.reason } };
    key.current ??= uuid();
    setBusy(true);
    try {
      const created = await api<CreatedIncident>('/api/v1/incidents', { method: 'POST', body, idempotencyKey: key.current });
      key.current = null;
      message.success({
        content: (
          <span data-testid="intake-transfer-toast">
            {t('intake:transferDone', { target: r.target })}
            <b className="sw-mono" data-testid="intake-transfer-number" style={{ fontSize: 14, marginInlineStart: 4 }}>
              {created.number}
            </b>
          </span>
        ),
        duration: 6,
      });
      recorded.current = true;
      close();
      o.onRecorded(created);
    } catch (e) {
      const lost = e instanceof ApiError && (e.status === 0 || e.status >= 500);
      if (!lost) key.current = null; // refused: a corrected retry is a new request
      setError(`${e instanceof Error ? e.message : String(e)}${lost ? ` — ${t('incidents:retryHint')}` : ''}`);
    } finally {
      setBusy(false);
    }
  };

  // Back where the call-taker was when the call is kept; a recorded one has its focus from onRecorded.
  const afterClose = () => {
    if (!recorded.current && !document.activeElement?.closest('[data-testid="intake-form"]')) before.current?.focus();
  };
  const dialog: Pick<TransferDialogProps, 'open' | 'submitting' | 'error' | 'onSubmit' | 'onCancel' | 'afterClose'> = { open, submitting: busy, error, onSubmit: (r) => void submit(r), onCancel: close, afterClose };
  return { start, dialog, forget: () => (key.current = null) };
}
