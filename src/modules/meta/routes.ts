/** What the sign-in page needs before anyone signs in: product name, demo mode and its accounts. */
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { settings } from '../../db/schema.js';
import { accountsWithUnits } from '../users/index.js';
import { ROLES, ROLE_LABELS } from '../../core/roles.js';
import type { TokenScopeDef } from '../../kernel/module.js';
import { DEMO_PASSWORD, DEMO_SETTING } from './demo-setting.js';

export interface MetaRouteOptions {
  /** Every scope the modules declare (`kernel.tokenScopes`), with its labels. */
  tokenScopes: readonly TokenScopeDef[];
}

export default async function metaRoutes(app: FastifyInstance, opts: MetaRouteOptions) {
  const { db } = app.ctx;
  app.get('/meta', { config: { policy: 'public' }, schema: { tags: ['system'], summary: 'Product name, version, demo mode and demo accounts' } }, async () => {
    const [demo] = await db.select().from(settings).where(eq(settings.key, DEMO_SETTING));
    const isDemo = Boolean(demo?.value);
    const demoAccounts = isDemo
      ? (await accountsWithUnits(db))
          .filter((r) => (demo!.value as { usernames: string[] }).usernames.includes(r.u.username))
          .map((r) => ({ username: r.u.username, displayName: r.u.displayName, roles: r.u.roles, unitName: r.unit.name }))
      : [];
    return {
      name: '守望 Shouwang',
      version: '0.1.0',
      demo: isDemo,
      ...(isDemo ? { demoPassword: DEMO_PASSWORD } : {}),
      demoAccounts,
      roles: ROLES.map((id) => ({ id, ...ROLE_LABELS[id] })),
      scopes: opts.tokenScopes,
    };
  });
}
