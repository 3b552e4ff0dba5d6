import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { setUnauthorizedHandler } from './api';
import { allowedNav, landingPath, useMe, type NavKey } from './session';
import Shell from './components/Shell';
import DesktopOnly from './components/DesktopOnly';
import LoginPage from './pages/LoginPage';

const HomePage = lazy(() => import('./pages/HomePage'));
const OrgPage = lazy(() => import('./pages/admin/OrgPage'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage'));
const TokensPage = lazy(() => import('./pages/admin/TokensPage'));
const AuditPage = lazy(() => import('./pages/admin/AuditPage'));
const IntakePage = lazy(() => import('./pages/IntakePage'));
const IncidentsPage = lazy(() => import('./pages/IncidentsPage'));
const IncidentDetailPage = lazy(() => import('./pages/IncidentDetailPage'));
const DispatchPage = lazy(() => import('./pages/DispatchPage'));
const OfficerPage = lazy(() => import('./pages/OfficerPage'));
const DisputesPage = lazy(() => import('./pages/DisputesPage'));
const DisputePage = lazy(() => import('./pages/DisputePage'));
const DisputeNewPage = lazy(() => import('./pages/DisputeNewPage'));
const CasesPage = lazy(() => import('./pages/CasesPage'));
const AnalyticsPage = lazy(() => import('./pages/AnalyticsPage'));
const ReportsPage = lazy(() => import('./pages/ReportsPage'));
const CitizenReportsPage = lazy(() => import('./pages/CitizenReportsPage'));
const CasePage = lazy(() => import('./pages/CasePage'));
const NoticesPage = lazy(() => import('./pages/NoticesPage'));
const AgreementPrintPage = lazy(() => import('./pages/AgreementPrintPage'));
const MediationPage = lazy(() => import('./pages/MediationPage'));
const WallPage = lazy(() => import('./pages/WallPage'));
const MyGridPage = lazy(() => import('./pages/MyGridPage'));
const GridsPage = lazy(() => import('./pages/GridsPage'));
const ReportAddressPage = lazy(() => import('./pages/ReportAddressPage'));
const VolunteerPage = lazy(() => import('./pages/VolunteerPage'));
const VolunteersPage = lazy(() => import('./pages/VolunteersPage'));

function Loading() {
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 64 }}>
      <Spin />
    </div>
  );
}

function Forbidden() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t('forbiddenTitle')}
      subTitle={t('forbiddenText')}
      extra={<Button onClick={() => navigate('/')}>{t('backHome')}</Button>}
    />
  );
}

function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return <Result status="404" title={t('notFoundTitle')} extra={<Button onClick={() => navigate('/')}>{t('backHome')}</Button>} />;
}

export default function App() {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = AntApp.useApp();
  const { t } = useTranslation();

  // Any 401 outside the sign-in form: forget the user and go to the sign-in page.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      const wasSignedIn = !!qc.getQueryData(['me']);
      qc.setQueryData(['me'], null);
      if (!window.location.pathname.startsWith('/login')) {
        if (wasSignedIn) message.warning(t('sessionExpired'));
        navigate('/login', { replace: true, state: { from: window.location.pathname + window.location.search } });
      }
    });
    return () => setUnauthorizedHandler(null);
  }, [qc, navigate, message, t]);

  if (me.isLoading) return <Loading />;
  const user = me.data ?? null;

  // A QR door plate's link: the public page for anyone not signed in (community/ReportAddressPage).
  if (!user && location.pathname === '/report') {
    return (
      <Suspense fallback={<Loading />}>
        <ReportAddressPage user={null} />
      </Suspense>
    );
  }
  if (!user) {
    if (location.pathname !== '/login') {
      return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
    }
    return <LoginPage />;
  }
  if (location.pathname === '/login') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/login' && from !== '/' ? from : landingPath(user.roles)} replace />;
  }

  const nav = allowedNav(user);
  const guard = (key: NavKey, el: ReactNode) => (nav.has(key) ? el : <Forbidden />);
  // One dispute: the register's users and the mediators it was referred to (the server answers 404 otherwise).
  const disputeGuard = (el: ReactNode) => (nav.has('disputes') || nav.has('mediation') ? el : <Forbidden />);

  // The command wall fills the screen: no shell around it (analytics.read, see WallPage).
  if (location.pathname === '/wall') return <Suspense fallback={<Loading />}>{guard('analytics', <WallPage user={user} />)}</Suspense>;

  return (
    <Shell user={user} nav={nav}>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<HomePage user={user} />} />
          <Route
            path="/dispatch"
            element={guard(
              'dispatch',
              <DesktopOnly>
                <DispatchPage user={user} />
              </DesktopOnly>,
            )}
          />
          <Route path="/officer" element={guard('officer', <OfficerPage user={user} />)} />
          <Route path="/volunteer" element={guard('volunteer', <VolunteerPage />)} />
          <Route path="/volunteers" element={guard('volunteers', <VolunteersPage />)} />
          <Route path="/intake" element={guard('intake', <IntakePage user={user} />)} />
          <Route path="/incidents" element={guard('incidents', <IncidentsPage />)} />
          <Route path="/incidents/:id" element={guard('incidents', <IncidentDetailPage user={user} />)} />
          <Route path="/disputes" element={guard('disputes', <DisputesPage user={user} />)} />
          <Route path="/disputes/new" element={user.permissions.includes('dispute.register') ? <DisputeNewPage /> : <Forbidden />} />
          <Route path="/disputes/:id" element={disputeGuard(<DisputePage user={user} />)} />
          <Route path="/disputes/:id/agreement" element={disputeGuard(<AgreementPrintPage />)} />
          <Route path="/mediation" element={guard('mediation', <MediationPage />)} />
          <Route path="/cases" element={guard('cases', <CasesPage user={user} />)} />
          <Route path="/cases/notices" element={guard('cases', <NoticesPage />)} />
          <Route path="/cases/:id" element={guard('cases', <CasePage user={user} />)} />
          <Route path="/analytics" element={guard('analytics', <AnalyticsPage />)} />
          <Route path="/reports" element={guard('reports', <ReportsPage user={user} />)} />
          <Route path="/my-grid" element={guard('myGrid', <MyGridPage />)} />
          <Route
            path="/grids"
            element={guard(
              'grids',
              <DesktopOnly>
                <GridsPage />
              </DesktopOnly>,
            )}
          />
          <Route path="/report" element={<ReportAddressPage user={user} />} />
          <Route path="/citizen-reports" element={guard('citizenReports', <CitizenReportsPage />)} />
          <Route path="/admin/org" element={guard('org', <OrgPage />)} />
          <Route path="/admin/users" element={guard('users', <UsersPage />)} />
          <Route path="/admin/tokens" element={guard('tokens', <TokensPage />)} />
          <Route path="/admin/audit" element={guard('audit', <AuditPage />)} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}
