/** The staff roles of PRODUCT.md. Citizens use the portal without a staff account. */
export const ROLES = ['admin', 'calltaker', 'dispatcher', 'officer', 'chief', 'community', 'mediator', 'supervisor', 'analyst'] as const;
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
};

export function isRole(x: string): x is Role {
  return (ROLES as readonly string[]).includes(x);
}
