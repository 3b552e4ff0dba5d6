/** The caller's number and name, the first row of the intake form (the number has the focus when a call starts). */
import type { RefObject } from 'react';
import { Form, Input, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';

export interface CallerFieldsProps {
  phone: string;
  onPhone: (v: string) => void;
  name: string;
  onName: (v: string) => void;
  phoneError?: string;
  phoneRef: RefObject<InputRef | null>;
}

export default function CallerFields(p: CallerFieldsProps) {
  const { t } = useTranslation('incidents');
  return (
    <div className="sw-intake-row2">
      <Form.Item label={t('phone')} validateStatus={p.phoneError ? 'error' : undefined} help={p.phoneError} className="sw-fi">
        <Input
          ref={p.phoneRef}
          autoFocus
          value={p.phone}
          onChange={(e) => p.onPhone(e.target.value)}
          placeholder={t('phonePlaceholder')}
          aria-label={t('phone')}
          inputMode="tel"
          maxLength={32}
          autoComplete="off"
          data-testid="intake-phone"
        />
      </Form.Item>
      <Form.Item label={t('callerName')} className="sw-fi">
        <Input value={p.name} onChange={(e) => p.onName(e.target.value)} placeholder={t('callerNamePlaceholder')} aria-label={t('callerName')} maxLength={64} autoComplete="off" data-testid="intake-name" />
      </Form.Item>
    </div>
  );
}
