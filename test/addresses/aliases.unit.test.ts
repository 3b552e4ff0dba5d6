/**
 * Issue 11 #5: local street names. The road data names 亞美打利庇盧大馬路 "(新馬路)" and its Portuguese
 * name; the search finds the street by either, and no longer offers unrelated addresses for them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { demoOrganisation, loadDemoRoads } from '../../src/demo/city.js';
import { demoAddresses, type GeneratedAddress } from '../../src/demo/addresses.js';
import { AddressIndex } from '../../src/modules/addresses/search-index.js';
import { addressAliases, roadAliases, splitName } from '../../src/modules/addresses/road-aliases.js';

describe('road aliases from the road data', () => {
  it('splits popular names in parentheses from the official name', () => {
    expect(splitName('海邊馬路(劏狗環)')).toEqual(['海邊馬路', ['劏狗環']]);
    expect(splitName('肥利喇亞美打大馬路(荷蘭園大馬路)(荷蘭園正街)')).toEqual(['肥利喇亞美打大馬路', ['荷蘭園大馬路', '荷蘭園正街']]);
    expect(splitName('(新馬路) Avenida de Almeida Ribeiro')).toEqual(['Avenida de Almeida Ribeiro', ['新馬路']]);
    expect(splitName('大學大馬路')).toEqual(['大學大馬路', []]);
  });

  it('maps a road to its popular and Portuguese names', () => {
    const m = roadAliases(loadDemoRoads().features);
    expect(m.get('亞美打利庇盧大馬路')).toEqual(expect.arrayContaining(['新馬路', 'Avenida de Almeida Ribeiro']));
    expect(m.get('海邊馬路(劏狗環)')).toEqual(expect.arrayContaining(['海邊馬路', '劏狗環', 'Estrada de Cacilhas']));
    expect(m.get('大學大馬路')).toEqual(['Avenida da Universidade']);
  });

  it('writes an address with each other name of its road', () => {
    const m = new Map([['亞美打利庇盧大馬路', ['新馬路', 'Avenida de Almeida Ribeiro']]]);
    expect(addressAliases('澳门半岛 亞美打利庇盧大馬路5號', '亞美打利庇盧大馬路', m)).toEqual([
      { name: '新馬路', text: '澳门半岛 新馬路5號' },
      { name: 'Avenida de Almeida Ribeiro', text: '澳门半岛 Avenida de Almeida Ribeiro 5號' },
    ]);
    expect(addressAliases('澳门半岛 大學大馬路5號', '大學大馬路', m)).toEqual([]);
  });
});

describe('search by other names on the demo registry', () => {
  let demo: GeneratedAddress[];
  let index: AddressIndex;
  beforeAll(() => {
    const aliases = roadAliases(loadDemoRoads().features);
    demo = demoAddresses(loadDemoRoads(), demoOrganisation());
    index = new AddressIndex();
    for (const a of demo) index.add({ ...a, aliases: addressAliases(a.text, a.road, aliases) }, false);
    index.build();
  });

  it('`新馬路` finds 亞美打利庇盧大馬路 first, naming the alias', () => {
    const hits = index.search('新馬路', 8);
    expect(hits[0].text).toContain('亞美打利庇盧大馬路');
    expect(hits[0].alias).toBe('新馬路');
    // 青洲新馬路 is still found, after it.
    expect(index.search('青洲新马路', 3)[0].text).toContain('青洲新馬路');
  });

  it('`新马路5` finds 亞美打利庇盧大馬路5號 among the first', () => {
    const hits = index.search('新马路5', 5);
    expect(hits.slice(0, 2).map((h) => h.text).join(' | ')).toMatch(/亞美打利庇盧大馬路5號/);
  });

  it('`Almeida Ribeiro` finds the street (Portuguese name) with positive scores, no unrelated D座 buildings', () => {
    const hits = index.search('Almeida Ribeiro', 8);
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) {
      expect(h.text).toContain('亞美打利庇盧大馬路');
      expect(h.score).toBeGreaterThan(0);
    }
    expect(hits[0].alias).toBe('Avenida de Almeida Ribeiro');
    expect(index.search('avenida almeida ribeiro 12', 3)[0].text).toMatch(/亞美打利庇盧大馬路12號/);
  });

  it('finds a road by its name in parentheses, and by its name without them', () => {
    expect(index.search('劏狗環', 3)[0]?.text).toContain('海邊馬路(劏狗環)');
    expect(index.search('荷兰园正街', 3)[0]?.text).toContain('肥利喇亞美打大馬路');
  });

  it('offers nothing that matches less than half of what was typed', () => {
    expect(index.search('威尼斯人酒店正门', 8).filter((h) => h.text.includes('酒店斜路'))).toEqual([]);
  });

  it('keeps the registry text the hit shows (the alias only names the match)', () => {
    const hit = index.search('Avenida de Almeida Ribeiro 5', 1)[0];
    expect(hit.text).toMatch(/^澳门半岛 亞美打利庇盧大馬路5號/);
  });
});
