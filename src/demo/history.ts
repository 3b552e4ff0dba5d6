/**
 * Three years of plausible past incidents for the demo city, so KPIs and history panels have something
 * true to show at first start. Generated reproducibly (history-generator.ts) and bulk-inserted in the
 * background while the server already answers.
 *
 * Written once, whatever the number of instances starting at once against one database, and resumed
 * after a crash without a row twice: the `demo_history` setting is the marker.
 *  1. Claim (one short transaction under an advisory lock): no marker → insert `{state: "writing",
 *     owner, now, days, perDay, written: 0}`; `done` → nothing to do; `writing` by a live owner → the
 *     other instance writes it, nothing to do; `writing` by an owner that is gone → take it over.
 *  2. Each batch of 500 is inserted in a transaction that first locks the marker row (`for update`),
 *     checks that we still own it and that `written` is where we are, and moves `written` on: the rows
 *     and the marker commit together. A resumed run regenerates the same history (same seed, same
 *     stored `now`) and continues after `written`.
 *  3. The marker becomes `{state: "done", incidents}`.
 * An owner is gone when its heartbeat (every batch) is older than `staleAfterMs` (default 60 s), when it
 * released the claim on shutdown (owner null), or — PGlite, one process per data folder — when it is not
 * a writer of this process.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { orgUnits, settings } from '../db/schema.js';
import { callbacks, incidents, transfers } from '../modules/incidents/index.js';
import { generateDemoHistory, type DemoIncident, type DemoRoadPoint } from './history-generator.js';
import { categoryFamily } from '../modules/incidents/index.js';
import { loadDemoRoads } from './city.js';
import type { SeedProgress } from './seed.js';
import { seedDemoDisputeHistory } from './dispute-history.js';
import { seedDemoCases } from './cases.js';
import { seedDemoMedia } from './media.js';
import { seedDemoCaseNotices } from './case-notices.js';
import { seedDemoCommunity } from './community.js';

export const HISTORY_SETTING = 'demo_history';
const HISTORY_LOCK = 7_110_201;
/** Incidents per transaction: small, since on PGlite each batch is time the server's thread serves no request. */
export const HISTORY_BATCH = 100;
const BATCH = HISTORY_BATCH;
const DEFAULT_STALE_AFTER_MS = 60_000;
/** Three years: year-over-year figures compare against a whole previous year, and the one before it. */
export const DEFAULT_DAYS = 3 * 365 + 1;

/** The `demo_history` setting. Markers written before the claim protocol are `{incidents, seededAt}` (done). */
export interface HistoryMarker {
  state?: 'writing' | 'done';
  owner?: string | null;
  now?: string;
  days?: number;
  perDay?: number;
  written?: number;
  /** Absent in markers written before newest-first (those go on oldest first, where they stopped). */
  order?: 'newest_first' | 'oldest_first';
  total?: number;
  heartbeatAt?: string;
  incidents?: number;
  seededAt?: string;
}

/** Writers running in this process (PGlite: a claim by any other owner was left by a dead process). */
const liveWriters = new Set<string>();

/** Points along the named roads, every ~60 m, with the road's Chinese name. */
function roadPoints(): DemoRoadPoint[] {
  const pts: DemoRoadPoint[] = [];
  for (const f of loadDemoRoads().features) {
    const name = String(f.properties.name_zh ?? '');
    const coords = (f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][];
    for (const line of coords) for (let i = 0; i < line.length; i += 3) pts.push(name ? [line[i][0], line[i][1], name] : [line[i][0], line[i][1]]);
  }
  return pts;
}

export interface DemoHistoryOptions {
  now?: Date;
  days?: number;
  perDay?: number;
  progress?: SeedProgress;
  /** PGlite: the database belongs to this process, so a claim by a writer not running here is stale. */
  singleProcess?: boolean;
  /** A claim whose heartbeat is older than this is taken over (default 60 s). */
  staleAfterMs?: number;
  /** Stops between batches (server shutdown); the claim is released so that the next start resumes. */
  signal?: AbortSignal;
  log?: (msg: string) => void;
}

async function readMarker(db: Db, forUpdate = false): Promise<HistoryMarker | null> {
  const q = db.select().from(settings).where(eq(settings.key, HISTORY_SETTING));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ? (row.value as HistoryMarker) : null;
}

const isDone = (m: HistoryMarker) => m.state !== 'writing';

/**
 * Writes the demo history unless it is written (or being written by another live instance). Resolves
 * with the number of incidents this call inserted (0 when there was nothing to do).
 */
export async function seedDemoHistory(db: Db, opts: DemoHistoryOptions = {}): Promise<number> {
  const existing = await readMarker(db);
  if (existing && isDone(existing)) return 0;
  const owner = randomUUID();
  const log = opts.log ?? (() => {});
  liveWriters.add(owner);
  try {
    const claim = await claimHistory(db, owner, opts);
    if (!claim) return 0;
    if (claim.written) log(`demo history: resuming after ${claim.written} incidents written by an instance that stopped`);
    return await writeHistory(db, owner, claim, opts);
  } finally {
    liveWriters.delete(owner);
  }
}

type Claim = Required<Pick<HistoryMarker, 'now' | 'days' | 'perDay' | 'written' | 'order'>>;

async function claimHistory(db: Db, owner: string, opts: DemoHistoryOptions): Promise<Claim | null> {
  const staleAfter = opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${HISTORY_LOCK})`);
    const m = await readMarker(tx as unknown as Db);
    const now = new Date();
    if (!m) {
      const claim: Claim = { now: (opts.now ?? now).toISOString(), days: opts.days ?? DEFAULT_DAYS, perDay: opts.perDay ?? 90, written: 0, order: 'newest_first' };
      await tx.insert(settings).values({ key: HISTORY_SETTING, value: { state: 'writing', owner, ...claim, heartbeatAt: now.toISOString() } satisfies HistoryMarker });
      return claim;
    }
    if (isDone(m)) return null;
    const sinceBeat = now.getTime() - Date.parse(m.heartbeatAt ?? ''); // NaN without a heartbeat: gone
    const gone = !m.owner || (opts.singleProcess ? !liveWriters.has(m.owner) : !(sinceBeat <= staleAfter));
    if (!gone) return null;
    const claim: Claim = { now: m.now ?? now.toISOString(), days: m.days ?? 365, perDay: m.perDay ?? 90, written: m.written ?? 0, order: m.order ?? 'oldest_first' };
    await tx.update(settings).set({ value: { ...m, owner, heartbeatAt: now.toISOString() } satisfies HistoryMarker }).where(eq(settings.key, HISTORY_SETTING));
    return claim;
  });
}

/** Thrown inside a batch transaction when the claim is no longer ours: the batch rolls back. */
class LostClaim extends Error {}

async function writeHistory(db: Db, owner: string, claim: Claim, opts: DemoHistoryOptions): Promise<number> {
  const units = await db.select().from(orgUnits).where(inArray(orgUnits.kind, ['station', 'grid']));
  const stations = units.filter((u) => u.kind === 'station').map((u) => ({ id: u.id, code: u.code, polygon: u.polygon as never, center: null }));
  const grids = units.filter((u) => u.kind === 'grid').map((u) => ({ id: u.id, parentId: u.parentId, polygon: u.polygon as never }));
  const generated = generateDemoHistory({ seed: 110, now: new Date(claim.now), days: claim.days, perDay: claim.perDay, stations, grids, roadPoints: roadPoints() });
  // Newest first: the weeks a new user looks at (this week, this month, last year's same span) are there
  // within seconds; the years before fill in behind them.
  const history = claim.order === 'newest_first' ? [...generated].reverse() : generated;
  const progress = opts.progress ?? (() => {});
  const log = opts.log ?? (() => {});
  /** In one transaction with the rows: the marker is still ours and at `at`; then moves it on. */
  const advance = async (tx: Db, at: number, next: HistoryMarker) => {
    const m = await readMarker(tx, true);
    if (!m || m.owner !== owner || m.state !== 'writing' || (m.written ?? 0) !== at) throw new LostClaim();
    await tx.update(settings).set({ value: { ...m, ...next } satisfies HistoryMarker }).where(eq(settings.key, HISTORY_SETTING));
  };
  let inserted = 0;
  try {
    for (let i = claim.written; i < history.length; i += BATCH) {
      if (opts.signal?.aborted) {
        await releaseClaim(db, owner).catch(() => {});
        log(`demo history: stopped after ${i}/${history.length} incidents; the next start goes on`);
        return inserted;
      }
      const batch = history.slice(i, i + BATCH);
      await db.transaction(async (tx) => {
        await advance(tx as unknown as Db, i, { written: i + batch.length, total: history.length, heartbeatAt: new Date().toISOString() });
        await insertBatch(tx as unknown as Db, batch);
      });
      inserted += batch.length;
      progress('history', Math.min(i + BATCH, history.length), history.length);
      // PGlite answers without I/O: without this the batches chain in microtasks and starve the event loop
      // (requests, timers, signals) until the whole history is written.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await db.transaction(async (tx) => {
      await advance(tx as unknown as Db, history.length, { state: 'done', owner: null, incidents: history.length, seededAt: new Date().toISOString() });
      await seedDemoDisputeHistory(tx as unknown as Db, { now: new Date(claim.now), log });
      await seedDemoCases(tx as unknown as Db, { now: new Date(claim.now), log });
      await seedDemoMedia(tx as unknown as Db, { now: new Date(claim.now), log });
      await seedDemoCaseNotices(tx as unknown as Db, { now: new Date(claim.now), log });
      await seedDemoCommunity(tx as unknown as Db, { now: new Date(claim.now), log });
    });
    // A year of rows at once: give the planner their statistics now (PGlite has no autovacuum).
    await db.execute(sql`analyze incidents`);
  } catch (err) {
    if (!(err instanceof LostClaim)) throw err;
    log('demo history: another instance took over the writing');
  }
  return inserted;
}

/** On shutdown: the next start may resume at once. */
async function releaseClaim(db: Db, owner: string) {
  await db.transaction(async (tx) => {
    const m = await readMarker(tx as unknown as Db, true);
    if (m?.owner === owner && m.state === 'writing') await tx.update(settings).set({ value: { ...m, owner: null } satisfies HistoryMarker }).where(eq(settings.key, HISTORY_SETTING));
  });
}

async function insertBatch(db: Db, history: readonly DemoIncident[]) {
  const batch = history.map((h) => ({ ...h, id: randomUUID() }));
  await db.insert(incidents).values(
    batch.map((h) => ({
      id: h.id,
      number: h.number,
      source: h.source,
      categoryCode: h.categoryCode,
      categoryFamily: categoryFamily(h.categoryCode) ?? h.categoryCode.slice(0, 2),
      priority: h.priority,
      suggestedPriority: h.priority,
      callerName: h.callerName,
      callerPhone: h.callerPhone,
      addressText: h.addressText,
      addressCode: h.addressCode,
      lon: h.lon,
      lat: h.lat,
      description: h.description,
      stationId: h.stationId,
      gridId: h.gridId,
      status: h.status,
      dispositionCode: h.dispositionCode,
      createdBy: 'demo',
      callStartedAt: h.callStartedAt,
      answeredAt: h.answeredAt,
      recordedAt: h.recordedAt,
      dispatchedAt: h.dispatchedAt,
      enRouteAt: h.enRouteAt,
      onSceneAt: h.onSceneAt,
      clearedAt: h.clearedAt,
      closedAt: h.closedAt,
      transferredAt: h.transferredAt,
      cancelledAt: h.cancelledAt,
      updatedAt: h.closedAt ?? h.transferredAt ?? h.cancelledAt ?? h.recordedAt,
    })),
  );
  const cbs = batch.filter((h) => h.callback);
  if (cbs.length) {
    await db.insert(callbacks).values(
      cbs.map((h) => ({
        id: randomUUID(),
        incidentId: h.id,
        stationId: h.stationId,
        status: 'done',
        outcome: h.callback!.outcome,
        reason: h.callback!.reason ?? null,
        createdAt: h.closedAt ?? h.recordedAt,
        doneAt: h.callback!.at,
        doneBy: 'demo',
        reviewStatus: h.callback!.outcome === 'dissatisfied' ? 'reviewed' : null,
      })),
    );
  }
  const xfers = batch.filter((h) => h.transferTo && h.transferredAt);
  if (xfers.length) {
    await db.insert(transfers).values(
      xfers.map((h) => ({
        id: randomUUID(),
        incidentId: h.id,
        stationId: h.stationId,
        target: h.transferTo!,
        reason: '非警务事项，移交处理',
        status: 'answered',
        sentAt: h.transferredAt!,
        dueAt: new Date(h.transferredAt!.getTime() + 24 * 3_600_000),
        answeredAt: new Date(h.transferredAt!.getTime() + 3 * 3_600_000),
        answer: '已受理',
        createdBy: 'demo',
      })),
    );
  }
}
