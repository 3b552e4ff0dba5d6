/**
 * The roles of PRODUCT.md. Citizens use the portal without an account here. `volunteer` (义警) is not
 * staff: a lightweight phone-only role that sees its own team's shifts and nothing else — permissions
 * granted to 'any' (every staff user) never reach it (core/access.ts `policyAllows`).
 */
export const ROLES = ['admin', 'calltaker', 'dispatcher', 'officer', 'chief', 'community', 'mediator', 'supervisor', 'analyst', 'volunteer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Administrator' },
  calltaker: { zh: '接警员', en: 'Call-taker' },
  dispatcher: { zh: '调度员', en: 'Dispatcher' },
  officer: { zh: '民警', en: 'Patrol officer' },
  chief: { zh: '所长', en: 'Station chief' },
  community: { zh: '社区民警', en: 'Community officer' },
  mediator: { zh: '调解员', en: 'Mediator' },
  supervisor: { zh: '法制员/督察', en: 'Legal supervisor' },
  analyst: { zh: '研判分析', en: 'Analyst' },
  volunteer: { zh: '义警', en: 'Volunteer' },
};

/** Roles that are not staff: a permission granted to 'any' does not reach them. */
export const NON_STAFF_ROLES: readonly Role[] = ['volunteer'];

export function isStaffRole(r: Role): boolean {
  return !NON_STAFF_ROLES.includes(r);
}

export function isRole(x: string): x is Role {
  return (ROLES as readonly string[]).includes(x);
}
