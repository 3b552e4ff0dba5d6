/**
 * A year of plausible past incidents for the demo city, so KPIs and history panels have something
 * true to show at first start. Generated reproducibly (domain/demo-history.ts) and bulk-inserted.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { orgUnits, settings } from '../../db/schema.js';
import { callbacks, incidents, transfers } from '../incidents/schema.js';
import { generateDemoHistory, type DemoRoadPoint } from '../incidents/domain/demo-history.js';
import { categoryFamily } from '../incidents/domain/categories.js';
import { loadDemoRoads } from '../org/demo-city.js';
import type { SeedProgress } from './seed.js';

export const HISTORY_SETTING = 'demo_history';
const BATCH = 500;

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

export async function seedDemoHistory(db: Db, opts: { now?: Date; days?: number; perDay?: number; progress?: SeedProgress } = {}): Promise<number> {
  const [done] = await db.select().from(settings).where(eq(settings.key, HISTORY_SETTING));
  if (done) return 0;
  const units = await db.select().from(orgUnits).where(inArray(orgUnits.kind, ['station', 'grid']));
  const stations = units.filter((u) => u.kind === 'station').map((u) => ({ id: u.id, code: u.code, polygon: u.polygon as never, center: null }));
  const grids = units.filter((u) => u.kind === 'grid').map((u) => ({ id: u.id, parentId: u.parentId, polygon: u.polygon as never }));
  const history = generateDemoHistory({ seed: 110, now: opts.now ?? new Date(), days: opts.days ?? 365, perDay: opts.perDay ?? 90, stations, grids, roadPoints: roadPoints() });
  const progress = opts.progress ?? (() => {});
  for (let i = 0; i < history.length; i += BATCH) {
    const batch = history.slice(i, i + BATCH).map((h) => ({ ...h, id: randomUUID() }));
    await db.transaction(async (tx) => {
      await tx.insert(incidents).values(
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
        await tx.insert(callbacks).values(
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
        await tx.insert(transfers).values(
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
    });
    progress('history', Math.min(i + BATCH, history.length), history.length);
  }
  await db.insert(settings).values({ key: HISTORY_SETTING, value: { incidents: history.length, seededAt: new Date().toISOString() } }).onConflictDoNothing();
  return history.length;
}
