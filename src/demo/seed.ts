/**
 * Demo mode: on first start with an empty database, create the demo city's organisation (Macau) and
 * one account per role, so a new user sees a working platform at once.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { orgUnits, settings, users } from '../db/schema.js';
import type { Role } from '../core/roles.js';
import { hashPassword } from '../modules/auth/index.js';
import { appendAudit } from '../modules/audit/index.js';
import { demoOrganisation } from './city.js';
import { seedDemoAgencies } from './disputes.js';
import { seedDemoVolunteers } from './volunteers.js';

// The demo's setting and password are meta's (the sign-in page shows them): one definition.
import { DEMO_PASSWORD, DEMO_SETTING } from '../modules/meta/index.js';
export { DEMO_PASSWORD, DEMO_SETTING };

/** Where each demo account sits: command-centre roles at the bureau, field roles at a station or grid. */
const DEMO_ACCOUNTS: { username: Role; displayName: string; at: 'bureau' | 'branch' | 'station' | 'grid' }[] = [
  { username: 'admin', displayName: '系统管理员', at: 'bureau' },
  { username: 'calltaker', displayName: '接警员 李静', at: 'bureau' },
  { username: 'dispatcher', displayName: '指挥长 王强', at: 'bureau' },
  { username: 'officer', displayName: '民警 张伟', at: 'station' },
  { username: 'chief', displayName: '所长 陈志明', at: 'station' },
  { username: 'community', displayName: '社区民警 刘洋', at: 'grid' },
  { username: 'mediator', displayName: '调解员 黄丽', at: 'station' },
  { username: 'supervisor', displayName: '法制员 赵敏', at: 'branch' },
  { username: 'analyst', displayName: '研判员 周杰', at: 'bureau' },
  // 义警: not staff; in a volunteer team of the chief's station (demo/volunteers.ts).
  { username: 'volunteer', displayName: '义警 孙丽', at: 'station' },
];

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [r] = await db.select({ n: sql<number>`count(*)` }).from(orgUnits);
  return Number(r.n) === 0;
}

/** True when this database was seeded as the demo city (demo accounts exist). */
export async function isDemoCity(db: Db): Promise<boolean> {
  const [r] = await db.select().from(settings).where(eq(settings.key, DEMO_SETTING));
  return Boolean(r);
}

export interface SeedProgress {
  (step: string, done: number, total: number): void;
}

const SEED_LOCK = 7_110_202;

/**
 * Creates the demo organisation and accounts in one transaction (all or nothing). Idempotent: does
 * nothing if the bureau exists; two runs at once (two instances, or the CLI beside a server) are
 * serialised by an advisory lock and the second finds the bureau.
 */
export async function seedDemo(db: Db, progress: SeedProgress = () => {}): Promise<{ units: number; users: number }> {
  const units = demoOrganisation();
  const exists = async (d: Db) => (await d.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.code, units[0].code))).length > 0;
  if (await exists(db)) return { units: 0, users: 0 };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK})`);
    if (await exists(tx)) return { units: 0, users: 0 };
    progress('organisation', 0, units.length);
    const paths = new Map<string, string>();
    for (const [i, u] of units.entries()) {
      const parentPath = u.parentKey ? paths.get(u.parentKey)! : '/';
      const path = `${parentPath}${u.code}/`;
      paths.set(u.key, path);
      await tx.insert(orgUnits).values({ id: u.code, parentId: u.parentKey ? units.find((x) => x.key === u.parentKey)!.code : null, kind: u.kind, code: u.code, name: u.name, path, polygon: u.polygon });
      if (i % 10 === 0) progress('organisation', i + 1, units.length);
    }
    progress('organisation', units.length, units.length);

    const firstOf = (kind: string) => units.find((u) => u.kind === kind)!.code;
    // The station account and the grid account sit together: the grid belongs to the first station.
    const station = firstOf('station');
    const grid = units.find((u) => u.kind === 'grid' && u.parentKey === units.find((s) => s.code === station)!.key)!.code;
    const branch = units.find((u) => u.code === station)!.parentKey!;
    const unitFor = { bureau: firstOf('bureau'), branch: units.find((u) => u.key === branch)!.code, station, grid };
    for (const [i, a] of DEMO_ACCOUNTS.entries()) {
      await tx.insert(users).values({ id: randomUUID(), username: a.username, displayName: a.displayName, passwordHash, roles: [a.username], unitId: unitFor[a.at] });
      progress('accounts', i + 1, DEMO_ACCOUNTS.length);
    }
    // The mediation agencies with their mediators; `lawyer` is the second mediator of the demo walk-through.
    const agencies = await seedDemoAgencies(tx, units, passwordHash);
    progress('agencies', agencies, agencies);
    // Volunteer teams with this week's shifts and a linked-defence group of shops (the demo `volunteer` in both).
    const shifts = await seedDemoVolunteers(tx, units, passwordHash);
    progress('volunteers', shifts, shifts);
    await tx.insert(settings).values({ key: DEMO_SETTING, value: { usernames: [...DEMO_ACCOUNTS.map((a) => a.username), 'lawyer'], seededAt: new Date().toISOString() } }).onConflictDoNothing();
    return { units: units.length, users: DEMO_ACCOUNTS.length };
  });
  // After the commit: the audit log appends on its own connection, outside our transaction.
  if (seeded.units) await appendAudit(db, { userId: null, username: 'system', roles: [], unitId: null, action: 'demo.seed', entity: 'system', entityId: null, outcome: 'success', requestId: null, clientIp: null, detail: seeded });
  return seeded;
}
