/**
 * Who is asking on a citizen route: the citizen of the `sw_citizen` cookie, never a staff session. A
 * request that brings only a staff session is refused (staff are not citizens); cookie writes must come
 * from our own pages (the same Origin rule as the staff app).
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { isTrustedOrigin, presentedOrigin } from '../../core/origin.js';
import { CITIZEN_COOKIE, type Citizen, type CitizenIdentity } from './identity.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function checkCitizenOrigin(req: FastifyRequest, trusted: readonly string[]) {
  if (SAFE.has(req.method)) return;
  const origin = presentedOrigin(req);
  if (origin && isTrustedOrigin(req, origin, trusted)) return;
  throw new AppError(403, 'csrf_origin', { origin: origin ?? '(none)' });
}

export async function requireCitizen(req: FastifyRequest, identity: CitizenIdentity, trusted: readonly string[]): Promise<Citizen> {
  const citizen = await identity.fromToken(req.cookies?.[CITIZEN_COOKIE]);
  if (!citizen) {
    if (req.principal) throw new AppError(403, 'citizen_staff_cookie');
    throw new AppError(401, 'citizen_unauthenticated');
  }
  checkCitizenOrigin(req, trusted);
  return citizen;
}
