/**
 * Category search for intake (pure; issue 11 #6). Callers say 打架 where the taxonomy says 殴打他人 or
 * 聚众斗殴: a leaf is found by its name, its keywords and the synonyms of its keywords (groups of words
 * that mean the same to a caller), and the leaves callers report most often come first. The web console
 * gets each node's synonyms and commonness with the tree (categories-store.ts) and ranks the same way
 * (web/src/intake/categorySearch.ts).
 */

/** Words that mean the same to a caller; a node having one of them (in its name or keywords) is found by all. */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['打架', '打人', '殴打', '被打', '动手', '打起来', '斗殴', '挨打'],
  ['偷', '被偷', '盗窃', '被盗', '失窃', '小偷', '偷东西'],
  ['抢', '被抢', '抢劫', '抢夺', '抢包', '抢手机'],
  ['吵架', '争吵', '纠纷', '吵起来', '闹事'],
  ['车祸', '撞车', '交通事故', '追尾', '刮蹭', '被车撞'],
  ['着火', '起火', '火灾', '冒烟', '烧起来'],
  ['骗', '被骗', '诈骗', '骗钱', '骗子'],
  ['走失', '失踪', '找不到人', '走丢', '孩子丢了'],
  ['噪音', '扰民', '吵闹', '太吵'],
  ['持刀', '拿刀', '带刀', '砍人', '持械'],
];

/** The synonyms a node gains from its name and keywords (those it does not have yet). */
export function synonymsOf(name: string, keywords: readonly string[]): string[] {
  const own = new Set([name, ...keywords]);
  const out = new Set<string>();
  for (const group of SYNONYM_GROUPS) {
    if (!group.some((w) => [...own].some((k) => k === w || (w.length >= 2 && k.includes(w))))) continue;
    for (const w of group) if (!own.has(w)) out.add(w);
  }
  return [...out];
}

/**
 * Commonness 0–100 of each category from its share of recent calls (counts by code): the most frequent
 * is 100, a category with no calls 0. Square-root scaled so that the middle is not flattened.
 */
export function commonness(counts: ReadonlyMap<string, number>): Map<string, number> {
  const max = Math.max(0, ...counts.values());
  const out = new Map<string, number>();
  if (!max) return out;
  for (const [code, n] of counts) out.set(code, Math.round(100 * Math.sqrt(n / max)));
  return out;
}

export interface SearchableLeaf {
  code: string;
  name: string;
  nameEn?: string;
  keywords: readonly string[];
  synonyms: readonly string[];
  commonness: number;
}

function termRank(term: string, q: string): number | null {
  if (term === q) return 0;
  if (term.startsWith(q)) return 1;
  if (term.includes(q)) return 2;
  if (q.length >= 2 && term.length >= 2 && q.includes(term)) return 3;
  return null;
}

/**
 * Leaves for what was typed, best first: by how the best term matched (exact, prefix, inside, the query
 * holding the term), the name before keywords before synonyms, then the more common leaf.
 */
export function searchCategories(leaves: readonly SearchableLeaf[], query: string, limit = 20): SearchableLeaf[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const scored: [SearchableLeaf, number][] = [];
  for (const leaf of leaves) {
    const groups: [readonly string[], number][] = [
      [[leaf.name, leaf.nameEn ?? ''], 0],
      [leaf.keywords, 5],
      [leaf.synonyms, 7],
    ];
    let best: number | null = null;
    for (const [terms, extra] of groups) {
      for (const term of terms) {
        const m = term ? termRank(term.toLowerCase(), q) : null;
        if (m !== null && (best === null || m * 10 + extra < best)) best = m * 10 + extra;
      }
    }
    if (best !== null) scored.push([leaf, best * 1000 + (100 - leaf.commonness)]);
  }
  scored.sort((a, b) => a[1] - b[1] || (a[0].code < b[0].code ? -1 : 1));
  return scored.slice(0, limit).map(([l]) => l);
}
