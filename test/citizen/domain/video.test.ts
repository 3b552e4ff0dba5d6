/**
 * Citizens' videos, pure: sniffing, the duration of MP4 (mvhd v0/v1, mehd) and WebM (Info Duration, or
 * the last block of known- and unknown-size Clusters), the location boxes turned into `free` (and WebM
 * Tags into Void) without moving a byte, and random bytes always a clean refusal, never a loop.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyPatches, bufferSource, probeVideo, sniffVideo, windowed, type VideoProbe } from '../../../src/modules/citizen/domain/video.js';
import { readVint, voidOver } from '../../../src/modules/citizen/domain/webm.js';
import { box, GPS, GPS_APPLE, largeBox, mp4, mvhd, webm } from '../video-fixtures.js';

const probe = (b: Uint8Array) => probeVideo(bufferSource(b));
const ok = (p: VideoProbe) => {
  if (!p.ok) throw new Error(`refused: ${p.reason}`);
  return p;
};

describe('sniffing', () => {
  it.each([
    ['mp4', mp4(), 'mp4'],
    ['MOV (qt brand)', mp4({ brand: 'qt  ' }), 'quicktime'],
    ['HEIC image', mp4({ brand: 'heic' }), null],
    ['AVIF image', mp4({ brand: 'avif' }), null],
    ['WebM', webm(), 'webm'],
    ['ELF executable', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(100)]), null],
    ['Windows executable', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]), null],
    ['JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0]), null],
    ['empty', Buffer.alloc(0), null],
  ])('%s', (_name, bytes, want) => expect(sniffVideo(bytes)).toBe(want));
});

describe('MP4 duration', () => {
  it.each([
    ['version 0, 600/s, 12 s', mp4({ seconds: 12 }), 12_000],
    ['version 0, 90000/s, 10.5 s', mp4({ seconds: 10.5, timescale: 90_000 }), 10_500],
    ['version 1 (64-bit), 1000/s, 9.999 s', mp4({ version: 1, timescale: 1000, seconds: 9.999 }), 9_999],
    ['version 1, a duration past 2^32', mp4({ version: 1, timescale: 1_000_000, rawDuration: 5_000_000_000n }), 5_000_000],
    ['unknown mvhd duration, fragmented: mehd', mp4({ rawDuration: 0xffffffff, mehd: 7200 }), 12_000],
    ['zero mvhd duration, fragmented: mehd', mp4({ rawDuration: 0, mehd: 6000 }), 10_000],
    ['MOV', mp4({ brand: 'qt  ', seconds: 30 }), 30_000],
  ])('%s', async (_name, bytes, ms) => expect(ok(await probe(bytes)).durationMs).toBe(ms));

  it.each([
    ['no video track (audio only)', mp4({ handler: 'soun' }), 'no_video'],
    ['unknown duration, no mehd', mp4({ rawDuration: 0xffffffff }), 'no_duration'],
    ['timescale 0', mp4({ timescale: 0, rawDuration: 100 }), 'no_duration'],
    ['no moov', Buffer.concat([box('ftyp', Buffer.from('isom'), Buffer.alloc(4)), box('mdat', Buffer.alloc(64))]), 'structure'],
    ['a box overrunning the file', Buffer.concat([box('ftyp', Buffer.from('isom'), Buffer.alloc(4)), Buffer.from([0, 0, 1, 0]), Buffer.from('moov'), Buffer.alloc(20)]), 'structure'],
    ['a child overrunning moov', Buffer.concat([box('ftyp', Buffer.from('isom'), Buffer.alloc(4)), box('moov', Buffer.from([0, 0, 0, 200]), Buffer.from('trak'))]), 'structure'],
    ['a box of size 4', Buffer.concat([box('ftyp', Buffer.from('isom'), Buffer.alloc(4)), Buffer.from([0, 0, 0, 4]), Buffer.from('free'), Buffer.alloc(8)]), 'structure'],
    ['mvhd version 7', Buffer.concat([box('ftyp', Buffer.from('isom'), Buffer.alloc(4)), box('moov', box('mvhd', Buffer.from([7, 0, 0, 0]), Buffer.alloc(96)))]), 'structure'],
    ['a truncated mvhd', Buffer.concat([box('ftyp', Buffer.from('isom'), Buffer.alloc(4)), box('moov', box('mvhd', Buffer.from([0, 0, 0, 0]), Buffer.alloc(6)))]), 'structure'],
    ['an executable', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(2000)]), 'type'],
  ])('refused: %s', async (_name, bytes, reason) => expect(await probe(bytes)).toEqual({ ok: false, reason }));

  it('a 64-bit moov size and a size-0 last box are read', async () => {
    const ftyp = box('ftyp', Buffer.from('isom'), Buffer.alloc(4));
    const trak = box('trak', box('mdia', box('hdlr', Buffer.alloc(8), Buffer.from('vide'), Buffer.alloc(12))));
    const moov = largeBox('moov', mvhd(1, 1000, 15_000), trak);
    const mdat = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from('mdat'), Buffer.alloc(100)]);
    expect(ok(await probe(Buffer.concat([ftyp, moov, mdat]))).durationMs).toBe(15_000);
  });
});

describe('MP4 location removed in place', () => {
  it('udta (©xyz, loci), meta (ISO6709) and XMP become free boxes of the same size; the rest is untouched', async () => {
    const original = mp4({ gps: true, seconds: 11 });
    expect(original.includes(GPS)).toBe(true);
    const p = ok(await probe(original));
    expect([...new Set(p.patches.map((x) => x.what))].sort()).toEqual(['moov/meta', 'moov/trak/udta', 'moov/udta', 'uuid(XMP)']);
    const out = Buffer.from(applyPatches(original, p.patches));
    expect(out.length).toBe(original.length);
    // Nothing outside the freed boxes changed: the media data and every offset into it stay as they were.
    const mdat = original.indexOf('mdat') - 4;
    expect(out.subarray(mdat).equals(original.subarray(mdat))).toBe(true);
    // Read again: the same duration, nothing left to remove, no box a reader would take for a place.
    const again = ok(await probe(out));
    expect(again.durationMs).toBe(11_000);
    expect(again.patches).toEqual([]);
    for (const gone of ['udta', 'meta', '\xa9xyz', 'loci', GPS, GPS_APPLE, 'ISO6709', 'GPSLatitude']) expect(out.includes(Buffer.from(gone, 'latin1')), gone).toBe(false);
  });

  it('a video without location has nothing to remove', async () => expect(ok(await probe(mp4())).patches).toEqual([]));
});

describe('WebM', () => {
  it.each([
    ['Info Duration', webm({ seconds: 12 }), 12_000],
    ['no Duration: the last block (MediaRecorder)', webm({ seconds: 11, withDuration: false }), 11_000],
    ['no Duration, unknown-size segment and clusters', webm({ seconds: 10.25, withDuration: false, unknownSizes: true }), 10_250],
    ['short', webm({ seconds: 4 }), 4_000],
  ])('%s', async (_name, bytes, ms) => expect(ok(await probe(bytes)).durationMs).toBe(ms));

  it.each([
    ['Matroska (not WebM)', webm({ docType: 'matroska' }), 'type'],
    ['no video track', webm({ video: false }), 'no_video'],
    ['truncated inside a cluster', webm({ seconds: 12 }).subarray(0, 300), 'structure'],
  ])('refused: %s', async (_name, bytes, reason) => expect(await probe(bytes)).toEqual({ ok: false, reason }));

  it('Tags become a Void element of the same length (unknown sizes too)', async () => {
    for (const unknownSizes of [false, true]) {
      const original = webm({ seconds: 12, tags: GPS, unknownSizes, withDuration: !unknownSizes });
      const p = ok(await probe(original));
      expect(p.patches.map((x) => x.what)).toEqual(['Segment/Tags', 'Segment/Tags']);
      const out = Buffer.from(applyPatches(original, p.patches));
      expect(out.length).toBe(original.length);
      expect(out.includes(GPS)).toBe(false);
      const again = ok(await probe(out));
      expect(again.durationMs).toBe(12_000);
      expect(again.patches).toEqual([]);
    }
  });

  it('EBML integers', () => {
    expect(readVint(Buffer.from([0x81]), 0, false)).toEqual({ value: 1, length: 1, unknown: false });
    expect(readVint(Buffer.from([0x40, 0x02]), 0, false)).toEqual({ value: 2, length: 2, unknown: false });
    expect(readVint(Buffer.from([0xff]), 0, false).unknown).toBe(true);
    expect(readVint(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), 0, true).value).toBe(0x1a45dfa3);
    expect(() => readVint(Buffer.from([0]), 0, false)).toThrow();
    const w = voidOver({ id: 0x1254c367, start: 0, body: 12, end: 112, sizeLength: 8 })!;
    expect(w.length).toBe(9);
    expect(readVint(w, 1, false)).toEqual({ value: 103, length: 8, unknown: false });
    expect(voidOver({ id: 0x1254c367, start: 0, body: 5, end: 200, sizeLength: 1 })).toBeNull(); // 198 does not fit in 1 byte: left as it is
  });
});

describe('random bytes', () => {
  const settle = async (b: Uint8Array) => {
    const p = await probeVideo(windowed(bufferSource(b), 64));
    if (p.ok) expect(p.durationMs).toBeGreaterThanOrEqual(0);
    else expect(['type', 'structure', 'no_video', 'no_duration']).toContain(p.reason);
  };
  it('never throw and always end, whatever follows a valid start', async () => {
    const starts = [mp4().subarray(0, 40), webm().subarray(0, 40), Buffer.alloc(0)];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...starts), fc.uint8Array({ maxLength: 600 }), async (start, tail) => settle(Buffer.concat([start, tail]))),
      { numRuns: 400 },
    );
  });
  it('never throw when valid files are corrupted or cut', async () => {
    const files = [mp4({ gps: true }), webm({ tags: 'x' }), webm({ withDuration: false, unknownSizes: true })];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(), async (file, flips, cut) => {
        const b = Buffer.from(file);
        for (const [at, v] of flips) b[at % b.length] = v;
        await settle(b.subarray(0, b.length - (cut % 64)));
      }),
      { numRuns: 400 },
    );
  });
});
