/**
 * The web's menu, by permission (issue 10 step 5): each entry asks for a named permission of the server's
 * catalogue, which `/me` lists for the signed-in user. The modules' manifests declare the same entries
 * (`web.menu`); test/platform/web-menu.unit.test.ts keeps the two in step. The server checks every
 * request regardless: the menu only hides what would be refused.
 */
export type NavKey = 'home' | 'dispatch' | 'officer' | 'intake' | 'incidents' | 'disputes' | 'mediation' | 'cases' | 'analytics' | 'reports' | 'citizenReports' | 'myGrid' | 'grids' | 'org' | 'users' | 'tokens' | 'audit' | 'volunteer' | 'volunteers';

export const NAV_ENTRIES: Record<Exclude<NavKey, 'home'>, { path: string; permission: string }> = {
  officer: { path: '/officer', permission: 'console.officer' },
  dispatch: { path: '/dispatch', permission: 'console.dispatch' },
  intake: { path: '/intake', permission: 'console.intake' },
  incidents: { path: '/incidents', permission: 'incident.read' },
  disputes: { path: '/disputes', permission: 'console.disputes' },
  mediation: { path: '/mediation', permission: 'console.mediation' },
  cases: { path: '/cases', permission: 'console.cases' },
  analytics: { path: '/analytics', permission: 'analytics.read' },
  reports: { path: '/reports', permission: 'reports.read' },
  myGrid: { path: '/my-grid', permission: 'console.community' },
  grids: { path: '/grids', permission: 'console.grids' },
  citizenReports: { path: '/citizen-reports', permission: 'citizen.review' },
  org: { path: '/admin/org', permission: 'org.manage' },
  users: { path: '/admin/users', permission: 'user.manage' },
  tokens: { path: '/admin/tokens', permission: 'token.manage' },
  audit: { path: '/admin/audit', permission: 'audit.read' },
  volunteer: { path: '/volunteer', permission: 'console.volunteer' },
  volunteers: { path: '/volunteers', permission: 'console.volunteers' },
};

/** What the user may open: home, and every entry whose permission they hold. */
export function navOf(permissions: readonly string[]): Set<NavKey> {
  const s = new Set<NavKey>(['home']);
  for (const [key, e] of Object.entries(NAV_ENTRIES) as [Exclude<NavKey, 'home'>, { permission: string }][]) if (permissions.includes(e.permission)) s.add(key);
  return s;
}
