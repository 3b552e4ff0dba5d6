/**
 * Meta: what the sign-in page needs before anyone signs in — product name, version, demo mode and its
 * accounts, the role and token-scope labels (the scopes are every manifest's, `kernel.tokenScopes`).
 */
import { defineModule } from '../../kernel/module.js';
import { settings } from '../../db/schema.js';
import metaRoutes from './routes.js';

export { DEMO_PASSWORD, DEMO_SETTING } from './demo-setting.js';

export default defineModule({
  name: 'meta',
  needs: ['users'],
  // Small platform settings (demo mode and its accounts, the seed version).
  tables: { settings },
  routes: async (api, kernel) => {
    await api.register(metaRoutes, { tokenScopes: kernel.tokenScopes });
  },
});
