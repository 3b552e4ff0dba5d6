/**
 * 警格与走访 — the station chief's overview (1920 × 1080): the grids with their owners on a map, the
 * coverage (share of the grid's addresses visited in the last N days) as a coloured layer, the grid
 * table (owners, target, addresses, coverage; owners set here), and visits per community officer per
 * week against the target; the station's community police rooms with their hours and visitors by purpose.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Card, Col, InputNumber, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { Map as MlMap, GeoJSONSource } from 'maplibre-gl';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { useTranslation } from 'react-i18next';
import { api, type UnitCollection } from '../api';
import { errorMessage } from '../format';
import MapView from '../components/MapView';
import type { Figures, GridList } from '../community/model';
import PoliceRoomsCard from '../community/PoliceRoomsCard';

type Grid = GridList['items'][number];

/** Coverage → colour: red under 20 %, amber under 50 %, green above. */
export function coverageColor(c: number | null): string {
  if (c === null) return '#bfbfbf';
  return c < 0.2 ? '#cf1322' : c < 0.5 ? '#fa8c16' : c < 0.8 ? '#a0d911' : '#389e0d';
}

export default function GridsPage() {
  const { t } = useTranslation('community');
  const [days, setDays] = useState(90);
  const grids = useQuery({ queryKey: ['community', 'grids', days], queryFn: () => api<GridList>('/api/v1/grids', { query: { days, polygon: true } }) });
  const figures = useQuery({ queryKey: ['community', 'figures'], queryFn: () => api<Figures>('/api/v1/grids/visit-figures', { query: { weeks: 4 } }) });
  const [editing, setEditing] = useState<Grid | null>(null);
  const mapRef = useRef<MlMap | null>(null);
  const [map, setMap] = useState<MlMap | null>(null);

  const layer = useMemo<FeatureCollection<Polygon | MultiPolygon>>(
    () => ({
      type: 'FeatureCollection',
      features: (grids.data?.items ?? []).filter((g) => g.polygon).map((g) => ({ type: 'Feature', geometry: g.polygon as Polygon, properties: { id: g.id, color: coverageColor(g.coverage) } })),
    }),
    [grids.data],
  );
  const outlines = useMemo<UnitCollection | null>(
    () => (grids.data ? { type: 'FeatureCollection', features: grids.data.items.filter((g) => g.polygon).map((g) => ({ type: 'Feature', geometry: g.polygon as Polygon, properties: { id: g.id, kind: 'grid', code: g.code, name: g.name, parentId: g.stationId } })) } : null),
    [grids.data],
  );
  const places = useMemo(
    () =>
      (grids.data?.items ?? []).flatMap((g) => {
        const ring = (g.polygon as Polygon | undefined)?.coordinates?.[0];
        if (!ring?.length) return [];
        const lon = ring.reduce((a, p) => a + p[0]!, 0) / ring.length;
        const lat = ring.reduce((a, p) => a + p[1]!, 0) / ring.length;
        const pct = g.coverage === null ? '—' : `${Math.round(g.coverage * 100)}%`;
        return [{ lon, lat, name: `${g.owners.map((o) => o.displayName.replace(/^社区民警\s*/, '')).join('、') || t('noOwner')} ${pct}` }];
      }),
    [grids.data, t],
  );

  // The coverage layer: one fill per grid, coloured by its coverage, under the outlines and names.
  useEffect(() => {
    if (!map) return;
    const src = map.getSource('coverage') as GeoJSONSource | undefined;
    if (src) src.setData(layer);
    else {
      map.addSource('coverage', { type: 'geojson', data: layer });
      const before = map.getStyle().layers.find((l) => l.type === 'symbol')?.id;
      map.addLayer({ id: 'coverage-fill', type: 'fill', source: 'coverage', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.45 } }, before);
    }
  }, [map, layer]);

  const weeks = figures.data?.weeks ?? [];
  return (
    <div data-testid="page-grids">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('gridsTitle')}
      </Typography.Title>
      <Row gutter={16}>
        <Col span={12}>
          <Card
            size="small"
            title={t('coverageLayer', { days })}
            extra={
              <Space>
                {t('days')}
                <InputNumber min={7} max={365} value={days} onChange={(v) => v && setDays(v)} size="small" />
              </Space>
            }
          >
            <MapView
              outlines={outlines}
              places={places}
              height={560}
              testId="grids-map"
              onMap={(m) => {
                mapRef.current = m;
                setMap(m);
              }}
              legend={
                <Space size={4} wrap>
                  {[0.1, 0.3, 0.6, 0.9].map((c) => (
                    <Tag key={c} color={coverageColor(c)}>
                      {c < 0.2 ? '<20%' : c < 0.5 ? '20–50%' : c < 0.8 ? '50–80%' : '≥80%'}
                    </Tag>
                  ))}
                </Space>
              }
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card size="small" title={t('grid')}>
            <Table<Grid>
              size="small"
              rowKey="id"
              loading={grids.isLoading}
              dataSource={grids.data?.items ?? []}
              pagination={{ pageSize: 12 }}
              data-testid="grids-table"
              columns={[
                { title: t('grid'), dataIndex: 'name' },
                {
                  title: t('owners'),
                  render: (_, g) => (
                    <a onClick={() => setEditing(g)} data-testid={`owners-${g.id}`}>
                      {g.owners.map((o) => o.displayName).join('、') || t('noOwner')}
                    </a>
                  ),
                },
                { title: t('target'), render: (_, g) => `${g.target.households} + ${g.target.units}` },
                { title: t('doors'), dataIndex: 'doors', align: 'right' },
                { title: t('coverage'), align: 'right', render: (_, g) => <Tag color={coverageColor(g.coverage)}>{g.coverage === null ? '—' : `${(g.coverage * 100).toFixed(1)}%`}</Tag> },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t('perOfficer')} style={{ marginTop: 16 }}>
        <Table
          size="small"
          rowKey="officerId"
          loading={figures.isLoading}
          pagination={false}
          data-testid="officer-figures"
          dataSource={figures.data?.officers ?? []}
          columns={[
            { title: t('officer'), dataIndex: 'displayName' },
            { title: t('target'), render: (_, o) => `${o.target.households} ${t('households')} + ${o.target.units} ${t('units')}` },
            ...weeks.map((w, i) => ({
              title: t('weekCol', { week: w.slice(5) }),
              key: w,
              render: (_: unknown, o: Figures['officers'][number]) => {
                const x = o.weeks[i]!;
                return (
                  <Space size={4}>
                    <span>
                      {x.households} + {x.units}
                    </span>
                    <Tag color={x.met ? 'green' : 'red'}>{x.met ? t('met') : t('notMet')}</Tag>
                  </Space>
                );
              },
            })),
          ]}
        />
      </Card>
      <PoliceRoomsCard />
      {editing && <OwnersModal grid={editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function OwnersModal({ grid, onClose }: { grid: Grid; onClose: () => void }) {
  const { t } = useTranslation('community');
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const [ids, setIds] = useState(grid.owners.map((o) => o.id));
  const people = useQuery({ queryKey: ['community', 'candidates', grid.id], queryFn: () => api<{ items: { id: string; displayName: string }[] }>(`/api/v1/grids/${encodeURIComponent(grid.id)}/owner-candidates`) });
  const options = [...grid.owners.map((o) => ({ value: o.id, label: o.displayName })), ...(people.data?.items ?? []).filter((u) => !grid.owners.some((o) => o.id === u.id)).map((u) => ({ value: u.id, label: u.displayName }))];
  const ok = async () => {
    try {
      await api(`/api/v1/grids/${encodeURIComponent(grid.id)}/owners`, { method: 'PUT', body: { userIds: ids } });
      await qc.invalidateQueries({ queryKey: ['community'] });
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Modal open title={`${t('setOwners')} · ${grid.name}`} onOk={ok} onCancel={onClose}>
      <Select mode="multiple" style={{ width: '100%' }} value={ids} onChange={setIds} options={options} loading={people.isLoading} />
    </Modal>
  );
}
