/**
 * One-time sign-in codes for citizens: six digits, stored only as an HMAC (never the code), valid for a
 * few minutes, a limited number of tries per code, a limited number of codes per phone and per IP in a
 * window, and a lock-out of the phone after repeated wrong codes. The decisions are pure (tested in
 * test/citizen/domain/otp.test.ts); the store applies them under a per-phone lock.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export interface OtpPolicy {
  /** How long a code is valid. */
  ttlSeconds: number;
  /** Wrong tries before a code is burnt. */
  triesPerCode: number;
  /** Codes sent to one phone within `windowSeconds`. */
  codesPerPhone: number;
  /** Codes asked from one IP within `windowSeconds`. */
  codesPerIp: number;
  windowSeconds: number;
  /** Wrong codes for one phone within `lockWindowSeconds` that lock it for `lockSeconds`. */
  failuresToLock: number;
  lockWindowSeconds: number;
  lockSeconds: number;
  /** Seconds before the same phone may ask again. */
  resendSeconds: number;
}

export const DEFAULT_OTP_POLICY: OtpPolicy = {
  ttlSeconds: 300,
  triesPerCode: 5,
  codesPerPhone: 5,
  codesPerIp: 20,
  windowSeconds: 3600,
  failuresToLock: 10,
  lockWindowSeconds: 3600,
  lockSeconds: 1800,
  resendSeconds: 30,
};

/** Mainland mobile numbers (1[3-9]x, 11 digits) and Macau/HK mobiles (8 digits, +853/+852 optional). */
export function normalisePhone(raw: string): string | null {
  const s = raw.replace(/[\s()-]/g, '');
  if (/^(\+?86)?1[3-9]\d{9}$/.test(s)) return s.slice(-11);
  const m = /^(?:\+?(853|852))?([5-9]\d{7})$/.exec(s);
  if (m) return `${m[1] ?? '853'}${m[2]}`;
  return null;
}

export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The stored form of a code: HMAC-SHA-256 keyed with a server secret, bound to the phone. */
export function hashCode(secret: string, phone: string, code: string): string {
  return createHmac('sha256', secret).update(`${phone}\u0000${code}`).digest('hex');
}

export function codeMatches(secret: string, phone: string, code: string, stored: string): boolean {
  const a = Buffer.from(hashCode(secret, phone, code), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface SendHistory {
  /** Send times of codes to this phone within the window. */
  phoneSends: Date[];
  /** Codes asked from this IP within the window. */
  ipSends: number;
  /** Wrong codes of this phone within the lock window, with their times. */
  failures: Date[];
}

export type SendVerdict = { ok: true } | { ok: false; code: 'otp_locked' | 'otp_rate_phone' | 'otp_rate_ip' | 'otp_resend_wait'; retryAfterSeconds: number };

/** The lock-out: the phone is locked while the last of `failuresToLock` failures is less than `lockSeconds` old. */
export function lockedUntil(policy: OtpPolicy, failures: readonly Date[], now: Date): Date | null {
  const recent = failures.filter((f) => now.getTime() - f.getTime() < policy.lockWindowSeconds * 1000).sort((a, b) => a.getTime() - b.getTime());
  if (recent.length < policy.failuresToLock) return null;
  const until = new Date(recent[recent.length - 1].getTime() + policy.lockSeconds * 1000);
  return until > now ? until : null;
}

/** May a code be sent now? */
export function maySend(policy: OtpPolicy, h: SendHistory, now: Date): SendVerdict {
  const locked = lockedUntil(policy, h.failures, now);
  if (locked) return { ok: false, code: 'otp_locked', retryAfterSeconds: Math.ceil((locked.getTime() - now.getTime()) / 1000) };
  if (h.ipSends >= policy.codesPerIp) return { ok: false, code: 'otp_rate_ip', retryAfterSeconds: policy.windowSeconds };
  const inWindow = h.phoneSends.filter((s) => now.getTime() - s.getTime() < policy.windowSeconds * 1000).sort((a, b) => a.getTime() - b.getTime());
  if (inWindow.length >= policy.codesPerPhone) {
    return { ok: false, code: 'otp_rate_phone', retryAfterSeconds: Math.max(1, Math.ceil((inWindow[0].getTime() + policy.windowSeconds * 1000 - now.getTime()) / 1000)) };
  }
  const last = inWindow[inWindow.length - 1];
  if (last && now.getTime() - last.getTime() < policy.resendSeconds * 1000) {
    return { ok: false, code: 'otp_resend_wait', retryAfterSeconds: Math.ceil((last.getTime() + policy.resendSeconds * 1000 - now.getTime()) / 1000) };
  }
  return { ok: true };
}

export interface StoredCode {
  codeHash: string;
  createdAt: Date;
  attempts: number;
  usedAt: Date | null;
}

export type VerifyVerdict = { ok: true } | { ok: false; code: 'otp_locked' | 'otp_expired' | 'otp_wrong' | 'otp_none'; burnt?: boolean };

/** Checks a typed code against the phone's latest code. */
export function verify(policy: OtpPolicy, secret: string, phone: string, typed: string, latest: StoredCode | null, failures: readonly Date[], now: Date): VerifyVerdict {
  if (lockedUntil(policy, failures, now)) return { ok: false, code: 'otp_locked' };
  if (!latest || latest.usedAt || latest.attempts >= policy.triesPerCode) return { ok: false, code: 'otp_none' };
  if (now.getTime() - latest.createdAt.getTime() > policy.ttlSeconds * 1000) return { ok: false, code: 'otp_expired' };
  if (!/^\d{6}$/.test(typed) || !codeMatches(secret, phone, typed, latest.codeHash)) {
    return { ok: false, code: 'otp_wrong', burnt: latest.attempts + 1 >= policy.triesPerCode };
  }
  return { ok: true };
}
