/** A case's procedural steps in the order they happened, with what each names (subject, clock, approver…). */
import { Card, Empty, Timeline } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../i18n';
import { fmtTime } from '../format';
import type { EventView } from './model';

function details(e: EventView, label: ReturnType<typeof useLabel<'cases'>>): string[] {
  const d = e.detail as Record<string, string | number | undefined>;
  const out: string[] = [];
  if (d.subject) out.push(String(d.subject));
  if (d.kind) out.push(label('exk_', String(d.kind)));
  if (d.rule) out.push(`${d.rule}${d.extension ? ` / ${d.extension}` : ''}${d.amount ? ` (${d.amount})` : ''}`);
  if (d.approver) out.push(String(d.approver));
  if (d.note) out.push(String(d.note));
  return out;
}

export default function StepsCard({ events }: { events: EventView[] }) {
  const { t } = useTranslation('cases');
  const label = useLabel('cases');
  const voided = new Set(events.map((e) => e.detail.replaces).filter((x): x is string => typeof x === 'string'));
  const rows = [...events].sort((a, b) => a.at.localeCompare(b.at) || a.recordedAt.localeCompare(b.recordedAt));
  return (
    <Card size="small" title={t('steps')} data-testid="case-steps">
      {rows.length === 0 ? (
        <Empty description={t('noSteps')} />
      ) : (
        <Timeline
          items={rows.map((e) => ({
            key: e.id,
            color: e.type === 'voided' || voided.has(e.id) ? 'gray' : e.type === 'detention' || e.type === 'arrest' ? 'red' : 'blue',
            content: (
              <div data-testid={`step-${e.type}`} style={voided.has(e.id) ? { textDecoration: 'line-through' } : undefined}>
                <div>
                  <strong>{label('ev_', e.type)}</strong> <span className="sw-mono">{fmtTime(e.at).slice(0, 16)}</span>
                </div>
                {details(e, label).length > 0 && <div>{details(e, label).join(' · ')}</div>}
                {typeof e.detail.replaces === 'string' && <div className="sw-case-step-detail">{t('replacesRef', { id: e.detail.replaces.slice(0, 8) })}</div>}
                <div className="sw-case-step-detail">{t('recordedBy', { user: e.recordedBy, at: fmtTime(e.recordedAt).slice(0, 16) })}</div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
