/** Without demo data: the organisation's root unit and the first administrator. */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUnits, users } from '../../db/schema.js';
import { isRole } from '../../core/roles.js';
import { AppError } from '../../core/errors.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/index.js';
import { appendAudit } from '../audit/index.js';
import { rootUnit, insertUnit } from '../org/index.js';
import { insertingUser } from './unique-username.js';

export async function ensureRootUnit(db: Db) {
  const root = await rootUnit(db);
  if (root) return root;
  return insertUnit(db, { kind: 'bureau', code: process.env.SHOUWANG_BUREAU_CODE ?? 'BUREAU', name: process.env.SHOUWANG_BUREAU_NAME ?? '市公安局', parentId: null }, null);
}

export async function hasAdministrator(db: Db): Promise<boolean> {
  const [r] = await db.select({ n: sql<number>`count(*)` }).from(users).where(sql`'admin' = any(${users.roles}) and not ${users.disabled}`);
  return Number(r.n) > 0;
}

/** Used by `shouwang user create`: validates like the API and writes an audit row. */
export async function createUserFromCli(db: Db, input: { username: string; displayName: string; password: string; roles: string[]; unitCode?: string }) {
  if (!/^[A-Za-z0-9_.-]{2,64}$/.test(input.username)) throw new AppError(400, 'invalid_format', { field: 'username', format: '2–64 of A–Z a–z 0–9 _ . -' }, 'username');
  const bad = input.roles.find((r) => !isRole(r));
  if (bad || input.roles.length === 0) throw new AppError(400, 'invalid_value', { field: 'roles', detail: bad ? `unknown role ${bad}` : 'at least one role' }, 'roles');
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new AppError(400, 'weak_password', { limit: MIN_PASSWORD_LENGTH }, 'password');
  const unit = input.unitCode ? (await db.select().from(orgUnits).where(eq(orgUnits.code, input.unitCode)))[0] : await ensureRootUnit(db);
  if (!unit) throw new AppError(400, 'invalid_value', { field: 'unit', detail: `no unit with code ${input.unitCode}` }, 'unit');
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password);
  await insertingUser(() => db.insert(users).values({ id, username: input.username, displayName: input.displayName, passwordHash, roles: input.roles, unitId: unit.id }));
  await appendAudit(db, { userId: null, username: 'cli', roles: [], unitId: null, action: 'user.create', entity: 'user', entityId: id, outcome: 'success', requestId: null, clientIp: null, detail: { roles: input.roles, unitId: unit.id, via: 'cli' } });
  return { id, unit };
}
