import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  OPEN_STATUSES,
  STATUSES,
  TERMINAL_STATUSES,
  TIMESTAMP_FIELD,
  TRANSITIONS,
  allowedTransitions,
  canTransition,
  isOpenStatus,
  type Actor,
  type IncidentStatus,
} from '../../../src/modules/incidents/domain/lifecycle.js';
import { ROLES } from '../../../src/core/roles.js';
import {
  DISPOSITIONS,
  DISPOSITION_CODES,
  QUICK_CLOSE_DISPOSITIONS,
  findDisposition,
  isDispositionCode,
  isValidIncidentDisposition,
} from '../../../src/modules/incidents/domain/dispositions.js';

const ACTORS: Actor[] = [...ROLES, 'system'];
const ok = { dispositionCode: 'D04', reason: '报警人撤警' };

describe('state machine: table', () => {
  // [from, to, role, input, expected]
  const cases: Array<[IncidentStatus, IncidentStatus, Actor, object, string]> = [
    ['new', 'dispatched', 'dispatcher', {}, 'ok:dispatchedAt'],
    ['new', 'dispatched', 'system', {}, 'ok:dispatchedAt'],
    ['new', 'dispatched', 'calltaker', {}, 'forbidden'],
    ['new', 'dispatched', 'officer', {}, 'forbidden'],
    ['new', 'dispatched', 'admin', {}, 'forbidden'],
    ['dispatched', 'en_route', 'officer', {}, 'ok:enRouteAt'],
    ['dispatched', 'on_scene', 'officer', {}, 'ok:onSceneAt'],
    ['en_route', 'on_scene', 'officer', {}, 'ok:onSceneAt'],
    ['en_route', 'on_scene', 'dispatcher', {}, 'ok:onSceneAt'],
    ['en_route', 'on_scene', 'calltaker', {}, 'forbidden'],
    ['on_scene', 'cleared', 'officer', {}, 'ok:clearedAt'],
    ['on_scene', 'cleared', 'system', {}, 'forbidden'],
    ['cleared', 'closed', 'officer', { dispositionCode: 'D03' }, 'ok:closedAt'],
    ['cleared', 'closed', 'chief', { dispositionCode: 'D01' }, 'ok:closedAt'],
    ['cleared', 'closed', 'dispatcher', {}, 'disposition_required'],
    ['cleared', 'closed', 'dispatcher', { dispositionCode: 'X1' }, 'disposition_required'],
    ['cleared', 'closed', 'dispatcher', { dispositionCode: 'D08' }, 'disposition_required'],
    ['cleared', 'closed', 'calltaker', { dispositionCode: 'D03' }, 'forbidden'],
    ['new', 'closed', 'calltaker', { dispositionCode: 'D07' }, 'ok:closedAt'],
    ['new', 'closed', 'dispatcher', { dispositionCode: 'D04' }, 'ok:closedAt'],
    ['new', 'closed', 'calltaker', { dispositionCode: 'D01' }, 'disposition_required'],
    ['new', 'closed', 'calltaker', {}, 'disposition_required'],
    ['new', 'closed', 'officer', { dispositionCode: 'D04' }, 'forbidden'],
    ['new', 'transferred', 'calltaker', {}, 'ok:transferredAt'],
    ['new', 'transferred', 'officer', {}, 'forbidden'],
    ['dispatched', 'transferred', 'dispatcher', {}, 'illegal'],
    ['transferred', 'new', 'calltaker', { reason: '12345退回：需警方处理' }, 'ok:null'],
    ['transferred', 'new', 'calltaker', {}, 'reason_required'],
    ['new', 'cancelled', 'calltaker', { reason: '报警人撤警' }, 'ok:cancelledAt'],
    ['new', 'cancelled', 'calltaker', { reason: '  ' }, 'reason_required'],
    ['dispatched', 'cancelled', 'dispatcher', { reason: '报警人撤警' }, 'ok:cancelledAt'],
    ['dispatched', 'cancelled', 'calltaker', { reason: '报警人撤警' }, 'forbidden'],
    ['en_route', 'cancelled', 'dispatcher', { reason: '报警人撤警' }, 'ok:cancelledAt'],
    ['on_scene', 'cancelled', 'dispatcher', { reason: 'x' }, 'illegal'],
    ['dispatched', 'new', 'dispatcher', { reason: '警力改派' }, 'ok:null'],
    ['on_scene', 'merged', 'dispatcher', {}, 'ok:mergedAt'],
    ['new', 'merged', 'calltaker', {}, 'ok:mergedAt'],
    ['new', 'merged', 'officer', {}, 'forbidden'],
    ['merged', 'new', 'dispatcher', { reason: '并非同一事件' }, 'ok:null'],
    ['merged', 'new', 'dispatcher', {}, 'reason_required'],
    ['merged', 'dispatched', 'dispatcher', {}, 'illegal'],
    ['closed', 'cleared', 'chief', { reason: '回访不满意，补充处理' }, 'ok:reopenedAt'],
    ['closed', 'cleared', 'supervisor', { reason: '复核' }, 'ok:reopenedAt'],
    ['closed', 'cleared', 'supervisor', {}, 'reason_required'],
    ['closed', 'cleared', 'dispatcher', { reason: 'x' }, 'forbidden'],
    ['closed', 'new', 'chief', { reason: 'x' }, 'illegal'],
    ['closed', 'closed', 'chief', ok, 'illegal'],
    ['cancelled', 'new', 'chief', ok, 'illegal'],
    ['new', 'new', 'dispatcher', ok, 'illegal'],
    ['new', 'on_scene', 'officer', {}, 'illegal'],
    ['dispatched', 'cleared', 'officer', {}, 'illegal'],
    ['on_scene', 'closed', 'officer', { dispositionCode: 'D04' }, 'illegal'],
  ];
  it.each(cases)('%s → %s by %s %o: %s', (from, to, role, input, expected) => {
    const r = canTransition(from, to, [role], input);
    if (expected.startsWith('ok:')) {
      expect(r.ok).toBe(true);
      if (r.ok) expect(String(r.timestampField)).toBe(expected.slice(3));
    } else {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.reason).toBe(expected);
        expect(r.message).not.toBe('');
      }
    }
  });

  it('any of several roles is enough; clears are reported', () => {
    expect(canTransition('new', 'dispatched', ['calltaker', 'dispatcher']).ok).toBe(true);
    expect(canTransition('new', 'dispatched', []).ok).toBe(false);
    const reopen = canTransition('closed', 'cleared', ['chief'], { reason: '复核' });
    expect(reopen.ok && reopen.clears).toEqual(['closedAt']);
    const unmerge = canTransition('merged', 'new', ['calltaker'], { reason: 'x' });
    expect(unmerge.ok && unmerge.clears).toEqual(['mergedAt']);
  });
});

describe('state machine: properties', () => {
  const EXITS_FROM_TERMINAL = new Set(['closed>cleared', 'transferred>new', 'merged>new']);
  const anyInput = fc.record({ dispositionCode: fc.constantFrom(undefined, ...DISPOSITION_CODES, 'ZZ'), reason: fc.constantFrom(undefined, '', '原因') });

  it('no transition leaves a terminal status except reopen, return and unmerge; cancelled is final', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL_STATUSES), fc.constantFrom(...STATUSES), fc.subarray(ACTORS), anyInput, (from, to, roles, input) => {
        const r = canTransition(from, to, roles, input);
        if (r.ok) expect(EXITS_FROM_TERMINAL.has(`${from}>${to}`)).toBe(true);
        if (from === 'cancelled') expect(r.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('closing always needs an accepted disposition', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), fc.subarray(ACTORS), fc.constantFrom(undefined, '', '原因'), (from, roles, reason) => {
        const r = canTransition(from, 'closed', roles, { reason });
        expect(r.ok).toBe(false);
      }),
    );
    for (const r of TRANSITIONS.filter((t) => t.to === 'closed')) expect(r.needs).toBe('disposition');
    expect(canTransition('new', 'closed', ['calltaker'], { dispositionCode: 'D05' }).ok).toBe(false);
    for (const code of QUICK_CLOSE_DISPOSITIONS) expect(canTransition('new', 'closed', ['calltaker'], { dispositionCode: code }).ok).toBe(true);
  });

  it('admin has no operational transitions', () => {
    for (const s of STATUSES) expect(allowedTransitions(s, ['admin'])).toEqual([]);
  });

  it('allowedTransitions agrees with canTransition (given the needed input)', () => {
    for (const from of STATUSES)
      for (const role of ACTORS)
        for (const a of allowedTransitions(from, [role])) {
          const input = { dispositionCode: a.dispositions?.[0], reason: '原因' };
          expect(canTransition(from, a.to, [role], input).ok).toBe(true);
        }
    expect(allowedTransitions('new', ['calltaker']).map((a) => a.to)).toEqual(['closed', 'transferred', 'cancelled', 'merged']);
    expect(allowedTransitions('en_route', ['officer']).map((a) => a.action)).toEqual(['arrive']);
  });

  it('every open status can be merged; statuses and timestamp fields are consistent', () => {
    for (const s of OPEN_STATUSES) expect(canTransition(s, 'merged', ['dispatcher']).ok).toBe(true);
    expect(STATUSES.filter((s) => !isOpenStatus(s)).sort()).toEqual([...TERMINAL_STATUSES].sort());
    expect(TIMESTAMP_FIELD.new).toBeNull();
    expect(new Set(Object.values(TIMESTAMP_FIELD).filter(Boolean)).size).toBe(STATUSES.length - 1);
  });
});

describe('dispositions', () => {
  it('codes, names and validity', () => {
    expect(DISPOSITIONS.length).toBeGreaterThanOrEqual(9);
    expect(new Set(DISPOSITION_CODES).size).toBe(DISPOSITION_CODES.length);
    for (const d of DISPOSITIONS) expect(d.code).toMatch(/^D\d{2}$/);
    expect(DISPOSITIONS.map((d) => d.name)).toEqual(expect.arrayContaining(['已立刑事案件', '已立行政案件', '调解处理', '当场处理', '救助服务', '移交其他部门', '无效警情', '其他']));
    expect(isDispositionCode('D01')).toBe(true);
    expect(isDispositionCode('D00')).toBe(false);
    expect(isDispositionCode(1)).toBe(false);
    expect(findDisposition('D07')?.name).toBe('无效警情');
    expect(isValidIncidentDisposition('D07')).toBe(false);
    expect(isValidIncidentDisposition('D08')).toBe(false);
    expect(isValidIncidentDisposition('D03')).toBe(true);
  });
});

describe('the open-incident index', () => {
  it('has the same open statuses as the lifecycle (else duplicate lookups cannot use it)', async () => {
    const fs = await import('node:fs');
    const sqlText = fs.readFileSync(new URL('../../../migrations/0005_open_incident_lookup.sql', import.meta.url), 'utf8');
    expect(sqlText).toContain(`in (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`);
  });
});
