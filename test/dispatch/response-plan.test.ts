import { describe, expect, it } from 'vitest';
import { leafCategories } from '../../src/modules/incidents/domain/categories.js';
import { demoUnits } from '../../src/demo/units.js';
import { buildResponsePlan, isSpecialist, policeNeeds } from '../../src/modules/dispatch/domain/response-plan.js';
import { rankRecommendations, type RankInput } from '../../src/modules/dispatch/domain/recommend.js';

const unit = (over: Partial<RankInput> & { unitId: string }): RankInput => ({
  callSign: over.unitId,
  kind: 'patrol_car',
  status: 'available',
  capabilities: [],
  etaSeconds: 120,
  distanceMeters: 1000,
  positionAgeSeconds: 5,
  stale: false,
  diverting: false,
  ...over,
});

/** The demo fleet as ranking input: every unit reachable, the i-th one 30 s after the previous. */
const fleet = (): RankInput[] =>
  demoUnits().map((u, i) => unit({ unitId: u.id, callSign: u.callSign, kind: u.kind, capabilities: u.capabilities, etaSeconds: 60 + 30 * i }));

describe('linkage partners are not police-unit capabilities', () => {
  it('medical goes to 120 and fire to 119; the rest is asked of police units', () => {
    expect(policeNeeds(['armed', 'medical', 'forensics', 'investigation'])).toEqual({ police: ['armed', 'forensics', 'investigation'], linkage: ['120'] });
    expect(policeNeeds(['eod', 'armed', 'medical', 'fire'])).toEqual({ police: ['eod', 'armed'], linkage: ['120', '119'] });
    expect(policeNeeds([])).toEqual({ police: [], linkage: [] });
  });
});

describe('the demo fleet covers the category tree', () => {
  it('every capability any leaf category asks of police units is held by some demo unit', () => {
    const held = new Set(demoUnits().flatMap((u) => u.capabilities));
    const asked = new Set(leafCategories().flatMap((c) => policeNeeds(c.capabilities ?? []).police));
    const missing = [...asked].filter((c) => !held.has(c));
    expect(missing).toEqual([]);
    expect(asked.size).toBeGreaterThan(10);
  });

  it('every leaf category gets a plan that covers all its police needs from the demo fleet', () => {
    const units = fleet();
    for (const c of leafCategories()) {
      const recs = rankRecommendations(units, { required: c.capabilities ?? [], limit: 20 });
      expect(recs[0].missingCapabilities, `${c.code} ${c.name}`).toEqual([]);
      const covered = new Set(recs.filter((r) => r.plan).flatMap((r) => r.covers));
      for (const need of policeNeeds(c.capabilities ?? []).police) expect(covered.has(need), `${c.name} needs ${need}`).toBe(true);
    }
  });

  it('a common call (抢夺) gets a first recommendation with no mismatch, then the investigator', () => {
    const snatch = leafCategories().find((c) => c.name === '抢夺')!;
    const recs = rankRecommendations(fleet(), { required: snatch.capabilities ?? [], limit: 20 });
    expect(recs[0]).toMatchObject({ plan: 'first', capabilityMatch: true });
    expect(isSpecialist(fleet().find((u) => u.unitId === recs[0].unitId)!.capabilities!)).toBe(false);
    const investigator = recs.find((r) => r.covers.includes('investigation'))!;
    expect(investigator.plan).not.toBeNull();
    expect(recs.filter((r) => r.plan).length).toBeLessThanOrEqual(2);
    // No row of the plan nor any general unit is flagged as a mismatch.
    expect(recs.filter((r) => !r.capabilityMatch).every((r) => r.plan === null)).toBe(true);
  });
});

describe('response plan', () => {
  it('a general unit first on scene, then the quickest holder of each need still missing', () => {
    const plan = buildResponsePlan(
      [
        { unitId: 'forensics', capabilities: ['forensics', 'investigation'], effectiveEta: 30 },
        { unitId: 'patrol', capabilities: ['armed'], effectiveEta: 90 },
        { unitId: 'slow-patrol', capabilities: [], effectiveEta: 100 },
        { unitId: 'cid', capabilities: ['investigation'], effectiveEta: 200 },
        { unitId: 'cid-unreachable', capabilities: ['investigation', 'negotiator'], effectiveEta: null },
      ],
      ['armed', 'forensics', 'investigation', 'negotiator'],
    );
    expect(plan.unitIds).toEqual(['patrol', 'forensics']);
    expect(plan.firstUnitId).toBe('patrol');
    expect(plan.covers.get('patrol')).toEqual(['armed']);
    expect(plan.covers.get('forensics')).toEqual(['forensics', 'investigation']);
    expect(plan.missing).toEqual(['negotiator']);
  });

  it('prefers a first unit holding a need when it is at most the slack later', () => {
    const cands = [
      { unitId: 'patrol', capabilities: [], effectiveEta: 60 },
      { unitId: 'moto', capabilities: ['traffic'], effectiveEta: 150 },
    ];
    expect(buildResponsePlan(cands, ['traffic']).unitIds).toEqual(['moto']);
    expect(buildResponsePlan(cands, ['traffic'], { firstSlackS: 60 }).unitIds).toEqual(['patrol', 'moto']);
  });

  it('nothing needed: the quickest general unit alone', () => {
    const plan = buildResponsePlan(
      [
        { unitId: 'k9', capabilities: ['k9'], effectiveEta: 10 },
        { unitId: 'patrol', capabilities: [], effectiveEta: 60 },
      ],
      [],
    );
    expect(plan.unitIds).toEqual(['patrol']);
  });
});

describe('a unit without a known recent position', () => {
  it('is not ranked first on a station estimate when a located unit is close behind; the reason says why', () => {
    const recs = rankRecommendations(
      [
        unit({ unitId: 'no-fix', etaSeconds: 90, stale: true, positionAgeSeconds: null }),
        unit({ unitId: 'located', etaSeconds: 200 }),
      ],
      { required: [] },
    );
    expect(recs.map((r) => r.unitId)).toEqual(['located', 'no-fix']);
    expect(recs[1].reasons).toContainEqual({ code: 'station_estimate', eta: 90, noPosition: true, penalty: 180 });
    expect(recs[1].reason).toContain('无定位，按派出所位置估算');
    expect(recs[1].reason).toContain('排序时按慢3分0秒计');
  });

  it('the margin is configurable, and a much quicker estimate still wins', () => {
    const items = [unit({ unitId: 'no-fix', etaSeconds: 90, stale: true, positionAgeSeconds: null }), unit({ unitId: 'located', etaSeconds: 200 })];
    expect(rankRecommendations(items, { required: [], stationEstimatePenaltyS: 60 }).map((r) => r.unitId)).toEqual(['no-fix', 'located']);
    expect(rankRecommendations([items[0], { ...items[1], etaSeconds: 900 }], { required: [] })[0].unitId).toBe('no-fix');
  });
});

describe('reasons as codes', () => {
  it('every row carries codes the web can translate, and the plan, linkage and missing needs', () => {
    const recs = rankRecommendations(
      [
        unit({ unitId: 'patrol', capabilities: ['armed'], etaSeconds: 100 }),
        unit({ unitId: 'k9', capabilities: ['k9', 'eod'], etaSeconds: 50 }),
        unit({ unitId: 'other', capabilities: [], etaSeconds: 150 }),
        unit({ unitId: 'dog', capabilities: ['k9'], etaSeconds: 300 }),
      ],
      { required: ['armed', 'medical'] },
    );
    expect(recs.map((r) => [r.unitId, r.plan])).toEqual([
      ['patrol', 'first'],
      ['k9', null],
      ['other', null],
      ['dog', null],
    ]);
    expect(recs[0].reasons).toEqual([{ code: 'plan_first' }, { code: 'plan_covers', caps: ['armed'] }, { code: 'slower', eta: 100, behind: 50 }]);
    expect(recs[0].linkage).toEqual(['120']);
    expect(recs[1]).toMatchObject({ capabilityMatch: false, reasons: [{ code: 'not_needed_speciality' }, { code: 'fastest', eta: 50 }] });
    expect(recs[2]).toMatchObject({ capabilityMatch: true, matchedCapabilities: [] });
  });
});
