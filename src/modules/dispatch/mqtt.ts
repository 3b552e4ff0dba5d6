/**
 * AVL over MQTT: units (or their vehicle gateways) publish to `shouwang/avl/{unit}` a JSON body like the
 * HTTP endpoint's: {"lon", "lat", "at"?, "speed"?, "heading"?}. `{unit}` is the unit id or call sign.
 * The broker's ACL decides who may publish; messages are trusted for any unit, and this subscriber is
 * the only caller that says so (MQTT_FEED): no HTTP request is ever the trusted feed.
 */
import mqtt from 'mqtt';
import { MQTT_FEED, type DispatchService, type PositionReport } from './service.js';

export const AVL_TOPIC_PREFIX = 'shouwang/avl/';

interface Log {
  info: (o: object | string, msg?: string) => void;
  warn: (o: object | string, msg?: string) => void;
}

/** Parses one message; null with a reason when it is not a position. */
export function parseAvlMessage(topic: string, payload: Buffer | string, prefix = AVL_TOPIC_PREFIX): { report: Omit<PositionReport, 'unitId'>; unit: string } | { error: string } {
  if (!topic.startsWith(prefix)) return { error: 'topic' };
  const unit = topic.slice(prefix.length);
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

/**
 * The subscription filter: `shouwang/avl/+`, or with a share group `$share/<group>/shouwang/avl/+`
 * (MQTT v5 shared subscription, also served by Mosquitto ≥ 1.6): the broker hands each message to one
 * subscriber of the group, so with several instances each position is handled (and its track written)
 * once; the other instances learn it from the `unit_position` event on the bus.
 */
export function avlSubscription(shareGroup?: string, prefix = AVL_TOPIC_PREFIX): string {
  const filter = `${prefix}+`;
  if (!shareGroup) return filter;
  if (!/^[^/+#\s]+$/.test(shareGroup)) throw new Error(`invalid MQTT share group "${shareGroup}" (MQTT_SHARE_GROUP): no "/", "+", "#" or spaces`);
  return `$share/${shareGroup}/${filter}`;
}

export interface AvlMqttOptions {
  url: string;
  service: DispatchService;
  log: Log;
  clientId?: string;
  /**
   * Shared-subscription group: set it when several instances share their events (NATS), so that each
   * position is taken by one instance only. Without it every instance receives every position.
   */
  shareGroup?: string;
  /** Topic prefix (default `shouwang/avl/`); tests use their own so parallel runs never share a broker topic. */
  topicPrefix?: string;
}

/** Subscribes to the AVL topic; returns a function that unsubscribes and disconnects. */
export async function startAvlMqtt(opts: AvlMqttOptions): Promise<() => Promise<void>> {
  const { service, log } = opts;
  const prefix = opts.topicPrefix ?? AVL_TOPIC_PREFIX;
  const filter = avlSubscription(opts.shareGroup, prefix);
  const client = await mqtt.connectAsync(opts.url, {
    clientId: opts.clientId ?? `shouwang-avl-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    // Shared subscriptions are MQTT v5 (Mosquitto also serves them to v3.1.1 clients); without one,
    // v3.1.1 keeps working with older brokers.
    protocolVersion: opts.shareGroup ? 5 : 4,
    reconnectPeriod: 2000,
    connectTimeout: 5000,
  });
  let bad = 0;
  client.on('message', (topic, payload) => {
    const m = parseAvlMessage(topic, payload, prefix);
    if ('error' in m) {
      if (bad++ % 100 === 0) log.warn({ topic, error: m.error, count: bad }, 'AVL message ignored');
      return;
    }
    const unitId = service.resolveUnitId(m.unit);
    if (!unitId) {
      if (bad++ % 100 === 0) log.warn({ topic, count: bad }, 'AVL message for an unknown unit');
      return;
    }
    service.reportPositions(MQTT_FEED, [{ ...m.report, unitId }]).catch((err: unknown) => log.warn({ err }, 'AVL report failed'));
  });
  client.on('error', (err) => log.warn({ err }, 'MQTT error'));
  const granted = await client.subscribeAsync(filter, { qos: 0 });
  // A broker that refuses the (shared) subscription answers with a reason code ≥ 0x80 instead of failing.
  const refused = granted.find((g) => g.qos >= 0x80);
  if (refused) {
    await client.endAsync().catch(() => {});
    throw new Error(`MQTT broker refused the subscription ${filter} (reason code 0x${refused.qos.toString(16)})`);
  }
  log.info({ url: opts.url.replace(/\/\/[^@]*@/, '//***@'), filter }, `AVL over MQTT: subscribed to ${filter}`);
  return async () => {
    await client.endAsync();
  };
}
