/** The dispute's clocks and local protocol checklist (each by state, its basis on hover), and the timeline of every step. */
import { App as AntApp, Button, Card, Empty, Popconfirm, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { fmtTime } from '../format';
import { useLang } from '../i18n';
import { hasPermission, useDisputeLabel, useWrite, type DisputeDetail, type TimelineEntry } from './model';
import { DueTag } from './tags';

export function ClocksCard({ dispute, user }: { dispute: DisputeDetail; user: User }) {
  const { t } = useTranslation('disputes');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const step = useWrite();
  const canMark = hasPermission(user, 'dispute.register') && !dispute.closedAt;

  const mark = async (code: string, name: string) => {
    try {
      await step.run(`/api/v1/disputes/${dispute.id}/steps/${encodeURIComponent(code)}`, {});
      message.success(t('done', { action: name }));
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <>
      <Card size="small" title={t('clocks')} data-testid="dispute-clocks">
        {dispute.clocks.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noClocks')} />}
        {dispute.clocks.map((c) => (
          <div key={c.code} className="sw-clock" data-testid={`clock-${c.code}`} data-state={c.state}>
            <span>{lang === 'en' ? c.en : c.zh}</span>
            <span>
              <DueTag state={c.state} dueAt={c.dueAt} doneAt={c.doneAt} basis={c.basis} />
            </span>
          </div>
        ))}
      </Card>
      {dispute.protocol.length > 0 && (
        <Card size="small" title={t('protocol')} data-testid="dispute-protocol">
          {dispute.protocol.map((s) => {
            const name = lang === 'en' ? s.en : s.zh;
            return (
              <div key={s.code} className="sw-clock" data-testid={`step-${s.code}`} data-state={s.state}>
                <span>{name}</span>
                <span className="sw-item-head">
                  <DueTag state={s.state} dueAt={s.dueAt} doneAt={s.doneAt} />
                  {canMark && !s.doneAt && (
                    <Popconfirm title={t('stepDoneTitle', { step: name })} onConfirm={() => mark(s.code, name)} okText={t('confirm')} cancelText={t('cancel')}>
                      <Button size="small" loading={step.busy} data-testid={`step-done-${s.code}`}>
                        {t('stepDone')}
                      </Button>
                    </Popconfirm>
                  )}
                </span>
              </div>
            );
          })}
        </Card>
      )}
    </>
  );
}

/** One line of detail for a timeline entry: the reason, outcome, grade change or step it records. */
function useDetail(dispute: DisputeDetail) {
  const { lang } = useLang();
  const label = useDisputeLabel();
  return (e: TimelineEntry): string => {
    const d = e.detail as Record<string, unknown>;
    const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
    const parts: string[] = [];
    if (s('mediationType')) parts.push(label('mt_', s('mediationType')));
    if (s('from') && s('to') && e.type === 'risk_changed') parts.push(`${label('grade_', s('from'))} → ${label('grade_', s('to'))}`);
    else if (s('from') && s('to')) parts.push(`${label('rs_', s('from'))} → ${label('rs_', s('to'))}`);
    if (s('outcome')) parts.push(label('oc_', s('outcome')));
    if (s('performance')) parts.push(label('pf_', s('performance')));
    if (s('source')) parts.push(label('src_', s('source')));
    if (s('code')) {
      const step = dispute.protocol.find((p) => p.code === s('code'));
      parts.push(step ? (lang === 'en' ? step.en : step.zh) : s('code')!);
    }
    if (s('number')) parts.push(s('number')!);
    if (typeof d.days === 'number') parts.push(`+${d.days}`);
    if (s('reason')) parts.push(s('reason')!);
    return parts.join(' · ');
  };
}

export function TimelineCard({ dispute }: { dispute: DisputeDetail }) {
  const { t } = useTranslation('disputes');
  const label = useDisputeLabel();
  const detail = useDetail(dispute);
  const items = [...dispute.timeline].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  return (
    <Card size="small" title={t('timeline')} data-testid="dispute-timeline">
      <Timeline
        items={items.map((e) => ({
          key: e.id,
          color: e.type === 'closed' ? 'green' : e.type.includes('decline') || e.type.includes('fail') || e.type === 'recurrence' ? 'red' : 'blue',
          content: (
            <div data-testid="timeline-entry" data-type={e.type}>
              <Typography.Text strong>{label('ev_', e.type)}</Typography.Text>
              <span className="sw-item-meta">
                {' '}
                {fmtTime(e.at).slice(5, 16)} · {e.username ?? t('evSystem')}
              </span>
              {detail(e) && <div className="sw-item-meta sw-pre">{detail(e)}</div>}
            </div>
          ),
        }))}
      />
    </Card>
  );
}
