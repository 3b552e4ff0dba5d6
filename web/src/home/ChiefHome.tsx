/**
 * The home of a station chief (issue 16; a branch or bureau head is a chief at that unit, and their
 * scope decides what the figures cover): their jurisdiction today, this week and this year against last
 * year, what needs attention, and the jurisdiction's map. The stream keeps the figures current.
 */
import { useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Grid, Row, Typography } from 'antd';
import { FundProjectionScreenOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { useUnitDetail, useUnitGeo } from '../session';
import { useRealtime } from '../realtime';
import MapView from '../components/MapView';
import PeriodCard from './PeriodCard';
import AttentionCard from './AttentionCard';
import OnDutyCard from '../volunteers/OnDutyCard';
import { HOME_SPANS, homeSpan, useHomeFigures, type HomeSpanKey } from './model';
import './home.css';

function Period({ spanKey, enabled }: { spanKey: HomeSpanKey; enabled: boolean }) {
  const span = useMemo(() => homeSpan(spanKey), [spanKey]);
  const q = useHomeFigures(span, enabled);
  return <PeriodCard spanKey={spanKey} span={span} figures={q.data} loading={q.isLoading} error={!!q.error} />;
}

export default function ChiefHome({ user }: { user: User }) {
  const { t } = useTranslation(['home', 'shell']);
  const qc = useQueryClient();
  useRealtime(qc);
  const screens = Grid.useBreakpoint();
  const stations = useUnitGeo('station');
  const grids = useUnitGeo('grid');
  const own = useUnitDetail(user.unit.id);
  const analytics = user.permissions.includes('analytics.read');

  return (
    <div data-testid="page-home" className="sw-home">
      <div className="sw-page-title">
        <Typography.Title level={4} data-testid="home-dashboard-title">
          {t('dashboardTitle', { unit: user.unit.name })}
        </Typography.Title>
        <span className="sw-muted">{t('shell:homeWelcome', { name: user.displayName })}</span>
        {analytics && (
          <Button href="/wall" target="_blank" rel="noopener" icon={<FundProjectionScreenOutlined />} style={{ marginInlineStart: 'auto' }} data-testid="home-open-wall">
            {t('openWall')}
          </Button>
        )}
      </div>
      <Row gutter={[16, 16]} data-testid="home-dashboard">
        {HOME_SPANS.map((k) => (
          <Col key={k} xs={24} md={8}>
            <Period spanKey={k} enabled={analytics} />
          </Col>
        ))}
        <Col xs={24} lg={9} xl={8}>
          <AttentionCard user={user} />
          {user.permissions.includes('volunteer.duty') && <OnDutyCard />}
        </Col>
        <Col xs={24} lg={15} xl={16}>
          <Card size="small" title={t('shell:homeJurisdiction')} styles={{ body: { padding: 8 } }} style={{ height: '100%' }}>
            <MapView testId="home-map" areas={stations.data} outlines={grids.data} highlight={own.data?.polygon ?? null} height={screens.lg ? 'max(340px, calc(100vh - 520px))' : 360} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
