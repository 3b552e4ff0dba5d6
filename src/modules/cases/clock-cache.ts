/**
 * Each case's computed clocks kept in memory, keyed by case id and the case row's `version` (issue 14
 * "Speed": the supervision board over 100,000 open cases). The version goes up in the same write as
 * every step recorded (store.ts refreshDue), so a row read in a request names exactly the steps its
 * clocks come from: a hit needs no read of the steps and no recomputation, a miss is read (one query for
 * all the misses) and computed. Correct with several instances: each one checks the version it has just
 * read from the database, never trusts its memory alone.
 *
 * What is kept does not depend on the time now (domain/calculator.ts computes from the events only;
 * `stateAt` and `colourOf` take now apart) nor on the language (explanations are off: a result holds both
 * the zh and en names). It depends on the rule table and the calendar: a cache belongs to one `CaseDeps`
 * and is emptied when either is replaced. Bounded: the least recently used entries go beyond `max`.
 */
import { asc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { caseEvents, cases } from './schema.js';
import { clocksOf, type CaseDeps, type CaseEventRow, type CaseRow } from './store.js';
import type { ClockResult } from './domain/calculator.js';

/** Entries kept per instance: the board reads 500 cases a request, the warnings tick 500 a batch. */
export const CLOCK_CACHE_SIZE = 20_000;

/** A case as last read at a version, with its clocks (explanations off). Shared: never to be modified. */
export interface CachedCase {
  row: CaseRow;
  clocks: readonly ClockResult[];
}

export class ClockCache {
  private readonly entries = new Map<string, CachedCase>();
  hits = 0;
  misses = 0;

  constructor(
    readonly rules: CaseDeps['rules'],
    readonly calendar: CaseDeps['calendar'],
    readonly max = CLOCK_CACHE_SIZE,
  ) {}

  get size() {
    return this.entries.size;
  }

  /** The entry of this case at exactly this version (and marks it recently used). */
  get(id: string, version: number): CachedCase | undefined {
    const e = this.entries.get(id);
    if (!e || e.row.version !== version) return undefined;
    this.entries.delete(id);
    this.entries.set(id, e);
    return e;
  }

  set(entry: CachedCase) {
    const id = entry.row.id;
    // A request that read an older version finishes late: it must not push out the newer entry.
    const had = this.entries.get(id);
    if (had && had.row.version > entry.row.version) return;
    this.entries.delete(id);
    this.entries.set(id, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

const caches = new WeakMap<CaseDeps, ClockCache>();

/** The cache of these deps (one per app: tests build several in one process, each on its own database). */
export function clockCacheOf(deps: CaseDeps): ClockCache {
  let c = caches.get(deps);
  if (!c || c.rules !== deps.rules || c.calendar !== deps.calendar) caches.set(deps, (c = new ClockCache(deps.rules, deps.calendar)));
  return c;
}

/** A text[] parameter: one bound value however many ids (a list of 500 parameters is slow to plan on PGlite). */
const textArray = (ids: readonly string[]) => `{${ids.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

async function stepsOf(db: Db, ids: readonly string[]): Promise<Map<string, CaseEventRow[]>> {
  const by = new Map<string, CaseEventRow[]>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .select()
      .from(caseEvents)
      .where(sql`${caseEvents.caseId} = any(${textArray(ids.slice(i, i + 1000))}::text[])`)
      .orderBy(asc(caseEvents.seq));
    for (const e of rows) (by.get(e.caseId) ?? by.set(e.caseId, []).get(e.caseId)!).push(e);
  }
  return by;
}

/**
 * The clocks of these rows, read just before in this request: steps are read (one query) and clocks
 * computed only for the rows whose version is not cached. The steps are read after the rows, so they are
 * never older than the version they are kept under.
 */
export async function clocksOfRows(deps: CaseDeps, rows: readonly CaseRow[]): Promise<Map<string, readonly ClockResult[]>> {
  const cache = clockCacheOf(deps);
  const out = new Map<string, readonly ClockResult[]>();
  const missing: CaseRow[] = [];
  for (const row of rows) {
    const hit = cache.get(row.id, row.version);
    if (hit) out.set(row.id, hit.clocks);
    else missing.push(row);
  }
  cache.hits += rows.length - missing.length;
  cache.misses += missing.length;
  if (missing.length) {
    const steps = await stepsOf(deps.db, missing.map((r) => r.id));
    for (const row of missing) {
      const clocks = clocksOf(deps, row, steps.get(row.id) ?? [], 'zh', false);
      cache.set({ row, clocks });
      out.set(row.id, clocks);
    }
  }
  return out;
}

/**
 * The cases of these (id, version) pairs — the board's read of the most urgent — in the same order: the
 * cached ones as they are, the others read (their rows, then their steps) and kept. A case gone since
 * (none are deleted today) is left out.
 */
export async function casesAt(deps: CaseDeps, heads: readonly { id: string; version: number }[]): Promise<CachedCase[]> {
  const cache = clockCacheOf(deps);
  const found = new Map<string, CachedCase>();
  const missing: string[] = [];
  for (const h of heads) {
    const hit = cache.get(h.id, h.version);
    if (hit) found.set(h.id, hit);
    else missing.push(h.id);
  }
  cache.hits += heads.length - missing.length;
  if (missing.length) {
    // Read after the heads: what is read is at least the version asked for (a newer one when a step
    // came in between, which the next request's read will see and recompute).
    const rows: CaseRow[] = [];
    for (let i = 0; i < missing.length; i += 1000) rows.push(...(await deps.db.select().from(cases).where(sql`${cases.id} = any(${textArray(missing.slice(i, i + 1000))}::text[])`)));
    const clocks = await clocksOfRows(deps, rows);
    for (const row of rows) found.set(row.id, { row, clocks: clocks.get(row.id)! });
  }
  return heads.flatMap((h) => found.get(h.id) ?? []);
}
