/** The weekly report's pure parts: canonical JSON and its hash, revision notes, the week a request names, the Monday job's week, the zip dates. */
import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { canonicalJson, snapshotHash } from '../../src/modules/reports/domain/canonical.js';
import { revisionNotes } from '../../src/modules/reports/domain/revisions.js';
import { chooseWeek, lastWeek, WeekInputError } from '../../src/modules/reports/domain/weeks.js';
import type { WeeklySnapshot } from '../../src/modules/reports/domain/snapshot.js';
import { yoyText } from '../../src/modules/reports/wording.js';
import { pinZipDates } from '../../src/modules/reports/zip-dates.js';

const measure = (value: number | null, from = '2026-11-23', to = '2026-11-29') => ({ value, numerator: null, denominator: null, from, to });

function snapshot(over: Partial<WeeklySnapshot> = {}): WeeklySnapshot {
  return {
    format: 1,
    kind: 'weekly',
    week: '2026-W48',
    from: '2026-11-23',
    to: '2026-11-29',
    timeZone: 'Asia/Macau',
    compare: { from: '2025-11-24', to: '2025-11-30', rule: 'iso_week' },
    unit: { id: 'MO', name: '市局', kind: 'bureau' },
    asOf: '2026-11-30T00:00:00.000Z',
    headline: [{ id: 'incident.count', version: 1, zh: '警情数', en: 'Incidents', unit: 'count', better: 'neither', current: measure(27), previous: measure(20, '2025-11-24', '2025-11-30'), rule: 'iso_week', change: 7, pct: 35, z: 1.4, significant: false, direction: 'same' }],
    families: [{ family: '01', zh: '刑事警情', en: 'Criminal', current: 10, previous: 8, change: 2, pct: 25, z: 0.6, significant: false, direction: 'same' }],
    heat: Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0)),
    notable: [],
    notableTotal: 0,
    ...over,
  };
}

describe('canonical JSON and the snapshot hash', () => {
  it('sorts keys at every depth and keeps array order, so key order never changes the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    const a = snapshot();
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(a).reverse())));
    expect(snapshotHash(reordered)).toBe(snapshotHash(a));
    expect(snapshotHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(snapshotHash(snapshot({ notableTotal: 1 }))).not.toBe(snapshotHash(a));
  });

  it('survives a round trip through JSON (as through jsonb) with the same hash', () => {
    const a = snapshot({ headline: [{ ...snapshot().headline[0]!, z: 0.1 + 0.2 }] });
    expect(snapshotHash(JSON.parse(JSON.stringify(a)))).toBe(snapshotHash(a));
  });

  it('refuses NaN (it has no JSON form)', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/NaN/);
  });
});

describe('revision notes', () => {
  it('are empty when no figure differs', () => {
    expect(revisionNotes(snapshot(), snapshot())).toEqual([]);
  });

  it('name each figure that changed, this week and last year, in both languages', () => {
    const after = snapshot({ headline: [{ ...snapshot().headline[0]!, current: measure(25) }], families: [{ ...snapshot().families[0]!, current: 8 }] });
    const notes = revisionNotes(snapshot(), after);
    expect(notes.map((n) => n.en)).toEqual(['figure Incidents for the week revised from 27 to 25', 'figure Criminal incidents for the week revised from 10 to 8']);
    expect(notes[0]!.zh).toBe('本周警情数由 27 修订为 25');
    const lastYear = revisionNotes(snapshot(), snapshot({ families: [{ ...snapshot().families[0]!, previous: 9 }] }));
    expect(lastYear.map((n) => n.en)).toEqual(["figure Criminal incidents for last year's span revised from 8 to 9"]);
  });

  it('name a family that appears or disappears, the P1 count and the heat table', () => {
    const heat = snapshot().heat.map((r) => [...r]);
    heat[1]![9] = 2;
    const after = snapshot({ families: [...snapshot().families, { family: '02', zh: '治安警情', en: 'Public order', current: 2, previous: 0, change: 2, pct: null, z: 2.8, significant: false, direction: 'same' }], notableTotal: 1, heat });
    expect(revisionNotes(snapshot(), after).map((n) => n.en)).toEqual(['figure Public order incidents for the week revised from 0 to 2', 'figure P1 incidents for the week revised from 0 to 1', 'the weekday × hour table was revised']);
  });

  it('show a rate with its two numbers', () => {
    const rate = (n: number, d: number) => ({ value: n / d, numerator: n, denominator: d, from: '2026-11-23', to: '2026-11-29' });
    const f = { id: 'incident.satisfaction', version: 1, zh: '回访满意率', en: 'Callback satisfaction', unit: 'rate', better: 'up', current: rate(9, 10), previous: null, rule: 'iso_week', change: null, pct: null, z: null, significant: false, direction: 'same' as const };
    expect(revisionNotes(snapshot({ headline: [f] }), snapshot({ headline: [{ ...f, current: rate(8, 10) }] }))[0]!.en).toBe('figure Callback satisfaction for the week revised from 90.00% (9/10) to 80.00% (8/10)');
  });
});

describe('the week a request names', () => {
  const today = '2026-12-02';
  it('takes an ISO week label or its Monday', () => {
    expect(chooseWeek({ week: '2026-W48' }, today)).toEqual({ label: '2026-W48', from: '2026-11-23', to: '2026-11-29' });
    expect(chooseWeek({ weekStart: '2026-11-23' }, today)).toEqual({ label: '2026-W48', from: '2026-11-23', to: '2026-11-29' });
    // Week 1 of 2026 starts in 2025; 2020 had a week 53.
    expect(chooseWeek({ week: '2026-W01' }, today)).toEqual({ label: '2026-W01', from: '2025-12-29', to: '2026-01-04' });
    expect(chooseWeek({ week: '2020-W53' }, today).to).toBe('2021-01-03');
  });

  it('names the field at fault', () => {
    const field = (input: { week?: string; weekStart?: string }) => {
      try {
        chooseWeek(input, today);
        return null;
      } catch (e) {
        return e instanceof WeekInputError ? e.field : String(e);
      }
    };
    expect(field({ week: '2026-W60' })).toBe('week');
    expect(field({ week: '2025-W53' })).toBe('week');
    expect(field({ weekStart: '2026-11-24' })).toBe('weekStart');
    expect(field({})).toBe('week');
    expect(field({ week: '2026-W48', weekStart: '2026-11-23' })).toBe('week');
    expect(field({ week: '2026-W50' })).toBe('week');
  });

  it('gives the Monday job last week from any day of this one', () => {
    expect(lastWeek('2026-11-30').label).toBe('2026-W48');
    expect(lastWeek('2026-12-06').label).toBe('2026-W48');
    expect(lastWeek('2027-01-04')).toEqual({ label: '2026-W53', from: '2026-12-28', to: '2027-01-03' });
  });
});

describe('the report wording', () => {
  it('says 无显著变化 when chance explains the change, and the size when it does not', () => {
    expect(yoyText({ unit: 'count', significant: false, direction: 'same', change: 5, pct: 125 })).toBe('无显著变化');
    expect(yoyText({ unit: 'count', significant: true, direction: 'down', change: -40, pct: -20.5 })).toBe('同比下降 20.5%');
    expect(yoyText({ unit: 'rate', significant: true, direction: 'up', change: 1.04, pct: null })).toBe('同比上升 1.04 个百分点');
    // Durations: the difference, in whole seconds.
    expect(yoyText({ unit: 'seconds', significant: false, direction: 'same', change: 4.07, pct: null })).toBe('较去年同期增加 4 秒');
    expect(yoyText({ unit: 'seconds', significant: false, direction: 'same', change: -0.03, pct: null })).toBe('与去年同期持平');
  });
});

describe('zip dates', () => {
  it('sets every entry of a zip to one time, in the local headers and the central directory', () => {
    const zip = storedZip([['a.txt', 'hello'], ['b/c.xml', '<x/>']]);
    const pinned = pinZipDates(zip, new Date('2026-11-30T01:02:04Z'));
    expect(pinned.length).toBe(zip.length);
    const expectTime = (1 << 11) | (2 << 5) | 2;
    const expectDate = ((2026 - 1980) << 9) | (11 << 5) | 30;
    expect([pinned.readUInt16LE(10), pinned.readUInt16LE(12)]).toEqual([expectTime, expectDate]);
    expect(pinZipDates(zip, new Date('2026-11-30T01:02:04Z')).equals(pinned)).toBe(true);
  });
});

/** A minimal zip (DEFLATE entries, arbitrary dates) to pin. */
function storedZip(files: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = deflateRawSync(Buffer.from(text));
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x1234, 10);
    local.writeUInt16LE(0x5678, 12);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(text.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x1234, 12);
    central.writeUInt16LE(0x5678, 14);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(text.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
