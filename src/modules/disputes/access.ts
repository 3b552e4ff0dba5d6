/**
 * Who sees which dispute, and whose personal data in full.
 *  - Police staff: the disputes of their jurisdiction (the dispute's station), as every record.
 *  - A mediator who holds no police role (core/access.ts `assignedOnly`): only the disputes with a live
 *    referral to them, or to their agency when the referral names no mediator. A declined or cancelled
 *    referral is no longer theirs. Anything else answers 404, as if it did not exist.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import { assignedOnly, unitScope, type Principal } from '../../core/access.js';
import type { Role } from '../../core/roles.js';
import { disputes } from './schema.js';

/** Referral states in which the receiving side works the dispute (and so may see it). */
export const LIVE_FOR_MEDIATOR = ['pending', 'accepted', 'in_mediation', 'mediated', 'failed', 'closed'] as const;

const liveList = sql.raw(LIVE_FOR_MEDIATOR.map((s) => `'${s}'`).join(', '));

/** SQL: the referral row `r` is one the principal works (their own, or their agency's unnamed one). */
export function referralIsMine(p: Principal, r: { mediatorId: SQL | unknown; agencyId: SQL | unknown }): SQL {
  return sql`(${r.mediatorId} = ${p.id} or (${r.mediatorId} is null and ${r.agencyId} in (select agency_id from dispute_agency_members where user_id = ${p.id})))`;
}

/**
 * The jurisdiction a principal works disputes in: a community officer placed in a grid works the
 * disputes of the grid's station (the station's register is one; its community officers mediate it).
 */
export function disputeWorkPrincipal(p: Principal): Principal {
  if (p.unitKind !== 'grid') return p;
  const parts = p.unitPath.split('/').filter(Boolean);
  return { ...p, unitPath: `/${parts.slice(0, -1).join('/')}/`, unitId: parts.at(-2) ?? p.unitId, unitKind: 'station' };
}

/** The condition every query of disputes carries (undefined: the principal sees every dispute). */
export function disputeScope(p: Principal): SQL | undefined {
  if (assignedOnly(p)) {
    return sql`exists (select 1 from dispute_referrals r where r.dispute_id = ${disputes.id} and r.status in (${liveList}) and ${referralIsMine(p, { mediatorId: sql.raw('r.mediator_id'), agencyId: sql.raw('r.agency_id') })})`;
  }
  const w = disputeWorkPrincipal(p);
  // Disputes sit at stations: a station's own register is `station_id = …`, which the planner serves from
  // the register index (0009) instead of joining the unit tree (bench:disputes).
  if (w.unitKind === 'station') return eq(disputes.stationId, w.unitId);
  return unitScope(w, disputes.stationId);
}

/** Roles that work with the parties and see their names and phones in full on one dispute. */
const FULL_PARTY_ROLES: readonly Role[] = ['chief', 'community', 'officer', 'admin', 'mediator'];

/** True when `p` sees the parties of one dispute in full (a mediator only ever reaches their own disputes). */
export function seesParties(p: Principal): boolean {
  return p.kind === 'user' && p.roles.some((r) => FULL_PARTY_ROLES.includes(r));
}
