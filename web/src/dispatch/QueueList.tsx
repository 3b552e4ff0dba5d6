/**
 * The console's queue of open incidents: a listbox reachable with Tab whose current row (the cursor)
 * moves with ↑/↓ from anywhere on the page; each row shows the waiting timer and flags a possible
 * duplicate of an earlier incident.
 */
import { memo } from 'react';
import { Empty, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { PRIORITY_COLOR, type Incident } from '../incidents/model';
import { LocationPendingTag, PriorityTag, StatusTag } from '../incidents/tags';
import { WaitTimer } from './clock';
import type { DuplicateOf } from './duplicates';

export const QueueList = memo(function QueueList({
  queue,
  cursor,
  selectedId,
  onSelect,
  catLabel,
  duplicates,
}: {
  queue: Incident[];
  cursor: number;
  selectedId: string | null;
  onSelect: (id: string) => void;
  catLabel: (code: string) => string;
  duplicates: Map<string, DuplicateOf[]>;
}) {
  const { t } = useTranslation('dispatch');
  if (!queue.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('queueEmpty')} />;
  return (
    // Reachable with Tab (↑/↓ and Enter work from anywhere on the page; the list says which row is current).
    <div className="sw-dc-queue" data-testid="dispatch-queue" role="listbox" tabIndex={0} aria-label={t('queue')} aria-activedescendant={queue[cursor] ? `dq-${queue[cursor].id}` : undefined}>
      {queue.map((i, n) => (
        <div
          key={i.id}
          role="option"
          id={`dq-${i.id}`}
          aria-selected={i.id === selectedId}
          className={`sw-dc-q ${n === cursor ? 'sw-dc-q-cursor' : ''} ${i.id === selectedId ? 'sw-dc-q-sel' : ''}`}
          style={{ borderInlineStartColor: PRIORITY_COLOR[i.priority] }}
          onClick={() => onSelect(i.id)}
          data-testid={`dq-row-${i.number}`}
          data-cursor={n === cursor ? 'true' : undefined}
        >
          <div className="sw-dc-q-line">
            <PriorityTag p={i.priority} />
            <span className="sw-mono sw-dc-q-num">{i.number}</span>
            <span style={{ flex: 1 }} />
            <WaitTimer incident={i} warnAfter={i.priority === 'P1' ? 60 : 600} testId={`dq-wait-${i.number}`} />
          </div>
          <div className="sw-dc-q-line">
            <span className="sw-dc-q-cat">{catLabel(i.categoryCode)}</span>
            <span style={{ flex: 1 }} />
            {duplicates.has(i.id) && (
              <Tag color="orange" style={{ marginInlineEnd: 4 }} data-testid={`dq-dup-${i.number}`} title={t('duplicateOf', { number: duplicates.get(i.id)![0].master.number })}>
                {t('duplicateTag')}
              </Tag>
            )}
            <LocationPendingTag incident={i} />
            <StatusTag s={i.status} />
          </div>
          {i.address && <div className="sw-dc-q-addr">{i.address}</div>}
        </div>
      ))}
    </div>
  );
});
