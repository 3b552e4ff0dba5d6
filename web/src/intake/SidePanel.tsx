/** The right column of the intake console: possible duplicates (live and just recorded), the repeat-location warning, today's queue. */
import { useNavigate } from 'react-router-dom';
import dayjs from 'dayjs';
import { Alert, Button, Card, Empty, Space, Table, Tag } from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useCategoryLabel, type CreatedIncident, type Incident } from '../incidents/model';
import { PriorityTag, StatusTag } from '../incidents/tags';
import { useHeight } from '../incidents/useDebounced';
import IncidentLine from './IncidentLine';

export interface SidePanelProps {
  point: { lon: number; lat: number } | null;
  waiting: boolean;
  dupItems: Incident[];
  dupFetching: boolean;
  marked: Incident | null;
  onMark: (x: Incident | null) => void;
  lastCreated: CreatedIncident | null;
  onMergeLast: (master: Incident) => void;
  repeatCount: number | null;
  queue: Incident[];
  queueLoading: boolean;
}

export default function SidePanel(p: SidePanelProps) {
  const { t } = useTranslation('incidents');
  const navigate = useNavigate();
  const catLabel = useCategoryLabel();
  const [queueBox, queueHeight] = useHeight<HTMLDivElement>();

  const queueColumns = [
    { title: t('number'), dataIndex: 'number', key: 'number', width: 190, render: (v: string) => <span className="sw-mono">{v}</span> },
    { title: t('time'), key: 'time', width: 76, render: (_: unknown, r: Incident) => dayjs(r.times.recordedAt).format('HH:mm:ss') },
    { title: t('category'), key: 'cat', ellipsis: true, render: (_: unknown, r: Incident) => catLabel(r.categoryCode) },
    { title: t('filterPriority'), key: 'p', width: 80, render: (_: unknown, r: Incident) => <PriorityTag p={r.priority} /> },
    { title: t('address'), dataIndex: 'address', key: 'address', ellipsis: true },
    { title: t('status'), key: 'status', width: 92, render: (_: unknown, r: Incident) => <StatusTag s={r.status} /> },
  ];

  return (
    <div className="sw-intake-right">
      <Card
        size="small"
        className="sw-intake-dups"
        title={
          <Space size={6}>
            <WarningOutlined style={{ color: p.dupItems.length ? '#fa8c16' : undefined }} />
            {t('duplicates')}
            {p.dupItems.length > 0 && <Tag color="orange">{p.dupItems.length}</Tag>}
          </Space>
        }
        extra={<span className="sw-muted">{t('duplicatesHint')}</span>}
        data-testid="intake-duplicates"
      >
        {p.lastCreated && p.lastCreated.duplicateCandidates.length > 0 && (
          <div className="sw-dup-after" data-testid="intake-after-dups">
            <div className="sw-hist-title">{t('justRecorded', { number: p.lastCreated.number })}</div>
            {p.lastCreated.duplicateCandidates.slice(0, 3).map((d) => (
              <IncidentLine
                key={d.id}
                x={d}
                point={p.point}
                extra={
                  <Button size="small" type="primary" style={{ marginInlineStart: 'auto' }} onClick={() => p.onMergeLast(d)} data-testid={`merge-into-${d.number}`}>
                    {t('mergeInto')}
                  </Button>
                }
              />
            ))}
          </div>
        )}
        {p.waiting ? (
          <div className="sw-muted sw-hist-empty">{t('duplicatesWaiting')}</div>
        ) : p.dupItems.length ? (
          <div data-testid="dup-list">
            {p.dupItems.slice(0, 4).map((d) => (
              <IncidentLine
                key={d.id}
                x={d}
                point={p.point}
                extra={
                  <Button
                    size="small"
                    style={{ marginInlineStart: 'auto' }}
                    type={p.marked?.id === d.id ? 'primary' : 'default'}
                    danger={p.marked?.id !== d.id}
                    onClick={() => p.onMark(p.marked?.id === d.id ? null : d)}
                    data-testid={`mark-dup-${d.number}`}
                    tabIndex={-1}
                  >
                    {p.marked?.id === d.id ? t('unmark') : t('markDuplicate')}
                  </Button>
                }
              />
            ))}
          </div>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={p.dupFetching ? '…' : t('noDuplicates')} style={{ margin: '8px 0' }} />
        )}
      </Card>
      {p.repeatCount !== null && <Alert type="error" showIcon title={t('repeatLocation', { n: p.repeatCount })} data-testid="intake-repeat" />}
      <Card size="small" className="sw-intake-queue" title={t('queueToday')} extra={<Tag>{p.queue.length}</Tag>} data-testid="intake-queue">
        <div ref={queueBox} className="sw-intake-queue-box">
          <Table<Incident>
            size="small"
            rowKey="id"
            columns={queueColumns}
            dataSource={p.queue}
            loading={p.queueLoading}
            pagination={false}
            scroll={{ y: Math.max(120, queueHeight - 40) }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('queueEmpty')} /> }}
            onRow={(r) => ({ onClick: () => navigate(`/incidents/${r.id}`), style: { cursor: 'pointer' }, 'data-testid': `queue-row-${r.number}` }) as React.HTMLAttributes<HTMLTableRowElement>}
            data-testid="queue-table"
          />
        </div>
      </Card>
    </div>
  );
}
