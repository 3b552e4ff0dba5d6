/** What the sign-in page needs before anyone signs in: product name, demo mode and its accounts. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { eq } from 'drizzle-orm';
import { settings } from '../../db/schema.js';
import { accountsWithUnits } from '../users/index.js';
import { ROLES, ROLE_LABELS } from '../../core/roles.js';
import { ErrorAnswers } from '../../core/typebox.js';
import type { TokenScopeDef } from '../../kernel/module.js';
import { DEMO_PASSWORD, DEMO_SETTING } from './demo-setting.js';

export interface MetaRouteOptions {
  /** Every scope the modules declare (`kernel.tokenScopes`), with its labels. */
  tokenScopes: readonly TokenScopeDef[];
}

const Labelled = Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String() });

export const MetaView = Type.Object({
  name: Type.String(),
  version: Type.String(),
  demo: Type.Boolean(),
  demoPassword: Type.Optional(Type.String({ description: 'demo mode only' })),
  demoAccounts: Type.Array(Type.Object({ username: Type.String(), displayName: Type.String(), roles: Type.Array(Type.String()), unitName: Type.String() })),
  roles: Type.Array(Labelled),
  scopes: Type.Array(Labelled, { description: 'what an API token may be given' }),
});

export default async function metaRoutes(fastify: FastifyInstance, opts: MetaRouteOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  const schema = { tags: ['system'], summary: 'Product name, version, demo mode and demo accounts', response: { 200: MetaView, ...ErrorAnswers } };
  app.get('/meta', { config: { policy: 'public' }, schema }, async () => {
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
      scopes: [...opts.tokenScopes],
    };
  });
}
