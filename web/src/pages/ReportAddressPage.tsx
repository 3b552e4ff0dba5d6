/**
 * Where a QR door plate (二维码门牌) leads: `/report?address=<code>`. A signed-in staff user who may record
 * visits gets the visit form for that door at once; anyone else (a citizen scanning the plate) sees only
 * the public page: the address the plate names and the way to the citizen portal's report form.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Result, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, type User } from '../api';
import VisitForm from '../community/VisitForm';
import type { Plate } from '../community/model';

export default function ReportAddressPage({ user }: { user: User | null }) {
  const { t } = useTranslation('community');
  const [params] = useSearchParams();
  const code = (params.get('address') ?? '').slice(0, 64);
  const plate = useQuery({ queryKey: ['door-plate', code], queryFn: () => api<Plate>(`/api/v1/door-plates/${encodeURIComponent(code)}`, { noAuthRedirect: true }), enabled: /^[A-Za-z0-9_-]+$/.test(code), retry: false });
  const staff = !!user?.permissions?.includes('visit.record');

  if (plate.isLoading) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (!plate.data) return <Result status="404" title={t('plateUnknown')} subTitle={code} />;

  if (staff) {
    return (
      <div style={{ maxWidth: 560, margin: '0 auto' }} data-testid="page-report-staff">
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('visitTitle')}
        </Typography.Title>
        <VisitForm addressCode={plate.data.code} address={plate.data.address} />
      </div>
    );
  }
  const portal = `/portal/report?address=${encodeURIComponent(plate.data.code)}`;
  return (
    <div style={{ maxWidth: 420, margin: '0 auto', padding: 16 }} data-testid="page-report-public">
      <Typography.Title level={4}>{t('plateTitle')}</Typography.Title>
      <Card>
        <Typography.Text type="secondary">{t('plateAddress')}</Typography.Text>
        <Typography.Title level={5} style={{ marginTop: 4 }} data-testid="plate-address">
          {plate.data.address}
        </Typography.Title>
        <Typography.Text type="secondary">{plate.data.code}</Typography.Text>
      </Card>
      <Button type="primary" size="large" block href={portal} style={{ marginTop: 16 }} data-testid="plate-portal">
        {t('plateReport')}
      </Button>
      <Alert type="error" showIcon style={{ marginTop: 16 }} title={t('plateEmergency')} />
      {!user && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
          {t('plateStaff')} · <Link to="/login" state={{ from: `/report?address=${encodeURIComponent(plate.data.code)}` }}>{t('plateSignIn')}</Link>
        </Typography.Paragraph>
      )}
    </div>
  );
}
