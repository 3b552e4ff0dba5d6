/**
 * Community policing (社区警务, issue 13): owners and weekly targets of the police grids (警格, org units
 * of kind 'grid'), the civic grids (网格) they overlay as versioned polygons, home visits (入户走访) with
 * their services and findings, skips with their reason, and where each finding went (a dispute …).
 * A visit records the service given and the problem found, not a profile of the household.
 */
import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/** Community officers (role `community`) who own a police grid; one grid may have several. */
export const communityGridOwners = pgTable(
  'community_grid_owners',
  {
    gridId: text('grid_id').notNull(),
    userId: text('user_id').notNull(),
    assignedAt: ts('assigned_at').notNull().defaultNow(),
    assignedBy: text('assigned_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.gridId, t.userId] }), index('community_grid_owners_user_idx').on(t.userId)],
);

/** The weekly visit target per owner of a grid; no row = the default (10 households + 5 shops/units). */
export const communityGridTargets = pgTable('community_grid_targets', {
  gridId: text('grid_id').primaryKey(),
  households: integer('households').notNull(),
  units: integer('units').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: text('updated_by').notNull(),
});

/**
 * Civic grids (网格) with their standard code, as versions: a changed polygon is a new row with the next
 * version and the previous one ends (`valid_to`); one current version per code (partial unique index).
 */
export const civicGrids = pgTable(
  'civic_grids',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    polygon: jsonb('polygon').notNull(),
    minLon: doublePrecision('min_lon').notNull(),
    minLat: doublePrecision('min_lat').notNull(),
    maxLon: doublePrecision('max_lon').notNull(),
    maxLat: doublePrecision('max_lat').notNull(),
    /** The station and police grid at the civic grid's anchor point (jurisdiction of the row). */
    stationId: text('station_id').notNull(),
    policeGridId: text('police_grid_id'),
    validFrom: ts('valid_from').notNull().defaultNow(),
    validTo: ts('valid_to'),
    importedBy: text('imported_by').notNull(),
  },
  (t) => [
    uniqueIndex('civic_grids_code_version_uq').on(t.code, t.version),
    uniqueIndex('civic_grids_current_uq').on(t.code).where(sql`${t.validTo} is null`),
    index('civic_grids_police_grid_idx').on(t.policeGridId),
  ],
);

/** One home visit: where, when, by whom, the services given and the problems found (no names). */
export const communityVisits = pgTable(
  'community_visits',
  {
    id: text('id').primaryKey(),
    addressCode: text('address_code'),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    stationId: text('station_id').notNull(),
    gridId: text('grid_id'),
    /** household | unit (shop, company, school …) */
    premises: text('premises').notNull(),
    officerId: text('officer_id').notNull(),
    officerName: text('officer_name').notNull(),
    visitedAt: ts('visited_at').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
    services: text('services').array().notNull(),
    /** [{ code, note }] in the order recorded; the index is the finding's id within the visit. */
    findings: jsonb('findings').notNull(),
    /** People met: a count, not names. */
    metCount: integer('met_count'),
  },
  (t) => [
    index('community_visits_grid_time_idx').on(t.gridId, t.visitedAt, t.addressCode),
    index('community_visits_station_time_idx').on(t.stationId, t.visitedAt),
    index('community_visits_officer_time_idx').on(t.officerId, t.visitedAt),
    index('community_visits_address_idx').on(t.addressCode, t.visitedAt),
    index('community_visits_time_idx').on(t.visitedAt),
  ],
);

/** A door of the week's plan not visited, with its reason (a skip needs one). One per door, week and officer. */
export const communityVisitSkips = pgTable(
  'community_visit_skips',
  {
    id: text('id').primaryKey(),
    officerId: text('officer_id').notNull(),
    gridId: text('grid_id').notNull(),
    addressCode: text('address_code').notNull(),
    /** Monday of the week, 'YYYY-MM-DD' (local). */
    week: text('week').notNull(),
    reason: text('reason').notNull(),
    note: text('note'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('community_visit_skips_uq').on(t.officerId, t.week, t.addressCode), index('community_visit_skips_grid_week_idx').on(t.gridId, t.week)],
);

/** Where a finding went: one follow-up per finding (the primary key refuses a second, also under concurrency). */
export const communityFindingLinks = pgTable(
  'community_finding_links',
  {
    visitId: text('visit_id').notNull(),
    finding: integer('finding').notNull(),
    /** dispute | hotline12345 | task */
    kind: text('kind').notNull(),
    targetId: text('target_id').notNull(),
    targetNumber: text('target_number'),
    stationId: text('station_id').notNull(),
    at: ts('at').notNull().defaultNow(),
    by: text('by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.visitId, t.finding] }), index('community_finding_links_station_time_idx').on(t.stationId, t.at)],
);

/**
 * Community police rooms (社区警务室): a place residents walk into, with its station, officers, weekly
 * reception hours (`[{day, opens, closes}]`, local time; domain/reception.ts) and phone. Name, address,
 * place and hours are public (the citizen portal shows them); the officers are not.
 */
export const communityPoliceRooms = pgTable(
  'community_police_rooms',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    stationId: text('station_id').notNull(),
    officerIds: text('officer_ids').array().notNull(),
    hours: jsonb('hours').notNull(),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [index('community_police_rooms_station_idx').on(t.stationId)],
);

/**
 * The visitor log of a police room by purpose: how many came, when, a note — no identity. Only when a
 * case follows is the entry linked to it (a dispute or an incident id), never to a person.
 */
export const communityRoomVisitors = pgTable(
  'community_room_visitors',
  {
    id: text('id').primaryKey(),
    roomId: text('room_id').notNull(),
    stationId: text('station_id').notNull(),
    purpose: text('purpose').notNull(),
    visitors: integer('visitors').notNull(),
    at: ts('at').notNull(),
    note: text('note'),
    /** dispute | incident, with caseId: the case that followed. */
    caseKind: text('case_kind'),
    caseId: text('case_id'),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [index('community_room_visitors_room_time_idx').on(t.roomId, t.at), index('community_room_visitors_station_time_idx').on(t.stationId, t.at)],
);

/** A follow-up task made from a visit's finding: owned by the grid's officer, due on a local day, closable. */
export const communityTasks = pgTable(
  'community_tasks',
  {
    id: text('id').primaryKey(),
    visitId: text('visit_id').notNull(),
    finding: integer('finding').notNull(),
    stationId: text('station_id').notNull(),
    gridId: text('grid_id'),
    ownerId: text('owner_id').notNull(),
    title: text('title').notNull(),
    /** 'YYYY-MM-DD' local day. */
    dueOn: text('due_on').notNull(),
    status: text('status').notNull().default('open'),
    closingNote: text('closing_note'),
    createdAt: ts('created_at').notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    closedAt: ts('closed_at'),
    closedBy: text('closed_by'),
  },
  (t) => [index('community_tasks_owner_status_idx').on(t.ownerId, t.status, t.dueOn), index('community_tasks_station_idx').on(t.stationId, t.status)],
);

/** Photos of a visit (≤ 6): re-encoded without EXIF/GPS, stored through the media module's store under community/. */
export const communityVisitPhotos = pgTable(
  'community_visit_photos',
  {
    id: text('id').primaryKey(),
    visitId: text('visit_id').notNull(),
    stationId: text('station_id').notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    at: ts('at').notNull().defaultNow(),
    by: text('by').notNull(),
  },
  (t) => [index('community_visit_photos_visit_idx').on(t.visitId)],
);
