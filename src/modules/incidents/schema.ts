/** Tables of 110 intake: incidents with their timeline, categories, transfers, callbacks, 12345 orders. */
import { sql } from 'drizzle-orm';
import { pgTable, text, integer, boolean, timestamp, jsonb, doublePrecision, bigserial, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** The four-level category tree; seeded from domain/categories.ts, editable by administrators. */
export const categories = pgTable('categories', {
  code: text('code').primaryKey(),
  parentCode: text('parent_code'),
  level: integer('level').notNull(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  leaf: boolean('leaf').notNull(),
  defaultPriority: text('default_priority'),
  capabilities: text('capabilities').array().notNull().default([]),
  transferTo: text('transfer_to'),
  keywords: text('keywords').array().notNull().default([]),
  sortOrder: integer('sort_order').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

export const incidents = pgTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    source: text('source').notNull(),
    categoryCode: text('category_code').notNull(),
    categoryFamily: text('category_family').notNull(),
    priority: text('priority').notNull(),
    suggestedPriority: text('suggested_priority').notNull(),
    priorityReason: text('priority_reason'),
    callerName: text('caller_name'),
    callerPhone: text('caller_phone'),
    addressText: text('address_text'),
    addressCode: text('address_code'),
    lon: doublePrecision('lon'),
    lat: doublePrecision('lat'),
    accuracyM: doublePrecision('accuracy_m'),
    description: text('description').notNull(),
    stationId: text('station_id').notNull(),
    gridId: text('grid_id'),
    jurisdictionOverridden: boolean('jurisdiction_overridden').notNull().default(false),
    status: text('status').notNull(),
    dispositionCode: text('disposition_code'),
    dispositionNote: text('disposition_note'),
    masterId: text('master_id'),
    externalRef: text('external_ref'),
    createdBy: text('created_by'),
    callStartedAt: ts('call_started_at'),
    answeredAt: ts('answered_at'),
    recordedAt: ts('recorded_at').notNull(),
    dispatchedAt: ts('dispatched_at'),
    enRouteAt: ts('en_route_at'),
    onSceneAt: ts('on_scene_at'),
    clearedAt: ts('cleared_at'),
    closedAt: ts('closed_at'),
    transferredAt: ts('transferred_at'),
    cancelledAt: ts('cancelled_at'),
    mergedAt: ts('merged_at'),
    reopenedAt: ts('reopened_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('incidents_number_uq').on(t.number),
    index('incidents_station_status_idx').on(t.stationId, t.status),
    index('incidents_recorded_idx').on(t.recordedAt),
    index('incidents_phone_idx').on(t.callerPhone, t.recordedAt),
    index('incidents_lat_lon_time_idx').on(t.lat, t.lon, t.recordedAt),
    index('incidents_status_idx').on(t.status, t.recordedAt),
    // Duplicate lookups on every create: open incidents of one family near a point (store.ts).
    index('incidents_open_family_lat_idx')
      .on(t.categoryFamily, t.lat, t.lon)
      .where(sql`${t.status} in ('new', 'dispatched', 'en_route', 'on_scene', 'cleared')`),
  ],
);

/** The timeline: every transition, merge, transfer, override and note, with who and when. */
export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: text('incident_id').notNull(),
    at: ts('at').notNull().defaultNow(),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    userId: text('user_id'),
    username: text('username'),
    detail: jsonb('detail'),
  },
  (t) => [index('incident_events_incident_idx').on(t.incidentId, t.at)],
);

/** Gap-free daily sequence per station: incremented inside the creating transaction. */
export const incidentCounters = pgTable(
  'incident_counters',
  { stationCode: text('station_code').notNull(), day: text('day').notNull(), lastSeq: integer('last_seq').notNull() },
  (t) => [primaryKey({ columns: [t.stationCode, t.day] })],
);

/** A non-police matter handed to 12345/119/120/122, tracked until the receiver answers. */
export const transfers = pgTable(
  'transfers',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id').notNull(),
    stationId: text('station_id').notNull(),
    target: text('target').notNull(),
    reason: text('reason').notNull(),
    externalRef: text('external_ref'),
    status: text('status').notNull(), // sent | answered
    sentAt: ts('sent_at').notNull().defaultNow(),
    dueAt: ts('due_at').notNull(),
    answeredAt: ts('answered_at'),
    answer: text('answer'),
    createdBy: text('created_by'),
  },
  (t) => [index('transfers_incident_idx').on(t.incidentId), index('transfers_status_idx').on(t.status, t.dueAt)],
);

/** 回访: one per closed incident with a caller; dissatisfied ones go to the station chief for review. */
export const callbacks = pgTable(
  'callbacks',
  {
    id: text('id').primaryKey(),
    incidentId: text('incident_id').notNull(),
    stationId: text('station_id').notNull(),
    status: text('status').notNull(), // pending | done
    outcome: text('outcome'), // satisfied | basically_satisfied | dissatisfied | unreachable
    reason: text('reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
    doneAt: ts('done_at'),
    doneBy: text('done_by'),
    reviewStatus: text('review_status'), // pending | reviewed (dissatisfied only)
    reviewNote: text('review_note'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: ts('reviewed_at'),
  },
  (t) => [uniqueIndex('callbacks_incident_uq').on(t.incidentId), index('callbacks_station_status_idx').on(t.stationId, t.status)],
);

/** 12345 hotline work orders that need police, received over the token-authenticated API. */
export const hotlineOrders = pgTable(
  'hotline_orders',
  {
    externalRef: text('external_ref').primaryKey(),
    incidentId: text('incident_id').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
    tokenId: text('token_id'),
  },
  (t) => [index('hotline_orders_incident_idx').on(t.incidentId)],
);
