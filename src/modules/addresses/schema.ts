/** The standard address registry (标准地址): one row per door-plate address. */
import { pgTable, text, doublePrecision, timestamp, index } from 'drizzle-orm/pg-core';

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
