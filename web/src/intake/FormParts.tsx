/** Parts of the intake form: the title with the call clock, and everything below the address (category, priority, description, actions). */
import { useEffect, useState, type ReactNode, type RefObject } from 'react';
import { Button, Form, Input, Radio, Space, Tag, Tooltip, Typography, type GetRef } from 'antd';
import { ClearOutlined, PhoneOutlined, SendOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { PRIORITIES, PRIORITY_HEX, type Incident, type Priority, type PrioritySuggestion } from '../incidents/model';
import { usePriorityReasonText } from '../incidents/priorityReasons';
import { Kbd, type Errors } from './form';
import type { useCallTimes } from './useCallTimes';

/** The console title: call clock (since answered / first keystroke) and the answer time (issue 11 #7). */
export function FormTitle({ call }: { call: ReturnType<typeof useCallTimes> }) {
  const { t } = useTranslation(['incidents', 'intake']);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!call.since) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [call.since]);
  const elapsed = call.since ? Math.max(0, Math.floor((now - Date.parse(call.since)) / 1000)) : null;
  const { times, answerSeconds } = call;
  return (
    <Space size={8}>
      <PhoneOutlined />
      {t('consoleTitle')}
      <Tag color={elapsed === null ? 'default' : elapsed > 60 ? 'red' : 'green'} data-testid="intake-timer" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {t('callTimer')} {elapsed === null ? '—' : `${Math.floor(elapsed / 60)}:${String(elapsed % 60).padStart(2, '0')}`}
      </Tag>
      <span data-testid="intake-answered" className="sw-muted" style={{ fontWeight: 'normal', fontSize: 12 }}>
        {!times.answeredAt ? (
          <>
            <Kbd>F8</Kbd> {t('intake:answeredPending')}
          </>
        ) : answerSeconds !== null ? (
          <Tooltip title={t('intake:fromTelephony')}>
            {t('intake:answeredAt', { time: dayjs(times.answeredAt).format('HH:mm:ss') })} · {t('intake:answerTime', { s: `${Math.round(answerSeconds)}s` })}
          </Tooltip>
        ) : (
          <>
            {t('intake:answeredAt', { time: dayjs(times.answeredAt).format('HH:mm:ss') })} · {t('intake:answerUnknown')}
          </>
        )}
      </span>
    </Space>
  );
}

export interface FormTailProps {
  categoryField: ReactNode;
  suggested: Priority | null;
  suggestion: PrioritySuggestion | undefined;
  priority: Priority | null;
  onPriority: (p: Priority) => void;
  needsReason: boolean;
  priorityReason: string;
  onPriorityReason: (v: string) => void;
  description: string;
  onDescription: (v: string) => void;
  descRef: RefObject<GetRef<typeof Input.TextArea> | null>;
  errors: Errors;
  submitting: boolean;
  onSubmit: () => void;
  onClear: () => void;
  marked: Incident | null;
  onUnmark: () => void;
  retryable: boolean;
  extraActions?: ReactNode;
}

export default function FormTail(p: FormTailProps) {
  const { t } = useTranslation(['incidents', 'intake']);
  const { reasonsOf: priorityReasons } = usePriorityReasonText();
  const fieldProps = (name: keyof Errors) => ({ validateStatus: p.errors[name] ? ('error' as const) : undefined, help: p.errors[name] });
  return (
    <>
      <div className="sw-intake-row2">
        {p.categoryField}
        <Form.Item
          label={
            <span>
              {t('priority')}
              {p.suggested && (
                <Tag color="default" style={{ marginInlineStart: 8 }} data-testid="intake-suggested">
                  {t('suggested', { p: p.suggested })}
                </Tag>
              )}
            </span>
          }
          {...fieldProps('priority')}
          className="sw-fi"
        >
          <Radio.Group
            value={p.priority}
            onChange={(e) => p.onPriority(e.target.value as Priority)}
            optionType="button"
            buttonStyle="solid"
            name="priority"
            data-testid="intake-priority"
            className="sw-priority"
          >
            {PRIORITIES.map((x) => (
              <Radio.Button key={x} value={x} data-p={x} style={p.priority === x ? { background: PRIORITY_HEX[x], borderColor: PRIORITY_HEX[x], color: '#fff' } : undefined}>
                {x}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
      </div>
      <div className="sw-reasons" data-testid="intake-reasons">
        {p.suggestion?.reasons?.length ? (
          <>
            <span className="sw-muted">{t('suggestedBy')}：</span>
            {priorityReasons(p.suggestion).map((r) => (
              <Tag key={r} color={p.suggestion!.priority === 'P1' ? 'red' : 'blue'} variant="outlined" data-testid="intake-reason">
                {r}
              </Tag>
            ))}
          </>
        ) : null}
      </div>
      {p.needsReason && (
        <Form.Item label={t('priorityReason')} {...fieldProps('priorityReason')} className="sw-fi" extra={!p.errors.priorityReason ? t('priorityReasonHint') : undefined}>
          <Input value={p.priorityReason} onChange={(e) => p.onPriorityReason(e.target.value)} maxLength={500} data-testid="intake-priority-reason" aria-label={t('priorityReason')} />
        </Form.Item>
      )}
      <Form.Item
        label={
          <span>
            {t('description')} <Kbd>F4</Kbd>
          </span>
        }
        {...fieldProps('description')}
        className="sw-fi"
      >
        <Input.TextArea
          ref={p.descRef}
          value={p.description}
          onChange={(e) => p.onDescription(e.target.value)}
          placeholder={t('descriptionPlaceholder')}
          aria-label={t('description')}
          autoSize={{ minRows: 3, maxRows: 3 }}
          maxLength={4000}
          data-testid="intake-description"
        />
      </Form.Item>
      <div className="sw-intake-actions">
        <Button type="primary" icon={<SendOutlined />} loading={p.submitting} onClick={p.onSubmit} data-testid="intake-submit">
          {t('submit')} <span className="sw-btn-kbd">Ctrl+Enter</span>
        </Button>
        <Button icon={<ClearOutlined />} onClick={p.onClear} data-testid="intake-clear">
          {t('clear')} <span className="sw-btn-kbd sw-btn-kbd-dark">Esc</span>
        </Button>
        {p.extraActions}
        {p.marked && (
          <Tag color="orange" closable onClose={p.onUnmark} data-testid="intake-marked">
            {t('markedDuplicate', { number: p.marked.number })}
          </Tag>
        )}
        {p.retryable && <Typography.Text type="warning">{t('retryHint')}</Typography.Text>}
        <span className="sw-keys" data-testid="intake-keys">
          <Kbd>F2</Kbd> {t('keyF2')} <Kbd>F3</Kbd> {t('keyF3')} <Kbd>F4</Kbd> {t('keyF4')} <Kbd>F8</Kbd> {t('intake:keyAnswered')} <Kbd>Ctrl+Enter</Kbd> {t('keySubmit')} <Kbd>Esc</Kbd> {t('keyClear')}
        </span>
      </div>
    </>
  );
}
