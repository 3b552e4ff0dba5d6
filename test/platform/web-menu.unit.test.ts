/**
 * The web's menu asks for permissions (issue 10 step 5): every entry of web/src/nav.ts names a permission
 * of the catalogue, and the modules' manifests declare the same entries (`web.menu`).
 */
import { describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules/index.js';
import { Catalogues } from '../../src/kernel/kernel.js';
import { permissionsOf } from '../../src/kernel/compose.js';
import { NAV_ENTRIES, navOf } from '../../web/src/nav.js';
import type { Principal } from '../../src/core/access.js';

const catalogue = new Catalogues(MODULES);
const user = (roles: string[], unitPath = '/MO/'): Principal => ({ kind: 'user', id: 'u', username: 'u', displayName: 'u', roles: roles as Principal['roles'], unitId: 'MO', unitPath, unitKind: 'bureau', scopes: [] });

describe('the web menu by permission', () => {
  it('names only permissions of the catalogue, the same as the manifests declare', () => {
    const declared = new Map(MODULES.flatMap((m) => m.web?.menu ?? []).map((e) => [e.path, e.permission]));
    for (const e of Object.values(NAV_ENTRIES)) {
      expect(catalogue.permissions.has(e.permission), e.permission).toBe(true);
      expect(declared.get(e.path), e.path).toBe(e.permission);
    }
    expect(declared.size).toBe(Object.keys(NAV_ENTRIES).length);
  });

  it('shows each role the entries of its permissions', () => {
    const menu = (roles: string[]) => [...navOf(permissionsOf(catalogue, user(roles)))].sort();
    expect(menu(['calltaker'])).toEqual(['home', 'incidents', 'intake']);
    expect(menu(['dispatcher'])).toEqual(['citizenReports', 'dispatch', 'home', 'incidents', 'intake']);
    expect(menu(['officer'])).toEqual(['cases', 'citizenReports', 'disputes', 'home', 'incidents', 'officer']);
    expect(menu(['chief'])).toEqual(['analytics', 'cases', 'citizenReports', 'dispatch', 'disputes', 'grids', 'home', 'incidents', 'reports', 'volunteers']);
    expect(menu(['supervisor'])).toEqual(['analytics', 'audit', 'cases', 'disputes', 'home', 'incidents', 'reports']);
    expect(menu(['admin'])).toEqual(['analytics', 'audit', 'cases', 'citizenReports', 'disputes', 'grids', 'home', 'incidents', 'intake', 'org', 'reports', 'tokens', 'users', 'volunteers']);
    expect(menu(['mediator'])).toEqual(['home', 'mediation']);
    expect(menu(['community'])).toEqual(['cases', 'citizenReports', 'disputes', 'home', 'incidents', 'myGrid', 'volunteers']);
    expect(menu(['volunteer'])).toEqual(['home', 'volunteer']);
  });
});
