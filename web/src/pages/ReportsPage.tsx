/**
 * 报告 — the archive of weekly and period reports (issue 16): every report of my jurisdiction with its kind
 * and span, scope, revision, snapshot hash (short; the full one on hover and to copy), data as-of time and
 * revision notes; download as .docx; generate a chosen week or period (analysts and administrators).
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, DatePicker, Empty, Popover, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DownloadOutlined, FileAddOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n';
import type { User } from '../api';
import { dayOf, docxHref, MAX_PERIOD_DAYS, mondayOf, useGeneratePeriod, useGenerateWeekly, useReports, type Generated, type ReportItem } from '../reports/model';

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

export default function ReportsPage({ user }: { user: User }) {
  const { t } = useTranslation('reports');
  const { lang } = useLang();
  const { message } = AntApp.useApp();
  const reports = useReports();
  const weekly = useGenerateWeekly();
  const periodic = useGeneratePeriod();
  const [kind, setKind] = useState<'weekly' | 'period'>('weekly');
  const [week, setWeek] = useState<Dayjs | null>(null);
  const [span, setSpan] = useState<[Dayjs, Dayjs] | null>(null);
  const canGenerate = user.permissions.includes('reports.generate');
  const ready = kind === 'weekly' ? !!week : !!span;

  const run = async () => {
    try {
      let r: Generated;
      if (kind === 'weekly' && week) r = await weekly.mutateAsync(mondayOf(week));
      else if (kind === 'period' && span) r = await periodic.mutateAsync({ from: dayOf(span[0]), to: dayOf(span[1]) });
      else return;
      if (r.unchanged) message.info(t('unchanged', { revision: r.revision }));
      else message.success(t('generated', { week: r.label, revision: r.revision }));
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  // A period ends today at the latest and spans at most MAX_PERIOD_DAYS days.
  const outOfPeriod = (d: Dayjs, info: { from?: Dayjs }) => d.isAfter(dayjs(), 'day') || (!!info.from && Math.abs(d.diff(info.from, 'day')) >= MAX_PERIOD_DAYS);

  const columns = [
    {
      title: t('week'),
      key: 'week',
      render: (r: ReportItem) => (
        <span data-testid="report-week" data-kind={r.kind}>
          <Tag color={r.kind === 'weekly' ? 'geekblue' : 'purple'}>{t(r.kind === 'weekly' ? 'kindWeekly' : 'kindPeriod')}</Tag>
          {r.kind === 'weekly' ? <b>{r.label}</b> : null} <span className={r.kind === 'weekly' ? 'sw-muted' : undefined}>{r.from} ~ {r.to}</span>
        </span>
      ),
    },
    { title: t('unit'), dataIndex: 'unitName', key: 'unit' },
    { title: t('revision'), key: 'revision', render: (r: ReportItem) => <Tag color={r.revision > 1 ? 'orange' : 'blue'}>{t('revisionN', { n: r.revision })}</Tag> },
    {
      title: t('hash'),
      key: 'hash',
      render: (r: ReportItem) => (
        <Tooltip title={r.snapshotHash}>
          <Typography.Text className="sw-mono" copyable={{ text: r.snapshotHash, tooltips: [t('hashCopy')] }} data-testid="report-hash">
            {r.snapshotHash.slice(0, 12)}
          </Typography.Text>
        </Tooltip>
      ),
    },
    { title: t('asOf'), key: 'asOf', render: (r: ReportItem) => when(r.asOf) },
    { title: t('createdAt'), key: 'createdAt', render: (r: ReportItem) => when(r.createdAt) },
    { title: t('createdBy'), key: 'createdBy', render: (r: ReportItem) => (r.createdBy === 'system' ? t('system') : r.createdBy) },
    {
      title: t('revisions'),
      key: 'revisions',
      render: (r: ReportItem) =>
        r.revisions.length ? (
          <Popover content={<ul style={{ margin: 0, paddingInlineStart: 16, maxWidth: 420 }}>{r.revisions.map((n, i) => <li key={i}>{lang === 'en' ? n.en : n.zh}</li>)}</ul>}>
            <Tag color="orange" data-testid="report-revisions">{t('revisionCount', { n: r.revisions.length })}</Tag>
          </Popover>
        ) : (
          <span className="sw-muted">{t('noRevisions')}</span>
        ),
    },
    {
      title: '',
      key: 'download',
      render: (r: ReportItem) => (
        <Button size="small" icon={<DownloadOutlined />} href={docxHref(r.id)} download data-testid="report-download">
          {t('download')}
        </Button>
      ),
    },
  ];

  return (
    <div data-testid="page-reports" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('pageTitle')}</Typography.Title>
        {canGenerate && (
          <Space style={{ marginInlineStart: 'auto' }} wrap>
            <Segmented<'weekly' | 'period'> value={kind} onChange={setKind} options={[{ value: 'weekly', label: t('kindWeekly') }, { value: 'period', label: t('kindPeriod') }]} data-testid="report-kind" />
            {kind === 'weekly' ? (
              <DatePicker picker="week" value={week} onChange={setWeek} placeholder={t('chooseWeek')} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="report-week-picker" />
            ) : (
              <DatePicker.RangePicker value={span} onChange={(v) => setSpan(v?.[0] && v[1] ? [v[0], v[1]] : null)} placeholder={[t('periodFrom'), t('periodTo')]} disabledDate={outOfPeriod} data-testid="report-period-picker" />
            )}
            <Button type="primary" icon={<FileAddOutlined />} disabled={!ready} loading={weekly.isPending || periodic.isPending} onClick={run} data-testid="report-generate">
              {t('generate')}
            </Button>
          </Space>
        )}
      </div>
      <Alert type="info" showIcon message={t('intro')} />
      {reports.error && <Alert type="error" showIcon message={(reports.error as Error).message} />}
      <Card size="small">
        <Table<ReportItem> rowKey="id" size="small" loading={reports.isLoading} dataSource={reports.data ?? []} columns={columns} pagination={{ pageSize: 20 }} locale={{ emptyText: <Empty description={t('empty')} /> }} data-testid="reports-table" />
      </Card>
    </div>
  );
}
