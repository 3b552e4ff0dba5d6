/**
 * Visits recorded without signal: kept in localStorage with the Idempotency-Key they were first sent
 * with, and sent again (same key) when the phone is back online, so the server stores each visit once
 * however many times it arrives.
 */
import { api, ApiError, uuid } from '../api';
import type { Visit, VisitBody } from './model';

const KEY = 'shouwang.community.visitQueue';

export interface QueuedVisit {
  key: string;
  body: VisitBody;
  queuedAt: string;
}

export function queued(): QueuedVisit[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as QueuedVisit[]) : [];
  } catch {
    return [];
  }
}

function save(list: QueuedVisit[]) {
  localStorage.setItem(KEY, JSON.stringify(list));
  window.dispatchEvent(new Event('shouwang-visit-queue'));
}

/** Sends one visit; without signal it is queued (same key) and `null` is answered. Other errors are thrown. */
export async function sendVisit(body: VisitBody, key = uuid()): Promise<Visit | null> {
  // The time of the visit is fixed now: sent later, it still says when the door was visited.
  const dated: VisitBody = { ...body, visitedAt: body.visitedAt ?? new Date().toISOString() };
  try {
    return await api<Visit>('/api/v1/visits', { body: dated, idempotencyKey: key });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 0 || e.status >= 502)) {
      save([...queued().filter((q) => q.key !== key), { key, body: dated, queuedAt: new Date().toISOString() }]);
      return null;
    }
    throw e;
  }
}

let flushing: Promise<number> | null = null;

/** Sends what is queued, oldest first; stops at the first network failure. Answers how many were sent. */
export function flushQueue(): Promise<number> {
  if (flushing) return flushing;
  const run = (async () => {
    // Starts after this call returned: `flushing` is set before the run can clear it.
    await Promise.resolve();
    let sent = 0;
    try {
      for (const q of queued()) {
        try {
          await api<Visit>('/api/v1/visits', { body: q.body, idempotencyKey: q.key });
          sent++;
        } catch (e) {
          if (e instanceof ApiError && (e.status === 0 || e.status >= 502 || e.status === 401)) break;
          // Refused for good (4xx): dropped, so the queue does not block; the page shows it once.
          console.warn('queued visit refused', e);
        }
        save(queued().filter((x) => x.key !== q.key));
      }
    } finally {
      flushing = null;
    }
    return sent;
  })();
  flushing = run;
  return run;
}
