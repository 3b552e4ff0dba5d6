import { describe, it, expect } from 'vitest';
import {
  CATEGORY_TREE,
  CAPABILITIES,
  PRIORITIES,
  TRANSFER_TARGETS,
  categoryFamily,
  categoryPath,
  findCategory,
  flattenTree,
  isLeaf,
  isPureTransfer,
  leafCategories,
  type CategoryNode,
} from '../../../src/modules/incidents/domain/categories.js';

const all: CategoryNode[] = [];
(function walk(nodes: readonly CategoryNode[]) {
  for (const n of nodes) {
    all.push(n);
    if (n.children) walk(n.children);
  }
})(CATEGORY_TREE);

describe('category taxonomy', () => {
  it('has at least 60 leaves and the required level-1 families', () => {
    expect(leafCategories().length).toBeGreaterThanOrEqual(60);
    const families = Object.fromEntries(CATEGORY_TREE.map((n) => [n.name, n.code]));
    for (const name of ['刑事', '治安', '交通', '火灾/救援', '纠纷', '求助', '举报投诉', '群众求助转办', '无效/骚扰']) expect(families[name]).toBeDefined();
  });

  it('codes are unique, two digits per level, and prefixed by their parent', () => {
    const codes = all.map((n) => n.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const n of all) {
      expect(n.code).toMatch(/^(\d{2}){1,4}$/);
      expect(n.code.length).toBe(n.level * 2);
      if (n.level === 1) expect(n.parentCode).toBeNull();
      else {
        expect(n.parentCode).toBe(n.code.slice(0, -2));
        expect(findCategory(n.parentCode!)?.children).toContain(n);
      }
    }
  });

  it('leaves are at level 4 unless explicitly marked; branches have children and no leaf data', () => {
    for (const n of all) {
      if (n.leaf) {
        expect(n.children).toBeUndefined();
        if (n.level < 4) expect(n.leaf).toBe(true);
      } else {
        expect(n.children!.length).toBeGreaterThan(0);
        expect(n.defaultPriority).toBeUndefined();
        expect(n.level).toBeLessThan(4);
      }
    }
    // The invalid family is the one that stops early.
    expect(isLeaf('0901')).toBe(true);
    expect(leafCategories().filter((l) => l.level < 4).every((l) => l.code.startsWith('09'))).toBe(true);
  });

  it('every leaf has a priority, known capabilities, keywords and a valid transfer target', () => {
    for (const l of leafCategories()) {
      expect(PRIORITIES).toContain(l.defaultPriority);
      for (const c of l.capabilities!) expect(Object.keys(CAPABILITIES)).toContain(c);
      expect(l.keywords!.length).toBeGreaterThan(0);
      if (l.transferTo) expect(TRANSFER_TARGETS).toContain(l.transferTo);
      if (l.code.startsWith('08')) {
        expect(l.transferTo).toBeDefined();
        expect(isPureTransfer(l.code)).toBe(true);
      } else expect(isPureTransfer(l.code)).toBe(false);
      expect(l.name).not.toBe('');
      expect(l.nameEn).toMatch(/[A-Za-z]/);
    }
  });

  it('life-threatening leaves default to P1, nuisances to P4', () => {
    expect(findCategory('01020101')?.defaultPriority).toBe('P1'); // 抢劫
    expect(findCategory('04010101')?.defaultPriority).toBe('P1'); // 建筑火灾
    expect(findCategory('06010101')?.defaultPriority).toBe('P1'); // 儿童走失
    expect(findCategory('02020202')?.defaultPriority).toBe('P4'); // 噪音扰民
  });

  it('lookups', () => {
    expect(categoryFamily('01020101')).toBe('01');
    expect(categoryFamily('0901')).toBe('09');
    expect(categoryFamily('99999999')).toBe('99');
    expect(categoryFamily('1')).toBeNull();
    expect(categoryFamily('abc')).toBeNull();
    expect(categoryPath('01020101')).toEqual(['刑事', '侵犯财产', '抢劫抢夺', '抢劫']);
    expect(categoryPath('01020101', 'en')).toEqual(['Criminal', 'Offences against property', 'Robbery and snatching', 'Robbery']);
    expect(categoryPath('nope')).toEqual([]);
    expect(isLeaf('0102')).toBe(false);
    expect(isLeaf('01020101')).toBe(true);
    expect(findCategory('nope')).toBeUndefined();
  });

  it('flattenTree gives one row per node, parents first, with sibling sort order', () => {
    const rows = flattenTree();
    expect(rows.length).toBe(all.length);
    const seen = new Set<string>();
    for (const r of rows) {
      if (r.parentCode) expect(seen.has(r.parentCode)).toBe(true);
      seen.add(r.code);
      expect(r.sortOrder).toBeGreaterThanOrEqual(1);
      if (r.leaf) expect(r.defaultPriority).not.toBeNull();
      else expect(r.defaultPriority).toBeNull();
      expect(Array.isArray(r.capabilities) && Array.isArray(r.keywords)).toBe(true);
    }
    const siblings = rows.filter((r) => r.parentCode === '01');
    expect(siblings.map((r) => r.sortOrder)).toEqual(siblings.map((_, i) => i + 1));
    // Rows are copies: mutating one does not touch the tree.
    rows[0].keywords.push('x');
    expect(findCategory(rows[0].code)?.keywords ?? []).not.toContain('x');
  });
});
