/**
 * The landmark list (landmarks.ts) in the database and in memory: loaded at start, kept current by
 * every change here and, from other instances, by the kernel's cache sync (index.ts). Administrators
 * add and edit landmarks inside their jurisdiction (the bureau anywhere), as addresses.
 */
import { randomUUID } from 'node:crypto';
import { asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError, notFound } from '../../core/errors.js';
import type { Principal } from '../../core/access.js';
import { landmarks } from './schema.js';
import { cleanAliases, LandmarkIndex, type Landmark, type LandmarkHit, type LandmarkKind } from './landmarks.js';
import { isDuplicateKey } from './store.js';

type Row = typeof landmarks.$inferSelect;

/** What an administrator sends (and the demo seeds): name, other names, kind, point. */
export interface LandmarkInput {
  name: string;
  aliases?: string[];
  kind: LandmarkKind;
  lon: number;
  lat: number;
}

/** Where a point lies and whether `p` may place something there (AddressService answers both). */
export interface LandmarkPlacer {
  place(lon: number, lat: number): Promise<{ stationId: string | null; gridId: string | null }>;
  covers(p: Principal, at: { stationId: string | null; gridId: string | null }): Promise<boolean>;
}

const view = (r: Row): Landmark => ({ id: r.id, name: r.name, aliases: r.aliases, kind: r.kind as LandmarkKind, lon: r.lon, lat: r.lat, stationId: r.stationId, gridId: r.gridId, source: r.source, active: r.active });

const duplicateName = () => new AppError(409, 'duplicate', { field: 'name' }, 'name');

export class LandmarkService {
  readonly index = new LandmarkIndex();

  constructor(
    private readonly db: Db,
    private readonly placer: LandmarkPlacer,
  ) {}

  /** Reads the whole list into the index (at start; after another instance changed it). */
  async load(): Promise<void> {
    this.index.replace((await this.db.select().from(landmarks)).map(view));
  }

  count(): Promise<number> {
    return this.db.select({ n: count() }).from(landmarks).then(([r]) => Number(r.n));
  }

  search(q: string, limit: number): LandmarkHit[] {
    return this.index.search(q, limit);
  }

  /** The list for the administration page: by name, optionally only those whose name or alias contains `q`. */
  async list(q: { q?: string; kind?: string; limit: number; offset: number }): Promise<{ items: Landmark[]; total: number }> {
    const conds = [
      q.kind ? eq(landmarks.kind, q.kind) : undefined,
      q.q ? sql`(position(${q.q} in ${landmarks.name}) > 0 or exists (select 1 from unnest(${landmarks.aliases}) a where position(${q.q} in a) > 0))` : undefined,
    ].filter((c) => c !== undefined);
    const where = conds.length ? sql.join(conds, sql` and `) : undefined;
    const rows = await this.db.select().from(landmarks).where(where).orderBy(asc(landmarks.name), asc(landmarks.id)).limit(q.limit).offset(q.offset);
    const [{ n }] = await this.db.select({ n: count() }).from(landmarks).where(where);
    return { items: rows.map(view), total: Number(n) };
  }

  async get(id: string): Promise<Landmark> {
    const [r] = await this.db.select().from(landmarks).where(eq(landmarks.id, id));
    if (!r) throw notFound('landmark');
    return view(r);
  }

  /** Adds one landmark for `p`: 403 outside p's jurisdiction, 409 for a name already listed. */
  async create(p: Principal, input: LandmarkInput, source = 'manual'): Promise<Landmark> {
    const name = checkedName(input.name);
    const at = await this.placer.place(input.lon, input.lat);
    if (!(await this.placer.covers(p, at))) throw new AppError(403, 'outside_your_jurisdiction', { lon: input.lon, lat: input.lat }, 'lon');
    const row = { id: randomUUID(), name, aliases: cleanAliases(name, input.aliases ?? []), kind: input.kind, lon: input.lon, lat: input.lat, ...at, source, updatedBy: p.username };
    const [r] = await this.db.insert(landmarks).values(row).returning().catch(rethrowDuplicate);
    this.index.put(view(r));
    return view(r);
  }

  /** Changes a landmark (name, aliases, kind, point, active) inside p's jurisdiction, before and after. */
  async update(p: Principal, id: string, change: Partial<LandmarkInput> & { active?: boolean }): Promise<Landmark> {
    const before = await this.get(id);
    if (!(await this.placer.covers(p, before))) throw new AppError(403, 'outside_your_jurisdiction', { lon: before.lon, lat: before.lat }, 'id');
    const name = change.name !== undefined ? checkedName(change.name) : before.name;
    const lon = change.lon ?? before.lon;
    const lat = change.lat ?? before.lat;
    if ((change.lon === undefined) !== (change.lat === undefined)) throw new AppError(400, 'required', { field: change.lon === undefined ? 'lon' : 'lat' }, change.lon === undefined ? 'lon' : 'lat');
    const moved = lon !== before.lon || lat !== before.lat;
    const at = moved ? await this.placer.place(lon, lat) : { stationId: before.stationId, gridId: before.gridId };
    if (moved && !(await this.placer.covers(p, at))) throw new AppError(403, 'outside_your_jurisdiction', { lon, lat }, 'lon');
    const set = {
      name,
      aliases: cleanAliases(name, change.aliases ?? before.aliases),
      kind: change.kind ?? before.kind,
      lon,
      lat,
      ...at,
      active: change.active ?? before.active,
      updatedAt: new Date(),
      updatedBy: p.username,
    };
    const [r] = await this.db.update(landmarks).set(set).where(eq(landmarks.id, id)).returning().catch(rethrowDuplicate);
    this.index.put(view(r));
    return view(r);
  }

  /** Writes a generated list as it is (the demo city's, on first start): no jurisdiction check. */
  async insertGenerated(list: (LandmarkInput & { source: string })[]): Promise<number> {
    const rows = [];
    for (const l of list) rows.push({ id: randomUUID(), name: l.name.trim(), aliases: cleanAliases(l.name, l.aliases ?? []), kind: l.kind, lon: l.lon, lat: l.lat, ...(await this.placer.place(l.lon, l.lat)), source: l.source });
    if (rows.length) await this.db.insert(landmarks).values(rows).onConflictDoNothing();
    return rows.length;
  }
}

function checkedName(name: string): string {
  const n = name.trim();
  if (!n) throw new AppError(400, 'too_short', { field: 'name', limit: 1 }, 'name');
  return n;
}

function rethrowDuplicate(err: unknown): never {
  throw isDuplicateKey(err) ? duplicateName() : err;
}
