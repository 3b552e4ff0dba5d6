import { describe, expect, it } from 'vitest';
import { codeMatches, DEFAULT_OTP_POLICY as P, hashCode, lockedUntil, maySend, normalisePhone, verify } from '../../../src/modules/citizen/domain/otp.js';

const now = new Date('2026-12-01T10:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe('one-time codes', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['66123456', '85366123456'],
    ['+853 6612 3456', '85366123456'],
    ['+852 91234567', '85291234567'],
    ['12345', null],
    ['1381234567a', null],
  ])('normalises %s → %s', (raw, want) => expect(normalisePhone(raw)).toBe(want));

  it('stores an HMAC bound to the phone, never the code', () => {
    const h = hashCode('secret', '13812345678', '123456');
    expect(h).not.toContain('123456');
    expect(codeMatches('secret', '13812345678', '123456', h)).toBe(true);
    expect(codeMatches('secret', '13812345679', '123456', h)).toBe(false);
    expect(codeMatches('other', '13812345678', '123456', h)).toBe(false);
  });

  it('limits sends per phone, per IP, and between sends', () => {
    expect(maySend(P, { phoneSends: [], ipSends: 0, failures: [] }, now)).toEqual({ ok: true });
    expect(maySend(P, { phoneSends: [ago(10)], ipSends: 1, failures: [] }, now)).toMatchObject({ ok: false, code: 'otp_resend_wait' });
    expect(maySend(P, { phoneSends: [ago(40)], ipSends: 1, failures: [] }, now)).toEqual({ ok: true });
    expect(maySend(P, { phoneSends: [1, 2, 3, 4, 5].map((i) => ago(i * 300)), ipSends: 5, failures: [] }, now)).toMatchObject({ ok: false, code: 'otp_rate_phone' });
    expect(maySend(P, { phoneSends: [], ipSends: P.codesPerIp, failures: [] }, now)).toMatchObject({ ok: false, code: 'otp_rate_ip' });
  });

  it('locks a phone after repeated wrong codes, and lets it go after the lock', () => {
    const failures = Array.from({ length: P.failuresToLock }, (_, i) => ago(60 + i));
    expect(lockedUntil(P, failures.slice(1), now)).toBeNull();
    expect(lockedUntil(P, failures, now)).not.toBeNull();
    expect(maySend(P, { phoneSends: [], ipSends: 0, failures }, now)).toMatchObject({ ok: false, code: 'otp_locked' });
    const later = new Date(now.getTime() + P.lockSeconds * 1000);
    expect(lockedUntil(P, failures, later)).toBeNull();
  });

  it('verifies: right, wrong, expired, burnt after the tries, used', () => {
    const stored = { codeHash: hashCode('s', '13812345678', '654321'), createdAt: ago(60), attempts: 0, usedAt: null };
    expect(verify(P, 's', '13812345678', '654321', stored, [], now)).toEqual({ ok: true });
    expect(verify(P, 's', '13812345678', '000000', stored, [], now)).toMatchObject({ ok: false, code: 'otp_wrong' });
    expect(verify(P, 's', '13812345678', '654321', { ...stored, createdAt: ago(P.ttlSeconds + 1) }, [], now)).toMatchObject({ code: 'otp_expired' });
    expect(verify(P, 's', '13812345678', '654321', { ...stored, attempts: P.triesPerCode }, [], now)).toMatchObject({ code: 'otp_none' });
    expect(verify(P, 's', '13812345678', '654321', { ...stored, usedAt: ago(1) }, [], now)).toMatchObject({ code: 'otp_none' });
    expect(verify(P, 's', '13812345678', '654321', null, [], now)).toMatchObject({ code: 'otp_none' });
  });
});
