import { Navigate, useNavigate } from 'react-router-dom';
import { Card, Col, Descriptions, Grid, List, Row, Space, Tag, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { useLang, type Key } from '../i18n';
import { allowedNav, NAV_ORDER, useLabels, useUnitDetail, useUnitGeo, type NavKey } from '../session';
import MapView from '../components/MapView';
import KindTag from '../components/KindTag';
import ChiefHome from '../home/ChiefHome';

const NAV_INFO: Record<NavKey, { path: string; label: Extract<Key<'common'>, `nav${string}`> }> = {
  home: { path: '/', label: 'navHome' },
  dispatch: { path: '/dispatch', label: 'navDispatch' },
  officer: { path: '/officer', label: 'navOfficer' },
  intake: { path: '/intake', label: 'navIntake' },
  incidents: { path: '/incidents', label: 'navIncidents' },
  disputes: { path: '/disputes', label: 'navDisputes' },
  mediation: { path: '/mediation', label: 'navMediation' },
  cases: { path: '/cases', label: 'navCases' },
  analytics: { path: '/analytics', label: 'navAnalytics' },
  reports: { path: '/reports', label: 'navReports' },
  myGrid: { path: '/my-grid', label: 'navMyGrid' },
  grids: { path: '/grids', label: 'navGrids' },
  citizenReports: { path: '/citizen-reports', label: 'navCitizenReports' },
  org: { path: '/admin/org', label: 'navOrg' },
  users: { path: '/admin/users', label: 'navUsers' },
  tokens: { path: '/admin/tokens', label: 'navTokens' },
  audit: { path: '/admin/audit', label: 'navAudit' },
  volunteer: { path: '/volunteer', label: 'navVolunteer' },
  volunteers: { path: '/volunteers', label: 'navVolunteers' },
};

/** A chief (station, branch or bureau) gets the jurisdiction's dashboard (issue 16); every other role the page below. */
export default function HomePage({ user }: { user: User }) {
  // A volunteer (not staff) has only their phone page.
  if (user.roles.every((r) => r === 'volunteer')) return <Navigate to="/volunteer" replace />;
  return user.roles.includes('chief') ? <ChiefHome user={user} /> : <AccountHome user={user} />;
}

function AccountHome({ user }: { user: User }) {
  const { t } = useTranslation(['shell', 'admin']);
  const { lang } = useLang();
  const { roleLabel } = useLabels(lang);
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const stations = useUnitGeo('station');
  const grids = useUnitGeo('grid');
  const own = useUnitDetail(user.unit.id);
  const nav = allowedNav(user);
  const modules = NAV_ORDER.filter((k) => k !== 'home' && nav.has(k));

  const stationCount = stations.data?.features.length;
  const gridCount = grids.data?.features.length;

  return (
    <div data-testid="page-home">
      <div className="sw-page-title">
        <Typography.Title level={4}>{t('homeWelcome', { name: user.displayName })}</Typography.Title>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8} xl={7} xxl={6}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('homeAccount')} size="small">
              <Descriptions column={1} size="small" styles={{ label: { width: 104, whiteSpace: 'nowrap' } }}>
                <Descriptions.Item label={t('displayName')}>{user.displayName}</Descriptions.Item>
                <Descriptions.Item label={t('username')}>
                  <span className="sw-mono">{user.username}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('homeUnit')}>
                  <Space size={6} wrap>
                    <span data-testid="home-unit">{user.unit.name}</span>
                    <KindTag kind={user.unit.kind} />
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('admin:orgCode')}>
                  <span className="sw-mono">{user.unit.code}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('homeRoles')}>
                  <Space size={[4, 4]} wrap>
                    {user.roles.map((r) => (
                      <Tag key={r} color="blue" style={{ marginInlineEnd: 0 }}>
                        {roleLabel(r)}
                      </Tag>
                    ))}
                  </Space>
                </Descriptions.Item>
                <Descriptions.Item label={t('homeStations')}>{stationCount ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('homeGrids')}>{gridCount ?? '—'}</Descriptions.Item>
              </Descriptions>
            </Card>
            {modules.length > 0 && (
              <Card title={t('homeModules')} size="small">
                <List
                  size="small"
                  dataSource={modules}
                  renderItem={(k) => (
                    <List.Item style={{ cursor: 'pointer', paddingInline: 0 }} onClick={() => navigate(NAV_INFO[k].path)} extra={<RightOutlined style={{ color: '#bfbfbf' }} />}>
                      {t(NAV_INFO[k].label)}
                    </List.Item>
                  )}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('homeModulesHint')}
                </Typography.Text>
              </Card>
            )}
          </Space>
        </Col>
        <Col xs={24} lg={16} xl={17} xxl={18}>
          <Card
            title={t('homeJurisdiction')}
            size="small"
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {user.unit.name}
              </Typography.Text>
            }
            styles={{ body: { padding: 8 } }}
          >
            <MapView
              testId="home-map"
              areas={stations.data}
              outlines={grids.data}
              highlight={own.data?.polygon ?? null}
              height={screens.lg ? 'calc(100vh - 230px)' : 380}
              legend={
                <span>
                  {t('homeJurisdictionHint')}
                  {own.data && !own.data.polygon && user.unit.kind !== 'bureau' ? ` ${t('homeNoPolygon')}` : ''}
                </span>
              }
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
