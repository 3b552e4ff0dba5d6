/** The console's unit list (the units tab): call sign with the station under it, kind, status, position age. */
import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLabel } from '../i18n';
import { useSlowNow, type PositionTimes } from './clock';
import { ageText, UNIT_STATUS_TAG, type DispatchUnit } from './model';

/** A unit's position age, refreshed every few seconds from the newest of the list's and the stream's time. */
function PositionAge({ u, positionTimes }: { u: DispatchUnit; positionTimes: PositionTimes }) {
  const now = useSlowNow();
  const listed = u.position ? Date.parse(u.position.at) : NaN;
  const streamed = positionTimes.get(u.id);
  const at = streamed !== undefined && !(streamed <= listed) ? streamed : listed;
  if (!Number.isFinite(at)) return <span className="sw-muted">—</span>;
  // The list's stale flag holds until a newer position arrives over the stream.
  const stale = at === listed ? u.stale : now - at > STALE_AFTER_MS;
  return (
    <span className="sw-mono" style={stale ? { color: '#d46b08' } : undefined}>
      {ageText((now - at) / 1000)}
    </span>
  );
}
const STALE_AFTER_MS = 120_000;

/**
 * The unit list: a virtual table (only the rows in view are rendered), memoised so that it re-renders
 * when the list from the server changes, not per position; the age cells refresh themselves.
 */
export const UnitTable = memo(function UnitTable({
  units,
  stationName,
  onPick,
  focus,
  positionTimes,
}: {
  units: DispatchUnit[];
  stationName: Map<string, string>;
  onPick: (id: string) => void;
  focus: string | null;
  positionTimes: PositionTimes;
}) {
  const { t } = useTranslation('dispatch');
  const dl = useLabel('dispatch');
  const sorted = useMemo(() => [...units].sort((a, b) => (a.status === b.status ? a.callSign.localeCompare(b.callSign) : a.status === 'available' ? -1 : b.status === 'available' ? 1 : a.status.localeCompare(b.status))), [units]);
  // The focused unit's row (the cells carry the colour: the virtual table's rows are not <tr>).
  const columns = useMemo<TableColumnsType<DispatchUnit>>(() => {
    const onCell = (u: DispatchUnit) => (u.id === focus ? { style: { background: '#e8f0fe' } } : {});
    const cols: TableColumnsType<DispatchUnit> = [
      // The station under the call sign: a column of its own was cut to one character in the left third.
      {
        title: `${t('callSign')} / ${t('stationCol')}`,
        dataIndex: 'callSign',
        render: (v: string, u) => (
          <div style={{ lineHeight: 1.25 }}>
            <b>{v}</b>
            <div className="sw-muted" style={{ fontSize: 12, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={stationName.get(u.stationId) ?? u.stationId} data-testid="unit-station">
              {(stationName.get(u.stationId) ?? u.stationId).replace(/派出所$/, '')}
            </div>
          </div>
        ),
      },
      // One line: 最小作战单元 wrapped to two in 78 px.
      { title: t('kindCol'), dataIndex: 'kind', width: 96, ellipsis: true, render: (v: string) => <span style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{dl('uk_', v)}</span> },
      {
        title: t('statusCol'),
        dataIndex: 'status',
        width: 64,
        render: (v: string) => (
          <Tag color={UNIT_STATUS_TAG[v] ?? 'default'} style={{ marginInlineEnd: 0 }}>
            {dl('us_', v)}
          </Tag>
        ),
      },
      { title: t('posAge'), key: 'age', width: 62, render: (_: unknown, u) => <PositionAge u={u} positionTimes={positionTimes} /> },
    ];
    return cols.map((c) => ({ ...c, onCell }));
  }, [t, dl, stationName, positionTimes, focus]);
  const onRow = useCallback(
    (u: DispatchUnit) =>
      ({
        onClick: () => onPick(u.id),
        style: { cursor: 'pointer' },
        'data-testid': `unit-row-${u.callSign}`,
      }) as React.HTMLAttributes<HTMLElement>,
    [onPick],
  );
  // The table fills the tab: its body height follows the window.
  const [bodyHeight, setBodyHeight] = useState(() => Math.max(240, window.innerHeight - 300));
  useEffect(() => {
    const onResize = () => setBodyHeight(Math.max(240, window.innerHeight - 300));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return (
    <Table<DispatchUnit>
      virtual
      size="small"
      rowKey="id"
      dataSource={sorted}
      pagination={false}
      scroll={{ x: 340, y: bodyHeight }}
      data-testid="units-table"
      rowClassName={(u) => (u.id === focus ? 'sw-dc-unit-focus' : '')}
      onRow={onRow}
      columns={columns}
    />
  );
});
