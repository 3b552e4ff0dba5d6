/** Keeps the k best of the search ranking (score desc, then shorter text, then lower document number) in a small heap. */
export class TopK {
  private items: [number, number, number][] = [];
  constructor(private readonly k: number) {}

  /** True when a is worse than b. */
  private static worse(a: [number, number, number], b: [number, number, number]): boolean {
    if (a[1] !== b[1]) return a[1] < b[1];
    if (a[2] !== b[2]) return a[2] > b[2];
    return a[0] > b[0];
  }

  push(doc: number, score: number, len: number): void {
    const item: [number, number, number] = [doc, score, len];
    const h = this.items;
    if (h.length < this.k) {
      h.push(item);
      this.up(h.length - 1);
    } else if (TopK.worse(h[0], item)) {
      h[0] = item;
      this.down(0);
    }
  }

  sorted(): [number, number][] {
    return [...this.items].sort((a, b) => (TopK.worse(a, b) ? 1 : TopK.worse(b, a) ? -1 : 0)).map(([d, s]) => [d, s]);
  }

  // Min-heap on "worse": the root is the worst kept item.
  private up(i: number) {
    const h = this.items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!TopK.worse(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private down(i: number) {
    const h = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && TopK.worse(h[l], h[m])) m = l;
      if (r < h.length && TopK.worse(h[r], h[m])) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}
