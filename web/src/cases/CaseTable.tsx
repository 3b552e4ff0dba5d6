/** The cases of the user's jurisdiction: open ones with the most urgent next clock first, or closed ones, latest first. */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Card, Segmented, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { fmtTime } from '../format';
import { useCaseList, type CaseItem } from './model';
import { CaseKindTag, CaseStatusTag } from './tags';

export default function CaseTable({ refetchInterval }: { refetchInterval?: number }) {
  const { t } = useTranslation('cases');
  const navigate = useNavigate();
  const [open, setOpen] = useState(true);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const q = useCaseList(open, page, refetchInterval);

  return (
    <Card
      size="small"
      data-testid="case-list"
      title={
        <Segmented<boolean>
          value={open}
          onChange={(v) => {
            setOpen(v);
            setPage((p) => ({ ...p, current: 1 }));
          }}
          options={[
            { value: true, label: t('openCases') },
            { value: false, label: t('closedCases') },
          ]}
          data-testid="case-list-open"
        />
      }
    >
      <Table<CaseItem>
        size="small"
        rowKey="id"
        loading={q.isFetching && !q.data}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: t('noneOpen') }}
        scroll={{ x: 1000 }}
        data-testid="case-list-table"
        onRow={(r) => ({ onClick: () => navigate(`/cases/${r.id}`), style: { cursor: 'pointer' }, 'data-testid': `case-row-${r.number}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: q.data?.total ?? 0,
          hideOnSinglePage: true,
          showTotal: (n) => t('total', { n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          {
            title: t('colNumber'),
            dataIndex: 'number',
            width: 190,
            render: (v: string, r) => (
              <Link className="sw-mono" to={`/cases/${r.id}`} onClick={(e) => e.stopPropagation()}>
                {v}
              </Link>
            ),
          },
          { title: t('colKind'), dataIndex: 'kind', width: 130, render: (v: string) => <CaseKindTag kind={v} /> },
          { title: t('colTitle'), dataIndex: 'title', ellipsis: true },
          { title: t('colOfficer'), dataIndex: 'officer', width: 110 },
          { title: t('colOpenedAt'), dataIndex: 'openedAt', width: 150, render: (v: string) => fmtTime(v).slice(0, 16) },
          open
            ? { title: t('colNextDue'), dataIndex: 'nextDueAt', width: 150, render: (v: string | null) => (v ? fmtTime(v).slice(0, 16) : '—') }
            : { title: t('colClosedAt'), dataIndex: 'closedAt', width: 150, render: (v: string | null) => (v ? fmtTime(v).slice(0, 16) : '—') },
          { title: t('colOverdue'), dataIndex: 'overdueClocks', width: 100, align: 'right', render: (v: number) => (v > 0 ? <Tag color="red" style={{ marginInlineEnd: 0 }}>{v}</Tag> : '0') },
          { title: t('colStatus'), dataIndex: 'status', width: 90, render: (v: string) => <CaseStatusTag status={v} /> },
        ]}
      />
    </Card>
  );
}
