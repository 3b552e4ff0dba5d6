/**
 * The officer's recent assignments, each a 44 px row that opens the incident as it stands now: status,
 * address, description and the report the crew gave on clearing (code and note), with whether the
 * station has closed it yet.
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Drawer, Spin, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { errorMessage, fmtTime } from '../format';
import { useLabel, useLang } from '../i18n';
import { useCategoryLabel, useDispositions, type Incident } from '../incidents/model';
import { PriorityTag, StatusTag } from '../incidents/tags';
import type { Assignment } from '../dispatch/model';

export default function RecentAssignments({ items }: { items: Assignment[] }) {
  const { t } = useTranslation('officer');
  const dl = useLabel('dispatch');
  const [open, setOpen] = useState<Assignment | null>(null);
  return (
    <Card size="small" className="sw-officer-card" title={<h2 className="sw-card-h">{t('recent')}</h2>} data-testid="officer-recent">
      {items.length === 0 ? (
        <div className="sw-muted">{t('recentEmpty')}</div>
      ) : (
        items.map((a) => (
          <button type="button" key={a.id} className="sw-officer-recent" data-testid="officer-recent-item" data-status={a.status} onClick={() => setOpen(a)}>
            <PriorityTag p={a.priority} />
            <span className="sw-mono">{fmtTime(a.assignedAt).slice(5, 16)}</span>
            <Tag style={{ marginInlineEnd: 0 }}>{dl('as_', a.status)}</Tag>
            <span style={{ flex: 1 }} />
            <span className="sw-muted sw-mono">{a.callSign}</span>
          </button>
        ))
      )}
      <Drawer open={!!open} onClose={() => setOpen(null)} placement="bottom" size="80%" title={t('recentDetail')} data-testid="officer-recent-detail" destroyOnHidden>
        {open && <IncidentSummary assignment={open} />}
      </Drawer>
    </Card>
  );
}

function IncidentSummary({ assignment: a }: { assignment: Assignment }) {
  const { t } = useTranslation('officer');
  const { lang } = useLang();
  const dl = useLabel('dispatch');
  const catLabel = useCategoryLabel();
  const dispositions = useDispositions();
  const q = useQuery({ queryKey: ['incident', a.incidentId], queryFn: () => api<Incident>(`/api/v1/incidents/${encodeURIComponent(a.incidentId)}`) });
  if (q.isLoading) return <Spin />;
  if (q.error) return <Alert type="error" showIcon title={errorMessage(q.error)} />;
  const inc = q.data!;
  const d = (dispositions.data ?? []).find((x) => x.code === inc.dispositionCode);
  const dName = d ? `${d.code} ${lang === 'en' ? d.nameEn || d.name : d.name}` : (inc.dispositionCode ?? '—');
  return (
    <div data-testid="officer-recent-incident">
      <div className="sw-officer-head">
        <PriorityTag p={inc.priority} long />
        <span className="sw-mono">{inc.number}</span>
        <StatusTag s={inc.status} />
      </div>
      {inc.status === 'cleared' && <Alert type="info" showIcon style={{ margin: '8px 0' }} title={t('awaitingReview')} data-testid="officer-awaiting-review" />}
      <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('categoryLabel')}>{catLabel(inc.categoryCode, true)}</Descriptions.Item>
        <Descriptions.Item label={t('addressLabel')}>{inc.address ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('description')}>{inc.description}</Descriptions.Item>
        <Descriptions.Item label={t('myStatus')}>{dl('as_', a.status)}</Descriptions.Item>
        <Descriptions.Item label={t('disposition')}>
          <span data-testid="officer-recent-disposition">{dName}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('note')}>
          <span data-testid="officer-recent-note">{inc.dispositionNote ?? '—'}</span>
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}
