/**
 * The lossless JPEG metadata walker: tables of hand-made and real (sharp-made) JPEGs, the pixels identical
 * after stripping, and properties over random, truncated, mutated and randomly assembled inputs — never a
 * throw, always an end, and never an APP1 in the output other than the one-tag orientation block.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sharp from 'sharp';
import { exifOrientation, jpegSegments, orientationExif, stripJpegMetadata, withSegments } from '../../../src/modules/citizen/domain/jpeg-strip.js';

const seg = (marker: number, payload: number[] | Buffer) => {
  const p = Buffer.from(payload);
  return Buffer.concat([Buffer.from([0xff, marker, (p.length + 2) >> 8, (p.length + 2) & 0xff]), p]);
};
const text = (s: string) => [...Buffer.from(s, 'latin1')];
/** An EXIF payload (little-endian TIFF) with Make, GPS IFD pointer and, when given, the orientation. */
const exif = (orientation?: number) => {
  const entries: number[][] = [[0x0f, 0x01, 2, 0, 4, 0, 0, 0, ...text('Cam\0')]];
  if (orientation !== undefined) entries.push([0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0]);
  entries.push([0x25, 0x88, 4, 0, 1, 0, 0, 0, 0x30, 0, 0, 0]);
  return [...text('Exif\0\0'), 0x49, 0x49, 42, 0, 8, 0, 0, 0, entries.length, 0, ...entries.flat(), 0, 0, 0, 0, ...text('GPS 22N 113E')];
};
const SOF = seg(0xc0, [8, 0, 16, 0, 24, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
const DQT = seg(0xdb, [0, ...Array<number>(64).fill(1)]);
const DHT = seg(0xc4, [0, ...Array<number>(16).fill(0)]);
const SOS = seg(0xda, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0]);
const ENTROPY = Buffer.from([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0x00, 0x78]);
const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);
const jpeg = (...parts: Buffer[]) => Buffer.concat([SOI, ...parts]);
const body = [DQT, SOF, DHT, SOS, ENTROPY, EOI];
const markers = (b: Uint8Array) => jpegSegments(b)?.map((s) => s.marker.toString(16));

const allowedApps = (out: Buffer) => {
  for (const s of jpegSegments(out) ?? []) {
    if (s.marker === 0xe1) expect(Buffer.concat([Buffer.from([0xff, 0xe1, 0, s.payload.length + 2]), s.payload]).equals(orientationExif(exifOrientation(s.payload)))).toBe(true);
    else if (s.marker >= 0xe0 && s.marker <= 0xef) expect([0xe0, 0xe2, 0xee]).toContain(s.marker);
    expect(s.marker).not.toBe(0xfe);
  }
};

describe('JPEG metadata walker', () => {
  it.each([
    ['EXIF with GPS, IPTC and a comment go; JFIF stays', jpeg(seg(0xe0, text('JFIF\0\x01\x01')), seg(0xe1, exif()), seg(0xed, text('Photoshop 3.0\0IPTC name')), seg(0xfe, text('by Zhang San')), ...body), ['d8', 'e0', 'db', 'c0', 'c4', 'da', 'd9']],
    ['XMP, JFXX thumbnail, MPF and maker APPn go; ICC and Adobe stay', jpeg(seg(0xe1, text('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPS</x:xmpmeta>')), seg(0xe0, text('JFXX\0thumb')), seg(0xe2, text('MPF\0II*\0')), seg(0xe2, text('ICC_PROFILE\0\x01\x01prof')), seg(0xe9, text('maker')), seg(0xee, text('Adobe\0d')), ...body), ['d8', 'e2', 'ee', 'db', 'c0', 'c4', 'da', 'd9']],
    ['a JFIF thumbnail goes, the JFIF header stays', jpeg(seg(0xe0, [...text('JFIF\0'), 1, 2, 1, 0, 72, 0, 72, 2, 1, ...text('GPSCam')]), ...body), ['d8', 'e0', 'db', 'c0', 'c4', 'da', 'd9']],
    ['orientation 6 is kept as a one-tag EXIF after JFIF', jpeg(seg(0xe0, text('JFIF\0\x01\x01')), seg(0xe1, exif(6)), ...body), ['d8', 'e0', 'e1', 'db', 'c0', 'c4', 'da', 'd9']],
    ['orientation 1 needs no EXIF at all', jpeg(seg(0xe1, exif(1)), ...body), ['d8', 'db', 'c0', 'c4', 'da', 'd9']],
    ['an invalid orientation (9) counts as 1', jpeg(seg(0xe1, exif(9)), ...body), ['d8', 'db', 'c0', 'c4', 'da', 'd9']],
    ['fill bytes before markers and a comment between progressive scans', jpeg(Buffer.from([0xff, 0xff]), DQT, SOF, DHT, SOS, ENTROPY, seg(0xfe, text('between scans')), DHT, SOS, ENTROPY, Buffer.from([0xff, 0xff]), EOI), ['d8', 'db', 'c0', 'c4', 'da', 'c4', 'da', 'd9']],
    ['what follows the end of the image (an appended preview with its own EXIF) goes', Buffer.concat([jpeg(...body), jpeg(seg(0xe1, exif(3)), ...body)]), ['d8', 'db', 'c0', 'c4', 'da', 'd9']],
  ])('%s', (_name, input, want) => {
    const out = stripJpegMetadata(input);
    expect(out).not.toBeNull();
    expect(markers(out!.bytes)).toEqual(want);
    expect(out!.bytes.includes(Buffer.from('GPS'))).toBe(false);
    expect(out!.bytes.includes(Buffer.from('Cam'))).toBe(false);
    expect(out!.removed).toBe(input.length - out!.bytes.length);
    expect(out!.rgbIcc).toEqual([]); // 'prof' is no RGB profile
    expect([out!.width, out!.height]).toEqual([24, 16]);
    // The scan data is copied byte for byte.
    expect(out!.bytes.includes(ENTROPY)).toBe(true);
    allowedApps(out!.bytes);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['not a JPEG', Buffer.from('MZ\x90\0 this is a program')],
    ['no frame', jpeg(DQT, SOS, ENTROPY, EOI)],
    ['no scan', jpeg(DQT, SOF, EOI)],
    ['two frames', jpeg(DQT, SOF, SOF, DHT, SOS, ENTROPY, EOI)],
    ['no end of image', jpeg(DQT, SOF, DHT, SOS, ENTROPY)],
    ['a segment longer than the file', jpeg(Buffer.from([0xff, 0xe1, 0xff, 0xf0, 1, 2, 3]))],
    ['a length below 2', jpeg(Buffer.from([0xff, 0xdb, 0, 1]), ...body)],
    ['a restart marker outside a scan', jpeg(Buffer.from([0xff, 0xd0]), ...body)],
    ['a reserved JPGn marker', jpeg(seg(0xf7, [1, 2]), ...body)],
    ['a second SOI', jpeg(SOI, ...body)],
    ['a zero-sized frame', jpeg(DQT, seg(0xc0, [8, 0, 0, 0, 24, 1, 1, 0x11, 0]), DHT, SOS, ENTROPY, EOI)],
    ['garbage between segments', jpeg(DQT, Buffer.from([0x00]), SOF, DHT, SOS, ENTROPY, EOI)],
  ])('refuses %s (null: the caller re-encodes)', (_name, input) => {
    expect(stripJpegMetadata(input)).toBeNull();
  });

  it('reads the orientation of big- and little-endian EXIF', () => {
    expect(exifOrientation(Buffer.from(exif(8)))).toBe(8);
    expect(exifOrientation(orientationExif(5).subarray(4))).toBe(5);
    expect(exifOrientation(Buffer.from(text('Exif\0\0MM\0*')))).toBe(1);
    expect(exifOrientation(Buffer.from(text('http://ns.adobe.com/xap/1.0/')))).toBe(1);
  });

  it('real JPEGs (baseline and progressive, EXIF with GPS, XMP, ICC): metadata gone, pixels identical', async () => {
    for (const progressive of [false, true]) {
      const made = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#468', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
        .withExif({ IFD0: { Make: 'PhoneMaker' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 12/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 32/1 0/1' } })
        .withMetadata({ orientation: 6 })
        .withIccProfile('p3')
        .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Zhang San"/></rdf:RDF></x:xmpmeta>')
        .jpeg({ progressive, quality: 90 })
        .toBuffer();
      const input = Buffer.concat([made.subarray(0, 2), seg(0xfe, text('Zhang San, 13800000000')), made.subarray(2), Buffer.from('trailing preview')]);
      const before = await sharp(input).metadata();
      expect(before.exif && before.xmp).toBeTruthy();
      expect(before.orientation).toBe(6);
      const out = stripJpegMetadata(input)!;
      expect(out).not.toBeNull();
      expect(out.orientation).toBe(6);
      const after = await sharp(out.bytes).metadata();
      expect(after.xmp).toBeUndefined();
      expect(after.icc?.length).toBe(before.icc!.length);
      // The RGB profile is handed back, and put into another JPEG it is that JPEG's profile.
      expect(out.rgbIcc).toHaveLength(1);
      const copy = withSegments(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().toBuffer(), out.rgbIcc);
      expect((await sharp(copy).metadata()).icc!.equals(before.icc!)).toBe(true);
      expect(after.comments ?? []).toEqual([]);
      expect(after.orientation).toBe(6);
      expect(after.exif!.equals(orientationExif(6).subarray(4))).toBe(true);
      for (const word of ['PhoneMaker', 'Zhang San', '13800000000', 'trailing']) expect(out.bytes.includes(Buffer.from(word))).toBe(false);
      const [a, b] = await Promise.all([sharp(input).raw().toBuffer(), sharp(out.bytes).raw().toBuffer()]);
      expect(a.equals(b)).toBe(true);
      allowedApps(out.bytes);
    }
  });
});

describe('JPEG metadata walker: properties', () => {
  const opts = { numRuns: 400 };
  const check = (input: Uint8Array) => {
    const t0 = performance.now();
    const out = stripJpegMetadata(input);
    expect(performance.now() - t0).toBeLessThan(1000);
    if (out) {
      expect(jpegSegments(out.bytes)).not.toBeNull();
      allowedApps(out.bytes);
    }
  };

  it('random bytes never throw and never come back with metadata', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (b) => check(b)), opts);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (b) => check(Buffer.concat([SOI, Buffer.from(b)]))), opts);
  });

  it('every truncation and random mutation of a JPEG with metadata is handled', () => {
    const full = jpeg(seg(0xe0, text('JFIF\0\x01\x01')), seg(0xe1, exif(6)), seg(0xfe, text('note')), ...body);
    for (let n = 0; n <= full.length; n++) check(full.subarray(0, n));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (edits) => {
        const b = Buffer.from(full);
        for (const [at, v] of edits) b[at % b.length] = v;
        check(b);
      }),
      opts,
    );
  });

  it('randomly assembled JPEGs: every metadata segment dropped, everything a decoder needs kept in order', () => {
    const appSeg = fc.oneof(
      fc.integer({ min: 0, max: 9 }).map((o) => ({ keep: false, b: seg(0xe1, exif(o)), o })),
      fc.uint8Array({ maxLength: 300 }).map((p) => ({ keep: false, b: seg(0xe1, Buffer.from(p)), o: 1 })),
      fc.tuple(fc.integer({ min: 0xe3, max: 0xed }), fc.uint8Array({ maxLength: 300 })).map(([m, p]) => ({ keep: false, b: seg(m, Buffer.from(p)), o: 1 })),
      fc.uint8Array({ maxLength: 300 }).map((p) => ({ keep: false, b: seg(0xfe, Buffer.from(p)), o: 1 })),
      fc.uint8Array({ maxLength: 300 }).map((p) => ({ keep: true, b: seg(0xe2, Buffer.concat([Buffer.from('ICC_PROFILE\0'), p])), o: 1 })),
    );
    // Entropy-coded data as an encoder writes it: every 0xFF stuffed with 0x00 or a restart marker.
    const entropy = fc.uint8Array({ maxLength: 500 }).map((p) => Buffer.from([...p].flatMap((x, i) => (x === 0xff ? [0xff, i % 2 ? 0x00 : 0xd0 + (i % 8)] : [x]))));
    fc.assert(
      fc.property(fc.array(appSeg, { maxLength: 6 }), entropy, fc.uint8Array({ maxLength: 50 }), (apps, data, trailing) => {
        const input = jpeg(...apps.map((a) => a.b), DQT, SOF, DHT, SOS, data, EOI, Buffer.from(trailing));
        const out = stripJpegMetadata(input);
        expect(out).not.toBeNull();
        const firstOrientation = apps.find((a) => a.b[1] === 0xe1 && exifOrientation(a.b.subarray(4)) !== 1);
        expect(out!.orientation).toBe(firstOrientation ? exifOrientation(firstOrientation.b.subarray(4)) : 1);
        const kept = apps.filter((a) => a.keep).map(() => 'e2');
        expect(markers(out!.bytes)).toEqual(['d8', ...(out!.orientation !== 1 ? ['e1'] : []), ...kept, 'db', 'c0', 'c4', 'da', 'd9']);
        expect(out!.bytes.subarray(-2 - data.length).equals(Buffer.concat([data, EOI]))).toBe(true);
        allowedApps(out!.bytes);
      }),
      opts,
    );
  });
});
