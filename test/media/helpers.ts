/** Shared steps of the media tests: a test app with its own media folder, upload by tus chunks. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Driver } from '../../src/db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import type { MediaDeps } from '../../src/modules/media/index.js';

export const H = 3_600_000;
export const MB = 1024 * 1024;

export interface MediaTestApp extends TestApp {
  dataDir: string;
  deps: MediaDeps;
}

export async function mediaApp(driver: Driver): Promise<MediaTestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-media-'));
  const t = await createTestApp(driver, { roads: false, config: { dataDir } });
  const deps = (t.app as unknown as { kernel: { api<T>(n: string): T } }).kernel.api<MediaDeps>('media');
  return {
    ...t,
    dataDir,
    deps,
    close: async () => {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const bytes = (n: number) => randomBytes(n);

export function api(t: TestApp) {
  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'HEAD', url: string, headers: Record<string, string>, payload?: unknown, extra: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: { ...headers, ...extra }, payload: payload as never });
  return {
    get: (url: string, h: Record<string, string>, extra: Record<string, string> = {}) => inject('GET', url, h, undefined, extra),
    post: (url: string, h: Record<string, string>, body: unknown = {}, extra: Record<string, string> = {}) => inject('POST', url, h, body, extra),
    head: (url: string, h: Record<string, string>) => inject('HEAD', url, h),
    patch: (id: string, h: Record<string, string>, offset: number, chunk: Buffer) => inject('PATCH', `/media/uploads/${id}`, h, chunk, { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), 'tus-resumable': '1.0.0' }),
  };
}

export interface Recording {
  officerId: string;
  from: Date;
  to: Date;
  incidentId?: string;
  caseId?: string;
}

/** Creates an upload and sends it in chunks; answers the recording's id. */
export async function upload(t: TestApp, h: Record<string, string>, data: Buffer, rec: Recording, chunk = data.length, expected: string | null = sha(data)): Promise<string> {
  const a = api(t);
  const created = await a.post('/media', h, { size: data.length, contentType: 'video/webm', officerId: rec.officerId, recordedFrom: rec.from.toISOString(), recordedTo: rec.to.toISOString(), ...(expected ? { sha256: expected } : {}), ...(rec.incidentId ? { incidentId: rec.incidentId } : {}), ...(rec.caseId ? { caseId: rec.caseId } : {}) });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  for (let off = 0; off < data.length; off += chunk) {
    const res = await a.patch(id, h, off, data.subarray(off, Math.min(off + chunk, data.length)));
    expect(res.statusCode, res.body).toBe(204);
  }
  return id;
}

export async function userId(t: TestApp, admin: Record<string, string>, username: string): Promise<string> {
  const res = await api(t).get(`/users?q=${username}&limit=20`, admin);
  return (res.json().items as { id: string; username: string }[]).find((u) => u.username === username)!.id;
}
