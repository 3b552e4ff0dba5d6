/** AVL over MQTT through the real broker (Mosquitto at MQTT_TEST_URL or 127.0.0.1:1883). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { createDispatchApp, mqttReachable, MQTT_TEST_URL, type DispatchTestApp } from './helpers.js';
import { parseAvlMessage, startAvlMqtt } from '../../src/modules/dispatch/mqtt.js';

const URL_ = MQTT_TEST_URL;

const up = await mqttReachable(URL_);
if (!up && process.env.CI) throw new Error(`MQTT broker not reachable at ${URL_} (CI is set)`);
if (!up) console.warn(`skipping MQTT tests: no broker at ${URL_} (start one: mosquitto -d -c /etc/mosquitto/mosquitto.conf)`);

describe('AVL message parsing', () => {
  it('takes the unit from the topic and a JSON body like the HTTP endpoint', () => {
    expect(parseAvlMessage('shouwang/avl/MO0101-1', '{"lon":113.55,"lat":22.2,"speed":20}')).toEqual({ unit: 'MO0101-1', report: { lon: 113.55, lat: 22.2, speed: 20 } });
    expect(parseAvlMessage('shouwang/avl/MO0101-1', 'nope')).toEqual({ error: 'invalid JSON' });
    expect(parseAvlMessage('shouwang/avl/MO0101-1', '{"lon":200,"lat":22}')).toEqual({ error: 'lon/lat' });
    expect(parseAvlMessage('other/MO0101-1', '{}')).toEqual({ error: 'topic' });
  });
});

describe.runIf(up)('AVL over MQTT (real broker)', () => {
  let t: DispatchTestApp;
  let stop: () => Promise<void>;
  const logs: string[] = [];
  const log = { info: (_o: object | string, m?: string) => void logs.push(m ?? ''), warn: (_o: object | string, m?: string) => void logs.push(m ?? '') };
  beforeAll(async () => {
    t = await createDispatchApp('pglite');
    stop = await startAvlMqtt({ url: URL_, service: t.dispatch, log });
  }, 60_000);
  afterAll(async () => {
    await stop?.();
    await t?.close();
  });

  it('a message on shouwang/avl/{unit} updates the latest position', async () => {
    const pub = await mqtt.connectAsync(URL_);
    const at = new Date().toISOString();
    await pub.publishAsync('shouwang/avl/MO0202-1', JSON.stringify({ lon: 113.5447, lat: 22.1618, at, speed: 12 }));
    await pub.publishAsync(`shouwang/avl/${encodeURIComponent('x')}`, 'garbage');
    const dispatcher = await t.login('dispatcher');
    let unit: { position: { lon: number; lat: number; at: string; speed: number } | null; stale: boolean } | null = null;
    for (let i = 0; i < 50; i++) {
      unit = (await t.app.inject({ url: '/api/v1/units/MO0202-1', headers: dispatcher })).json();
      if (unit?.position) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await pub.endAsync();
    expect(unit!.position).toMatchObject({ lon: 113.5447, lat: 22.1618, speed: 12, at });
    expect(unit!.stale).toBe(false);
    expect(t.events.some((e) => e.type === 'unit_position' && e.key === 'MO0202-1')).toBe(true);
    expect(logs).toContain('AVL message ignored');
  });
});
