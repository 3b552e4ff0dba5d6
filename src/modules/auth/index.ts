/**
 * Auth: sign-in with lock-out, sessions (cookie), the signed-in user's own password, and API tokens for
 * machine clients (created by administrators, shown once, stored hashed).
 */
import { defineModule } from '../../kernel/module.js';
import { ROLES } from '../../core/roles.js';
import { apiTokens, sessions } from '../../db/schema.js';
import { loginFailures } from './schema.js';
import authRoutes from './routes.js';
import tokenRoutes from './token-routes.js';

export {
  SESSION_COOKIE,
  TOKEN_PREFIX,
  sha256,
  createSession,
  endSession,
  endAllSessions,
  createApiToken,
  revokeApiToken,
  principalFromSession,
  principalFromToken,
  userPrincipal,
  forgetCachedSessions,
  onCredentialsEnded,
  isEndedPrincipal,
  endedPrincipals,
  type EndedCredentials,
  type EndReason,
} from './service.js';
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './password.js';

export default defineModule({
  name: 'auth',
  needs: ['audit', 'org'],
  tables: { sessions, apiTokens, loginFailures },
  web: { menu: [{ path: '/admin/tokens', permission: 'token.manage', labelKey: 'nav.tokens' }] },
  permissions: [
    { id: 'session.own', zh: '管理本人会话与密码', en: 'Use one’s own session: who am I, sign out, change password', roles: ROLES },
    { id: 'token.manage', zh: '管理辖区内的接口令牌', en: 'Create, list and revoke API tokens in one’s jurisdiction', roles: ['admin'] },
  ],
  tokenScopes: [
    // Server-level: /metrics (src/server/metrics.ts, METRICS_SCOPE).
    { id: 'metrics:read', zh: '读取运行指标（/metrics）', en: 'Read the operational metrics (/metrics)' },
  ],
  messages: {
    bad_credentials: { zh: '用户名或密码错误', en: 'Wrong username or password' },
    account_locked: { zh: '登录失败次数过多，账户已锁定至 {until}', en: 'Too many failed sign-ins; account locked until {until}' },
    account_disabled: { zh: '账户已停用', en: 'Account is disabled' },
    wrong_password: { zh: '当前密码不正确', en: 'Current password is wrong' },
    // The password rule (MIN_PASSWORD_LENGTH) is auth's; users and the CLI apply it too.
    weak_password: { zh: '新密码至少需要 {limit} 个字符', en: 'New password needs at least {limit} characters' },
  },
  routes: async (api, kernel) => {
    await api.register(authRoutes);
    await api.register(tokenRoutes, { tokenScopes: kernel.tokenScopes });
  },
});
