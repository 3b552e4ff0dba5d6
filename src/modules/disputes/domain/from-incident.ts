/**
 * What a dispute takes from the incident it is registered from: its type from the incident's category.
 * Categories of the 纠纷 family map one to one; assault and domestic violence between people who know
 * each other are registered as family or neighbour disputes by the officer's choice, so they map to the
 * closest type and the form lets the officer correct it.
 */
import type { DisputeType } from './vocabulary.js';

const BY_CATEGORY: Record<string, DisputeType> = {
  '05010101': 'family',
  '05010102': 'family',
  '05010103': 'neighbour',
  '05010201': 'debt',
  '05010202': 'labour',
  '05010203': 'consumer',
  '05010204': 'tenancy',
  '05010205': 'traffic',
  '05010301': 'property',
  '05010302': 'medical',
  '05010303': 'consumer',
  '05020101': 'labour',
  '05020102': 'property',
  '02030102': 'family', // 家庭暴力
  '02030101': 'other', // 殴打他人: the officer says between whom
};

/** The dispute type an incident of this category suggests ('other' when none does). */
export function disputeTypeOfCategory(categoryCode: string): DisputeType {
  return BY_CATEGORY[categoryCode] ?? 'other';
}

/** The 纠纷 family (level-1 code) and its kin from other families (assault, domestic violence). */
export const DISPUTE_KIN: { families: readonly string[]; codes: readonly string[] } = {
  families: ['05'],
  codes: Object.keys(BY_CATEGORY).filter((c) => !c.startsWith('05')),
};

/** Incidents of these categories may be registered as disputes with one action (the 纠纷 family and its kin). */
export function isDisputeLikeCategory(categoryCode: string): boolean {
  return DISPUTE_KIN.families.some((f) => categoryCode.startsWith(f)) || DISPUTE_KIN.codes.includes(categoryCode) || categoryCode in BY_CATEGORY;
}
