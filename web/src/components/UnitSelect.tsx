import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '../api';
import { useUnits } from '../session';

interface Node {
  value: string;
  title: string;
  label: string;
  children?: Node[];
}

function toTree(units: OrgUnit[], kindLabel: (k: OrgUnit['kind']) => string): Node[] {
  const ids = new Set(units.map((u) => u.id));
  const byParent = new Map<string | null, OrgUnit[]>();
  for (const u of units) {
    const p = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    byParent.set(p, [...(byParent.get(p) ?? []), u]);
  }
  const walk = (p: string | null): Node[] =>
    (byParent.get(p) ?? [])
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((u) => {
        const children = walk(u.id);
        return { value: u.id, title: `${u.name}（${kindLabel(u.kind)}）`, label: u.name, children: children.length ? children : undefined };
      });
  return walk(null);
}

/** A TreeSelect over the organisation units the user may see. */
export default function UnitSelect(props: {
  id?: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  testId?: string;
  /** The name a screen reader announces when no <label> points at it (filters). */
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  const units = useUnits();
  const tree = useMemo(() => toTree(units.data ?? [], (k) => t(`kind_${k}`)), [units.data, t]);
  return (
    <TreeSelect
      id={props.id}
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      treeData={tree}
      placeholder={props.placeholder}
      allowClear={props.allowClear}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandedKeys={tree.map((n) => n.value)}
      loading={units.isLoading}
      style={props.style}
      treeNodeLabelProp="label"
      popupMatchSelectWidth={false}
      data-testid={props.testId}
      aria-label={props['aria-label']}
    />
  );
}
