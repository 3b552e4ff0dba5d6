/**
 * Users: staff accounts, their roles and units, administered inside one's jurisdiction; every change is
 * a permission change and audited. Also the first start without demo data (root unit, first administrator).
 */
import { defineModule } from '../../kernel/module.js';
import { users } from '../../db/schema.js';
import userRoutes from './routes.js';

export { ensureRootUnit, hasAdministrator, createUserFromCli } from './bootstrap.js';
export { accountsByIds, accountsWithUnits, firstOutsider } from './directory.js';

export default defineModule({
  name: 'users',
  needs: ['auth', 'org', 'audit'],
  tables: { users },
  web: { menu: [{ path: '/admin/users', permission: 'user.manage', labelKey: 'nav.users' }] },
  permissions: [
    { id: 'user.manage', zh: '管理辖区内的用户账户', en: 'Administer the user accounts of one’s jurisdiction (roles, units, passwords, lock-outs)', roles: ['admin'] },
  ],
  routes: async (api) => {
    await api.register(userRoutes);
  },
});
