/** Ranking of one form of an address (its text or an alias) for a query (pure; see search-index.ts). */
import { digitRuns } from './normalise.js';

// Ranking weights (see the header of search-index.ts); a missing query character costs more than any bonus it could buy.
const W_LCS = 10;
const W_MISSING = 14;
const W_BIGRAM = 3;
const W_NUM_EXACT = 8;
const W_NUM_PREFIX = 4;
const W_NUM_MISS = 6;
const W_PREFIX = 3;
const W_EXTRA = 0.5;

export interface QueryContext {
  q: string;
  bigrams: string[];
  numbers: string[];
  /** The first (up to) two characters: a bonus when the address contains them together. */
  head: string;
}

export function queryContext(q: string): QueryContext {
  const bigrams = new Set<string>();
  for (let k = 0; k + 1 < q.length; k++) bigrams.add(q.slice(k, k + 2));
  return { q, bigrams: [...bigrams], numbers: digitRuns(q), head: q.slice(0, 2) };
}

/** Length of the longest common subsequence (characters of a found in b, in order). */
export function lcsLength(a: string, b: string, row: Int32Array = new Int32Array(a.length + 1)): number {
  const n = a.length;
  if (row.length < n + 1) row = new Int32Array(n + 1);
  row.fill(0, 0, n + 1);
  for (let j = 0; j < b.length; j++) {
    const c = b.charCodeAt(j);
    let diag = 0;
    for (let i = 1; i <= n; i++) {
      const up = row[i];
      row[i] = a.charCodeAt(i - 1) === c ? diag + 1 : up > row[i - 1] ? up : row[i - 1];
      diag = up;
    }
  }
  return row[n];
}

/** Stage 2 of the search: the score of a normalised form for the query (-Infinity: not a suggestion for it). */
export function rankForm(ctx: QueryContext, doc: string, row: Int32Array): number {
  const q = ctx.q;
  const lcs = lcsLength(q, doc, row);
  // Less than half of what was typed, in order: not a suggestion for it.
  if (lcs === 0 || lcs * 2 < q.length) return -Infinity;
  let score = W_LCS * lcs - W_MISSING * (q.length - lcs) - W_EXTRA * (doc.length - lcs);
  for (const b of ctx.bigrams) if (doc.includes(b)) score += W_BIGRAM;
  if (ctx.numbers.length) {
    const runs = digitRuns(doc);
    const used = new Array<boolean>(runs.length).fill(false);
    ctx.numbers.forEach((num, i) => {
      const exact = runs.findIndex((r, j) => !used[j] && r === num);
      if (exact >= 0) {
        used[exact] = true;
        score += W_NUM_EXACT;
        return;
      }
      const isLast = i === ctx.numbers.length - 1;
      const prefix = isLast ? runs.findIndex((r, j) => !used[j] && r.startsWith(num)) : -1;
      if (prefix >= 0) {
        used[prefix] = true;
        score += W_NUM_PREFIX;
      } else {
        score -= W_NUM_MISS;
      }
    });
  }
  if (doc.startsWith(ctx.head)) score += W_PREFIX;
  else if (doc.includes(ctx.head)) score += W_PREFIX / 2;
  return score;
}
