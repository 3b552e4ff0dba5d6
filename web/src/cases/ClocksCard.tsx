/**
 * A case's statutory clocks: name and subject, state and board colour, due (or done) time, extensions,
 * and the lines that say how the due time was reached (expandable), with the legal basis.
 */
import { useState } from 'react';
import { Card, Table, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../format';
import type { ClockView } from './model';
import { ClockStateTag, ColourTag } from './tags';

const keyOf = (c: ClockView) => `${c.rule}:${c.subject ?? ''}:${c.startsAt}`;

export default function ClocksCard({ clocks }: { clocks: ClockView[] }) {
  const { t } = useTranslation('cases');
  // Overdue first, then running by due time; stopped, then done last.
  const order = { overdue: 0, running: 1, stopped: 2, done: 3 } as const;
  const rows = [...clocks].sort((a, b) => order[a.state] - order[b.state] || (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'));
  // An overdue clock shows its arithmetic until the user closes it; any other opens on demand.
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const expanded = rows.map(keyOf).filter((k, i) => toggled[k] ?? rows[i]!.state === 'overdue');
  return (
    <Card size="small" title={t('clocks')} data-testid="case-clocks">
      <Table<ClockView>
        size="small"
        rowKey={keyOf}
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: t('noClocks') }}
        scroll={{ x: 720 }}
        onRow={(c) => ({ 'data-testid': `clock-${c.rule}`, 'data-state': c.state }) as React.HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowKeys: expanded,
          onExpand: (open, c) => setToggled((x) => ({ ...x, [keyOf(c)]: open })),
          expandedRowRender: (c) => (
            <div data-testid={`clock-explain-${c.rule}`}>
              <div style={{ fontWeight: 600, marginBottom: 4 }}>{t('explanation')}</div>
              <ol className="sw-case-explain">
                {c.explanation.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ol>
              <div className="sw-case-basis">
                {t('basis')}：{c.basis}
              </div>
            </div>
          ),
        }}
        columns={[
          {
            title: t('colClock'),
            dataIndex: 'name',
            render: (v: string, c) => (
              <span>
                <strong>{v}</strong>{' '}
                {c.custody && (
                  <Tooltip title={t('custody')}>
                    <Tag style={{ marginInlineEnd: 0 }}>{t('custodyShort')}</Tag>
                  </Tooltip>
                )}
              </span>
            ),
          },
          { title: t('colSubject'), dataIndex: 'subject', width: 100, render: (v: string | null) => v ?? '—' },
          { title: t('colColour'), key: 'state', width: 150, render: (_, c) => <span style={{ display: 'inline-flex', gap: 4 }}><ClockStateTag state={c.state} />{c.colour && <ColourTag colour={c.colour} />}</span> },
          {
            title: t('colDue'),
            key: 'due',
            width: 200,
            render: (_, c) => (
              <span>
                {c.doneAt ? t('doneAt', { at: fmtTime(c.doneAt).slice(0, 16) }) : c.dueAt ? t('dueAt', { at: fmtTime(c.dueAt).slice(0, 16) }) : t('noDue')}
                {c.extensions.length > 0 && (
                  <div className="sw-case-step-detail" title={c.extensions.map((x) => x.by).join('、')}>
                    {t('extensions', { n: c.extensions.length })}
                  </div>
                )}
                {c.stops.length > 0 && <div className="sw-case-step-detail">{t('stops', { n: c.stops.length })}</div>}
              </span>
            ),
          },
        ]}
      />
    </Card>
  );
}
