import { describe, expect, it } from 'vitest';
import { UNIT_STATUSES, allowedUnitTransitions, canUnitTransition, rosterStatus } from '../../src/modules/dispatch/domain/unit-status.js';
import { onDuty, shiftTimes } from '../../src/modules/dispatch/domain/roster.js';
import { isStale, keepInTrack } from '../../src/modules/dispatch/domain/track.js';
import { eligibility, formatDuration, matchedCapabilities, rankRecommendations, type RankInput } from '../../src/modules/dispatch/domain/recommend.js';
import { dueAlerts } from '../../src/modules/dispatch/domain/alerts.js';
import { CAPABILITIES } from '../../src/modules/incidents/domain/categories.js';
import { demoUnits } from '../../src/demo/units.js';

describe('unit status machine', () => {
  it('follows an assignment: available → dispatched → en_route → on_scene → available', () => {
    expect(canUnitTransition('available', 'dispatched', ['dispatcher']).ok).toBe(true);
    expect(canUnitTransition('dispatched', 'en_route', ['officer']).ok).toBe(true);
    expect(canUnitTransition('en_route', 'on_scene', ['officer']).ok).toBe(true);
    expect(canUnitTransition('dispatched', 'on_scene', ['officer']).ok).toBe(true);
    expect(canUnitTransition('on_scene', 'available', ['officer']).ok).toBe(true);
  });

  it('refuses illegal moves and moves by the wrong role', () => {
    expect(canUnitTransition('off_duty', 'on_scene', ['dispatcher'])).toMatchObject({ ok: false, reason: 'illegal' });
    expect(canUnitTransition('available', 'dispatched', ['officer'])).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(canUnitTransition('en_route', 'dispatched', ['officer'])).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(canUnitTransition('en_route', 'dispatched', ['dispatcher']).ok).toBe(true); // diversion to a P1
    expect(canUnitTransition('available', 'available', ['dispatcher'])).toMatchObject({ ok: false, reason: 'same' });
    expect(canUnitTransition('on_scene', 'off_duty', ['system'])).toMatchObject({ ok: false, reason: 'illegal' });
    expect(canUnitTransition('available', 'off_duty', ['analyst'])).toMatchObject({ ok: false, reason: 'forbidden' });
  });

  it('every status can be left and reached', () => {
    for (const s of UNIT_STATUSES) {
      expect(allowedUnitTransitions(s, ['system', 'dispatcher']).length, s).toBeGreaterThan(0);
      expect(UNIT_STATUSES.some((f) => canUnitTransition(f, s, ['system', 'dispatcher']).ok), s).toBe(true);
    }
    expect(allowedUnitTransitions('dispatched', ['officer'])).toEqual(['en_route', 'on_scene']);
  });

  it('the roster moves only idle units', () => {
    expect(rosterStatus('off_duty', true)).toBe('available');
    expect(rosterStatus('available', false)).toBe('off_duty');
    expect(rosterStatus('en_route', false)).toBeNull();
    expect(rosterStatus('available', true)).toBeNull();
    expect(rosterStatus('out_of_service', true)).toBeNull();
  });
});

describe('roster, track and staleness', () => {
  it('shift times are local (UTC+8); a night shift runs into the next day', () => {
    const day = shiftTimes('2025-03-01', '08:00', '20:00')!;
    expect(day.startsAt.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(day.endsAt.toISOString()).toBe('2025-03-01T12:00:00.000Z');
    const night = shiftTimes('2025-03-01', '20:00', '08:00')!;
    expect(night.endsAt.toISOString()).toBe('2025-03-02T00:00:00.000Z');
    expect(shiftTimes('2025-03-01', '25:00', '08:00')).toBeNull();
    expect(onDuty([night], new Date('2025-03-01T23:00:00Z'))).toBe(true);
    expect(onDuty([night], new Date('2025-03-02T00:00:00Z'))).toBe(false);
    expect(onDuty([day, night], new Date('2025-03-01T11:59:59Z'))).toBe(true);
  });

  it('keeps a track point per 30 s or 100 m', () => {
    const p = { at: 0, lon: 113.55, lat: 22.19 };
    expect(keepInTrack(undefined, p)).toBe(true);
    expect(keepInTrack(p, { ...p, at: 10_000 })).toBe(false);
    expect(keepInTrack(p, { ...p, at: 30_000 })).toBe(true);
    expect(keepInTrack(p, { ...p, at: 5_000, lat: 22.1912 })).toBe(true); // ~133 m north
    expect(keepInTrack(p, { ...p, at: -1 })).toBe(false);
  });

  it('a position older than 120 s is stale', () => {
    expect(isStale(undefined, 1_000_000, 120)).toBe(true);
    expect(isStale(1_000_000 - 120_000, 1_000_000, 120)).toBe(false);
    expect(isStale(1_000_000 - 120_001, 1_000_000, 120)).toBe(true);
  });
});

describe('recommendation ranking', () => {
  const base: RankInput = { unitId: 'u', callSign: 'c', kind: 'patrol_car', status: 'available', etaSeconds: 100, distanceMeters: 1000, positionAgeSeconds: 5, stale: false, diverting: false, capabilityMatch: true, matched: [] };

  it('orders by ETA, unreachable last, and explains each rank in Chinese', () => {
    const out = rankRecommendations([
      { ...base, unitId: 'slow', callSign: '巡2', etaSeconds: 237 },
      { ...base, unitId: 'none', callSign: '巡3', etaSeconds: null, distanceMeters: null },
      { ...base, unitId: 'fast', callSign: '巡1', etaSeconds: 192 },
      { ...base, unitId: 'stale', callSign: '巡4', etaSeconds: 200, stale: true, positionAgeSeconds: 600 },
      { ...base, unitId: 'div', callSign: '巡5', etaSeconds: 300, diverting: true, divertingFromPriority: 'P3' },
    ]);
    // A station-based estimate (stale) is ranked 180 s slower than it says (#11.12).
    expect(out.map((r) => r.unitId)).toEqual(['fast', 'slow', 'div', 'stale', 'none']);
    expect(out[0].reason).toBe('最快到达（3分12秒）');
    expect(out[1].reason).toBe('预计3分57秒到达（比最快慢45秒）');
    expect(out[2].reason).toContain('正在处置低优先级警情（P3），可改派');
    expect(out[3].reason).toBe('位置过期，按派出所位置估算（约3分20秒），排序时按慢3分0秒计');
    expect(out[4].reason).toBe('无法经道路到达');
  });

  it('ties go by distance, then call sign', () => {
    const out = rankRecommendations([
      { ...base, unitId: 'b', callSign: 'B', distanceMeters: 900 },
      { ...base, unitId: 'c', callSign: 'C', distanceMeters: 800 },
      { ...base, unitId: 'a', callSign: 'A', distanceMeters: 900 },
    ]);
    expect(out.map((r) => r.unitId)).toEqual(['c', 'a', 'b']);
  });

  it('eligibility: available on duty; for a P1 also units en route to a lower priority', () => {
    const u = { status: 'available', onDuty: true, capabilities: [] };
    expect(eligibility(u, 'P2')).toBe('available');
    expect(eligibility({ ...u, onDuty: false }, 'P2')).toBeNull();
    expect(eligibility({ ...u, status: 'en_route', currentIncidentPriority: 'P3' }, 'P1')).toBe('divertible');
    expect(eligibility({ ...u, status: 'en_route', currentIncidentPriority: 'P1' }, 'P1')).toBeNull();
    expect(eligibility({ ...u, status: 'en_route', currentIncidentPriority: 'P3' }, 'P2')).toBeNull();
    expect(eligibility({ ...u, status: 'busy' }, 'P1')).toBeNull();
  });

  it('capabilities: any one required capability qualifies; none required = any unit', () => {
    expect(matchedCapabilities(['traffic'], [])).toEqual({ ok: true, matched: [] });
    expect(matchedCapabilities(['armed'], ['traffic'])).toEqual({ ok: false, matched: [] });
    expect(matchedCapabilities(['armed', 'medical'], ['traffic', 'medical'])).toEqual({ ok: true, matched: ['medical'] });
    expect(formatDuration(59.6)).toBe('1分0秒');
    expect(formatDuration(45)).toBe('45秒');
  });
});

describe('alert timers', () => {
  const cfg = { ackTimeoutS: 60, p1UnassignedS: 60, escalateAfterS: 60 };
  it('raises after the timeout, once, and escalates an ignored alert', () => {
    const t0 = 1_000_000;
    const input = { assignments: [{ id: 'a1', assignedAt: t0, acknowledged: false }, { id: 'a2', assignedAt: t0, acknowledged: true }], incidents: [{ id: 'i1', priority: 'P1', recordedAt: t0 }, { id: 'i2', priority: 'P2', recordedAt: t0 }], alerts: [], known: new Set<string>() };
    expect(dueAlerts(t0 + 59_000, cfg, input)).toEqual({ raise: [], escalate: [] });
    expect(dueAlerts(t0 + 60_000, cfg, input).raise).toEqual([{ kind: 'ack_timeout', subjectId: 'a1' }, { kind: 'p1_unassigned', subjectId: 'i1' }]);
    expect(dueAlerts(t0 + 60_000, cfg, { ...input, known: new Set(['ack_timeout:a1', 'p1_unassigned:i1']) }).raise).toEqual([]);
    const alerts = [{ id: 'x', kind: 'ack_timeout' as const, subjectId: 'a1', level: 'alert' as const, raisedAt: t0 + 60_000 }];
    expect(dueAlerts(t0 + 119_000, cfg, { ...input, alerts }).escalate).toEqual([]);
    expect(dueAlerts(t0 + 120_000, cfg, { ...input, alerts }).escalate).toEqual(['x']);
    expect(dueAlerts(t0 + 200_000, cfg, { ...input, alerts: [{ ...alerts[0], level: 'escalated' as const }] }).escalate).toEqual([]);
  });
});

describe('demo units', () => {
  it('are reproducible, about five per station, with known capabilities and unique call signs', () => {
    const a = demoUnits();
    expect(demoUnits()).toEqual(a);
    expect(a.length).toBe(65); // 5 per station + 5 specialists per district
    expect(new Set(a.map((u) => u.callSign)).size).toBe(a.length);
    expect(new Set(a.map((u) => u.id)).size).toBe(a.length);
    for (const u of a) for (const c of u.capabilities) expect(Object.keys(CAPABILITIES)).toContain(c);
    expect(a[0]).toMatchObject({ id: 'MO0101-1', callSign: '澳门巡11', kind: 'patrol_car', stationId: 'MO0101' });
    expect(new Set(a.map((u) => u.kind)).size).toBeGreaterThanOrEqual(5);
  });
});
