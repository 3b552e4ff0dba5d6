/** Open311 client keys: made by administrators (route or `shouwang open311 key create`), kept as SHA-256 only. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { open311Keys } from './schema.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function createOpen311Key(db: Db, name: string, createdBy: string, key = `o311_${randomBytes(24).toString('base64url')}`): Promise<{ id: string; name: string; key: string }> {
  const id = randomUUID();
  await db.insert(open311Keys).values({ id, name: name.trim(), keyHash: sha256(key), createdBy });
  known.delete(db);
  return { id, name: name.trim(), key };
}

/**
 * Answers of open311KeyId for a few seconds (a client sends its key with every request: without this each
 * POST would cost one more query). A revocation here forgets them at once; one on another instance of the
 * server is seen there within KEY_TTL_MS.
 */
const KEY_TTL_MS = 10_000;
const known = new WeakMap<Db, Map<string, { id: string | null; until: number }>>();

/** The key's id when it is a live key, else null. */
export async function open311KeyId(db: Db, key: string | undefined): Promise<string | null> {
  if (!key || key.length > 200) return null;
  const hash = sha256(key);
  let cache = known.get(db);
  if (!cache) known.set(db, (cache = new Map()));
  const hit = cache.get(hash);
  if (hit && hit.until > Date.now()) return hit.id;
  const [row] = await db.select({ id: open311Keys.id }).from(open311Keys).where(and(eq(open311Keys.keyHash, hash), isNull(open311Keys.revokedAt)));
  if (cache.size >= 1000) cache.clear(); // wrong keys sent at random must not grow it without end
  cache.set(hash, { id: row?.id ?? null, until: Date.now() + KEY_TTL_MS });
  return row?.id ?? null;
}

export async function listOpen311Keys(db: Db) {
  return db.select().from(open311Keys).orderBy(asc(open311Keys.createdAt));
}

export async function revokeOpen311Key(db: Db, id: string): Promise<boolean> {
  const rows = await db.update(open311Keys).set({ revokedAt: new Date() }).where(and(eq(open311Keys.id, id), isNull(open311Keys.revokedAt))).returning({ id: open311Keys.id });
  known.delete(db);
  return rows.length > 0;
}
