/**
 * 执法监督看板: every clock of every open case in the user's jurisdiction, red (overdue, longest first),
 * yellow (due within the lead time), green, grey (stopped); the counts per colour above the table.
 */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Card, Segmented, Table, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLang, useLabel } from '../i18n';
import { fmtTime } from '../format';
import { COLOURS, LEAD_HOURS, useBoard, type BoardRow } from './model';
import { COLOUR_STYLE, ColourTag, TimeLeft } from './tags';

export default function BoardCard({ refetchInterval }: { refetchInterval?: number }) {
  const { t } = useTranslation('cases');
  const label = useLabel('cases');
  const { lang } = useLang();
  const [lead, setLead] = useState<number>(24);
  const q = useBoard(lead, lang, true, refetchInterval);
  const counts = q.data?.counts;

  return (
    <Card
      size="small"
      title={t('boardTitle')}
      data-testid="case-board"
      extra={
        <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8 }}>
          <span id="case-lead-label">{t('leadTime')}</span>
          <Segmented<number> value={lead} onChange={setLead} options={LEAD_HOURS.map((n) => ({ value: n, label: t('leadHours', { n }) }))} aria-labelledby="case-lead-label" data-testid="case-board-lead" />
        </span>
      }
    >
      <div className="sw-case-counts" data-testid="case-board-counts" title={t('countHint', { n: lead })}>
        {COLOURS.map((c) => (
          <div key={c} className="sw-case-count" style={{ borderColor: COLOUR_STYLE[c].borderColor, borderInlineStartWidth: 6 }} data-testid={`case-count-${c}`}>
            <span>{label('colour_', c)}</span>
            <strong>{counts?.[c] ?? '—'}</strong>
          </div>
        ))}
      </div>
      {q.data?.truncated && <Alert type="warning" showIcon title={t('boardTruncated')} style={{ marginBottom: 8 }} />}
      <Table<BoardRow>
        size="small"
        rowKey={(r) => `${r.caseId}:${r.rule}:${r.subject ?? ''}`}
        loading={q.isFetching && !q.data}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: t('boardEmpty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 960 }}
        data-testid="case-board-table"
        onRow={(r) => ({ 'data-colour': r.colour, 'data-testid': `board-row-${r.number}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('colColour'), dataIndex: 'colour', width: 96, render: (c: BoardRow['colour']) => <ColourTag colour={c} /> },
          {
            title: t('colNumber'),
            dataIndex: 'number',
            width: 190,
            render: (v: string, r) => (
              <Link className="sw-mono" to={`/cases/${r.caseId}`} data-testid="board-case-link">
                {v}
              </Link>
            ),
          },
          { title: t('colTitle'), dataIndex: 'title', ellipsis: true },
          {
            title: t('colClock'),
            dataIndex: 'name',
            width: 200,
            render: (v: string, r) => (
              <span>
                {v}{' '}
                {r.custody && (
                  <Tooltip title={t('custody')}>
                    <Tag style={{ marginInlineEnd: 0 }}>{t('custodyShort')}</Tag>
                  </Tooltip>
                )}
              </span>
            ),
          },
          { title: t('colSubject'), dataIndex: 'subject', width: 110, render: (v: string | null) => v ?? '—' },
          { title: t('colDue'), dataIndex: 'dueAt', width: 150, render: (v: string | null) => (v ? fmtTime(v).slice(0, 16) : '—') },
          { title: t('colLeft'), dataIndex: 'leftMinutes', width: 170, render: (v: number | null) => <TimeLeft minutes={v} /> },
          { title: t('colOfficer'), dataIndex: 'officer', width: 110 },
        ]}
      />
    </Card>
  );
}
