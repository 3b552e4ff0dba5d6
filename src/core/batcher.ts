/**
 * Group commit: work that arrives while a batch is being processed waits and goes together in the next
 * one. With nothing in flight an item starts on the next turn of the event loop; under load one
 * transaction and one disk flush serve many callers. Each caller hears back only about its own item.
 */
export class Batcher<I, O> {
  private static readonly busy = new Set<Batcher<unknown, unknown>>();

  /** Resolves when no batcher has work waiting or in flight (or after `timeoutMs`): for shutdown. */
  static async idle(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Batcher.busy.size && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  }

  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  /**
   * `process` answers one result per item, in order; an entry that is an Error rejects only that
   * item. A thrown error rejects the whole batch.
   */
  constructor(
    private readonly process: (items: I[]) => Promise<(O | Error)[]>,
    private readonly maxBatch = 500,
  ) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        // Start after the requests already read from the sockets have queued too: one turn of the
        // event loop (microseconds) gathers a burst that would otherwise go one by one.
        this.running = true;
        Batcher.busy.add(this as Batcher<unknown, unknown>);
        setImmediate(() => void this.drain());
      }
    });
  }

  /** Items waiting or in flight, for metrics and graceful shutdown. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  private async drain() {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.process(batch.map((b) => b.item));
        batch.forEach((b, i) => {
          const r = results[i];
          if (r instanceof Error) b.reject(r);
          else b.resolve(r as O);
        });
      } catch (e) {
        batch.forEach((b) => b.reject(e));
      }
    }
    this.running = false;
    Batcher.busy.delete(this as Batcher<unknown, unknown>);
  }
}
