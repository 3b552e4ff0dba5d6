/**
 * Category search in the intake console (issue 11 #6). Each node carries its search terms (name, English
 * name, keywords and synonyms, filled in by the server: src/modules/incidents/domain/category-search.ts)
 * and how common it is. A path matches when a term of one of its nodes contains what was typed, or (for
 * two characters or more) what was typed contains the term; the smaller the rank, the better: leaf-name
 * hits before keyword hits before parent hits, and among equals the more common leaf first.
 */
import type { CategoryNode } from '../incidents/model';

export interface CatOption {
  value: string;
  label: string;
  terms: string[];
  /** 0 = most common; larger = rarer (from the server's commonness). */
  rarity: number;
  children?: CatOption[];
}

export function categoryOptions(nodes: CategoryNode[], lang: 'zh' | 'en'): CatOption[] {
  return nodes.map((n) => ({
    value: n.code,
    label: lang === 'en' ? n.nameEn || n.name : n.name,
    terms: [n.name, n.nameEn, ...(n.keywords ?? []), ...(n.synonyms ?? [])].filter(Boolean).map((k) => k.toLowerCase()),
    rarity: n.commonness === undefined ? 50 : Math.max(0, 100 - n.commonness),
    ...(n.leaf || !n.children?.length ? {} : { children: categoryOptions(n.children, lang) }),
  }));
}

/** How well a term matches the query: 0 exact, 1 the term starts with it, 2 contains it, 3 the query contains the term; null no match. */
function termMatch(term: string, q: string): number | null {
  if (term === q) return 0;
  if (term.startsWith(q)) return 1;
  if (term.includes(q)) return 2;
  if (q.length >= 2 && term.length >= 2 && q.includes(term)) return 3;
  return null;
}

/** The rank of a path for the query (smaller is better), or null when it does not match. */
export function matchCategoryPath(input: string, path: CatOption[]): number | null {
  const q = input.trim().toLowerCase();
  if (!q || !path.length) return null;
  let best: number | null = null;
  path.forEach((o, i) => {
    const depth = path.length - 1 - i; // 0 = the leaf
    for (const [k, term] of o.terms.entries()) {
      const m = termMatch(term, q);
      if (m === null) continue;
      // The node's own name counts more than its keywords; the leaf more than its parents.
      const score = depth * 40 + m * 10 + (k === 0 ? 0 : 5);
      if (best === null || score < best) best = score;
    }
  });
  if (best === null) return null;
  return best * 1000 + path[path.length - 1].rarity;
}
