/**
 * Long registry jobs (a 20,000-row import, an index rebuild) are written as generators that pause
 * every so often; run in slices, each pause gives the event loop a turn, so the server keeps answering
 * other requests (PGlite runs in this thread too and never yields on its own).
 */

/** Resolves on a later turn of the event loop, after pending I/O. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs the steps to the end, giving the event loop a turn at every pause. */
export async function runInSlices<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await nextTurn();
  }
}

/** Runs the steps to the end at once (small jobs, start-up). */
export function runAtOnce<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
