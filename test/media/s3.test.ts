/**
 * The S3 path against a real S3-compatible server started here (s3rver on a random port): a chunked
 * upload lands in the bucket whole, plays by range, a bucket object registers by key, the purge deletes
 * the object. Same code as production (@aws-sdk/client-s3, path-style).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import S3rver from 's3rver';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { testDrivers } from '../helpers/db.js';
import { S3Store } from '../../src/modules/media/index.js';
import { media, purgeExpiredMedia } from '../../src/modules/media/index.js';
import { eq } from 'drizzle-orm';
import { api, bytes, H, mediaApp, sha, upload, userId, type MediaTestApp } from './helpers.js';

const BUCKET = 'bodycam';

describe.each(testDrivers())('media on an S3-compatible store (%s)', (driver) => {
  let server: S3rver;
  let dir: string;
  let t: MediaTestApp;
  let officer: Record<string, string>;
  let chief: Record<string, string>;
  let officerId: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-s3rver-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
    const { port } = (await server.run()) as { port: number };
    Object.assign(process.env, { SHOUWANG_MEDIA_S3_ENDPOINT: `http://127.0.0.1:${port}`, SHOUWANG_MEDIA_S3_BUCKET: BUCKET, SHOUWANG_MEDIA_S3_REGION: 'us-east-1', SHOUWANG_MEDIA_S3_ACCESS_KEY: 'S3RVER', SHOUWANG_MEDIA_S3_SECRET_KEY: 'S3RVER' });
    t = await mediaApp(driver);
    [officer, chief] = await Promise.all(['officer', 'chief'].map((u) => t.login(u)));
    officerId = await userId(t, await t.login('admin'), 'officer');
  });
  afterAll(async () => {
    await t?.close();
    for (const k of Object.keys(process.env)) if (k.startsWith('SHOUWANG_MEDIA_S3_') && !(k in saved)) delete process.env[k];
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uploads in chunks into the bucket, plays by range, registers an object by key, and purges it', async () => {
    const a = api(t);
    const data = bytes(300_000);
    const id = await upload(t, officer, data, { officerId, from: new Date(Date.now() - 2 * H), to: new Date(Date.now() - 1.9 * H) }, 128 * 1024);
    const info = (await a.get(`/media/${id}/info`, officer)).json();
    expect(info).toMatchObject({ status: 'stored', sha256: sha(data) });
    const store = t.deps.stores.primary as S3Store;
    expect(store.kind).toBe('s3');
    const [row] = await t.database.db.select().from(media).where(eq(media.id, id));
    const key = row!.storeKey;
    expect(row!.store).toBe('s3');
    expect(key.startsWith('media/')).toBe(true);
    expect(await store.size(key)).toBe(data.length);
    const part = await a.get(`/media/${id}`, chief, { range: 'bytes=1000-1999' });
    expect(part.statusCode).toBe(206);
    expect(Buffer.compare(part.rawPayload, data.subarray(1000, 2000))).toBe(0);
    expect((await a.get(`/media/${id}`, chief, { range: 'bytes=400000-' })).statusCode).toBe(416);
    // A docking station put this object in the bucket itself: registered by its key.
    const exported = bytes(20_000);
    await store.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'dock/cam7/0001.mp4', Body: exported }));
    const reg = await a.post('/media/import', chief, { s3Key: 'dock/cam7/0001.mp4', contentType: 'video/mp4', officerId, recordedFrom: new Date(Date.now() - 200 * 86_400_000).toISOString(), recordedTo: new Date(Date.now() - 199.9 * 86_400_000).toISOString(), sha256: sha(exported) });
    expect(reg.statusCode, reg.body).toBe(201);
    expect(sha((await a.get(`/media/${reg.json().id}`, chief)).rawPayload)).toBe(sha(exported));
    expect((await a.post('/media/import', chief, { s3Key: 'dock/none.mp4', contentType: 'video/mp4', officerId, recordedFrom: new Date(Date.now() - 2 * H).toISOString(), recordedTo: new Date(Date.now() - H).toISOString() })).json().error.field).toBe('s3Key');
    // Past its retention: the object leaves the bucket.
    expect((await purgeExpiredMedia(t.deps)).purged).toBe(1);
    expect(await store.size('dock/cam7/0001.mp4')).toBeNull();
    expect(await store.size(key)).toBe(data.length);
  });
});
