/**
 * 案件监督 — the supervision board first for a legal supervisor or chief (case.supervise), then the
 * jurisdiction's cases (open by next due clock, or closed); 受案 for those who may open a case.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Typography } from 'antd';
import { FileSearchOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { pollInterval, useRealtime } from '../realtime';
import { hasPermission } from '../cases/model';
import BoardCard from '../cases/BoardCard';
import StatsCard from '../cases/StatsCard';
import CaseTable from '../cases/CaseTable';
import OpenCaseModal from '../cases/OpenCaseModal';
import '../cases/cases.css';

export default function CasesPage({ user }: { user: User }) {
  const { t } = useTranslation('cases');
  const qc = useQueryClient();
  const live = useRealtime(qc);
  const [opening, setOpening] = useState(false);
  const navigate = useNavigate();
  // Clocks run on without any write: the board and the list are read again at the stream's pace.
  const every = pollInterval(live);

  return (
    <div data-testid="page-cases" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('pageTitle')}</Typography.Title>
        <Button icon={<FileSearchOutlined />} onClick={() => navigate('/cases/notices')} style={{ marginInlineStart: 'auto' }} data-testid="cases-notices-link">
          {t('noticesPage')}
        </Button>
        {hasPermission(user, 'case.open') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)} data-testid="case-open">
            {t('openCase')}
          </Button>
        )}
      </div>
      {hasPermission(user, 'case.supervise') && <BoardCard refetchInterval={every} />}
      {hasPermission(user, 'case.supervise') && <StatsCard refetchInterval={every} />}
      <CaseTable refetchInterval={every} />
      <OpenCaseModal open={opening} onClose={() => setOpening(false)} />
    </div>
  );
}
