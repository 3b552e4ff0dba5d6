/**
 * Body-cam upload and playback (issue 14 part 4): tus chunks with resume after a restart (the hash state
 * lost and read again), a wrong offset refused, a hash mismatch refused with its bytes deleted, range
 * playback (206, suffix, 416), every view and copy audited, a device export registered, and scoping.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testDrivers } from '../helpers/db.js';
import { auditLog } from '../../src/db/schema.js';
import { demoOrganisation } from '../../src/demo/city.js';
import { api, bytes, H, MB, mediaApp, sha, upload, userId, type MediaTestApp } from './helpers.js';

const otherStation = demoOrganisation().filter((u) => u.kind === 'station')[5]!;

describe.each(testDrivers())('media upload and playback on %s', (driver) => {
  let t: MediaTestApp;
  let officer: Record<string, string>;
  let chief: Record<string, string>;
  let admin: Record<string, string>;
  let supervisor: Record<string, string>;
  let officerId: string;
  const at = (h: number) => new Date(Date.now() - h * H);
  beforeAll(async () => {
    t = await mediaApp(driver);
    [officer, chief, admin, supervisor] = await Promise.all(['officer', 'chief', 'admin', 'supervisor'].map((u) => t.login(u)));
    officerId = await userId(t, admin, 'officer');
  });
  afterAll(() => t?.close());

  it('takes a recording in chunks, resumes after a restart, refuses a wrong offset, and stores it with its SHA-256', async () => {
    const a = api(t);
    const data = bytes(3 * MB + 123);
    const created = await a.post('/media', officer, { size: data.length, contentType: 'video/mp4', officerId, recordedFrom: at(3).toISOString(), recordedTo: at(2.5).toISOString(), sha256: sha(data) });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/media/uploads/${created.json().id}`);
    expect(created.headers['tus-resumable']).toBe('1.0.0');
    const id = created.json().id as string;
    const first = await a.patch(id, officer, 0, data.subarray(0, MB));
    expect(first.statusCode, first.body).toBe(204);
    expect(first.headers['upload-offset']).toBe(String(MB));
    // A chunk at the wrong offset: 409 and the offset the server holds.
    const wrong = await a.patch(id, officer, 0, data.subarray(0, 10));
    expect(wrong.statusCode).toBe(409);
    expect(wrong.headers['upload-offset']).toBe(String(MB));
    expect((await a.patch(id, officer, 2 * MB, data.subarray(2 * MB))).statusCode).toBe(409);
    // Not the tus content type: refused.
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/media/uploads/${id}`, headers: { ...officer, 'content-type': 'application/json', 'upload-offset': String(MB) }, payload: '{}' })).statusCode).toBe(415);
    // A restart: the running hash is gone; the stored prefix is hashed again, and garbage past it dropped.
    t.deps.hashers.clear();
    fs.appendFileSync(path.join(t.dataDir, 'media', 'uploads', `${id}.part`), Buffer.from('half a chunk that never got recorded'));
    const head = await a.head(`/media/uploads/${id}`, officer);
    expect(head.statusCode).toBe(200);
    expect(head.headers['upload-offset']).toBe(String(MB));
    expect(head.headers['upload-length']).toBe(String(data.length));
    expect((await a.patch(id, officer, MB, data.subarray(MB, 2 * MB))).statusCode).toBe(204);
    const last = await a.patch(id, officer, 2 * MB, data.subarray(2 * MB));
    expect(last.statusCode, last.body).toBe(204);
    expect(last.headers['upload-offset']).toBe(String(data.length));
    const info = (await a.get(`/media/${id}/info`, officer)).json();
    expect(info).toMatchObject({ status: 'stored', size: data.length, sha256: sha(data), officerId, uploadUrl: null });
    expect(fs.existsSync(path.join(t.dataDir, 'media', 'uploads', `${id}.part`))).toBe(false);
    const whole = await a.get(`/media/${id}`, officer);
    expect(whole.statusCode).toBe(200);
    expect(sha(whole.rawPayload)).toBe(sha(data));
    // Stored: no more chunks.
    expect((await a.patch(id, officer, data.length, Buffer.alloc(1))).statusCode).toBe(409);
  });

  it('refuses a file whose SHA-256 does not match the one declared, and deletes its bytes', async () => {
    const a = api(t);
    const data = bytes(200_000);
    const created = await a.post('/media', officer, { size: data.length, contentType: 'video/webm', officerId, recordedFrom: at(2).toISOString(), recordedTo: at(1.9).toISOString(), sha256: sha(Buffer.from('something else')) });
    const id = created.json().id as string;
    expect((await a.patch(id, officer, 0, data.subarray(0, 100_000))).statusCode).toBe(204);
    const res = await a.patch(id, officer, 100_000, data.subarray(100_000), );
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error.field).toBe('sha256');
    expect(fs.existsSync(path.join(t.dataDir, 'media', 'uploads', `${id}.part`))).toBe(false);
    expect(fs.readdirSync(path.join(t.dataDir, 'media'), { recursive: true }).map(String).filter((f) => f.endsWith(id))).toEqual([]);
    expect((await a.get(`/media/${id}/info`, officer)).json().status).toBe('refused');
    expect((await a.get(`/media/${id}`, officer)).statusCode).toBe(410);
    // More bytes than declared: 413, nothing appended.
    const small = (await a.post('/media', officer, { size: 10, contentType: 'video/webm', officerId, recordedFrom: at(2).toISOString(), recordedTo: at(1.9).toISOString() })).json();
    expect((await a.patch(small.id, officer, 0, Buffer.alloc(11))).statusCode).toBe(413);
    // Bad metadata names its field.
    const bad = await a.post('/media', officer, { size: 10, contentType: 'video/webm', officerId, recordedFrom: at(1).toISOString(), recordedTo: at(2).toISOString() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('recordedTo');
    const huge = await a.post('/media', officer, { size: 9 * 1024 ** 3, contentType: 'video/webm', officerId, recordedFrom: at(2).toISOString(), recordedTo: at(1).toISOString() });
    expect(huge.statusCode).toBe(413);
  });

  it('plays by HTTP range (206, suffix, open end), answers 416 past the end, and audits every view and copy', async () => {
    const a = api(t);
    const data = bytes(100_000);
    const id = await upload(t, officer, data, { officerId, from: at(5), to: at(4.9) }, 40_000);
    const r = await a.get(`/media/${id}`, chief, { range: 'bytes=100-199' });
    expect(r.statusCode).toBe(206);
    expect(r.headers['content-range']).toBe(`bytes 100-199/${data.length}`);
    expect(r.headers['content-length']).toBe('100');
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(Buffer.compare(r.rawPayload, data.subarray(100, 200))).toBe(0);
    const tail = await a.get(`/media/${id}`, chief, { range: 'bytes=-500' });
    expect(tail.statusCode).toBe(206);
    expect(Buffer.compare(tail.rawPayload, data.subarray(data.length - 500))).toBe(0);
    const open = await a.get(`/media/${id}`, chief, { range: 'bytes=99000-' });
    expect(open.headers['content-range']).toBe(`bytes 99000-99999/${data.length}`);
    const past = await a.get(`/media/${id}`, chief, { range: `bytes=${data.length}-` });
    expect(past.statusCode).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${data.length}`);
    const copy = await a.get(`/media/${id}?download=true`, chief);
    expect(copy.headers['content-disposition']).toContain('attachment');
    const rows = await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'media.view'), eq(auditLog.entityId, id)));
    expect(rows.length).toBe(5);
    expect(rows.map((x) => (x.detail as { purpose: string }).purpose).sort()).toEqual(['copy', 'view', 'view', 'view', 'view']);
    expect(rows.every((x) => x.username === 'chief')).toBe(true);
  });

  it('registers a device export from the import folder, hashed like an upload', async () => {
    const data = bytes(50_000);
    const dir = path.join(t.dataDir, 'media', 'import', 'dock-1');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'rec-001.mp4'), data);
    const a = api(t);
    const res = await a.post('/media/import', chief, { path: 'dock-1/rec-001.mp4', contentType: 'video/mp4', officerId, recordedFrom: at(6).toISOString(), recordedTo: at(5.9).toISOString(), sha256: sha(data) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'stored', source: 'import', sha256: sha(data), fileName: 'rec-001.mp4' });
    expect(sha((await a.get(`/media/${res.json().id}`, chief)).rawPayload)).toBe(sha(data));
    expect((await a.post('/media/import', chief, { path: '../../etc/passwd', contentType: 'video/mp4', officerId, recordedFrom: at(6).toISOString(), recordedTo: at(5.9).toISOString() })).json().error.field).toBe('path');
    expect((await a.post('/media/import', chief, { path: 'dock-1/rec-001.mp4', contentType: 'video/mp4', officerId, recordedFrom: at(6).toISOString(), recordedTo: at(5.9).toISOString(), sha256: 'a'.repeat(64) })).statusCode).toBe(422);
    expect((await a.post('/media/import', officer, { path: 'dock-1/rec-001.mp4', contentType: 'video/mp4', officerId, recordedFrom: at(6).toISOString(), recordedTo: at(5.9).toISOString() })).statusCode).toBe(403);
  });

  it('keeps recordings inside their station: another station answers 404, the bureau sees all', async () => {
    const a = api(t);
    const made = await a.post('/users', admin, { username: 'officer_far', displayName: '民警 远', password: 'shouwang-demo-far', roles: ['officer'], unitId: otherStation.code });
    expect(made.statusCode, made.body).toBe(201);
    const far = await upload(t, admin, bytes(1000), { officerId: made.json().id, from: at(2), to: at(1.5) });
    expect((await a.get(`/media/${far}/info`, admin)).json().stationId).toBe(otherStation.code);
    expect((await a.get(`/media/${far}/info`, chief)).statusCode).toBe(404);
    expect((await a.get(`/media/${far}`, chief)).statusCode).toBe(404);
    expect((await a.get('/media?limit=500', chief)).json().items.map((m: { id: string }) => m.id)).not.toContain(far);
    expect((await a.get('/media?limit=500', admin)).json().items.map((m: { id: string }) => m.id)).toContain(far);
    // A station officer cannot upload for an officer of another station.
    const refused = await a.post('/media', chief, { size: 10, contentType: 'video/webm', officerId: made.json().id, recordedFrom: at(2).toISOString(), recordedTo: at(1).toISOString() });
    expect(refused.statusCode).toBe(403);
    expect((await a.get('/media', supervisor)).statusCode).toBe(200);
  });
});
