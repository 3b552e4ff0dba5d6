/**
 * Caches that agree across instances. A module keeps what it reads often in memory (the organisation
 * tree, the address index, the category tree, the unit roster) and names it here; after a committed
 * change it calls `changed(name, key)`: the cache is reloaded on this instance at once and, through the
 * bus (NATS with several instances), on every other instance within the bus's delivery time.
 */
import { randomUUID } from 'node:crypto';
import type { BusEvent, EventBus, SequencedEvent } from '../modules/realtime/types.js';

export type CacheReload = (key: string | null) => void | Promise<void>;

export class CacheSync {
  /** Tells our own announcements from other instances' (they are reloaded here before publishing). */
  readonly origin = randomUUID();
  private readonly reloads = new Map<string, CacheReload[]>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly log: (err: unknown, msg: string) => void = () => {},
  ) {
    this.unsubscribe = bus.subscribe((e) => this.onEvent(e));
  }

  /** What to do when the named cache changed here or on another instance. */
  onChange(name: string, reload: CacheReload) {
    const list = this.reloads.get(name) ?? [];
    list.push(reload);
    this.reloads.set(name, list);
  }

  /** Announces a committed change of `name` (optionally of one entry): reloads here, then tells the others. */
  async changed(name: string, key: string | null = null): Promise<void> {
    await this.reload(name, key);
    const event: BusEvent = { type: 'cache', unitPath: null, key: name, at: new Date().toISOString(), data: { key, origin: this.origin } };
    await this.bus.publish(event).catch((err: unknown) => this.log(err, `cache ${name}: telling other instances failed`));
  }

  close() {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private onEvent(e: SequencedEvent) {
    if (e.type !== 'cache') return;
    const data = (e.data ?? {}) as { key?: string | null; origin?: string };
    if (data.origin === this.origin) return;
    void this.reload(e.key, data.key ?? null);
  }

  private async reload(name: string, key: string | null) {
    for (const r of this.reloads.get(name) ?? []) {
      try {
        await r(key);
      } catch (err) {
        this.log(err, `cache ${name}: reload failed`);
      }
    }
  }
}
