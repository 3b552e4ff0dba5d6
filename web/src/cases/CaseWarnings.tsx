/**
 * The warnings tray (issue 14 part 3): a bell in the header with the number of clock warnings I have
 * not acknowledged, opening a drawer with each one — red (overdue) first, then yellow (due soon) — its
 * case, clock, subject and due time, a link to the case and 知悉 (acknowledge, for me only). The
 * server scopes them (an officer: their own cases; a chief or supervisor: the jurisdiction) and the
 * stream's case_warning events refetch the list, so a warning raised elsewhere shows at once.
 */
import { useState } from 'react';
import { Badge, Button, Drawer, Empty, List, Space, Tag, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { fmtTime } from '../format';
import { pollInterval, useRealtime } from '../realtime';

/** As GET /api/v1/cases/warnings answers (src/modules/cases/warning-contract.ts). */
export interface CaseWarning {
  id: string;
  caseId: string;
  number: string;
  title: string;
  stationId: string;
  officer: string;
  rule: string;
  name: { zh: string; en: string };
  subject: string | null;
  custody: boolean;
  level: 'yellow' | 'red';
  dueAt: string;
  raisedAt: string;
  acked: boolean;
}

interface Digest {
  overdue: number;
  dueSoon: number;
}

export default function CaseWarnings() {
  const { t, i18n } = useTranslation('cases');
  const lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  const qc = useQueryClient();
  const stream = useRealtime(qc);
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const list = useQuery({ queryKey: ['cases', 'warnings'], queryFn: () => api<{ items: CaseWarning[]; unacked: number }>('/api/v1/cases/warnings'), refetchInterval: Math.max(60_000, pollInterval(stream)) });
  const digest = useQuery({ queryKey: ['cases', 'digest'], queryFn: () => api<Digest>('/api/v1/cases/digest'), enabled: open });
  const ack = useMutation({
    mutationFn: (id: string) => api<CaseWarning>(`/api/v1/cases/warnings/${id}/ack`, { method: 'POST', body: {}, idempotencyKey: `ack-${id}` }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['cases', 'warnings'] }),
  });
  const items = list.data?.items ?? [];
  const unacked = list.data?.unacked ?? 0;
  return (
    <>
      <Badge count={unacked} size="small" offset={[-6, 6]}>
        <Button className="sw-header-btn" type="text" size="small" icon={<BellOutlined />} onClick={() => setOpen(true)} aria-label={t('warnTray')} title={unacked ? t('warnUnacked', { n: unacked }) : t('warnTray')} data-testid="case-warnings-button" />
      </Badge>
      <Drawer open={open} onClose={() => setOpen(false)} title={t('warnTrayTitle')} placement="right" size={420} data-testid="case-warnings-drawer">
        {digest.data && (
          <Typography.Paragraph type="secondary" data-testid="case-digest">
            {t('warnDigest', { overdue: digest.data.overdue, soon: digest.data.dueSoon })}
          </Typography.Paragraph>
        )}
        {items.length === 0 ? (
          <Empty description={t('warnEmpty')} />
        ) : (
          <List
            dataSource={items}
            renderItem={(w) => (
              <List.Item
                key={w.id}
                data-testid="case-warning"
                data-level={w.level}
                actions={[
                  <Button
                    key="open"
                    size="small"
                    type="link"
                    onClick={() => {
                      setOpen(false);
                      navigate(`/cases/${w.caseId}`);
                    }}
                  >
                    {t('warnOpenCase')}
                  </Button>,
                  w.acked ? (
                    <Typography.Text key="acked" type="secondary">
                      {t('warnAcked')}
                    </Typography.Text>
                  ) : (
                    <Button key="ack" size="small" loading={ack.isPending && ack.variables === w.id} onClick={() => ack.mutate(w.id)} data-testid="case-warning-ack">
                      {t('warnAck')}
                    </Button>
                  ),
                ]}
              >
                <List.Item.Meta
                  title={
                    <Space size={6} wrap>
                      <Tag color={w.level === 'red' ? 'red' : 'gold'} style={{ marginInlineEnd: 0 }}>
                        {t(`warnLevel_${w.level}`)}
                      </Tag>
                      <span>{w.name[lang]}</span>
                      {w.subject && <Typography.Text type="secondary">{w.subject}</Typography.Text>}
                    </Space>
                  }
                  description={
                    <>
                      <div>
                        {w.number} {w.title}
                      </div>
                      <div>{t('warnDue', { at: fmtTime(w.dueAt) })}</div>
                    </>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Drawer>
    </>
  );
}
