/**
 * 转办（非警务）— issue 11 #8: a call that is not a police matter is recorded and handed to 12345 (or
 * 119/120/122) straight from intake, with a reason; it never enters the dispatcher's queue. Keyboard
 * only: F9 opens it, type to filter the category, arrows for the receiver, Enter in the reason (or
 * Ctrl+Enter anywhere) transfers, Esc goes back to the form.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Alert, Form, Input, Modal, Radio, Select, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import { useCategories } from '../incidents/model';
import StationSelect from './StationSelect';
import { Kbd } from './form';

export const TRANSFER_TARGETS = ['12345', '119', '120', '122'] as const;
export type TransferTarget = (typeof TRANSFER_TARGETS)[number];
/** The family of non-police matters: only these are transferred from intake. */
const NON_POLICE = '08';

export interface TransferRequest {
  categoryCode: string;
  target: TransferTarget;
  reason: string;
}

export interface TransferDialogProps {
  open: boolean;
  /** The form's category, taken when it is a non-police one. */
  categoryCode: string | null;
  /** The form has no point: the station is asked here (or kept from the form). */
  needsStation: boolean;
  stationId: string | null;
  onStation: (id: string | null) => void;
  submitting: boolean;
  /** Error of the last attempt (server message), shown in the dialog. */
  error: string | null;
  onSubmit: (r: TransferRequest) => void;
  onCancel: () => void;
  /** The dialog has faded out (the focus is then placed by the console, not restored by the dialog). */
  afterClose: () => void;
}

const isTarget = (v: unknown): v is TransferTarget => TRANSFER_TARGETS.includes(v as TransferTarget);

export default function TransferDialog(p: TransferDialogProps) {
  const { t } = useTranslation('intake');
  const { lang } = useLang();
  const { index } = useCategories();
  const leaves = useMemo(
    () =>
      [...index.values()]
        .filter(({ node }) => node.code.startsWith(NON_POLICE) && node.leaf)
        .map(({ node }) => ({
          value: node.code,
          label: `${lang === 'en' ? node.nameEn || node.name : node.name} → ${node.transferTo ?? '12345'}`,
          // Typed words find a leaf by its names, keywords and synonyms (停电 → 水电气故障).
          search: [node.name, node.nameEn, ...node.keywords, ...node.synonyms].join(' ').toLowerCase(),
          target: node.transferTo,
        })),
    [index, lang],
  );
  const [code, setCode] = useState<string | null>(null);
  const [target, setTarget] = useState<TransferTarget>('12345');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<{ category?: boolean; reason?: boolean; station?: boolean }>({});
  const reasonRef = useRef<InputRef>(null);

  // Only when it opens: the form's category at that moment.
  useEffect(() => {
    if (!p.open) return;
    const own = p.categoryCode?.startsWith(NON_POLICE) ? leaves.find((l) => l.value === p.categoryCode) : undefined;
    setCode(own?.value ?? null);
    setTarget(isTarget(own?.target) ? own.target : '12345');
    setReason('');
    setMissing({});
  }, [p.open]);

  const pickCategory = (v: string) => {
    setCode(v);
    setMissing((m) => ({ ...m, category: false }));
    const leaf = leaves.find((l) => l.value === v);
    if (isTarget(leaf?.target)) setTarget(leaf.target);
    window.setTimeout(() => reasonRef.current?.focus(), 0);
  };

  const submit = () => {
    if (p.submitting) return;
    const m = { category: !code, reason: !reason.trim(), station: p.needsStation && !p.stationId };
    setMissing(m);
    if (m.category || m.reason || m.station) return;
    p.onSubmit({ categoryCode: code!, target, reason: reason.trim() });
  };

  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      e.stopPropagation();
      submit();
    }
  };

  return (
    <Modal
      open={p.open}
      title={t('transferTitle')}
      okText={
        <span>
          {t('transferOk')} <span className="sw-btn-kbd">Ctrl+Enter</span>
        </span>
      }
      cancelText={t('transferCancel')}
      onOk={submit}
      onCancel={p.onCancel}
      confirmLoading={p.submitting}
      destroyOnHidden
      // A recorded call starts the next one in the phone field: the dialog must not take the focus back.
      focusable={{ focusTriggerAfterClose: false }}
      afterClose={p.afterClose}
      okButtonProps={{ 'data-testid': 'transfer-ok' } as { danger?: boolean }}
      data-testid="transfer-dialog"
    >
      <div onKeyDown={onKeyDown} data-testid="transfer-form">
        <p className="sw-muted" style={{ marginTop: 0 }}>
          {t('transferHint')}
        </p>
        <Form layout="vertical" component={false}>
          <Form.Item label={t('transferCategory')} validateStatus={missing.category ? 'error' : undefined} help={missing.category ? t('transferCategoryRequired') : undefined} className="sw-fi">
            <Select
              showSearch={{ optionFilterProp: 'search' }}
              autoFocus={!code}
              value={code ?? undefined}
              onChange={pickCategory}
              options={leaves}
              defaultActiveFirstOption
              placeholder={t('transferCategoryPlaceholder')}
              aria-label={t('transferCategory')}
              data-testid="transfer-category"
              classNames={{ popup: { root: 'transfer-category-popup' } }}
            />
          </Form.Item>
          <Form.Item label={t('transferTarget')} className="sw-fi">
            <Radio.Group value={target} onChange={(e) => setTarget(e.target.value as TransferTarget)} optionType="button" name="transfer-target" data-testid="transfer-target" aria-label={t('transferTarget')}>
              {TRANSFER_TARGETS.map((x) => (
                <Radio.Button key={x} value={x} data-target={x}>
                  {t(`target_${x}`)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Form.Item label={t('transferReason')} validateStatus={missing.reason ? 'error' : undefined} help={missing.reason ? t('transferReasonRequired') : undefined} className="sw-fi">
            <Input
              ref={reasonRef}
              autoFocus={!!code}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              onPressEnter={(e) => {
                if (e.nativeEvent.isComposing || e.ctrlKey || e.metaKey) return;
                e.preventDefault();
                submit();
              }}
              maxLength={500}
              placeholder={t('transferReasonPlaceholder')}
              aria-label={t('transferReason')}
              data-testid="transfer-reason"
            />
          </Form.Item>
          {p.needsStation && (
            <Form.Item label={t('station')} validateStatus={missing.station ? 'error' : undefined} help={missing.station ? t('stationRequired') : t('transferNoPoint')} className="sw-fi">
              <StationSelect
                value={p.stationId}
                onChange={(v) => {
                  p.onStation(v);
                  setMissing((m) => ({ ...m, station: false }));
                }}
                testId="transfer-station"
                status={missing.station ? 'error' : undefined}
              />
            </Form.Item>
          )}
        </Form>
        {p.error && <Alert type="error" showIcon title={p.error} data-testid="transfer-error" />}
        <span className="sw-keys">
          <Kbd>Enter</Kbd> {t('transferOk')} <Kbd>Esc</Kbd> {t('transferCancel')}
        </span>
      </div>
    </Modal>
  );
}
