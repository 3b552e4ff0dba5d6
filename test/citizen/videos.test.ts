/**
 * 随手拍 videos on both databases: upload (MP4 and a MediaRecorder-style WebM built in the test), the
 * place removed from the stored file (read back from the media folder), a renamed executable, an image
 * in an MP4 box and an audio-only file refused (415), a video under 10 s refused naming the field, the
 * size limit, a violation report with a video instead of photos (videoId, or the video among mediaIds),
 * playback by range for the reporter and the station, and nobody else (another citizen: 404).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenHeaders, createTestApp, ORIGIN, type TestApp } from '../helpers/app.js';
import { testDrivers } from '../helpers/db.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { GPS, GPS_APPLE, mp4, webm } from './video-fixtures.js';

const station = demoOrganisation().find((u) => u.kind === 'station')!;
const [lon, lat] = station.center!;

describe.each(testDrivers())('citizen videos on %s', (driver) => {
  let t: TestApp;
  let dir: string;
  let chief: Record<string, string>;
  const cit: Record<string, Record<string, string>> = {};
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-citizen-videos-'));
    process.env.SHOUWANG_MEDIA_DIR = dir;
    t = await createTestApp(driver, { roads: false });
    chief = await t.login('chief');
    let n = 0;
    for (const [name, phone] of [['a', '13800000031'], ['b', '13800000032'], ['c', '13800000033'], ['d', '13800000034']] as const) {
      const addr = `10.9.0.${++n}`;
      cit[name] = await citizenHeaders(t.app, phone, addr);
    }
  });
  afterAll(async () => {
    await t?.close();
    delete process.env.SHOUWANG_MEDIA_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const upload = (who: Record<string, string>, body: Buffer, type = 'video/mp4', lang = 'zh-CN') => t.app.inject({ method: 'POST', url: '/api/v1/citizen/videos', headers: { ...who, 'content-type': type, 'accept-language': lang }, payload: body });
  const violation = (who: Record<string, string>, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/citizen/violations', headers: who, payload: { plate: '粤A 54321', violationType: 'illegal_parking', observedAt: new Date(Date.now() - 600_000).toISOString(), location: { lon, lat }, ...body } });

  it('stores an MP4 with its place removed (read back from the store), the length read from the container', async () => {
    const original = mp4({ gps: true, seconds: 12.5, media: 64 * 1024 });
    const up = await upload(cit.a, original);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ contentType: 'video/mp4', bytes: original.length, durationMs: 12_500 });
    expect(up.json().removed).toBe(4);
    const stored = fs.readFileSync(path.join(dir, 'objects', 'citizen', 'videos', `${up.json().id}.mp4`));
    expect(stored.length).toBe(original.length);
    for (const gone of [GPS, GPS_APPLE, 'ISO6709', '\xa9xyz', 'udta']) expect(stored.includes(Buffer.from(gone, 'latin1')), gone).toBe(false);
    // The media data is byte for byte what was sent (nothing re-encoded, no offset moved).
    const mdat = original.indexOf('mdat') - 4;
    expect(stored.subarray(mdat).equals(original.subarray(mdat))).toBe(true);

    // The reporter plays it, by range.
    const whole = await t.app.inject({ method: 'GET', url: `/api/v1/citizen/videos/${up.json().id}`, headers: cit.a });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.rawPayload.equals(stored)).toBe(true);
    const part = await t.app.inject({ method: 'GET', url: `/api/v1/citizen/videos/${up.json().id}`, headers: { ...cit.a, range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${stored.length}`);
    expect(part.rawPayload.equals(stored.subarray(100, 200))).toBe(true);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen/videos/${up.json().id}`, headers: { ...cit.a, range: `bytes=${stored.length + 10}-` } })).statusCode).toBe(416);
    // Nobody else: another citizen, no session, staff through the citizen route.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen/videos/${up.json().id}`, headers: cit.b })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen/videos/${up.json().id}`, headers: { origin: ORIGIN } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen/videos/${up.json().id}`, headers: chief })).statusCode).toBe(403);
  });

  it('a WebM from a browser (no Duration, unknown sizes) is measured from its blocks', async () => {
    const up = await upload(cit.c, webm({ seconds: 10.5, withDuration: false, unknownSizes: true, tags: GPS }), 'video/webm');
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ contentType: 'video/webm', durationMs: 10_500, removed: 1 });
    expect(fs.readFileSync(path.join(dir, 'objects', 'citizen', 'videos', `${up.json().id}.webm`)).includes(GPS)).toBe(false);
  });

  it('refuses what is not a video (415), a video under 10 s (the field named, zh-CN and English), and too much', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4000)]);
    for (const type of ['video/mp4', 'application/octet-stream', 'video/webm']) {
      const r = await upload(cit.b, elf, type);
      expect(r.statusCode, type).toBe(415);
      expect(r.json().error.field).toBe('body');
    }
    expect((await upload(cit.b, mp4({ brand: 'heic' }))).statusCode).toBe(415);
    expect((await upload(cit.b, mp4({ handler: 'soun' }))).statusCode).toBe(415);
    expect((await upload(cit.b, mp4().subarray(0, 200))).statusCode).toBe(415);
    expect((await upload(cit.b, mp4(), 'image/jpeg')).statusCode).toBe(415); // the photo route's types are not taken here

    const short = await upload(cit.b, mp4({ seconds: 9.5 }));
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('duration');
    expect(short.json().error.message).toContain('10 秒');
    const en = await upload(cit.b, webm({ seconds: 4 }), 'video/webm', 'en');
    expect(en.json().error.field).toBe('duration');
    expect(en.json().error.message).toMatch(/at least 10 s .*4\.0 s/);

    const big = await upload(cit.b, Buffer.alloc(100 * 1024 * 1024 + 1));
    expect(big.statusCode).toBe(413);
    expect((await upload({ origin: ORIGIN }, mp4())).statusCode).toBe(401);
    // Nothing of the refused ones was kept.
    const kept = fs.readdirSync(path.join(dir, 'objects', 'citizen', 'videos'));
    expect(kept.length).toBe(2);
  });

  it('a violation report takes a video instead of photos; the station plays it, nobody else', async () => {
    const a = (await upload(cit.a, mp4({ seconds: 15 }))).json().id as string;
    const made = await violation(cit.a, { videoId: a });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().videos).toEqual([{ id: a, contentType: 'video/mp4', bytes: expect.any(Number), durationMs: 15_000 }]);
    const reportId = made.json().reportId as string;
    // Used once only; another citizen cannot attach or read it.
    expect((await violation(cit.a, { videoId: a })).json().error.field).toBe('videoId');
    const other = await upload(cit.b, mp4({ seconds: 11 }));
    expect((await violation(cit.b, { videoId: a })).json().error.field).toBe('videoId');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen/videos/${a}`, headers: cit.b })).statusCode).toBe(404);
    // The video named among mediaIds counts as the video.
    const viaMedia = await violation(cit.b, { mediaIds: [other.json().id] });
    expect(viaMedia.statusCode, viaMedia.body).toBe(201);
    expect(viaMedia.json().videos[0].id).toBe(other.json().id);
    // No photos and no video: the field is named.
    expect((await violation(cit.b, {})).json().error.field).toBe('mediaIds');

    // Staff of the jurisdiction: the violation names the video, and it plays by range (audited).
    const staff = await t.app.inject({ method: 'GET', url: `/api/v1/citizen-reports/${reportId}/violation`, headers: chief });
    expect(staff.json().videos[0].id).toBe(a);
    const play = await t.app.inject({ method: 'GET', url: `/api/v1/citizen-reports/${reportId}/videos/${a}`, headers: { ...chief, range: 'bytes=0-15' } });
    expect(play.statusCode).toBe(206);
    expect(play.rawPayload.subarray(4, 8).toString()).toBe('ftyp');
    // Not through another report, not as a citizen.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen-reports/${viaMedia.json().reportId}/videos/${a}`, headers: chief })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/citizen-reports/${reportId}/videos/${a}`, headers: cit.a })).statusCode).toBe(401);
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/citizen/violations', headers: cit.a });
    expect(mine.json().items.find((v: { reportId: string }) => v.reportId === reportId).videos[0].durationMs).toBe(15_000);
  });

  it('at most 3 videos waiting for a report per citizen', async () => {
    for (let i = 0; i < 2; i++) expect((await upload(cit.c, mp4())).statusCode).toBe(201); // with the WebM above: 3
    const over = await upload(cit.c, mp4());
    expect(over.statusCode).toBe(429);
  });

  it('uploads sent at the same moment cannot pass the cap together (the files of the refused ones are removed)', async () => {
    const folder = path.join(dir, 'objects', 'citizen', 'videos');
    const count = () => (fs.existsSync(folder) ? fs.readdirSync(folder).length : 0);
    const before = count();
    const answers = await Promise.all(Array.from({ length: 4 }, () => upload(cit.d, mp4())));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 201, 201, 429]);
    expect(count()).toBe(before + 3);
  });
});
