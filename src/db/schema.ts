/**
 * The one Drizzle schema, shared by PGlite (embedded) and PostgreSQL.
 * SQL migrations in /migrations are generated from it (`npm run db:generate`) and checked in.
 */
import { pgTable, text, integer, boolean, timestamp, jsonb, bigint, primaryKey, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** 市局 → 分局 → 派出所 → 警格. `path` is the chain of ids from the root ("/a/b/c/"), used for jurisdiction scoping. */
export const orgUnits = pgTable(
  'org_units',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id'),
    kind: text('kind').notNull(), // bureau | branch | station | grid
    code: text('code').notNull(),
    name: text('name').notNull(),
    path: text('path').notNull(),
    polygon: jsonb('polygon'), // GeoJSON Polygon | MultiPolygon (stations and grids)
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('org_units_code_uq').on(t.code), index('org_units_path_idx').on(t.path), index('org_units_parent_idx').on(t.parentId)],
);

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    roles: text('roles').array().notNull(),
    unitId: text('unit_id').notNull().references(() => orgUnits.id),
    phone: text('phone'),
    disabled: boolean('disabled').notNull().default(false),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** The last failed sign-in or password check of the current failure streak (lockout.ts). */
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Unique whatever the case: `ADMIN` beside `admin` would be a look-alike account; sign-in matches lower(username).
  (t) => [uniqueIndex('users_username_uq').on(t.username), uniqueIndex('users_username_lower_uq').on(sql`lower(${t.username})`), index('users_unit_idx').on(t.unitId)],
);

/** Browser sessions; the cookie holds a random secret, the table only its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    clientIp: text('client_ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** API tokens for machine clients (12345 gateway, alarm gateways): stored hashed, shown once. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    unitId: text('unit_id').notNull().references(() => orgUnits.id),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash)],
);

/**
 * Append-only, hash-chained audit log. `seq` is gap-free (assigned under a lock), each row's `hash`
 * covers its fields and `prevHash`; UPDATE and DELETE are refused by a trigger (see migrations).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    userId: text('user_id'),
    username: text('username'),
    roles: text('roles').array().notNull(),
    unitId: text('unit_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    outcome: text('outcome').notNull(),
    requestId: text('request_id'),
    clientIp: text('client_ip'),
    detail: jsonb('detail'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_at_idx').on(t.at), index('audit_user_idx').on(t.username), index('audit_entity_idx').on(t.entity, t.entityId)],
);

/** Audit entries stored by a write's own transaction and not yet chained into audit_log (see audit/store.ts). */
export const auditPending = pgTable('audit_pending', {
  requestKey: text('request_key').primaryKey(),
  entry: jsonb('entry').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The chain's head (last seq and hash), so that removing rows from the end is detected too. */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

/** Stored answers of POSTs sent with an Idempotency-Key, per principal. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    state: text('state').notNull(), // pending | done
    status: integer('status'),
    response: jsonb('response'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.principal, t.key] }), index('idem_created_idx').on(t.createdAt)],
);

/** Small key/value settings (demo mode flag, seed version). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
});
export * from '../modules/addresses/schema.js';

export * from '../modules/incidents/schema.js';
export * from '../modules/dispatch/schema.js';
export * from '../modules/auth/schema.js';
export * from '../modules/disputes/schema.js';
export * from '../modules/volunteers/schema.js';
export * from '../modules/citizen/schema.js';
