/**
 * The times of one call (issue 11 #7). Call start (ringing) is known only from telephony: a screen pop
 * opens /intake?phone=…&callStartedAt=…[&answeredAt=…]. The call-taker marks the answer with F8 ("call
 * answered"); without it, the first keystroke is the latest the call can have been answered. Without a
 * telephony call start the answer time is unknown: it is sent as such (no callStartedAt), never as 0 s.
 */
import { useCallback, useRef, useState } from 'react';

export interface CallTimes {
  /** Ringing began (telephony only). */
  callStartedAt: string | null;
  /** Answered: telephony or F8. */
  answeredAt: string | null;
  /** First keystroke of this call on the form. */
  formStartedAt: string | null;
}

export interface ScreenPop {
  phone: string | null;
  callStartedAt: string | null;
  answeredAt: string | null;
}

const validInstant = (v: string | null): string | null => {
  if (!v) return null;
  const ms = Date.parse(v);
  // A telephony time lies in the past (a little clock skew allowed) and within the last day.
  return Number.isFinite(ms) && ms <= Date.now() + 60_000 && ms > Date.now() - 86_400_000 ? new Date(ms).toISOString() : null;
};

/** The telephony fields of a screen-pop URL (unknown or implausible values are left out). */
export function readScreenPop(search: string): ScreenPop {
  const p = new URLSearchParams(search);
  const phone = p.get('phone')?.trim() || null;
  return {
    phone: phone && /^[+0-9 ()-]{3,32}$/.test(phone) ? phone : null,
    callStartedAt: validInstant(p.get('callStartedAt')),
    answeredAt: validInstant(p.get('answeredAt')),
  };
}

const EMPTY: CallTimes = { callStartedAt: null, answeredAt: null, formStartedAt: null };

export function useCallTimes(pop: ScreenPop) {
  const initial: CallTimes = { callStartedAt: pop.callStartedAt, answeredAt: pop.answeredAt, formStartedAt: null };
  const [times, setTimes] = useState<CallTimes>(initial);
  const ref = useRef<CallTimes>(initial);
  const update = (next: CallTimes) => {
    ref.current = next;
    setTimes(next);
  };

  /** First keystroke of the call. */
  const touch = useCallback(() => {
    if (!ref.current.formStartedAt) update({ ...ref.current, formStartedAt: new Date().toISOString() });
  }, []);

  /** F8: the call-taker answered now (once per call). */
  const markAnswered = useCallback(() => {
    if (!ref.current.answeredAt) update({ ...ref.current, answeredAt: new Date().toISOString() });
  }, []);

  const reset = useCallback(() => update(EMPTY), []);

  /** What the create API gets: no call start without telephony; answered = F8, else the first keystroke. */
  const forSubmit = useCallback(() => {
    const t = ref.current;
    const answered = t.answeredAt ?? t.formStartedAt ?? new Date().toISOString();
    return { callStartedAt: t.callStartedAt ?? undefined, answeredAt: answered };
  }, []);

  /** When the call-taker has been on this call since (for the timer). */
  const since = times.answeredAt ?? times.formStartedAt;
  const answerSeconds = times.callStartedAt && times.answeredAt ? Math.max(0, (Date.parse(times.answeredAt) - Date.parse(times.callStartedAt)) / 1000) : null;

  return { times, since, answerSeconds, touch, markAnswered, reset, forSubmit };
}
