/**
 * Priority suggestion at intake (警情分级). P1 = life in danger or crime in progress … P4 = no urgency.
 *
 * Policy:
 *  - Start from the leaf category's default priority (P3 when the category is unknown or not a leaf).
 *  - Danger words in the description can only RAISE the priority, never lower it. The suggestion is
 *    never less urgent than the category default: lowering is a human decision, and a call-taker who
 *    chooses a less urgent priority than suggested must give a reason (`priorityOverrideNeedsReason`).
 *    Words such as 已离开 / 没事了 therefore do not lower anything; they are left to the call-taker.
 *  - Life-threatening words give P1 (持刀, 枪, 爆炸, 着火, 昏迷, 大量出血, 抢劫, 绑架, 跳楼, 儿童走失,
 *    落水, 燃气泄漏 …); injury without more (受伤, 流血), 被困, 打架, 家暴 give P2.
 *  - Negated danger (没有人受伤, 无人被困, 未起火 …) and hypothetical danger (担心引起火灾, 以免…) do not
 *    count.
 *  - "In progress" (正在 / 还在 …, or `opts.inProgress`) raises by one level, but on its own never above P2.
 *  - A device alarm (一键报警 etc., `opts.source === 'device_alarm'`) is P1.
 *  - Traditional characters (Macau data) are folded to simplified with a small map before matching.
 */
import { findCategory, leafCategories, PRIORITIES, type CategoryNode, type Priority } from './categories.js';

export type { Priority } from './categories.js';

export interface SuggestOptions {
  /** The caller says it is happening now (overrides nothing, adds the in-progress rule). */
  inProgress?: boolean;
  /** Where the incident comes from; 'device_alarm' (alarm buttons, sensors) is always P1. */
  source?: string;
  /**
   * The category as stored (the database is the one source of truth: an administrator may have changed
   * its name or default priority). Without it, the built-in taxonomy is used (pure tests, demo history).
   */
  category?: { name: string; nameEn?: string; leaf: boolean; defaultPriority: Priority | null } | null;
}

/** The danger-word rules' keys (a rule's label in English on the web: `kw_<key>`). */
export const DANGER_RULE_KEYS = [
  'knife_held', 'gun', 'explosion', 'fire', 'unconscious', 'heavy_bleeding', 'death', 'robbery', 'kidnap', 'suicide', 'child_missing',
  'drowning', 'gas_leak', 'injured', 'bleeding', 'trapped', 'knife', 'fight', 'domestic_violence', 'drunk_driving', 'elder_missing', 'stalking',
] as const;
export type DangerRuleKey = (typeof DANGER_RULE_KEYS)[number];

/** The category the suggestion started from, as named in the database (zh and en). */
interface CategoryParams {
  category: string;
  name: string;
  nameEn: string;
  priority: Priority;
}

/**
 * Why the suggestion is what it is, as a code with parameters: the web translates it (zh, en);
 * `reasons` renders the same list in Chinese (audit, clients that show strings).
 */
export type PriorityReason =
  | { code: 'category_default'; params: CategoryParams }
  | { code: 'category_not_leaf'; params: CategoryParams }
  | { code: 'category_unknown'; params: { category: string; priority: Priority } }
  | { code: 'device_alarm'; params: { priority: Priority } }
  /** A danger word: `rule` names the rule, `word` is its Chinese label (持刀). */
  | { code: 'keyword'; params: { rule: DangerRuleKey; word: string; priority: Priority } }
  /** Happening now: `word` is the word in the description (正在), null when the caller said so. */
  | { code: 'in_progress'; params: { word: string | null; priority: Priority } };

export interface PrioritySuggestion {
  priority: Priority;
  /** The reasons in Chinese (from `reasonCodes`). */
  reasons: string[];
  reasonCodes: PriorityReason[];
}

const RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/** Lower rank = more urgent. */
export function priorityRank(p: Priority): number {
  return RANK[p];
}

export function isPriority(x: unknown): x is Priority {
  return typeof x === 'string' && (PRIORITIES as readonly string[]).includes(x);
}

/* ------------------------------------------------------------------------------------------------ */
/* Traditional → simplified (only characters that matter for the keywords here and in categories)   */
/* ------------------------------------------------------------------------------------------------ */

/** Pairs of traditional → simplified characters, space-separated. */
const T2S_PAIRS = [
  '著着 傷伤 槍枪 鎗枪 搶抢 綁绑 樓楼 輕轻 兒儿 災灾 燒烧 煙烟 氣气 洩泄 殺杀 暈晕 鬥斗 毆殴 車车 禍祸 醫医 藥药 斬斩 斷断 險险 墮堕 墜坠 擊击 彈弹 竊窃',
  '盜盗 騙骗 詐诈 錢钱 報报 現现 場场 發发 縱纵 擄掳 賣卖 賭赌 駕驾 駛驶 應应 還还 們们 裡里 裏里 個个 輛辆 衝冲 門门 開开 關关 內内 對对 說说 話话 電电',
  '時时 間间 從从 進进 這这 邊边 頭头 號号 無无 沒没 須须 鄰邻 糾纠 紛纷 聲声 擾扰 為为 離离 緊紧 護护 鬧闹 嚇吓 脅胁 僱雇 態态 劃划 搖摇 滅灭 風风 颱台',
  '綑捆 縛缚 強强 姦奸 褻亵 機机 構构 銷销 賬账 轉转 帳账 歲岁 見见 丟丢 遺遗 體体 屍尸 兇凶 難难 溝沟 嚴严 親亲 鎖锁 鑰钥 聽听 幫帮 趕赶 來来 處处 戶户',
  '陽阳 臺台 檯台 頂顶 層层 廈厦 區区 馬马 燈灯 紅红 綠绿 違违 規规 則则 賊贼 販贩 財财 產产 損损 壞坏 孫孙 媽妈 爺爷 奪夺 襲袭 擠挤 濃浓 齊齐 狀状 況况',
  '鐘钟 錶表 銀银 鋼钢 鐵铁 蟲虫 貓猫 雞鸡',
].join(' ');

const T2S = new Map<string, string>([['\u3000', ' ']]);
for (const pair of T2S_PAIRS.split(' ')) {
  if (pair.length === 2) T2S.set(pair[0], pair[1]);
}
const T2S_RE = new RegExp(`[${[...T2S.keys()].join('')}]`, 'g');

/** Folds the traditional characters we care about to simplified, and full-width spaces to ASCII. */
export function normalizeZh(text: string): string {
  return text.replace(T2S_RE, (ch) => T2S.get(ch)!);
}

/* ------------------------------------------------------------------------------------------------ */
/* Rules                                                                                              */
/* ------------------------------------------------------------------------------------------------ */

interface DangerRule {
  key: DangerRuleKey;
  /** Shown in the Chinese reason: 描述含“${label}”→P1. */
  label: string;
  re: RegExp;
  priority: Priority;
}

/** Ordered most urgent first; every matching rule is reported. Patterns run on normalised text. */
const RULES: DangerRule[] = [
  { key: 'knife_held', label: '持刀', re: /持刀|拿刀|挥刀|动刀|拿着刀|举刀|持械|砍人|捅人|砍伤|捅伤|拿菜刀/, priority: 'P1' },
  { key: 'gun', label: '枪', re: /(?<!水|玩具)枪/, priority: 'P1' },
  { key: 'explosion', label: '爆炸', re: /爆炸|炸弹|爆炸物/, priority: 'P1' },
  { key: 'fire', label: '着火', re: /着火|(?<!引)起火(?!警)|火灾|失火|烧起来|火势/, priority: 'P1' },
  { key: 'unconscious', label: '昏迷', re: /昏迷|不省人事|没有呼吸|没呼吸|没有心跳|叫不醒|失去意识/, priority: 'P1' },
  { key: 'heavy_bleeding', label: '大量出血', re: /大量出血|血流不止|满身是血|流了很多血|重伤/, priority: 'P1' },
  { key: 'death', label: '死亡', re: /人死了|已经死|死亡|尸体|打死|杀人/, priority: 'P1' },
  { key: 'robbery', label: '抢劫', re: /抢劫|打劫/, priority: 'P1' },
  { key: 'kidnap', label: '绑架', re: /绑架|被绑|勒索赎金/, priority: 'P1' },
  { key: 'suicide', label: '轻生', re: /跳楼|跳海|跳桥|轻生|自杀|割腕|不想活/, priority: 'P1' },
  { key: 'child_missing', label: '儿童走失', re: /(?:儿童|小孩|孩子|小朋友|女儿|儿子)(?:.{0,4})?(?:走失|不见了|找不到|丢了|被抱走)/, priority: 'P1' },
  { key: 'drowning', label: '落水', re: /落水|溺水|掉(?:进|到)?(?:海|河|水)里/, priority: 'P1' },
  { key: 'gas_leak', label: '燃气泄漏', re: /煤气泄漏|燃气泄漏|漏气|煤气味|燃气味|石油气/, priority: 'P1' },
  { key: 'injured', label: '有人受伤', re: /有人受伤|受伤|伤者|被打伤|头破/, priority: 'P2' },
  { key: 'bleeding', label: '流血', re: /流血|出血/, priority: 'P2' },
  { key: 'trapped', label: '被困', re: /被困|困在|困住|出不来/, priority: 'P2' },
  { key: 'knife', label: '刀', re: /刀/, priority: 'P2' },
  { key: 'fight', label: '打架', re: /打架|斗殴|打起来|动手|殴打/, priority: 'P2' },
  { key: 'domestic_violence', label: '家暴', re: /家暴|家庭暴力/, priority: 'P2' },
  { key: 'drunk_driving', label: '醉驾', re: /醉驾|酒驾|喝酒开车/, priority: 'P2' },
  { key: 'elder_missing', label: '老人走失', re: /老人(?:.{0,4})?(?:走失|不见了|找不到)/, priority: 'P2' },
  { key: 'stalking', label: '被跟踪', re: /跟踪|尾随|一直跟着/, priority: 'P2' },
];

/** Negated mentions, removed before the rules run (没有人受伤, 无人员被困, 未起火, 不是着火 …). */
const NEGATED =
  /(?:并没有|并未|没有|没|无|未|不是|不)(?:人员|任何人|人)?(?:受伤|流血|被困|昏迷|着火|起火|伤亡|出血|动手|持刀|拿刀)/g;

/** Hypothetical danger (担心引起火灾, 以免有人受伤) up to the end of the clause, removed too. */
const HYPOTHETICAL = /(?:担心|以免|防止|避免)[^，。,.；;！!？?]*/g;

const IN_PROGRESS = /正在|还在|仍在|现在在|一直在/;

/** The in-progress rule raises by one level but, alone, never above this. */
const IN_PROGRESS_CAP: Priority = 'P2';

const DEFAULT_UNKNOWN: Priority = 'P3';

export function suggestPriority(categoryCode: string, description: string, opts: SuggestOptions = {}): PrioritySuggestion {
  const reasonCodes: PriorityReason[] = [];
  const cat = opts.category !== undefined ? opts.category : findCategory(categoryCode);
  let priority: Priority;
  if (cat?.leaf && cat.defaultPriority) {
    priority = cat.defaultPriority;
    reasonCodes.push({ code: 'category_default', params: { category: categoryCode, name: cat.name, nameEn: cat.nameEn ?? cat.name, priority } });
  } else {
    priority = DEFAULT_UNKNOWN;
    reasonCodes.push(
      cat
        ? { code: 'category_not_leaf', params: { category: categoryCode, name: cat.name, nameEn: cat.nameEn ?? cat.name, priority } }
        : { code: 'category_unknown', params: { category: categoryCode, priority } },
    );
  }

  if (opts.source === 'device_alarm') {
    if (priority !== 'P1') reasonCodes.push({ code: 'device_alarm', params: { priority: 'P1' } });
    priority = 'P1';
  }

  const text = normalizeZh(description ?? '').replace(NEGATED, '').replace(HYPOTHETICAL, '');
  for (const rule of RULES) {
    if (!rule.re.test(text)) continue;
    if (RANK[rule.priority] < RANK[priority]) {
      reasonCodes.push({ code: 'keyword', params: { rule: rule.key, word: rule.label, priority: rule.priority } });
      priority = rule.priority;
    }
  }

  const inProgressWord = IN_PROGRESS.exec(text)?.[0];
  if (opts.inProgress || inProgressWord) {
    const raised = PRIORITIES[Math.max(RANK[IN_PROGRESS_CAP], RANK[priority] - 1) - 1];
    if (RANK[raised] < RANK[priority]) {
      reasonCodes.push({ code: 'in_progress', params: { word: inProgressWord ?? null, priority: raised } });
      priority = raised;
    }
  }
  return { priority, reasons: reasonCodes.map(priorityReasonZh), reasonCodes };
}

/** One reason in Chinese: 类别“噪音扰民”默认P4, 描述含“持刀”→P1 … */
export function priorityReasonZh(r: PriorityReason): string {
  switch (r.code) {
    case 'category_default':
      return `类别“${r.params.name}”默认${r.params.priority}`;
    case 'category_not_leaf':
      return `类别“${r.params.name}”不是末级类别，默认${r.params.priority}`;
    case 'category_unknown':
      return `未知类别，默认${r.params.priority}`;
    case 'device_alarm':
      return `报警装置自动报警→${r.params.priority}`;
    case 'keyword':
      return `描述含“${r.params.word}”→${r.params.priority}`;
    case 'in_progress':
      return r.params.word ? `描述含“${r.params.word}”（正在发生）→${r.params.priority}` : `正在发生→${r.params.priority}`;
  }
}

/** True when the chosen priority is less urgent than the suggestion: the override needs a reason. */
export function priorityOverrideNeedsReason(suggested: Priority, chosen: Priority): boolean {
  return RANK[chosen] > RANK[suggested];
}

/* ------------------------------------------------------------------------------------------------ */
/* Category suggestion from free text (intake helper)                                                */
/* ------------------------------------------------------------------------------------------------ */

export interface CategorySuggestion {
  code: string;
  name: string;
  score: number;
  matched: string[];
}

/**
 * Leaves whose keywords or name occur in the text, best first (score = total length of the matched
 * keywords, so 电动车被偷 beats 被偷). Traditional text is normalised first.
 */
export function suggestCategories(text: string, limit = 5, leaves: readonly CategoryNode[] = leafCategories()): CategorySuggestion[] {
  const t = normalizeZh(text ?? '');
  if (!t.trim()) return [];
  const out: CategorySuggestion[] = [];
  for (const leaf of leaves) {
    const matched = [...(leaf.keywords ?? []), leaf.name].filter((k) => k && t.includes(normalizeZh(k)));
    if (matched.length === 0) continue;
    out.push({ code: leaf.code, name: leaf.name, score: matched.reduce((s, k) => s + k.length, 0), matched });
  }
  out.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  return out.slice(0, limit);
}
