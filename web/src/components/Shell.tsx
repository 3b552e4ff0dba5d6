import { useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Tag, Tooltip, type MenuProps } from 'antd';
import { AlertOutlined, ApartmentOutlined, AuditOutlined, BarChartOutlined, BorderOuterOutlined, DeploymentUnitOutlined, DownOutlined, EnvironmentOutlined, FileProtectOutlined, FileTextOutlined, GlobalOutlined, HomeOutlined, InteractionOutlined, KeyOutlined, LockOutlined, LogoutOutlined, MenuOutlined, MessageOutlined, MobileOutlined, PhoneOutlined, SafetyCertificateOutlined, SolutionOutlined, TeamOutlined, UsergroupAddOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type User } from '../api';
import { useLang, type Key } from '../i18n';
import { NAV_ORDER, useLabels, useMeta, type NavKey } from '../session';
import ChangePasswordModal from './ChangePasswordModal';
import DisputeRiskAlerts from '../disputes/RiskAlerts';
import CaseWarnings from '../cases/CaseWarnings';
import VolunteerAlerts from '../volunteers/VolunteerAlerts';
import logo from '../logo.svg';

const NAV: Record<NavKey, { path: string; label: Extract<Key<'common'>, `nav${string}`>; icon: ReactNode }> = {
  home: { path: '/', label: 'navHome', icon: <HomeOutlined /> },
  dispatch: { path: '/dispatch', label: 'navDispatch', icon: <DeploymentUnitOutlined /> },
  officer: { path: '/officer', label: 'navOfficer', icon: <MobileOutlined /> },
  intake: { path: '/intake', label: 'navIntake', icon: <PhoneOutlined /> },
  incidents: { path: '/incidents', label: 'navIncidents', icon: <AlertOutlined /> },
  disputes: { path: '/disputes', label: 'navDisputes', icon: <SolutionOutlined /> },
  mediation: { path: '/mediation', label: 'navMediation', icon: <InteractionOutlined /> },
  cases: { path: '/cases', label: 'navCases', icon: <FileProtectOutlined /> },
  analytics: { path: '/analytics', label: 'navAnalytics', icon: <BarChartOutlined /> },
  reports: { path: '/reports', label: 'navReports', icon: <FileTextOutlined /> },
  myGrid: { path: '/my-grid', label: 'navMyGrid', icon: <EnvironmentOutlined /> },
  grids: { path: '/grids', label: 'navGrids', icon: <BorderOuterOutlined /> },
  citizenReports: { path: '/citizen-reports', label: 'navCitizenReports', icon: <MessageOutlined /> },
  org: { path: '/admin/org', label: 'navOrg', icon: <ApartmentOutlined /> },
  users: { path: '/admin/users', label: 'navUsers', icon: <TeamOutlined /> },
  tokens: { path: '/admin/tokens', label: 'navTokens', icon: <KeyOutlined /> },
  audit: { path: '/admin/audit', label: 'navAudit', icon: <AuditOutlined /> },
  volunteer: { path: '/volunteer', label: 'navVolunteer', icon: <SafetyCertificateOutlined /> },
  volunteers: { path: '/volunteers', label: 'navVolunteers', icon: <UsergroupAddOutlined /> },
};

function navKeyFor(pathname: string): NavKey {
  // The longest matching path wins (`/volunteers` is not `/volunteer`).
  const hit = NAV_ORDER.filter((k) => k !== 'home' && pathname.startsWith(NAV[k].path)).sort((a, b) => NAV[b].path.length - NAV[a].path.length)[0];
  return hit ?? 'home';
}

export default function Shell({ user, nav, children }: { user: User; nav: Set<NavKey>; children: ReactNode }) {
  const { t } = useTranslation(['shell', 'auth']);
  const { lang, setLang } = useLang();
  const { roleLabel } = useLabels(lang);
  const meta = useMeta();
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const { message } = AntApp.useApp();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawer, setDrawer] = useState(false);
  const [pwOpen, setPwOpen] = useState(false);

  const items: MenuProps['items'] = NAV_ORDER.filter((k) => nav.has(k)).map((k) => ({
    key: k,
    icon: NAV[k].icon,
    label: <span data-testid={`nav-${k}`}>{t(NAV[k].label)}</span>,
  }));
  const selected = navKeyFor(location.pathname);
  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={[selected]}
      onClick={({ key }) => {
        navigate(NAV[key as NavKey].path);
        setDrawer(false);
      }}
      data-testid="nav-menu"
    />
  );

  const signOut = async () => {
    try {
      await api('/api/v1/auth/logout', { method: 'POST', noAuthRedirect: true });
    } catch {
      /* the session is gone either way */
    }
    qc.clear();
    qc.setQueryData(['me'], null);
    message.success(t('signedOut'));
    navigate('/login', { replace: true });
  };

  const userMenu: MenuProps = {
    items: [
      { key: 'password', icon: <LockOutlined />, label: <span data-testid="menu-change-password">{t('auth:changePassword')}</span> },
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="menu-sign-out">{t('signOut')}</span> },
    ],
    onClick: ({ key }) => {
      if (key === 'password') setPwOpen(true);
      if (key === 'logout') void signOut();
    },
  };

  const roleText = user.roles.map(roleLabel).join('、');

  return (
    <Layout style={{ minHeight: '100%' }}>
      <Layout.Header className="sw-header">
        {mobile && (
          <Button className="sw-menu-toggle" type="text" icon={<MenuOutlined />} onClick={() => setDrawer(true)} aria-label={t('openMenu')} data-testid="nav-toggle" />
        )}
        <div className="sw-brand" onClick={() => navigate('/')} style={{ cursor: 'pointer' }}>
          <img src={logo} alt="" />
          <span data-testid="app-name">{mobile ? t('appNameShort') : t('appName')}</span>
          <span className="sw-brand-sub">{t('appSubtitle')}</span>
        </div>
        <div className="sw-header-spacer" />
        <div className="sw-header-user" data-testid="header-user">
          <span className="sw-roles">
            {user.roles.map((r) => (
              <Tag key={r} color="blue" variant="filled" style={{ marginInlineEnd: 4 }}>
                {roleLabel(r)}
              </Tag>
            ))}
          </span>
          <Tooltip title={user.unit.code}>
            <span className="sw-unit">{user.unit.name}</span>
          </Tooltip>
        </div>
        {user.permissions.includes('case.warn') && <CaseWarnings />}
        <Button
          className="sw-header-btn"
          type="text"
          size="small"
          icon={<GlobalOutlined />}
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          data-testid="lang-switch"
          title={t('langSwitchTitle')}
        >
          {mobile ? t('langSwitchShort') : lang === 'zh' ? t('langEn') : t('langZh')}
        </Button>
        <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
          <Button className="sw-header-btn" type="text" data-testid="user-menu" title={`${user.username} · ${roleText}`}>
            <Space size={4}>
              <UserOutlined />
              <span data-testid="user-display-name" className="sw-user-name">
                {user.displayName}
              </span>
              <DownOutlined style={{ fontSize: 10 }} />
            </Space>
          </Button>
        </Dropdown>
      </Layout.Header>
      <Layout>
        {!mobile && (
          <Layout.Sider
            className="sw-sider"
            width={200}
            collapsedWidth={56}
            collapsible
            collapsed={collapsed}
            onCollapse={setCollapsed}
            theme="light"
          >
            {menu}
          </Layout.Sider>
        )}
        {mobile && (
          <Drawer placement="left" open={drawer} onClose={() => setDrawer(false)} size={240} title={t('appName')} styles={{ body: { padding: 0 } }}>
            {menu}
          </Drawer>
        )}
        <Layout.Content className="sw-content">
          {/* Every page's h1 (for screen readers and the document outline): the screen's name. */}
          <h1 className="sw-h1" data-testid="page-h1">
            {t(NAV[selected].label)}
          </h1>
          {user.mustChangePassword && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('auth:mustChangePassword')}
              action={
                <Button size="small" onClick={() => setPwOpen(true)}>
                  {t('auth:changePassword')}
                </Button>
              }
            />
          )}
          {children}
          <div className="sw-footer">
            {t('appName')} {meta.data?.version ? `· ${t('version')} ${meta.data.version}` : ''} · {t('mapAttribution')}
          </div>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
      {user.permissions.includes('dispute.alert') && <DisputeRiskAlerts />}
      {user.permissions.includes('volunteer.alert') && <VolunteerAlerts />}
    </Layout>
  );
}
