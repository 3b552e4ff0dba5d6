/**
 * Fetch wrapper for the Shouwang API: same origin, cookie session, JSON both ways,
 * Accept-Language from the UI language, errors as ApiError, 401 → sign-in page.
 */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import i18n, { getLang } from './i18n';

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type UnauthorizedHandler = (err: ApiError) => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** The app registers how to go to the sign-in page when a request comes back 401. */
/** The signed-in session is over (e.g. the live stream was closed with 4401): same as a 401 answer. */
export function reportUnauthorized(code: string, message: string) {
  onUnauthorized?.(new ApiError(401, code, message));
}

export function setUnauthorizedHandler(h: UnauthorizedHandler | null) {
  onUnauthorized = h;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>;
  /** Send an Idempotency-Key (a fresh UUID) with this request. */
  idempotent?: boolean;
  /** Send this Idempotency-Key (reused when the user retries the same submission). */
  idempotencyKey?: string;
  /** Do not redirect to the sign-in page on 401 (the sign-in form itself, the initial /me). */
  noAuthRedirect?: boolean;
  signal?: AbortSignal;
}

export function uuid(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const url = path.startsWith('/') ? path : `/api/v1/${path}`;
  if (!query) return url;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v as readonly (string | number)[]) qs.append(k, String(x));
    else qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `${url}?${s}` : url;
}

export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? (opts.body !== undefined ? 'POST' : 'GET');
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLang() === 'en' ? 'en' : 'zh-CN',
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  else if (opts.idempotent) headers['Idempotency-Key'] = uuid();

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: 'include',
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', i18n.t('networkError'));
  }

  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    const err = new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `${res.status} ${res.statusText}`, e?.field);
    if (res.status === 401 && !opts.noAuthRedirect && onUnauthorized) onUnauthorized(err);
    throw err;
  }
  return data as T;
}

// ---- contract types -------------------------------------------------------------------------

export type UnitKind = 'bureau' | 'branch' | 'station' | 'grid';

export interface Label {
  id: string;
  zh: string;
  en: string;
}

export interface Meta {
  name: string;
  version: string;
  demo: boolean;
  demoPassword?: string;
  demoAccounts: { username: string; displayName: string; roles: string[]; unitName: string }[];
  roles: Label[];
  scopes: Label[];
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  unit: { id: string; code: string; name: string; kind: UnitKind };
  mustChangePassword: boolean;
  /** Named permissions from the server's catalogue: the menu is built from them (nav.ts). */
  permissions: string[];
}

export interface OrgUnit {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  code: string;
  name: string;
  path: string;
}

export interface OrgUnitDetail extends OrgUnit {
  polygon: Polygon | MultiPolygon | null;
  userCount: number;
}

export interface UnitFeatureProps {
  id: string;
  kind: UnitKind;
  code: string;
  name: string;
  parentId: string | null;
}

export type UnitCollection = FeatureCollection<Polygon | MultiPolygon, UnitFeatureProps>;
export type RoadCollection = FeatureCollection<Geometry, { name?: string; highway?: string; oneway?: string }>;
export type AnyFeature = Feature<Geometry, Record<string, unknown>>;

export interface UserItem {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  unitId: string;
  unitName: string;
  phone: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface TokenItem {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  unitId: string;
  unitName: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditItem {
  seq: number;
  at: string;
  userId: string | null;
  username: string | null;
  roles: string[] | null;
  unitId: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  outcome: string;
  requestId: string | null;
  clientIp: string | null;
  detail: unknown;
}

export interface AuditVerify {
  ok: boolean;
  rows: number;
  firstBadSeq?: number;
  reason?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}
