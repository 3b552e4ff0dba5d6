import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { demoOrganisation, loadDemoRoads } from '../../src/demo/city.js';
import { demoAddresses, syntheticAddresses, type GeneratedAddress } from '../../src/demo/addresses.js';
import { composeText, normalise, toSimplified } from '../../src/modules/addresses/normalise.js';
import { AddressIndex, lcsLength } from '../../src/modules/addresses/search-index.js';

describe('normalise', () => {
  it('converts traditional to simplified, full-width to half-width, drops spaces and punctuation', () => {
    expect(normalise('大學大馬路12號')).toBe('大学大马路12号');
    expect(normalise('大学大马路１２号')).toBe('大学大马路12号');
    expect(normalise(' 澳门半岛  孫逸仙大馬路（ＡＢ大廈）, 3座 ')).toBe('澳门半岛孙逸仙大马路ab大厦3座');
    expect(normalise('氹仔 路環')).toBe('氹仔路环');
    expect(normalise('——！？')).toBe('');
  });

  it('is per character: the normal form of a substring is a substring of the normal form', () => {
    fc.assert(
      fc.property(fc.constantFrom('澳门半岛 大學大馬路12號 海景大廈 A座', '氹仔 孫逸仙博士大馬路88號', '路環 九澳高頂馬路３號'), fc.nat(), fc.nat(), (text, a, b) => {
        const [i, j] = [a % (text.length + 1), b % (text.length + 1)].sort((x, y) => x - y);
        expect(normalise(text)).toContain(normalise(text.slice(i, j)));
      }),
    );
  });

  it('composes the full text with 號 once', () => {
    expect(composeText({ district: '氹仔', road: '孫逸仙博士大馬路', number: '88號', building: '海景大廈', unit: '第一座' })).toBe('氹仔 孫逸仙博士大馬路88號 海景大廈 第一座');
    expect(composeText({ district: '路环', road: '竹灣馬路', number: '', building: '', unit: '' })).toBe('路环 竹灣馬路');
  });

  it('lcsLength counts characters matched in order', () => {
    expect(lcsLength('大学马路12', '大学大马路12号')).toBe(6);
    expect(lcsLength('abc', 'xyz')).toBe(0);
  });
});

describe('search on the demo registry', () => {
  let demo: GeneratedAddress[];
  let index: AddressIndex;
  beforeAll(() => {
    demo = demoAddresses(loadDemoRoads(), demoOrganisation());
    index = new AddressIndex();
    for (const a of demo) index.add(a);
    index.build();
  });

  const top = (q: string) => index.search(q, 5)[0]?.text ?? '';

  it('generates 15–30k reproducible addresses with codes MO + 10 digits, in every district', () => {
    expect(demo.length).toBeGreaterThan(15_000);
    expect(demo.length).toBeLessThan(30_000);
    expect(demo.every((a) => /^MO\d{10}$/.test(a.code))).toBe(true);
    expect(new Set(demo.map((a) => a.code)).size).toBe(demo.length);
    expect(new Set(demo.map((a) => a.district))).toEqual(new Set(['澳门半岛', '氹仔', '路环']));
    expect(demo.filter((a) => a.stationId).length / demo.length).toBeGreaterThan(0.95);
    expect(demo.some((a) => a.building && a.unit)).toBe(true);
    const again = demoAddresses(loadDemoRoads(), demoOrganisation());
    expect(again.slice(0, 50)).toEqual(demo.slice(0, 50));
    expect(again.length).toBe(demo.length);
  });

  it('`大学马路12` finds 大學大馬路12號 first', () => {
    expect(top('大学马路12')).toMatch(/大學大馬路12號/);
    expect(normalise(top('大学马路12'))).toContain('大学大马路12号');
  });

  it('tolerates spaces, full-width digits and traditional/simplified differences', () => {
    for (const q of ['大學大馬路 12號', '大 学 大 马 路 １２', '大学大马路12号', '大學大馬路，12。']) expect(top(q)).toMatch(/大學大馬路12號/);
    expect(top('孙逸仙大马路')).toMatch(/孫逸仙大馬路/);
    expect(top('水坑尾街')).toMatch(/水坑尾街/);
  });

  it('tolerates missing characters', () => {
    const a = demo.find((x) => x.road === '水坑尾街' && x.number === '10' && !x.building) ?? demo.find((x) => x.road === '水坑尾街' && !x.building)!;
    expect(top(`水尾街${a.number}`)).toBe(a.text);
    expect(top(`水坑街${a.number}号`)).toBe(a.text);
  });

  it('ranks the exact door number above its prefixes and neighbours', () => {
    const hits = index.search('大學大馬路10', 10);
    expect(normalise(hits[0].text)).toContain('大学大马路10号');
  });

  it('answers one-character queries and empty ones', () => {
    expect(index.search('大', 5).length).toBe(5);
    expect(index.search('  ，。 ', 5)).toEqual([]);
  });

  it('property: an address searched by its own text ranks first (or ties with an identical text)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: demo.length - 1 }), fc.boolean(), (i, simplified) => {
        const q = simplified ? toSimplified(demo[i].text) : demo[i].text;
        const hits = index.search(q, 3);
        expect(normalise(hits[0].text)).toBe(normalise(demo[i].text));
        if (hits[0].code !== demo[i].code) expect(hits.some((h) => h.code === demo[i].code && h.score === hits[0].score)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reverse lookup returns the nearest addresses within the radius, nearest first', () => {
    const a = demo[1234];
    const hits = index.nearest(a.lon + 0.00005, a.lat, 60);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((h) => h.code === a.code)).toBe(true);
    for (let k = 1; k < hits.length; k++) expect(hits[k].distanceMeters).toBeGreaterThanOrEqual(hits[k - 1].distanceMeters);
    expect(hits.every((h) => h.distanceMeters <= 60)).toBe(true);
    expect(index.nearest(0, 0, 100)).toEqual([]);
  });
});

describe('AddressIndex', () => {
  it('finds addresses added after build() (overflow) and after a rebuild', () => {
    const idx = new AddressIndex();
    for (const a of syntheticAddresses(2000, 7)) idx.add(a);
    idx.build();
    idx.add({ code: 'X1', text: '澳门半岛 新填海大馬路8號', lon: 113.55, lat: 22.19 });
    expect(idx.pending).toBe(1);
    expect(idx.search('新填海马路8')[0].code).toBe('X1');
    idx.build();
    expect(idx.pending).toBe(0);
    expect(idx.search('新填海马路8')[0].code).toBe('X1');
    expect(() => idx.add({ code: 'X1', text: 'x', lon: 0, lat: 0 })).toThrow();
  });

  it('property: on arbitrary registries, a text searched by itself ranks first or ties with an identical text', () => {
    const part = fc.constantFrom('大學', '大马路', '馬路', '街', '孫逸仙', '博士', '水坑尾', '新', '花園', '海景', '大廈', '第一座', 'A座', '路', '巷', '南灣', '东');
    const text = fc.tuple(fc.array(part, { minLength: 1, maxLength: 5 }), fc.option(fc.integer({ min: 1, max: 300 }))).map(([ps, n]) => ps.join('') + (n === null ? '' : `${n}號`));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 80 }), fc.nat(), (texts, pick) => {
        const idx = new AddressIndex();
        texts.forEach((t, k) => idx.add({ code: `C${k}`, text: t, lon: 113.5, lat: 22.2 }));
        idx.build();
        const q = texts[pick % texts.length];
        const hits = idx.search(q, 5);
        expect(normalise(hits[0].text)).toBe(normalise(q));
      }),
      { numRuns: 200 },
    );
  });
});
