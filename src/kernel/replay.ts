/**
 * Answers stored under an Idempotency-Key as a reference (`{"$replay": kind, …}`) instead of the whole
 * answer: the answer is rebuilt from the stored records when a retry comes. Incident creates do this:
 * their answer is a few kilobytes that would otherwise be written with every create and read back
 * almost never. A module registers how to rebuild its kinds; the idempotency hook asks here.
 */
import type { FastifyRequest } from 'fastify';

export type StoredReference = { $replay: string } & Record<string, unknown>;
type Rebuild = (req: FastifyRequest, ref: StoredReference) => Promise<unknown>;

const replayers = new Map<string, Rebuild>();

export function registerReplayer(kind: string, rebuild: Rebuild) {
  replayers.set(kind, rebuild);
}

/** The answer to send for a stored one: rebuilt when it is a reference of a registered kind. */
export async function storedAnswer(req: FastifyRequest, stored: unknown): Promise<unknown> {
  const kind = stored && typeof stored === 'object' ? (stored as { $replay?: unknown }).$replay : undefined;
  const rebuild = typeof kind === 'string' ? replayers.get(kind) : undefined;
  return rebuild ? rebuild(req, stored as StoredReference) : (stored ?? undefined);
}
