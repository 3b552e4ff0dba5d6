/**
 * The incident page's side of the dispute register (issue 12): "登记为矛盾纠纷" on an incident of the
 * 纠纷 family (the registration page prefills parties, place and type from the incident and links both
 * ways), and the disputes already linked to the incident with their number, grade and status.
 */
import { useNavigate } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Space, Tag } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { RiskTag, useDisputeLabels, type DisputeListItem } from '../components/DisputeRisk';
import { isDisputeLikeCategory } from '../../../src/modules/disputes/domain/from-incident';

export interface IncidentDisputesState {
  /** The user may read the register: the linked disputes are asked for and shown. */
  canRead: boolean;
  /** The incident's category belongs to the 纠纷 family (or its kin, 家庭暴力). */
  disputeLike: boolean;
  linked: DisputeListItem[] | undefined;
  /** The register button: a 纠纷-family incident, the user registers, and no open dispute is linked yet. */
  canRegister: boolean;
}

/** What the incident page shows about disputes for this incident and user. */
export function useIncidentDisputes(incident: { id: string; categoryCode: string }, permissions: readonly string[]): IncidentDisputesState {
  const canRead = permissions.includes('dispute.read');
  const disputeLike = isDisputeLikeCategory(incident.categoryCode);
  const q = useQuery({
    queryKey: ['disputes', 'by-incident', incident.id],
    queryFn: () => api<{ items: DisputeListItem[] }>('/api/v1/disputes', { query: { incidentId: incident.id, limit: 20 } }).then((r) => r.items),
    enabled: canRead,
  });
  const linked = canRead ? q.data : undefined;
  // A second registration of the same quarrel would count it twice in the figures: once linked, the card shows it instead.
  const openLinked = (linked ?? []).some((x) => !x.closedAt);
  const canRegister = disputeLike && permissions.includes('dispute.register') && (!canRead || (q.isSuccess && !openLinked));
  return { canRead, disputeLike, linked, canRegister };
}

type Props = { incident: { id: string; categoryCode: string }; permissions: readonly string[] };

/** "登记为矛盾纠纷": to the registration page, which prefills from the incident (nothing when it does not apply). */
export function RegisterDisputeButton({ incident, permissions }: Props) {
  const { t } = useTranslation('incidents');
  const navigate = useNavigate();
  const state = useIncidentDisputes(incident, permissions);
  if (!state.canRegister) return null;
  const to = `/disputes/new?incidentId=${encodeURIComponent(incident.id)}`;
  return (
    <Button
      icon={<FileAddOutlined />}
      href={to}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey) return; // a new tab or window, as for any link
        e.preventDefault();
        navigate(to);
      }}
      data-testid="register-dispute"
    >
      {t('registerDispute')}
    </Button>
  );
}

/** The disputes linked to the incident; shown to users of the register when any exist or the incident is of the 纠纷 family. */
export function IncidentDisputesCard({ incident, permissions }: Props) {
  const { t } = useTranslation('incidents');
  const navigate = useNavigate();
  const labels = useDisputeLabels();
  const state = useIncidentDisputes(incident, permissions);
  const items = state.linked ?? [];
  if (!state.canRead || (!items.length && !state.disputeLike)) return null;
  return (
    <Card size="small" title={t('linkedDisputes')} style={{ marginBottom: 12 }} data-testid="incident-disputes">
      {items.length ? (
        items.map((x) => (
          <div key={x.id} className="sw-incident-line" data-testid={`linked-dispute-${x.number}`}>
            <div className="sw-incident-line-head">
              <RiskTag grade={x.riskGrade} />
              <a
                className="sw-mono"
                href={`/disputes/${x.id}`}
                onClick={(e) => {
                  if (e.ctrlKey || e.metaKey || e.shiftKey) return;
                  e.preventDefault();
                  navigate(`/disputes/${x.id}`);
                }}
              >
                {x.number}
              </a>
              <Tag style={{ marginInlineEnd: 0 }}>{labels.status(x.status)}</Tag>
              <span className="sw-muted">{x.closedAt ? t('disputeClosed') : t('disputeOpenDays', { n: x.daysOpen })}</span>
            </div>
            <div className="sw-incident-line-body">
              <Space size={4}>
                <b>{labels.type(x.type)}</b>
                {x.address ? <span>· {x.address}</span> : null}
              </Space>
            </div>
          </div>
        ))
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noLinkedDisputes')} style={{ margin: '4px 0' }} />
      )}
    </Card>
  );
}
