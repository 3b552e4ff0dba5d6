/**
 * An emergency typed into the portal (救命, 持刀, 着火 …): the portal answers "call 110 now" at once and
 * does not hold the citizen up. A pure rule over the text, tested with a table
 * (test/citizen/domain/emergency.test.ts). The list is data a bureau may extend.
 */

/** Words and phrases that mean danger now. Chinese first; a few English ones for visitors. */
export const EMERGENCY_WORDS: readonly string[] = [
  '救命', '持刀', '拿刀', '砍人', '捅人', '着火', '起火', '失火', '火灾', '抢劫', '打劫', '正在打', '正在砸', '打人了',
  '有人跳楼', '要跳楼', '绑架', '枪', '爆炸', '杀人', '强奸', '溺水', '晕倒', '不省人事', '车祸有人受伤', '被困',
  'help me', 'knife', 'fire', 'robbery', 'gun', 'kidnap', 'someone is dying',
];

export interface EmergencyVerdict {
  emergency: boolean;
  /** The words found, in the order of the list. */
  matched: string[];
}

/** Normalises width and case so that ＦＩＲＥ and 'Fire' match. */
function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Whether the text reads like an emergency (any listed word), and which words matched. Bounded: ≤ 4,000 characters read. */
export function detectEmergency(text: string, words: readonly string[] = EMERGENCY_WORDS): EmergencyVerdict {
  const t = normalise(text.slice(0, 4000));
  const matched = words.filter((w) => {
    const n = normalise(w);
    if (!/^[a-z ]+$/.test(n)) return t.includes(n);
    // Latin words on word boundaries: 'fire' is not found in 'firewall'.
    return new RegExp(`(^|[^a-z])${n}([^a-z]|$)`).test(t);
  });
  return { emergency: matched.length > 0, matched };
}

export const CALL_110 = { zh: '这可能是紧急情况：请立即拨打110！网上报事不用于紧急求助。', en: 'This may be an emergency: call 110 now! Online reports are not for emergencies.' } as const;
