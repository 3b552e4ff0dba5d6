/**
 * Audit: the tamper-evident, hash-chained log of every write and every personal-data read. The worked
 * example of a module manifest (see docs/architecture.md).
 */
import { defineModule } from '../../kernel/module.js';
import { auditHead, auditLog, auditPending } from '../../db/schema.js';
import auditRoutes from './routes.js';

export { appendAudit, pendingAuditJson, pendingAuditRecord, recoverPendingAudit, verifyAudit, type AuditEntry } from './store.js';
export { requestAuditEntry, outcomeOf } from './request-entry.js';

export default defineModule({
  name: 'audit',
  tables: { auditLog, auditHead, auditPending },
  web: { menu: [{ path: '/admin/audit', permission: 'audit.read', labelKey: 'nav.audit' }] },
  permissions: [{ id: 'audit.read', zh: '查阅与校验审计日志', en: 'Search and verify the audit log', roles: ['admin', 'supervisor'], tokenScopes: ['audit:read'] }],
  tokenScopes: [{ id: 'audit:read', zh: '读取审计日志', en: 'Read the audit log' }],
  messages: {
    audit_failed: { zh: '审计记录写入失败，操作结果未确认（请求号 {requestId}）', en: 'The audit record could not be written; the outcome is not confirmed (request {requestId})' },
  },
  routes: async (api) => {
    await api.register(auditRoutes);
  },
});
