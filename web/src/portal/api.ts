/** The portal's calls: same-origin JSON with the citizen cookie; errors keep the server's code and message. */
import i18n from './i18n';

export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers: { 'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; field?: string } };
  if (!res.ok) throw new PortalError(res.status, data.error?.code ?? 'error', data.error?.message ?? res.statusText, data.error?.field);
  return data as T;
}

export interface Service {
  code: string;
  nameZh: string;
  nameEn: string;
  group: string;
  radiusM: number;
}
export interface Dup {
  id: string;
  description: string;
  status: string;
  voices: number;
  distanceM: number;
}
export interface Report {
  id: string;
  serviceCode: string;
  serviceName: { zh: string; en: string };
  description: string;
  addressText: string | null;
  status: string;
  statusNote: string | null;
  urgent: boolean;
  voices: number;
  mine: boolean;
  createdAt: string;
  history: { status: string; note: string | null; at: string }[];
}
export interface Note {
  id: string;
  reportId: string;
  status: string;
  note: string | null;
  at: string;
  read: boolean;
}
