/**
 * Citizen identity: a phone number and a one-time code. Codes are sent through an SMS adapter (the demo
 * sender logs them and, in demo mode, hands them back to the page), stored as an HMAC, valid for minutes,
 * rate-limited per phone and per IP, and a phone is locked out after repeated wrong codes. A signed-in
 * citizen holds the `sw_citizen` cookie: a random token whose SHA-256 is a row of citizen_sessions —
 * not a staff session, so no staff route accepts it, and the citizen routes read no staff cookie.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { AppError } from '../../core/errors.js';
import type { Writes } from '../../kernel/write.js';
import { citizenOtpFailures, citizenOtps, citizenSessions, citizens } from './schema.js';
import { DEFAULT_OTP_POLICY, hashCode, maySend, newCode, normalisePhone, verify, type OtpPolicy } from './domain/otp.js';
import { invalidField } from './errors.js';

export const CITIZEN_COOKIE = 'sw_citizen';

/** The SMS adapter: a real gateway in production, the log sender in demo and tests. */
export interface SmsSender {
  /** True when the code never leaves this server (the page may show it, marked 演示 / demo). */
  readonly demo: boolean;
  send(phone: string, text: string): Promise<void>;
}

/** Writes the message to the log instead of sending it. */
export class LogSmsSender implements SmsSender {
  readonly demo = true;
  constructor(private readonly log: (msg: string) => void = () => {}) {}
  async send(phone: string, text: string): Promise<void> {
    this.log(`sms to ${phone.slice(0, 3)}****${phone.slice(-4)}: ${text.replace(/\d{6}/, '******')}`);
  }
}

export interface Citizen {
  id: string;
  phone: string;
}

export interface IdentityOptions {
  policy?: OtpPolicy;
  secret: string;
  sender: SmsSender;
  /** Hours a citizen session lasts without use. */
  sessionHours: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class CitizenIdentity {
  readonly policy: OtpPolicy;
  constructor(
    private readonly db: Db,
    private readonly writes: Writes,
    private readonly opts: IdentityOptions,
  ) {
    this.policy = opts.policy ?? DEFAULT_OTP_POLICY;
  }

  static phone(raw: string): string {
    const p = normalisePhone(raw);
    if (!p) throw invalidField('phone', '请输入有效的手机号（内地 11 位或澳门/香港 8 位）', 'Enter a valid mobile number (11 digits mainland, 8 digits Macau/Hong Kong)');
    return p;
  }

  /** Sends a code (or refuses with the rule that stopped it). In demo mode the answer carries the code. */
  async requestCode(rawPhone: string, ip: string, now = new Date()): Promise<{ expiresInSeconds: number; demoCode?: string }> {
    const phone = CitizenIdentity.phone(rawPhone);
    const code = newCode();
    const p = this.policy;
    const verdict = await this.writes.run(async (w) => {
      // One phone, one IP at a time: the counts read here are the counts the insert is judged by.
      await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'citizen-otp:' + phone}))`);
      await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'citizen-ip:' + ip}))`);
      const since = new Date(now.getTime() - p.windowSeconds * 1000);
      const sends = await w.tx.select({ at: citizenOtps.createdAt }).from(citizenOtps).where(and(eq(citizenOtps.phone, phone), gt(citizenOtps.createdAt, since)));
      const [ip1] = await w.tx.select({ n: sql<number>`count(*)::int` }).from(citizenOtps).where(and(eq(citizenOtps.ip, ip), gt(citizenOtps.createdAt, since)));
      const failures = await this.failures(w.tx, phone, now);
      const v = maySend(p, { phoneSends: sends.map((s) => s.at), ipSends: ip1?.n ?? 0, failures }, now);
      if (!v.ok) return v;
      await w.tx.insert(citizenOtps).values({ id: randomUUID(), phone, ip, codeHash: hashCode(this.opts.secret, phone, code), createdAt: now });
      return v;
    });
    if (!verdict.ok) throw new AppError(429, verdict.code, { seconds: verdict.retryAfterSeconds });
    await this.opts.sender.send(phone, `【守望】您的登录验证码是 ${code}，${Math.round(p.ttlSeconds / 60)} 分钟内有效。请勿告诉他人。`);
    return { expiresInSeconds: p.ttlSeconds, ...(this.opts.sender.demo ? { demoCode: code } : {}) };
  }

  private async failures(db: Db, phone: string, now: Date): Promise<Date[]> {
    const since = new Date(now.getTime() - this.policy.lockWindowSeconds * 1000);
    const rows = await db.select({ at: citizenOtpFailures.at }).from(citizenOtpFailures).where(and(eq(citizenOtpFailures.phone, phone), gt(citizenOtpFailures.at, since)));
    return rows.map((r) => r.at);
  }

  /** Checks the code; on success answers the session token (for the cookie) and the citizen. */
  async signIn(rawPhone: string, typed: string, now = new Date()): Promise<{ token: string; citizen: Citizen }> {
    const phone = CitizenIdentity.phone(rawPhone);
    const out = await this.writes.run(async (w) => {
      await w.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'citizen-otp:' + phone}))`);
      const [latest] = await w.tx.select().from(citizenOtps).where(eq(citizenOtps.phone, phone)).orderBy(desc(citizenOtps.createdAt)).limit(1);
      const failures = await this.failures(w.tx, phone, now);
      const v = verify(this.policy, this.opts.secret, phone, typed.trim(), latest ?? null, failures, now);
      if (!v.ok) {
        if (v.code === 'otp_wrong' && latest) {
          await w.tx.update(citizenOtps).set({ attempts: sql`${citizenOtps.attempts} + 1` }).where(eq(citizenOtps.id, latest.id));
          await w.tx.insert(citizenOtpFailures).values({ phone, at: now });
        }
        return v;
      }
      await w.tx.update(citizenOtps).set({ usedAt: now }).where(eq(citizenOtps.id, latest!.id));
      const [citizen] = await w.tx
        .insert(citizens)
        .values({ id: randomUUID(), phone, createdAt: now, lastSeenAt: now })
        .onConflictDoUpdate({ target: citizens.phone, set: { lastSeenAt: now } })
        .returning({ id: citizens.id, phone: citizens.phone });
      const token = randomBytes(32).toString('base64url');
      await w.tx.insert(citizenSessions).values({ tokenHash: sha256(token), citizenId: citizen.id, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + this.opts.sessionHours * 3_600_000) });
      return { ok: true as const, token, citizen };
    });
    if (!out.ok) {
      if (out.code === 'otp_locked') {
        const until = this.policy.lockSeconds;
        throw new AppError(423, 'otp_locked', { seconds: until }, 'code');
      }
      throw new AppError(out.code === 'otp_none' ? 400 : 401, out.code, {}, 'code');
    }
    return { token: out.token, citizen: out.citizen };
  }

  /** The citizen of a session cookie (and slides its expiry), or null. */
  async fromToken(token: string | undefined, now = new Date()): Promise<Citizen | null> {
    if (!token || token.length > 100) return null;
    const hash = sha256(token);
    const [row] = await this.db
      .select({ id: citizens.id, phone: citizens.phone, lastSeenAt: citizenSessions.lastSeenAt })
      .from(citizenSessions)
      .innerJoin(citizens, eq(citizens.id, citizenSessions.citizenId))
      .where(and(eq(citizenSessions.tokenHash, hash), gt(citizenSessions.expiresAt, now)));
    if (!row) return null;
    // Touch at most once a minute: reads stay reads.
    if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
      await this.db.update(citizenSessions).set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + this.opts.sessionHours * 3_600_000) }).where(eq(citizenSessions.tokenHash, hash));
    }
    return { id: row.id, phone: row.phone };
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token) await this.db.delete(citizenSessions).where(eq(citizenSessions.tokenHash, sha256(token)));
  }

  /** Retention: codes, failures and ended sessions go after a day; citizens without a report or session after `retentionDays`. */
  async sweep(retentionDays: number, now = new Date()): Promise<void> {
    const day = new Date(now.getTime() - 86_400_000);
    await this.db.delete(citizenOtps).where(lt(citizenOtps.createdAt, day));
    await this.db.delete(citizenOtpFailures).where(lt(citizenOtpFailures.at, day));
    await this.db.delete(citizenSessions).where(lt(citizenSessions.expiresAt, now));
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    await this.db.execute(sql`delete from citizens c where c.last_seen_at < ${cutoff.toISOString()}::timestamptz
      and not exists (select 1 from citizen_reports r where r.citizen_id = c.id and r.created_at >= ${cutoff.toISOString()}::timestamptz)
      and not exists (select 1 from citizen_sessions s where s.citizen_id = c.id)`);
  }
}
