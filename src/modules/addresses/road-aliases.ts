/**
 * Other names of roads, for the address search (pure; issue 11 #5). Road data often carries them:
 *  - a popular or former name in parentheses after the official one: `海邊馬路(劏狗環)`,
 *    `肥利喇亞美打大馬路(荷蘭園大馬路)(荷蘭園正街)`;
 *  - the Portuguese name (Macau), itself sometimes with the popular name first: `(新馬路) Avenida de
 *    Almeida Ribeiro` for 亞美打利庇盧大馬路.
 * `roadAliases()` maps the road name as the registry writes it (name_zh as is) to its other names;
 * `addressAliases()` writes an address's text once with each of them.
 */
import type { AddressAlias } from './search-index.js';

export interface NamedRoad {
  properties: { name_zh?: unknown; name_pt?: unknown; [k: string]: unknown };
}

const PARENS = /[(（]([^()（）]+)[)）]/g;

/** The parts in parentheses and the name without them: `海邊馬路(劏狗環)` → ['海邊馬路', ['劏狗環']]. */
export function splitName(name: string): [string, string[]] {
  const inner = [...name.matchAll(PARENS)].map((m) => m[1].trim()).filter(Boolean);
  const base = name.replace(PARENS, ' ').replace(/\s+/g, ' ').trim();
  return [base, inner];
}

/** Road name (as in the registry) → its other names, official base name, popular names and Portuguese name. */
export function roadAliases(roads: Iterable<NamedRoad>): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const r of roads) {
    const zh = String(r.properties.name_zh ?? '').trim();
    if (!zh) continue;
    const names = out.get(zh) ?? new Set<string>();
    const [base, inner] = splitName(zh);
    if (base && base !== zh) names.add(base);
    for (const n of inner) names.add(n);
    const pt = String(r.properties.name_pt ?? '').trim();
    if (pt) {
      const [ptBase, ptInner] = splitName(pt);
      if (ptBase) names.add(ptBase);
      for (const n of ptInner) names.add(n);
    }
    names.delete(zh);
    if (names.size) out.set(zh, names);
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

/** The address text written with each other name of its road (none when the road has none or is not in the text). */
export function addressAliases(text: string, road: string, aliases: Map<string, string[]>): AddressAlias[] {
  const names = road ? aliases.get(road) : undefined;
  if (!names || !text.includes(road)) return [];
  return names.map((name) => {
    // A Latin name is a separate word: "Avenida de Almeida Ribeiro 12號".
    const latin = /[A-Za-z]$/.test(name);
    return { name, text: text.replace(road, latin ? `${name} ` : name) };
  });
}
