/**
 * "导出 Excel": a plain link to GET /analytics/export.xlsx for the table and span on screen. A link, not
 * a fetch: the browser downloads it with the session cookie and names the file from Content-Disposition.
 */
import { Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { buildUrl } from '../api';

export type ExportTable = 'kpis' | 'heat' | 'breakdown';

export function exportHref(table: ExportTable, span: { from: string; to: string }, unitId?: string): string {
  return buildUrl('/api/v1/analytics/export.xlsx', { table, from: span.from, to: span.to, unitId });
}

export default function ExportButton({ table, span, unitId }: { table: ExportTable; span: { from: string; to: string }; unitId?: string }) {
  const { t } = useTranslation('analytics');
  return (
    <Button size="small" icon={<DownloadOutlined />} href={exportHref(table, span, unitId)} download data-testid={`export-${table}`}>
      {t('exportExcel')}
    </Button>
  );
}
