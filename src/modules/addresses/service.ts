/**
 * The address registry service: the database holds the registry, an in-memory index answers searches
 * and reverse lookups. At start every address is loaded into the index; inserts and imports update it.
 * Administrators add addresses only inside their jurisdiction (the station or grid the point lies in);
 * the bureau anywhere. An import runs in slices (slices.ts): the server answers other requests meanwhile.
 * Where a point lies (station, grid, their paths) the org module's JurisdictionIndex answers.
 */
import type { Db } from '../../db/client.js';
import { AppError } from '../../core/errors.js';
import { coversUnit, seesEverything, type Principal } from '../../core/access.js';
import { JurisdictionIndex } from '../org/index.js';
import { CsvErrors, MAX_ERRORS, readAddressCsvSteps, validateAddress, type AddressInput, type CsvError } from './csv.js';
import { composeText } from './normalise.js';
import { AddressIndex, type NearHit, type SearchHit } from './search-index.js';
import { addressAliases, roadAliases, type NamedRoad } from './road-aliases.js';
import { allIndexRows, countAddresses, existingCodes, getAddress, indexRowsOf, insertAddresses, isDuplicateKey, type AddressRow, type IndexRow, type NewAddressRow } from './store.js';
import { nextTurn, runInSlices } from './slices.js';
import { LandmarkService } from './landmark-service.js';
import type { LandmarkHit } from './landmarks.js';

export type AddressSource = 'demo' | 'csv' | 'manual';

/** An address of the registry: its fields, its text and the station and grid its point lies in. */
export interface AddressRecord extends AddressInput {
  text: string;
  stationId: string | null;
  gridId: string | null;
}

/** An address as the API shows it: the generated/imported fields plus where it came from. */
export interface AddressView extends AddressRecord {
  source: string;
}

export type AddressHit = SearchHit & { stationId: string | null; gridId: string | null };
/** One line of the address search: a registry address, or a landmark (`kind: 'landmark'`, issue 11 #4). */
export type SearchResult = (AddressHit & { kind: 'address' }) | LandmarkHit;
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

/** Rows (of CSV, of the index) handled between two turns of the event loop. */
const SLICE = 1000;

export class AddressService {
  readonly index = new AddressIndex();
  /** code → [stationId, gridId], to answer searches without the database. */
  private places = new Map<string, [string | null, string | null]>();
  /** Road name → its other names (popular, former, Portuguese), from the road data (issue 11 #5). */
  private aliases = new Map<string, string[]>();
  /** Hotels, schools, hospitals, squares, bridges, stations … (issue 11 #4), placed as addresses are. */
  readonly landmarks: LandmarkService;

  /**
   * `jurisdiction`: the org module's index, which the module's setup hands over (kept current on every
   * instance by org). A registry used outside the server reads its own.
   */
  constructor(
    private readonly db: Db,
    private jurisdiction: JurisdictionIndex = new JurisdictionIndex(db),
  ) {
    this.landmarks = new LandmarkService(db, {
      place: async (lon, lat) => {
        const j = await this.jurisdiction.locate(lon, lat);
        return { stationId: j?.stationId ?? null, gridId: j?.gridId ?? null };
      },
      covers: (p, at) => this.covers(p, at),
    });
  }

  /** Places points with the org module's index (the server's one, shared by every module). */
  useJurisdiction(jurisdiction: JurisdictionIndex): void {
    this.jurisdiction = jurisdiction;
  }

  get size(): number {
    return this.index.size;
  }

  /** Loads every address of the database into the index (once, at start; call useRoadNames() first). */
  async loadFromDatabase(): Promise<void> {
    this.load(await allIndexRows(this.db), true);
    await this.landmarks.load();
  }

  /** Addresses in the database (not only in this index). */
  count(): Promise<number> {
    return countAddresses(this.db);
  }

  /**
   * Writes generated addresses as they are, all or nothing: no validation and no jurisdiction check
   * (the demo city's registry, before loadFromDatabase()). Not for what users send: create/importCsv.
   */
  async insertGenerated(rows: AddressRecord[], source: AddressSource): Promise<void> {
    await insertAddresses(this.db, rows.map((a) => ({ ...a, source })));
  }

  /** Adds rows to the index (rebuild = fold them into the inverted index at once; autoBuild: see AddressIndex.add). */
  load(rows: IndexRow[], rebuild: boolean, autoBuild = true): void {
    for (const r of rows) {
      const aliases = r.road && this.aliases.size ? addressAliases(r.text, r.road, this.aliases) : [];
      this.index.add({ code: r.code, text: r.text, lon: r.lon, lat: r.lat, aliases }, autoBuild);
      this.places.set(r.code, [r.stationId, r.gridId]);
    }
    if (rebuild) this.index.build();
  }

  /** Other names of roads (from the road data) for addresses loaded from now on: call before the first load(). */
  useRoadNames(roads: Iterable<NamedRoad>): void {
    this.aliases = roadAliases(roads);
  }

  /**
   * Addresses and landmarks best first for what a call-taker typed, on one scale (rank.ts): at most
   * three landmarks, so that a name shared by a street does not push its addresses out of the list.
   */
  search(q: string, limit = 10): SearchResult[] {
    const addresses = this.index.search(q, limit).map((h): SearchResult => ({ ...this.withPlace(h), kind: 'address' }));
    const places = this.landmarks.search(q, Math.min(3, limit));
    if (!places.length) return addresses;
    return [...places, ...addresses].sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** Addresses within `radius` metres of a map point, nearest first. */
  nearest(lon: number, lat: number, radius = 100, limit = 10): AddressNear[] {
    return this.index.nearest(lon, lat, radius, limit).map((h) => this.withPlace(h));
  }

  /**
   * The addresses of each police grid (警格) from memory: code, text and point (community visit plans
   * and coverage; issue 13). One pass over the registry; `gridIds` limits the answer.
   */
  doorsByGrid(gridIds?: ReadonlySet<string>): Map<string, { code: string; text: string; lon: number; lat: number }[]> {
    const out = new Map<string, { code: string; text: string; lon: number; lat: number }[]>();
    for (const [code, [, gridId]] of this.places) {
      if (!gridId || (gridIds && !gridIds.has(gridId))) continue;
      const hit = this.index.get(code);
      if (!hit) continue;
      let list = out.get(gridId);
      if (!list) out.set(gridId, (list = []));
      list.push({ code, text: hit.text, lon: hit.lon, lat: hit.lat });
    }
    return out;
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

  /**
   * Adds one address (source manual) for `p`; 400 naming the field, 403 when the point lies outside
   * p's jurisdiction, 409 for a code already registered.
   */
  async create(p: Principal, input: AddressInput, source: AddressSource = 'manual'): Promise<AddressView> {
    const raw = { ...input, lon: String(input.lon), lat: String(input.lat) };
    const v = validateAddress(raw, 1);
    if (!v.value) {
      const e = v.errors[0];
      throw new AppError(400, 'invalid_value', { field: e.field, detail: e.message }, e.field);
    }
    const row = await this.toRow(v.value, composeText(v.value), source);
    if (!(await this.covers(p, row))) throw new AppError(403, 'outside_your_jurisdiction', { lon: row.lon, lat: row.lat }, 'lon');
    if (this.index.has(v.value.code) || (await getAddress(this.db, v.value.code))) throw duplicateCode();
    await insertAddresses(this.db, [row]).catch(rethrowDuplicate);
    this.load([row as IndexRow], false);
    return (await this.lookup(row.code))!;
  }

  /**
   * Imports a CSV file for `p`: every row valid, new and inside p's jurisdiction, or nothing is
   * imported. Runs in slices so that a large file does not hold the server.
   */
  async importCsv(p: Principal, text: string): Promise<ImportResult> {
    const { rows, errors, errorCount } = await runInSlices(readAddressCsvSteps(text, SLICE));
    const known = await existingCodes(this.db, rows.map((r) => r.code));
    const more = new CsvErrors();
    const newRows: NewAddressRow[] = [];
    for (const [k, r] of rows.entries()) {
      if (k % SLICE === SLICE - 1) await nextTurn();
      const row = await this.toRow(r, r.text, 'csv');
      if (known.has(r.code) || this.index.has(r.code)) more.push({ line: r.line, field: 'code', message: `${r.code} is already in the registry` });
      else if (!(await this.covers(p, row))) more.push({ line: r.line, field: 'lon', message: `${r.lon}, ${r.lat} lies outside your jurisdiction` });
      else newRows.push(row);
    }
    const total = errorCount + more.count;
    if (total) return { imported: 0, errors: [...errors, ...more.list].sort((a, b) => a.line - b.line).slice(0, MAX_ERRORS), errorCount: total };
    await insertAddresses(this.db, newRows).catch(rethrowDuplicate);
    for (let k = 0; k < newRows.length; k += SLICE) {
      if (k) await nextTurn();
      this.load(newRows.slice(k, k + SLICE) as IndexRow[], false, false);
    }
    await this.index.buildInSlices();
    return { imported: newRows.length, errors: [], errorCount: 0 };
  }

  /**
   * Folds into this instance's index the addresses another instance added: `codes`, or (after a bulk
   * import) every one the index lacks. Answers how many were new here.
   */
  async takeFromPeers(codes: string[] | null): Promise<number> {
    const rows = codes ? await indexRowsOf(this.db, codes) : await allIndexRows(this.db);
    const fresh = rows.filter((r) => !this.index.has(r.code));
    for (let k = 0; k < fresh.length; k += SLICE) {
      if (k) await nextTurn();
      this.load(fresh.slice(k, k + SLICE), false, false);
    }
    if (fresh.length) await this.index.buildInSlices();
    return fresh.length;
  }

  private async toRow(a: AddressInput, text: string, source: AddressSource): Promise<NewAddressRow> {
    const j = await this.jurisdiction.locate(a.lon, a.lat);
    return { ...a, text, stationId: j?.stationId ?? null, gridId: j?.gridId ?? null, source };
  }

  /** True when p may place an address here: the bureau anywhere, others where the point's grid or station is theirs. */
  private async covers(p: Principal, row: { stationId?: string | null; gridId?: string | null }): Promise<boolean> {
    if (seesEverything(p)) return true;
    for (const id of [row.gridId, row.stationId]) {
      const unit = id ? await this.jurisdiction.unit(id) : null;
      if (unit && coversUnit(p, unit.path)) return true;
    }
    return false;
  }

  private withPlace<T extends { code: string }>(h: T): T & { stationId: string | null; gridId: string | null } {
    const p = this.places.get(h.code);
    return { ...h, stationId: p?.[0] ?? null, gridId: p?.[1] ?? null };
  }
}

const duplicateCode = () => new AppError(409, 'duplicate', { field: 'code' }, 'code');

/** A code inserted meanwhile (another import, another instance) is a 409, not a 500. */
function rethrowDuplicate(err: unknown): never {
  throw isDuplicateKey(err) ? duplicateCode() : err;
}

/** The registry loaded into memory (the demo city's registry: src/demo/addresses.ts). */
export async function createAddressService(db: Db): Promise<AddressService> {
  const service = new AddressService(db);
  await service.loadFromDatabase();
  return service;
}
