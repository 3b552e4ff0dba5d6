import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectEmergency } from '../../../src/modules/citizen/domain/emergency.js';

describe('emergency words (call 110 now)', () => {
  it.each([
    ['救命！有人在楼下打架', true],
    ['楼下有人持刀', true],
    ['对面楼着火了', true],
    ['刚才有人抢劫', true],
    ['他们正在打一个老人', true],
    ['There is a FIRE in the building', true],
    ['ＦＩＲＥ on the 3rd floor', true],
    ['Someone has a knife', true],
    ['楼上装修噪音很大，晚上十点还在施工', false],
    ['路灯坏了三天了', false],
    ['firewall of the office is noisy', false],
    ['违章停车堵住消防通道', false],
    ['', false],
  ])('%s → %s', (text, emergency) => {
    expect(detectEmergency(text).emergency).toBe(emergency);
  });

  it('names the words it found', () => {
    expect(detectEmergency('救命，着火了').matched).toEqual(['救命', '着火']);
  });

  it('never throws and reads a bounded amount of any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 6000 }), (s) => typeof detectEmergency(s).emergency === 'boolean'));
  });
});
