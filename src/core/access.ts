/**
 * Who is asking and what they may see. One mechanism for every module:
 *  - route policies (which roles or token scopes may call a route) are declared on the route and
 *    enforced centrally (src/server/policy.ts);
 *  - jurisdiction scoping: a user sees the records of their own unit and every unit below it
 *    (station → its grids; branch → its stations; bureau → everything). Records carry the id of the
 *    unit they belong to; `unitScope()` turns the principal into a SQL condition on that column.
 *  - mediators (who may be non-police) see only records assigned to them: `assignedOnly()`.
 */
import { sql, type SQL, type Column } from 'drizzle-orm';
import { isStaffRole, type Role } from './roles.js';

export interface Principal {
  kind: 'user' | 'token';
  /** user id or token id */
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string;
  /** "/rootId/.../unitId/" — the unit's place in the organisation tree */
  unitPath: string;
  unitKind: string;
  /** token scopes (empty for users) */
  scopes: string[];
  sessionId?: string;
}

export type RoutePolicy =
  | 'public'
  | {
      /** Staff roles allowed; 'any' = every signed-in staff user (not a volunteer: roles.ts NON_STAFF_ROLES). */
      roles: Role[] | 'any';
      /** Token scopes that also grant access (machine clients). */
      tokenScopes?: string[];
      /** City-wide data (e.g. the category tree): only principals who see the whole organisation. */
      cityWide?: boolean;
    };

/** Pure check of a route policy against a principal (null = anonymous). */
export function policyAllows(policy: RoutePolicy, p: Principal | null): 'ok' | 'unauthenticated' | 'forbidden' {
  if (policy === 'public') return 'ok';
  if (!p) return 'unauthenticated';
  if (policy.cityWide && !seesEverything(p)) return 'forbidden';
  if (p.kind === 'token') {
    return policy.tokenScopes?.some((s) => p.scopes.includes(s)) ? 'ok' : 'forbidden';
  }
  if (policy.roles === 'any') return p.roles.some(isStaffRole) ? 'ok' : 'forbidden';
  return policy.roles.some((r) => p.roles.includes(r)) ? 'ok' : 'forbidden';
}

/** True when the principal's jurisdiction contains the unit with this path. */
export function coversUnit(p: Principal, unitPath: string): boolean {
  return unitPath.startsWith(p.unitPath);
}

/** True when the principal sees the whole organisation (a bureau-level user). */
export function seesEverything(p: Principal): boolean {
  return p.unitPath.split('/').filter(Boolean).length === 1;
}

/**
 * SQL condition: the unit path column starts with `prefix`. A prefix test, never LIKE: unit ids may
 * hold `_`, a LIKE wildcard (station `RT_X` would cover `RTZX`).
 */
export function underPath(pathColumn: Column | SQL, prefix: string): SQL {
  return sql`starts_with(${pathColumn}, ${prefix})`;
}

/**
 * SQL condition limiting `unitIdColumn` to the principal's jurisdiction, or undefined when the
 * principal sees everything. Use it in every query of scoped records.
 */
export function unitScope(p: Principal, unitIdColumn: Column | SQL): SQL | undefined {
  if (seesEverything(p)) return undefined;
  return sql`${unitIdColumn} in (select id from org_units where ${underPath(sql.raw('path'), p.unitPath)})`;
}

/**
 * The ids on the org path of a unit (itself and every unit above it), as a set-returning SELECT of one
 * column: for rollups that count a row once for each unit holding it. Empty for an unknown unit.
 */
export function orgPathIdsOf(unitIdColumn: Column | SQL): SQL {
  return sql`select unnest(string_to_array(trim(both '/' from u.path), '/')) from org_units u where u.id = ${unitIdColumn}`;
}

/** Mediators who hold no police role see only what is assigned to them. */
export function assignedOnly(p: Principal): boolean {
  const policeRoles: Role[] = ['admin', 'calltaker', 'dispatcher', 'officer', 'chief', 'community', 'supervisor', 'analyst'];
  return p.roles.includes('mediator') && !p.roles.some((r) => policeRoles.includes(r));
}

/** Phone numbers are shown as 138****1234 to anyone without a need for the full number. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\s+/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  if (digits.length < 8) return digits.slice(0, 1) + '*'.repeat(digits.length - 3) + digits.slice(-2);
  return digits.slice(0, 3) + '****' + digits.slice(-4);
}
