/** 调解协议书 — the dispute's agreement as a printable document, with Print and Back above it (not printed). */
import { useNavigate, useParams } from 'react-router-dom';
import { Button, Result, Spin } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import AgreementDocument from '../disputes/AgreementDocument';
import { useAgencies, useDispute } from '../disputes/model';
import '../disputes/disputes.css';

export default function AgreementPrintPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('disputes');
  const navigate = useNavigate();
  const q = useDispute(id);
  const agencies = useAgencies();

  if (q.isLoading) {
    return (
      <div style={{ padding: 64, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }
  const d = q.data;
  if (!d || !d.agreement) {
    const notFound = !d && q.error instanceof ApiError && q.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'info'}
        title={notFound ? t('notFound') : d ? t('noAgreement') : t('loadFailed', { msg: q.error instanceof Error ? q.error.message : '' })}
        extra={<Button onClick={() => navigate(d ? `/disputes/${d.id}` : '/')}>{t('backToDispute')}</Button>}
        data-testid="agreement-missing"
      />
    );
  }
  const a = d.agreement;
  const agencyName = agencies.data?.find((x) => x.id === a.agencyId)?.name ?? d.referrals.find((r) => r.id === a.referralId)?.agencyName ?? a.agencyId;
  return (
    <div data-testid="page-agreement-print">
      <div className="sw-doc-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(`/disputes/${d.id}`)}>
          {t('backToDispute')}
        </Button>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="agreement-print-button">
          {t('print')}
        </Button>
      </div>
      <AgreementDocument dispute={d} agreement={a} agencyName={agencyName} />
    </div>
  );
}
