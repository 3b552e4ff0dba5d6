/**
 * `fn` over `items` with at most `limit` running at once, results in the items' order. For reads a request
 * makes one after another on PostgreSQL, where each runs on a pool connection of its own and the server
 * has cores to spare (on PGlite, one connection: limit 1).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
