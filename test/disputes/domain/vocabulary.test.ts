import { describe, expect, it } from 'vitest';
import {
  AGENCY_KINDS,
  AGENCY_KIND_LABELS,
  DISPUTE_SOURCES,
  DISPUTE_SOURCE_LABELS,
  DISPUTE_STATUSES,
  DISPUTE_STATUS_LABELS,
  DISPUTE_TYPES,
  DISPUTE_TYPE_LABELS,
  MEDIATION_TYPES,
  MEDIATION_TYPE_LABELS,
  OUTCOMES,
  OUTCOME_LABELS,
  PARTY_ROLES,
  PARTY_ROLE_LABELS,
  RESOLVED_OUTCOMES,
  isDisputeType,
  isResolvedOutcome,
} from '../../../src/modules/disputes/domain/vocabulary.js';

describe('the dispute vocabulary', () => {
  it('has the enumerations of the API, in order', () => {
    expect(DISPUTE_TYPES).toEqual(['family', 'neighbour', 'land', 'debt', 'labour', 'consumer', 'tenancy', 'property', 'medical', 'traffic', 'other']);
    expect(DISPUTE_SOURCES).toEqual(['incident', 'visit', 'walk_in', 'hotline', 'other']);
    expect(PARTY_ROLES).toEqual(['applicant', 'respondent', 'other']);
    expect(MEDIATION_TYPES).toEqual(['police', 'people', 'court', 'lawyer']);
    expect(AGENCY_KINDS).toEqual(['station', 'judicial', 'law_firm', 'court', 'committee']);
    expect(OUTCOMES).toEqual(['agreement_performed', 'agreement', 'no_agreement', 'withdrawn', 'litigation', 'transferred']);
    expect(DISPUTE_STATUSES).toEqual(['registered', 'referred', 'in_mediation', 'agreed', 'closed']);
  });

  it.each([
    ['types', DISPUTE_TYPES, DISPUTE_TYPE_LABELS],
    ['sources', DISPUTE_SOURCES, DISPUTE_SOURCE_LABELS],
    ['roles', PARTY_ROLES, PARTY_ROLE_LABELS],
    ['mediation types', MEDIATION_TYPES, MEDIATION_TYPE_LABELS],
    ['agency kinds', AGENCY_KINDS, AGENCY_KIND_LABELS],
    ['outcomes', OUTCOMES, OUTCOME_LABELS],
    ['statuses', DISPUTE_STATUSES, DISPUTE_STATUS_LABELS],
  ] as const)('labels every one of the %s in zh and en, each label different', (_name, list, labels) => {
    expect(Object.keys(labels).sort()).toEqual([...list].sort());
    const all = Object.values(labels) as { zh: string; en: string }[];
    expect(all.every((l) => l.zh.length > 0 && l.en.length > 0)).toBe(true);
    expect(new Set(all.map((l) => l.zh)).size).toBe(list.length);
    expect(new Set(all.map((l) => l.en)).size).toBe(list.length);
  });

  it('names the types as the bureaus do', () => {
    expect(DISPUTE_TYPE_LABELS.family.zh).toBe('婚恋/家庭');
    expect(DISPUTE_TYPE_LABELS.land.zh).toBe('土地/山林/草场');
    expect(DISPUTE_TYPE_LABELS.traffic.zh).toBe('交通事故赔偿');
    expect(AGENCY_KIND_LABELS.judicial.zh).toBe('司法所');
  });

  it('counts only agreements as resolved', () => {
    expect(RESOLVED_OUTCOMES).toEqual(['agreement_performed', 'agreement']);
    expect(RESOLVED_OUTCOMES.every((o) => OUTCOMES.includes(o))).toBe(true);
    expect(isResolvedOutcome('agreement')).toBe(true);
    expect(isResolvedOutcome('withdrawn')).toBe(false);
    expect(isResolvedOutcome('litigation')).toBe(false);
  });

  it('tells a dispute type from anything else', () => {
    expect(isDisputeType('family')).toBe(true);
    expect(isDisputeType('Family')).toBe(false);
    expect(isDisputeType(undefined)).toBe(false);
  });
});
