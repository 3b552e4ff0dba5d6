import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { UnitKind } from '../api';

const COLORS: Record<UnitKind, string> = { bureau: 'red', branch: 'geekblue', station: 'green', grid: 'default' };

export default function KindTag({ kind }: { kind: UnitKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[kind]} style={{ marginInlineEnd: 0 }}>
      {t(`kind_${kind}`)}
    </Tag>
  );
}
