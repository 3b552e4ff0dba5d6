/** Issue 11 #6: typing 打架 offers 殴打他人 (not only 聚众斗殴), by synonyms, and the common leaves first. */
import { describe, expect, it } from 'vitest';
import { flattenTree } from '../../../src/modules/incidents/domain/categories.js';
import { commonness, searchCategories, synonymsOf, type SearchableLeaf } from '../../../src/modules/incidents/domain/category-search.js';

const leaves = (usage = new Map<string, number>()): SearchableLeaf[] =>
  flattenTree()
    .filter((r) => r.leaf)
    .map((r) => ({ code: r.code, name: r.name, nameEn: r.nameEn, keywords: r.keywords, synonyms: synonymsOf(r.name, r.keywords), commonness: usage.get(r.code) ?? 0 }));

const code = (name: string) => flattenTree().find((r) => r.leaf && r.name === name)!.code;

describe('category search', () => {
  it('gives 殴打他人 the synonyms of its keywords (打人, 殴打 → 打架)', () => {
    const r = flattenTree().find((x) => x.name === '殴打他人')!;
    expect(r.keywords).not.toContain('打架');
    expect(synonymsOf(r.name, r.keywords)).toContain('打架');
  });

  it('`打架` offers 殴打他人 and 聚众斗殴', () => {
    const names = searchCategories(leaves(), '打架').map((l) => l.name);
    expect(names).toContain('殴打他人');
    expect(names).toContain('聚众斗殴');
  });

  it('ranks the more common of equally good matches first', () => {
    const usage = commonness(new Map([[code('抢夺'), 300], [code('抢劫'), 20]]));
    const names = searchCategories(leaves(usage), '抢').map((l) => l.name);
    expect(names.indexOf('抢夺')).toBeLessThan(names.indexOf('抢劫'));
    const reversed = searchCategories(leaves(commonness(new Map([[code('抢夺'), 5], [code('抢劫'), 300]]))), '抢').map((l) => l.name);
    expect(reversed.indexOf('抢劫')).toBeLessThan(reversed.indexOf('抢夺'));
  });

  it('puts a leaf named as typed before leaves that only share a synonym', () => {
    expect(searchCategories(leaves(), '聚众斗殴')[0].name).toBe('聚众斗殴');
  });

  it('scales commonness 0–100 from call counts', () => {
    const c = commonness(new Map([['a', 400], ['b', 100], ['c', 0]]));
    expect(c.get('a')).toBe(100);
    expect(c.get('b')).toBe(50);
    expect(c.get('c')).toBe(0);
    expect(commonness(new Map()).size).toBe(0);
  });
});
