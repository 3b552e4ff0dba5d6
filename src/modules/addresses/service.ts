/**
 * The address registry service: the database holds the registry, an in-memory index answers searches
 * and reverse lookups. At start every address is loaded into the index; inserts and imports update it.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUnits, settings } from '../../db/schema.js';
import { AppError } from '../../core/errors.js';
import { demoOrganisation, loadDemoRoads } from '../org/demo-city.js';
import { demoAddresses, Jurisdiction, type GeneratedAddress, type JurisdictionUnit } from './demo-addresses.js';
import { readAddressCsv, validateAddress, type AddressInput, type CsvError } from './csv.js';
import { composeText } from './normalise.js';
import { AddressIndex, type NearHit, type SearchHit } from './search-index.js';
import { allIndexRows, countAddresses, existingCodes, getAddress, insertAddresses, type AddressRow, type IndexRow, type NewAddressRow } from './store.js';

export type AddressSource = 'demo' | 'csv' | 'manual';

/** An address as the API shows it: the generated/imported fields plus where it came from. */
export interface AddressView extends GeneratedAddress {
  source: string;
}

export type AddressHit = SearchHit & { stationId: string | null; gridId: string | null };
export type AddressNear = NearHit & { stationId: string | null; gridId: string | null };

export interface ImportResult {
  imported: number;
  /** The first errors (at most 100), each naming line and field. */
  errors: CsvError[];
  /** All errors, when more than were listed. */
  errorCount: number;
}

export function addressView(r: AddressRow): AddressView {
  return { code: r.code, district: r.district, road: r.road, number: r.number, building: r.building, unit: r.unit, text: r.text, lon: r.lon, lat: r.lat, stationId: r.stationId, gridId: r.gridId, source: r.source };
}

export class AddressService {
  readonly index = new AddressIndex();
  /** code → [stationId, gridId], to answer searches without the database. */
  private places = new Map<string, [string | null, string | null]>();

  constructor(
    private readonly db: Db,
    private jurisdiction: Jurisdiction,
  ) {}

  get size(): number {
    return this.index.size;
  }

  /** Adds rows to the index (rebuild = fold them into the inverted index at once). */
  load(rows: IndexRow[], rebuild: boolean): void {
    for (const r of rows) {
      this.index.add({ code: r.code, text: r.text, lon: r.lon, lat: r.lat });
      this.places.set(r.code, [r.stationId, r.gridId]);
    }
    if (rebuild) this.index.build();
  }

  /** Addresses best first for what a call-taker typed. */
  search(q: string, limit = 10): AddressHit[] {
    return this.index.search(q, limit).map((h) => this.withPlace(h));
  }

  /** Addresses within `radius` metres of a map point, nearest first. */
  nearest(lon: number, lat: number, radius = 100, limit = 10): AddressNear[] {
    return this.index.nearest(lon, lat, radius, limit).map((h) => this.withPlace(h));
  }

  /** Text and point of a registered address: from the in-memory index (every 110 call with a picked address asks). */
  async point(code: string): Promise<{ code: string; text: string; lon: number; lat: number } | undefined> {
    const hit = this.index.get(code);
    if (hit) return { code: hit.code, text: hit.text, lon: hit.lon, lat: hit.lat };
    return this.lookup(code); // added by another server instance since this one loaded
  }

  async lookup(code: string): Promise<AddressView | undefined> {
    const r = await getAddress(this.db, code);
    return r ? addressView(r) : undefined;
  }

  /** Adds one address (source manual); 400 naming the field, 409 for a code already registered. */
  async create(input: AddressInput, source: AddressSource = 'manual'): Promise<AddressView> {
    const raw = { ...input, lon: String(input.lon), lat: String(input.lat) };
    const v = validateAddress(raw, 1);
    if (!v.value) {
      const e = v.errors[0];
      throw new AppError(400, 'invalid_value', { field: e.field, detail: e.message }, e.field);
    }
    if (this.index.has(v.value.code) || (await getAddress(this.db, v.value.code))) throw new AppError(409, 'duplicate', { field: 'code' }, 'code');
    const row = this.toRow(v.value, composeText(v.value), source);
    await insertAddresses(this.db, [row]);
    this.load([row as IndexRow], false);
    return (await this.lookup(row.code))!;
  }

  /** Imports a CSV file: every row valid and new, or nothing is imported. */
  async importCsv(text: string): Promise<ImportResult> {
    const { rows, errors, errorCount } = readAddressCsv(text);
    const known = await existingCodes(this.db, rows.map((r) => r.code));
    let total = errorCount;
    for (const r of rows) {
      if (!known.has(r.code) && !this.index.has(r.code)) continue;
      errors.push({ line: r.line, field: 'code', message: `${r.code} is already in the registry` });
      total++;
    }
    if (total) return { imported: 0, errors: errors.sort((a, b) => a.line - b.line).slice(0, 100), errorCount: total };
    await this.refreshJurisdiction();
    const newRows = rows.map((r) => this.toRow(r, r.text, 'csv'));
    await insertAddresses(this.db, newRows);
    this.load(newRows as IndexRow[], true);
    return { imported: newRows.length, errors: [], errorCount: 0 };
  }

  /** Reloads the station and grid polygons (after the organisation changed). */
  async refreshJurisdiction(): Promise<void> {
    this.jurisdiction = await loadJurisdiction(this.db);
  }

  private toRow(a: AddressInput, text: string, source: AddressSource): NewAddressRow {
    const j = this.jurisdiction.locate(a.lon, a.lat);
    return { ...a, text, stationId: j.stationId, gridId: j.gridId, source };
  }

  private withPlace<T extends { code: string }>(h: T): T & { stationId: string | null; gridId: string | null } {
    const p = this.places.get(h.code);
    return { ...h, stationId: p?.[0] ?? null, gridId: p?.[1] ?? null };
  }
}

/** Stations and grids of the database (id = station_id / grid_id of the addresses). */
export async function loadJurisdiction(db: Db): Promise<Jurisdiction> {
  const rows = await db
    .select({ id: orgUnits.id, parentId: orgUnits.parentId, kind: orgUnits.kind, name: orgUnits.name, polygon: orgUnits.polygon })
    .from(orgUnits)
    .where(inArray(orgUnits.kind, ['branch', 'station', 'grid']));
  const units: JurisdictionUnit[] = rows.map((r) => ({ key: r.id, parentKey: r.parentId, kind: r.kind, code: r.id, name: r.name, polygon: (r.polygon as JurisdictionUnit['polygon']) ?? null }));
  return new Jurisdiction(units);
}

/** True when this database was seeded as the demo city (seedDemo writes the `demo` setting). */
async function isDemoDatabase(db: Db): Promise<boolean> {
  const [r] = await db.select({ key: settings.key }).from(settings).where(eq(settings.key, 'demo'));
  return Boolean(r);
}

/**
 * Loads the registry into memory. In demo mode, on a demo database whose registry is empty, first
 * inserts the demo city's generated addresses.
 */
export async function createAddressService(db: Db, opts: { demo: boolean }): Promise<AddressService> {
  const service = new AddressService(db, await loadJurisdiction(db));
  if (opts.demo && (await countAddresses(db)) === 0 && (await isDemoDatabase(db))) {
    const rows: NewAddressRow[] = demoAddresses(loadDemoRoads(), demoOrganisation()).map((a) => ({ ...a, source: 'demo' }));
    await insertAddresses(db, rows);
  }
  service.load(await allIndexRows(db), true);
  return service;
}
