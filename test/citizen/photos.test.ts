/**
 * Citizens' photos on both databases: EXIF and GPS are gone from what is stored (read back and
 * checked), a renamed executable is refused, thumbnails exist, at most 6 per report, and only the
 * reporter, citizens who follow the report and staff of its jurisdiction see them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp, { type Metadata } from 'sharp';
import { citizenHeaders, createTestApp, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';

const station = demoOrganisation().find((u) => u.kind === 'station')!;
const [lon, lat] = station.center!;

async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 12/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 32/1 0/1' } })
    .toBuffer();
}

describe.each(testDrivers())('citizen photos on %s', (driver) => {
  let t: TestApp;
  let dir: string;
  const cit: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-citizen-photos-'));
    process.env.SHOUWANG_MEDIA_DIR = dir;
    t = await createTestApp(driver, { roads: false });
    for (const [name, phone] of [['a', '13800000011'], ['b', '13800000012']]) {
      cit[name] = await citizenHeaders(t.app, phone, `10.6.0.${name === 'a' ? 1 : 2}`);
    }
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.SHOUWANG_MEDIA_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const upload = (who: Record<string, string>, body: Buffer, type = 'image/jpeg') => t.app.inject({ method: 'POST', url: '/api/v1/citizen/photos', headers: { ...who, 'content-type': type }, payload: body });

  it('strips EXIF and GPS (read back), makes a thumbnail, and refuses what is not an image', async () => {
    const original = await jpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeTruthy();
    const up = await upload(cit.a, original);
    expect(up.statusCode, up.body).toBe(201);
    const { id } = up.json();
    const back = await t.app.inject({ method: 'GET', url: `/api/v1/citizen/photos/${id}`, headers: cit.a });
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(back.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(back.rawPayload.includes(Buffer.from('PhoneMaker'))).toBe(false);
    expect([meta.width, meta.height]).toEqual([640, 480]);
    // The stored file itself, in the media folder.
    const stored = fs.readFileSync(path.join(dir, 'objects', 'citizen', `${id}.jpg`));
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    const thumb = await t.app.inject({ method: 'GET', url: `/api/v1/citizen/photos/${id}?thumb=true`, headers: cit.a });
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(320);

    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(2000)]);
    for (const type of ['image/jpeg', 'application/octet-stream', 'image/png']) {
      const r = await upload(cit.a, elf, type);
      expect(r.statusCode, type).toBe(415);
      expect(r.json().error.field).toBe('body');
    }
    // JPEG magic with garbage after it: sniffed as JPEG, refused when it does not decode.
    expect((await upload(cit.a, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]))).statusCode).toBe(415);
    expect((await upload(cit.a, Buffer.alloc(13 * 1024 * 1024, 1))).statusCode).toBe(413);
    expect((await upload({}, original)).statusCode).toBe(401);
  });

  it('keeps a phone JPEG at full resolution without metadata (orientation only), with 1280 px and 320 px copies', async () => {
    const phone = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: { r: 30, g: 120, b: 200 } } })
      .withExif({ IFD0: { Make: 'PhoneMaker', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 12/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 32/1 0/1' } })
      .withMetadata({ orientation: 6 })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="22,12N"/></rdf:RDF></x:xmpmeta>')
      .jpeg({ quality: 90 })
      .toBuffer();
    const up = await upload(cit.a, phone);
    expect(up.statusCode, up.body).toBe(201);
    const { id, width, height, bytes } = up.json();
    expect([width, height]).toEqual([1500, 2000]); // as shown: turned a quarter
    // Every stored file, read back from the media folder: no GPS, no camera, no XMP; the original is the same picture.
    const files = { original: `${id}.jpg`, large: `${id}-large.jpg`, thumb: `${id}-thumb.jpg` };
    const meta: Record<string, Metadata> = {};
    for (const [name, file] of Object.entries(files)) {
      const stored = fs.readFileSync(path.join(dir, 'objects', 'citizen', file));
      for (const word of ['PhoneMaker', 'GPS', 'xmpmeta']) expect(stored.includes(Buffer.from(word)), `${name} ${word}`).toBe(false);
      meta[name] = await sharp(stored).metadata();
      expect(meta[name]!.xmp, name).toBeUndefined();
      if (name === 'original') expect(stored.length).toBe(bytes);
    }
    // The original keeps its pixels and says only how to turn them: an EXIF block holding the orientation alone.
    expect([meta.original!.width, meta.original!.height, meta.original!.orientation]).toEqual([2000, 1500, 6]);
    expect(meta.original!.exif!.length).toBeLessThan(40);
    const [a, b] = await Promise.all([sharp(phone).raw().toBuffer(), sharp(fs.readFileSync(path.join(dir, 'objects', 'citizen', files.original))).raw().toBuffer()]);
    expect(a.equals(b)).toBe(true);
    // The copies are turned upright and carry nothing.
    expect([meta.large!.width, meta.large!.height, meta.large!.exif]).toEqual([960, 1280, undefined]);
    expect([meta.thumb!.width, meta.thumb!.height, meta.thumb!.exif]).toEqual([240, 320, undefined]);
    // The original's colour profile (sRGB here) is carried by the copies, whose pixels stay in its colour space.
    expect(meta.original!.icc).toBeTruthy();
    for (const v of ['large', 'thumb']) expect(meta[v]!.icc!.equals(meta.original!.icc!), v).toBe(true);
    // Served: the 1280 px copy by default, the original or the thumbnail on request.
    const got = async (q: string) => (await sharp((await t.app.inject({ method: 'GET', url: `/api/v1/citizen/photos/${id}${q}`, headers: cit.a })).rawPayload).metadata()).height;
    expect([await got(''), await got('?original=true'), await got('?thumb=true')]).toEqual([1280, 1500, 320]);
  });

  it('attaches up to 6 photos to a report; other citizens cannot see them, the station can', async () => {
    const png = await sharp({ create: { width: 50, height: 40, channels: 3, background: '#00f' } }).png().toBuffer();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await upload(cit.a, png, 'image/png')).json().id);
    const tooMany = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/reports', headers: cit.a, payload: { serviceCode: '102', description: '护栏倒了', location: { lon, lat }, mediaIds: ids, ignoreDuplicates: true } });
    expect(tooMany.statusCode).toBe(400);
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/reports', headers: cit.a, payload: { serviceCode: '102', description: '护栏倒了', location: { lon, lat }, mediaIds: ids.slice(0, 2), ignoreDuplicates: true } });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().photos.sort()).toEqual(ids.slice(0, 2).sort());
    // Someone else's photo cannot be attached, and cannot be read.
    const stolen = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/reports', headers: cit.b, payload: { serviceCode: '103', description: 'x', location: { lon, lat }, mediaIds: [ids[3]], ignoreDuplicates: true } });
    expect(stolen.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen/photos/${ids[0]}`, headers: cit.b })).statusCode).toBe(404);
    const chief = await t.login('chief');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen-reports/${made.json().id}/photos/${ids[0]}`, headers: chief })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen-reports/${made.json().id}/photos/${ids[4]}`, headers: chief })).statusCode).toBe(404);
  });
});
