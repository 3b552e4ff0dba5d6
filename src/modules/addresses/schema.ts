/** The standard address registry (标准地址): one row per door-plate address; and the landmarks. */
import { pgTable, text, doublePrecision, timestamp, index, boolean, uniqueIndex } from 'drizzle-orm/pg-core';

export const addresses = pgTable(
  'addresses',
  {
    /** Registry code printed on the door plate, e.g. MO0100012345. */
    code: text('code').primaryKey(),
    /** Area name (澳门半岛, 氹仔, 路环, or a city district). */
    district: text('district').notNull(),
    road: text('road').notNull(),
    /** Door number without 號, e.g. "12", "12A"; empty for a building known only by name. */
    number: text('number').notNull().default(''),
    building: text('building').notNull().default(''),
    unit: text('unit').notNull().default(''),
    /** Full text: `district road number號 building unit`, what call-takers read. */
    text: text('text').notNull(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    /** Jurisdiction from the organisation polygons (null outside every polygon). */
    stationId: text('station_id'),
    gridId: text('grid_id'),
    /** demo | csv | manual */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('addresses_station_idx').on(t.stationId)],
);

/** Landmarks (地标): named places callers give instead of an address (landmarks.ts); editable by administrators. */
export const landmarks = pgTable(
  'landmarks',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** Other names (popular, Portuguese, English); searched like the name. */
    aliases: text('aliases').array().notNull().default([]),
    /** hotel | school | hospital | square | bridge | station | border | sight | public | other */
    kind: text('kind').notNull(),
    lon: doublePrecision('lon').notNull(),
    lat: doublePrecision('lat').notNull(),
    stationId: text('station_id'),
    gridId: text('grid_id'),
    /** demo | roads | manual */
    source: text('source').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by'),
  },
  (t) => [uniqueIndex('landmarks_name_uq').on(t.name), index('landmarks_station_idx').on(t.stationId)],
);
