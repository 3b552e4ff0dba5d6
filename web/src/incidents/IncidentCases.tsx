/**
 * The incident page's side of case supervision (issue 14): "受案" on a criminal (刑事) or public-order (治安)
 * incident opens a case linked to it (kind preset from the category family, its clocks start at once), and
 * the cases already linked to the incident with their next clock. The server decides scope and rights.
 */
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Space } from 'antd';
import { AuditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fmtTime } from '../format';
import OpenCaseModal from '../cases/OpenCaseModal';
import { CaseKindTag, CaseStatusTag } from '../cases/tags';
import type { CaseItem, CaseKind } from '../cases/model';

type IncidentRef = { id: string; number: string; categoryCode: string };
type Props = { incident: IncidentRef; permissions: readonly string[] };

/** Family 01 刑事 → a criminal case, 02 治安 → an administrative one; other families are not opened from here. */
export function caseKindFor(categoryCode: string): CaseKind | null {
  const family = categoryCode.slice(0, 2);
  return family === '01' ? 'criminal' : family === '02' ? 'administrative' : null;
}

function useIncidentCases(incident: IncidentRef, permissions: readonly string[]) {
  const canRead = permissions.includes('case.read');
  const q = useQuery({
    queryKey: ['cases', 'by-incident', incident.id],
    queryFn: () => api<{ items: CaseItem[] }>('/api/v1/cases', { query: { incidentId: incident.id, limit: 20 } }).then((r) => r.items),
    enabled: canRead,
  });
  return { canRead, linked: canRead ? (q.data ?? []) : [], loaded: !canRead || q.isSuccess };
}

/** "受案": shown when the incident is of a family that makes cases, the user opens cases, and no open case is linked yet. */
export function OpenCaseButton({ incident, permissions }: Props) {
  const { t } = useTranslation('incidents');
  const [open, setOpen] = useState(false);
  const { linked, loaded } = useIncidentCases(incident, permissions);
  const kind = caseKindFor(incident.categoryCode);
  if (!kind || !permissions.includes('case.open') || !loaded || linked.some((c) => !c.closedAt)) return null;
  return (
    <>
      <Button icon={<AuditOutlined />} onClick={() => setOpen(true)} data-testid="open-case">
        {t('openCase')}
      </Button>
      <OpenCaseModal open={open} onClose={() => setOpen(false)} incident={{ id: incident.id, number: incident.number, kind }} />
    </>
  );
}

/** The cases linked to the incident (nothing for users without case rights, or an incident no case can come from and none did). */
export function IncidentCasesCard({ incident, permissions }: Props) {
  const { t } = useTranslation('incidents');
  const navigate = useNavigate();
  const { canRead, linked } = useIncidentCases(incident, permissions);
  if (!canRead || (!linked.length && !caseKindFor(incident.categoryCode))) return null;
  return (
    <Card size="small" title={t('linkedCases')} style={{ marginBottom: 12 }} data-testid="incident-cases">
      {linked.length ? (
        linked.map((c) => (
          <div key={c.id} className="sw-incident-line" data-testid={`linked-case-${c.number}`}>
            <div className="sw-incident-line-head">
              <CaseKindTag kind={c.kind} />
              <a
                className="sw-mono"
                href={`/cases/${c.id}`}
                onClick={(e) => {
                  if (e.ctrlKey || e.metaKey || e.shiftKey) return; // a new tab or window, as for any link
                  e.preventDefault();
                  navigate(`/cases/${c.id}`);
                }}
              >
                {c.number}
              </a>
              <CaseStatusTag status={c.status} />
            </div>
            <div className="sw-incident-line-body">
              <Space size={4} wrap>
                <b>{c.title}</b>
                {c.nextDueAt ? <span className="sw-muted">· {t('caseNextDue', { at: fmtTime(c.nextDueAt) })}</span> : null}
              </Space>
            </div>
          </div>
        ))
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noLinkedCases')} style={{ margin: '4px 0' }} />
      )}
    </Card>
  );
}
