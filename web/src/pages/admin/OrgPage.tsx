import { useMemo, useState, type Key } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Row, Space, Spin, Tree, Typography, type TreeDataNode } from 'antd';
import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { MultiPolygon, Polygon } from 'geojson';
import { useTranslation } from 'react-i18next';
import { api, type OrgUnit, type OrgUnitDetail, type UnitKind } from '../../api';
import { useUnitDetail, useUnitGeo, useUnits } from '../../session';
import { errorMessage, showFormError } from '../../format';
import MapView from '../../components/MapView';
import KindTag from '../../components/KindTag';

const CHILD_KIND: Record<UnitKind, UnitKind | null> = { bureau: 'branch', branch: 'station', station: 'grid', grid: null };

/** Build the AntD tree from the flat list (children in code order). */
export function buildTree(units: OrgUnit[], filter: string): { tree: TreeDataNode[]; expand: Key[] } {
  const byParent = new Map<string | null, OrgUnit[]>();
  const ids = new Set(units.map((u) => u.id));
  for (const u of units) {
    // A unit whose parent is outside the user's jurisdiction is a root here.
    const p = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    const arr = byParent.get(p) ?? [];
    arr.push(u);
    byParent.set(p, arr);
  }
  for (const arr of byParent.values()) arr.sort((a, b) => a.code.localeCompare(b.code));
  const f = filter.trim().toLowerCase();
  const matches = (u: OrgUnit) => !f || u.name.toLowerCase().includes(f) || u.code.toLowerCase().includes(f);
  const expand: Key[] = [];
  const walk = (parent: string | null, depth: number): TreeDataNode[] => {
    const out: TreeDataNode[] = [];
    for (const u of byParent.get(parent) ?? []) {
      const children = walk(u.id, depth + 1);
      if (!matches(u) && children.length === 0) continue;
      if ((f && children.length > 0) || (!f && depth < 1)) expand.push(u.id);
      out.push({
        key: u.id,
        title: (
          <Space size={6}>
            <KindTag kind={u.kind} />
            <span>{u.name}</span>
            <Typography.Text type="secondary" className="sw-mono">
              {u.code}
            </Typography.Text>
          </Space>
        ),
        children: children.length ? children : undefined,
        isLeaf: children.length === 0,
      });
    }
    return out;
  };
  return { tree: walk(null, 0), expand };
}

function parsePolygon(text: string | undefined): Polygon | MultiPolygon | undefined | 'invalid' {
  if (!text || !text.trim()) return undefined;
  try {
    let g = JSON.parse(text) as { type?: string; geometry?: unknown; coordinates?: unknown };
    if (g.type === 'Feature') g = g.geometry as typeof g;
    if ((g.type === 'Polygon' || g.type === 'MultiPolygon') && Array.isArray(g.coordinates)) return g as Polygon | MultiPolygon;
  } catch {
    /* fall through */
  }
  return 'invalid';
}

interface UnitValues {
  name: string;
  code: string;
  polygon?: string;
}

function UnitModal({ mode, unit, onClose }: { mode: 'create' | 'edit'; unit: OrgUnitDetail; onClose: (id?: string) => void }) {
  const { t } = useTranslation('admin');
  const [form] = Form.useForm<UnitValues>();
  const { message } = AntApp.useApp();
  const qc = useQueryClient();
  const childKind = CHILD_KIND[unit.kind];
  const m = useMutation({
    mutationFn: async (v: UnitValues) => {
      const polygon = parsePolygon(v.polygon);
      if (mode === 'create') {
        return api<OrgUnit>('/api/v1/org/units', {
          method: 'POST',
          idempotent: true,
          body: { parentId: unit.id, kind: childKind, code: v.code, name: v.name, ...(polygon && polygon !== 'invalid' ? { polygon } : {}) },
        });
      }
      const body: Record<string, unknown> = {};
      if (v.name !== unit.name) body.name = v.name;
      if (v.code !== unit.code) body.code = v.code;
      if (polygon && polygon !== 'invalid') body.polygon = polygon;
      return api<OrgUnit>(`/api/v1/org/units/${encodeURIComponent(unit.id)}`, { method: 'PATCH', body });
    },
    onSuccess: (res) => {
      message.success(mode === 'create' ? t('created') : t('saved'));
      void qc.invalidateQueries({ queryKey: ['org'] });
      onClose(res?.id);
    },
    onError: (e) => showFormError(form, e, ['name', 'code', 'polygon'], (msg) => message.error(msg)),
  });
  return (
    <Modal
      open
      title={mode === 'create' ? `${t('orgAddChild')} · ${unit.name}` : `${t('orgEdit')} · ${unit.name}`}
      onCancel={() => onClose()}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={m.isPending}
      destroyOnHidden
      width={560}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={mode === 'edit' ? { name: unit.name, code: unit.code } : {}}
        onFinish={(v) => m.mutate(v)}
      >
        {mode === 'create' && childKind && (
          <Form.Item label={t('orgKind')}>
            <KindTag kind={childKind} />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('orgName')} rules={[{ required: true, message: t('required') }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="code" label={t('orgCode')} rules={[{ required: true, message: t('required') }, { max: 40 }]}>
          <Input className="sw-mono" />
        </Form.Item>
        <Form.Item
          name="polygon"
          label={t('orgPolygonJson')}
          extra={mode === 'edit' ? t('orgPolygonJsonHint') : t('optional')}
          rules={[{ validator: (_, v) => (parsePolygon(v) === 'invalid' ? Promise.reject(new Error(t('orgPolygonInvalid'))) : Promise.resolve()) }]}
        >
          <Input.TextArea rows={4} className="sw-mono" placeholder='{"type":"Polygon","coordinates":[[[113.54,22.19],…]]}' />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function OrgPage() {
  const { t } = useTranslation('admin');
  const units = useUnits();
  const stations = useUnitGeo('station');
  const grids = useUnitGeo('grid');
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Key[] | null>(null);
  const [modal, setModal] = useState<'create' | 'edit' | null>(null);
  const detail = useUnitDetail(selected);

  const { tree, expand } = useMemo(() => buildTree(units.data ?? [], filter), [units.data, filter]);
  const byId = useMemo(() => new Map((units.data ?? []).map((u) => [u.id, u])), [units.data]);
  const d = detail.data;
  const parent = d?.parentId ? byId.get(d.parentId) : undefined;

  const select = (id: string) => {
    setSelected(id);
    // Make sure the selected unit is visible in the tree.
    const chain: Key[] = [];
    let p = byId.get(id)?.parentId ?? null;
    while (p) {
      chain.push(p);
      p = byId.get(p)?.parentId ?? null;
    }
    setExpanded((prev) => Array.from(new Set([...(prev ?? expand), ...chain])));
  };

  return (
    <div data-testid="page-org">
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('navOrg')}</Typography.Title>
        <Button size="small" icon={<ReloadOutlined />} onClick={() => void units.refetch()}>
          {t('refresh')}
        </Button>
      </div>
      {units.error && <Alert type="error" showIcon title={t('loadFailed', { msg: errorMessage(units.error) })} style={{ marginBottom: 12 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8} xl={7} xxl={6}>
          <Card title={t('orgTree')} size="small" styles={{ body: { padding: 8 } }}>
            <Input.Search allowClear placeholder={t('orgSearch')} onChange={(e) => {
              setFilter(e.target.value);
              setExpanded(null);
            }} style={{ marginBottom: 8 }} />
            <div className="sw-org-tree" data-testid="org-tree">
              {units.isLoading ? (
                <Spin />
              ) : (
                <Tree
                  blockNode
                  showLine
                  treeData={tree}
                  expandedKeys={expanded ?? expand}
                  onExpand={(keys) => setExpanded(keys)}
                  selectedKeys={selected ? [selected] : []}
                  onSelect={(keys) => keys[0] && select(String(keys[0]))}
                />
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} lg={16} xl={17} xxl={18}>
          <Card
            size="small"
            title={t('orgDetails')}
            data-testid="org-detail"
            extra={
              d && (
                <Space>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setModal('edit')}>
                    {t('edit')}
                  </Button>
                  <Button size="small" icon={<PlusOutlined />} disabled={!CHILD_KIND[d.kind]} title={CHILD_KIND[d.kind] ? undefined : t('orgNoChild')} onClick={() => setModal('create')}>
                    {t('orgAddChild')}
                  </Button>
                </Space>
              )
            }
            style={{ marginBottom: 16 }}
          >
            {!selected ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orgSelectHint')} style={{ margin: '8px 0' }} />
            ) : detail.isLoading ? (
              <Spin />
            ) : detail.error ? (
              <Alert type="error" showIcon title={t('loadFailed', { msg: errorMessage(detail.error) })} />
            ) : d ? (
              <Descriptions size="small" bordered column={{ xs: 1, sm: 2, xl: 3 }}>
                <Descriptions.Item label={t('orgName')}>{d.name}</Descriptions.Item>
                <Descriptions.Item label={t('orgKind')}>
                  <KindTag kind={d.kind} />
                </Descriptions.Item>
                <Descriptions.Item label={t('orgCode')}>
                  <span className="sw-mono">{d.code}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('orgParent')}>{parent ? parent.name : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('orgUserCount')}>{d.userCount}</Descriptions.Item>
                <Descriptions.Item label={t('orgPolygon')}>{d.polygon ? t('orgPolygonSet') : t('orgPolygonUnset')}</Descriptions.Item>
                <Descriptions.Item label={t('orgPath')} span={3}>
                  <span className="sw-mono">{d.path}</span>
                </Descriptions.Item>
              </Descriptions>
            ) : null}
          </Card>
          <Card size="small" styles={{ body: { padding: 8 } }}>
            <MapView
              testId="org-map"
              areas={stations.data}
              outlines={grids.data}
              highlight={d?.polygon ?? null}
              onSelect={select}
              height="max(360px, calc(100vh - 400px))"
              legend={t('orgMapLegend')}
            />
          </Card>
        </Col>
      </Row>
      {modal && d && (
        <UnitModal
          mode={modal}
          unit={d}
          onClose={(id) => {
            setModal(null);
            if (id && modal === 'create') select(id);
          }}
        />
      )}
    </div>
  );
}
