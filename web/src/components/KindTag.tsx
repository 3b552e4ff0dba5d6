import { Tag } from 'antd';
import type { UnitKind } from '../api';
import { useI18n } from '../i18n';

const COLORS: Record<UnitKind, string> = { bureau: 'red', branch: 'geekblue', station: 'green', grid: 'default' };

export default function KindTag({ kind }: { kind: UnitKind }) {
  const { t } = useI18n();
  return (
    <Tag color={COLORS[kind]} style={{ marginInlineEnd: 0 }}>
      {t(`kind_${kind}`)}
    </Tag>
  );
}
