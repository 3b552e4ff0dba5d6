/**
 * AVL over MQTT: units (or their vehicle gateways) publish to `shouwang/avl/{unit}` a JSON body like the
 * HTTP endpoint's: {"lon", "lat", "at"?, "speed"?, "heading"?}. `{unit}` is the unit id or call sign.
 * The broker's ACL decides who may publish; messages are trusted here like a gateway token's.
 */
import mqtt from 'mqtt';
import type { DispatchService, PositionReport } from './service.js';

export const AVL_TOPIC_PREFIX = 'shouwang/avl/';

interface Log {
  info: (o: object | string, msg?: string) => void;
  warn: (o: object | string, msg?: string) => void;
}

/** Parses one message; null with a reason when it is not a position. */
export function parseAvlMessage(topic: string, payload: Buffer | string): { report: Omit<PositionReport, 'unitId'>; unit: string } | { error: string } {
  if (!topic.startsWith(AVL_TOPIC_PREFIX)) return { error: 'topic' };
  const unit = topic.slice(AVL_TOPIC_PREFIX.length);
  if (!unit || unit.includes('/')) return { error: 'topic' };
  let body: unknown;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    return { error: 'invalid JSON' };
  }
  if (!body || typeof body !== 'object') return { error: 'not an object' };
  const b = body as Record<string, unknown>;
  if (typeof b.lon !== 'number' || typeof b.lat !== 'number' || Math.abs(b.lon) > 180 || Math.abs(b.lat) > 90) return { error: 'lon/lat' };
  if (b.at !== undefined && typeof b.at !== 'string' && typeof b.at !== 'number') return { error: 'at' };
  const report: Omit<PositionReport, 'unitId'> = { lon: b.lon, lat: b.lat };
  if (b.at !== undefined) report.at = b.at as string | number;
  if (typeof b.speed === 'number') report.speed = b.speed;
  if (typeof b.heading === 'number') report.heading = b.heading;
  return { report, unit };
}

/** Subscribes to the AVL topic; returns a function that unsubscribes and disconnects. */
export async function startAvlMqtt(opts: { url: string; service: DispatchService; log: Log; clientId?: string }): Promise<() => Promise<void>> {
  const { service, log } = opts;
  const client = await mqtt.connectAsync(opts.url, { clientId: opts.clientId ?? `shouwang-avl-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 2000, connectTimeout: 5000 });
  let bad = 0;
  client.on('message', (topic, payload) => {
    const m = parseAvlMessage(topic, payload);
    if ('error' in m) {
      if (bad++ % 100 === 0) log.warn({ topic, error: m.error, count: bad }, 'AVL message ignored');
      return;
    }
    const unitId = service.resolveUnitId(m.unit);
    if (!unitId) {
      if (bad++ % 100 === 0) log.warn({ topic, count: bad }, 'AVL message for an unknown unit');
      return;
    }
    service.reportPositions(null, [{ ...m.report, unitId }]).catch((err: unknown) => log.warn({ err }, 'AVL report failed'));
  });
  client.on('error', (err) => log.warn({ err }, 'MQTT error'));
  await client.subscribeAsync(`${AVL_TOPIC_PREFIX}+`, { qos: 0 });
  log.info({ url: opts.url.replace(/\/\/[^@]*@/, '//***@') }, 'AVL over MQTT: subscribed to shouwang/avl/+');
  return async () => {
    await client.endAsync();
  };
}
