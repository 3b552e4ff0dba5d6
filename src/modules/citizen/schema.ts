/**
 * The citizen portal's tables (issue 15). Migration 0025.
 *
 * Citizens are not staff: their accounts, one-time codes and sessions live here, apart from `users` and
 * `sessions`. A citizen is a phone number and nothing else (minimal data); reports keep what the matter
 * needs. Open311 client keys are stored hashed.
 */
import { sql } from 'drizzle-orm';
import { pgTable, text, integer, boolean, timestamp, doublePrecision, bigserial, bigint, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const citizens = pgTable(
  'citizens',
  {
    id: text('id').primaryKey(),
    /** Normalised phone (normalisePhone). */
    phone: text('phone').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('citizens_phone_uq').on(t.phone)],
);

/** One-time codes: only their HMAC; `attempts` counts wrong tries (a wrong try is also a lock-out failure). */
export const citizenOtps = pgTable(
  'citizen_otps',
  {
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    ip: text('ip').notNull(),
    codeHash: text('code_hash').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    usedAt: ts('used_at'),
  },
  (t) => [index('citizen_otps_phone_idx').on(t.phone, t.createdAt), index('citizen_otps_ip_idx').on(t.ip, t.createdAt)],
);

/** Wrong codes per phone, for the lock-out. */
export const citizenOtpFailures = pgTable(
  'citizen_otp_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    phone: text('phone').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('citizen_otp_failures_phone_idx').on(t.phone, t.at)],
);

/** Citizen sessions: the cookie holds a random token; the row its SHA-256. Not the staff `sessions`. */
export const citizenSessions = pgTable(
  'citizen_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    citizenId: text('citizen_id').notNull().references(() => citizens.id, { onDelete: 'cascade' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('citizen_sessions_citizen_idx').on(t.citizenId)],
);

/** The category list = the routing table (administrators edit it). `code` is the Open311 service_code. */
export const citizenServices = pgTable('citizen_services', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  group: text('group').notNull(),
  route: text('route').notNull(),
  /** For route 'unit': the owning unit (e.g. the traffic brigade); falls back to the station when absent. */
  unitId: text('unit_id'),
  /** For route 'hotline12345': the non-police incident category the transfer is recorded under. */
  incidentCategory: text('incident_category'),
  radiusM: integer('radius_m').notNull().default(75),
  keywords: text('keywords').notNull().default(''),
  active: boolean('active').notNull().default(true),
  sort: integer('sort').notNull().default(0),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const citizenReports = pgTable(
  'citizen_reports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The reporter (null for an Open311 client's report without a citizen). */
    citizenId: text('citizen_id'),
    channel: text('channel').notNull(), // portal | open311 | demo
    apiKeyId: text('api_key_id'),
    serviceCode: text('service_code').notNull(),
    description: text('description').notNull(),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    addressCode: text('address_code'),
    addressText: text('address_text'),
    stationId: text('station_id').notNull(),
    unitId: text('unit_id').notNull(),
    route: text('route').notNull(),
    status: text('status').notNull(),
    urgent: boolean('urgent').notNull().default(false),
    duplicateOf: bigint('duplicate_of', { mode: 'number' }),
    voices: integer('voices').notNull().default(0),
    /** The last reason or outcome the citizen reads. */
    statusNote: text('status_note'),
    incidentId: text('incident_id'),
    token: text('token').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    acceptedAt: ts('accepted_at'),
    closedAt: ts('closed_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('citizen_reports_citizen_idx').on(t.citizenId, t.createdAt),
    index('citizen_reports_unit_idx').on(t.unitId, t.status),
    index('citizen_reports_open_place_idx').on(t.serviceCode, t.lat, t.lon).where(sql`status in ('received','accepted','in_progress')`),
    index('citizen_reports_created_idx').on(t.createdAt),
    uniqueIndex('citizen_reports_token_uq').on(t.token),
  ],
);

/** The status history the citizen sees. */
export const citizenReportEvents = pgTable(
  'citizen_report_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    reportId: bigint('report_id', { mode: 'number' }).notNull(),
    status: text('status').notNull(),
    note: text('note'),
    /** 'citizen', 'open311', 'system' or the staff username (never shown to the citizen). */
    by: text('by').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('citizen_report_events_report_idx').on(t.reportId, t.id)],
);

/** "Add my voice": one per citizen and report. */
export const citizenVoices = pgTable(
  'citizen_voices',
  {
    reportId: bigint('report_id', { mode: 'number' }).notNull(),
    citizenId: text('citizen_id').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.citizenId] }), index('citizen_voices_citizen_idx').on(t.citizenId)],
);

/** Portal notifications: an update of a report the citizen made or voiced. */
export const citizenNotifications = pgTable(
  'citizen_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    citizenId: text('citizen_id').notNull(),
    reportId: bigint('report_id', { mode: 'number' }).notNull(),
    status: text('status').notNull(),
    note: text('note'),
    at: ts('at').notNull().defaultNow(),
    readAt: ts('read_at'),
  },
  (t) => [index('citizen_notifications_citizen_idx').on(t.citizenId, t.id)],
);

/** Photos of reports (EXIF stripped, re-encoded), kept in the media store under citizen/. */
export const citizenPhotos = pgTable(
  'citizen_photos',
  {
    id: text('id').primaryKey(),
    citizenId: text('citizen_id').notNull(),
    reportId: bigint('report_id', { mode: 'number' }),
    /** A 快处快赔 accident the photo belongs to (migration 0029). */
    accidentId: bigint('accident_id', { mode: 'number' }),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('citizen_photos_report_idx').on(t.reportId), index('citizen_photos_citizen_idx').on(t.citizenId), index('citizen_photos_accident_idx').on(t.accidentId)],
);

/** Open311 client keys, created by administrators; only the SHA-256 is kept. */
export const open311Keys = pgTable(
  'open311_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('open311_keys_hash_uq').on(t.keyHash)],
);
