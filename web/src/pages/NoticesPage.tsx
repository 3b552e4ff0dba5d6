/**
 * 监督通知书 — every supervision notice in the user's jurisdiction, those owing an answer first by due
 * date; filter by state or overdue only; each links to its case, where it is answered and verified.
 */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Segmented, Switch, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import { fmtTime } from '../format';
import { pollInterval, useRealtime } from '../realtime';
import { NOTICE_STATE_LABELS, PROBLEM_LABELS, inLang, useNotices, type Notice, type NoticeState } from '../cases/notices-model';
import { NoticeStateTag } from '../cases/NoticesCard';
import '../cases/cases.css';

const STATES: readonly NoticeState[] = ['issued', 'answered', 'returned', 'accepted'];

export default function NoticesPage() {
  const { t } = useTranslation('cases');
  const { lang } = useLang();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const live = useRealtime(qc);
  const [state, setState] = useState<NoticeState | 'all'>('all');
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const q = useNotices({ state: state === 'all' ? undefined : [state], overdue: overdue || undefined, limit: page.pageSize, offset: (page.current - 1) * page.pageSize }, pollInterval(live));

  return (
    <div data-testid="page-notices" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <div className="sw-page-title">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/cases')} aria-label={t('backToList')} />
        <Typography.Title level={4}>{t('noticesTitle')}</Typography.Title>
      </div>
      <Card
        size="small"
        extra={
          <span style={{ display: 'inline-flex', alignItems: 'center', gap: 12 }}>
            <Segmented<NoticeState | 'all'>
              value={state}
              onChange={(v) => {
                setState(v);
                setPage((p) => ({ ...p, current: 1 }));
              }}
              options={[{ value: 'all', label: t('noticeStateAll') }, ...STATES.map((s) => ({ value: s, label: inLang(NOTICE_STATE_LABELS[s], lang) }))]}
              aria-label={t('noticeColState')}
              data-testid="notices-state"
            />
            <label style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }}>
              <Switch size="small" checked={overdue} onChange={setOverdue} data-testid="notices-overdue" />
              {t('noticeOverdueOnly')}
            </label>
          </span>
        }
      >
        <Table<Notice>
          size="small"
          rowKey="id"
          loading={q.isFetching && !q.data}
          dataSource={q.data?.items ?? []}
          locale={{ emptyText: t('noticesEmpty') }}
          pagination={{ ...page, total: q.data?.total ?? 0, showSizeChanger: false, onChange: (current, pageSize) => setPage({ current, pageSize }) }}
          onRow={(r) => ({ 'data-testid': `notices-row-${r.number}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('noticeCol'), dataIndex: 'number', width: 230, render: (v: string) => <span className="sw-mono">{v}</span> },
            {
              title: t('noticeColCase'),
              dataIndex: 'caseTitle',
              ellipsis: true,
              render: (v: string, r) => (
                <Link to={`/cases/${r.caseId}`} data-testid="notice-case-link">
                  {v}
                </Link>
              ),
            },
            { title: t('noticeColProblems'), dataIndex: 'items', width: 320, render: (items: Notice['items']) => items.map((i, n) => <Tag key={n}>{inLang(PROBLEM_LABELS[i.type], lang)}</Tag>) },
            { title: t('noticeColState'), dataIndex: 'state', width: 200, render: (_: unknown, r) => <NoticeStateTag notice={r} /> },
            { title: t('colStation'), dataIndex: 'stationId', width: 110, render: (v: string) => <span className="sw-mono">{v}</span> },
            { title: t('colOfficer'), dataIndex: 'officer', width: 100 },
            { title: t('noticeColIssued'), dataIndex: 'issuedAt', width: 140, render: (v: string) => fmtTime(v).slice(0, 16) },
            { title: t('noticeColDue'), dataIndex: 'answerDueAt', width: 140, render: (v: string, r) => <span className={r.overdue ? 'sw-case-overdue' : undefined}>{fmtTime(v).slice(0, 16)}</span> },
          ]}
        />
      </Card>
    </div>
  );
}
