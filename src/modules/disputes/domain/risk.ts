/**
 * The risk grade of a dispute (red / orange / yellow / blue): the chance it escalates (民转刑, 刑转命).
 * Explicit points per rule, each shown with its reason; the grade is the score against thresholds. Rules
 * and thresholds are data a bureau corrects. Every rule adds points and never removes any, so adding a
 * fact never lowers the grade. Family and relationship disputes weigh most: most homicides in the
 * sources begin as quarrels between people who know each other. Threats are read from the summary too,
 * in simplified and traditional characters, and the reason names the words found.
 */
import { DISPUTE_TYPE_LABELS, type DisputeType } from './vocabulary.js';

export const RISK_GRADES = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskGrade = (typeof RISK_GRADES)[number];

export interface RiskFacts {
  type: DisputeType;
  summary: string;
  injuries?: boolean;
  weaponsOrThreats?: boolean;
  /** Incidents of the dispute family and its kin within PLACE_RADIUS_M of the dispute's place in the last 90 days. */
  incidentsAtPlace90d: number;
  /** Incidents between the parties' phones in the last 90 days. */
  incidentsBetweenPhones90d: number;
  failedMediations: number;
  /** Elderly people or minors among the parties. */
  vulnerableParties?: boolean;
  daysOpen: number;
}

export interface RiskReason {
  code: string;
  points: number;
  zh: string;
  en: string;
}

export interface RiskGrading {
  grade: RiskGrade;
  score: number;
  reasons: RiskReason[];
}

/** Points from `min` upwards (the highest tier reached counts). */
interface Tier {
  min: number;
  points: number;
}

export const RISK_RULES = {
  typePoints: {
    family: 30,
    neighbour: 15,
    land: 15,
    debt: 15,
    labour: 10,
    medical: 10,
    traffic: 10,
    tenancy: 10,
    property: 5,
    consumer: 5,
    other: 5,
  } satisfies Record<DisputeType, number>,
  /** Threats or weapons: recorded as a fact or found in the summary. */
  threats: 40,
  injuries: 20,
  vulnerableParties: 10,
  incidentsBetweenPhones90d: [
    { min: 2, points: 15 },
    { min: 3, points: 25 },
  ] as Tier[],
  incidentsAtPlace90d: [
    { min: 2, points: 10 },
    { min: 4, points: 20 },
  ] as Tier[],
  failedMediations: [
    { min: 1, points: 15 },
    { min: 2, points: 25 },
  ] as Tier[],
  daysOpen: [
    { min: 30, points: 5 },
    { min: 90, points: 10 },
  ] as Tier[],
};

/**
 * "The same place" for repeat incidents: the building, not the block. At 100 m a city centre holds
 * hundreds of households and nearly every dispute of the demo city counted as a repeat place.
 */
export const PLACE_RADIUS_M = 30;

/** The lowest score of each grade; below the last, blue. */
export const RISK_THRESHOLDS: { grade: Exclude<RiskGrade, 'blue'>; min: number }[] = [
  { grade: 'red', min: 70 },
  { grade: 'orange', min: 45 },
  { grade: 'yellow', min: 25 },
];

/** Words of threat or weapons, each with its traditional form where it differs. */
export const THREAT_WORDS: readonly (readonly string[])[] = [
  ['同归于尽', '同歸於盡'],
  ['鱼死网破', '魚死網破'],
  ['弄死'],
  ['杀', '殺'],
  ['砍'],
  ['捅'],
  ['刀'],
  ['枪', '槍'],
  ['炸'],
  ['汽油'],
  ['硫酸'],
  ['农药', '農藥'],
  ['放火'],
  ['烧死', '燒死'],
  ['报复', '報復'],
  ['跳楼', '跳樓'],
  ['不想活'],
];

/** Everyday words that contain a threat word and mean no harm: removed before looking. */
export const THREAT_FALSE_FRIENDS: readonly string[] = [
  '砍价', '砍價', '杀价', '殺價', '跳楼价', '跳樓價', '炸鸡', '炸雞', '炸酱', '炸醬', '油炸', '炸串', '刀削面', '刀削麵',
  '杀毒', '殺毒', '水枪', '水槍', '报复性消费', '報復性消費', '开刀', '開刀',
];

/** Threat words in a text, as written, in the order of THREAT_WORDS. */
export function threatWordsIn(text: string): string[] {
  let t = text ?? '';
  for (const f of THREAT_FALSE_FRIENDS) t = t.split(f).join(' ');
  const found: string[] = [];
  for (const forms of THREAT_WORDS) {
    const hit = forms.find((w) => t.includes(w));
    if (hit) {
      found.push(hit);
      // A longer phrase already found (同归于尽) is not counted again through its parts.
      t = t.split(hit).join(' ');
    }
  }
  return found;
}

const count = (n: number) => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);
const tier = (tiers: Tier[], n: number) => tiers.reduce((p, t) => (n >= t.min ? Math.max(p, t.points) : p), 0);

export function gradeForScore(score: number): RiskGrade {
  return RISK_THRESHOLDS.find((t) => score >= t.min)?.grade ?? 'blue';
}

export function gradeRisk(facts: RiskFacts, rules: typeof RISK_RULES = RISK_RULES): RiskGrading {
  const reasons: RiskReason[] = [];
  const add = (code: string, points: number, zh: string, en: string) => {
    if (points > 0) reasons.push({ code, points, zh, en });
  };
  const label = DISPUTE_TYPE_LABELS[facts.type] ?? DISPUTE_TYPE_LABELS.other;
  add(`type_${facts.type}`, rules.typePoints[facts.type] ?? rules.typePoints.other, `纠纷类型：${label.zh}`, `dispute type: ${label.en.toLowerCase()}`);

  const words = threatWordsIn(facts.summary);
  if (words.length > 0 || facts.weaponsOrThreats) {
    const quoted = words.map((w) => `“${w}”`).join('');
    add(
      'threats',
      rules.threats,
      words.length > 0 ? `提及威胁或凶器：${quoted}` : '已记录威胁或凶器',
      words.length > 0 ? `threats or weapons mentioned: ${words.join(', ')}` : 'threats or weapons recorded',
    );
  }
  if (facts.injuries) add('injuries', rules.injuries, '有人受伤', 'someone was injured');

  const phones = count(facts.incidentsBetweenPhones90d);
  add('repeat_phones', tier(rules.incidentsBetweenPhones90d, phones), `90日内双方电话间警情${phones}起`, `${phones} incidents between the parties’ phones in 90 days`);
  const place = count(facts.incidentsAtPlace90d);
  add('repeat_place', tier(rules.incidentsAtPlace90d, place), `90日内同一地点纠纷类警情${place}起`, `${place} dispute-type incidents at the place in 90 days`);
  const failed = count(facts.failedMediations);
  add('failed_mediation', tier(rules.failedMediations, failed), `调解不成${failed}次`, `${failed} failed mediation${failed === 1 ? '' : 's'}`);
  if (facts.vulnerableParties) add('vulnerable', rules.vulnerableParties, '当事人中有老人或未成年人', 'elderly people or minors among the parties');
  const days = count(facts.daysOpen);
  add('days_open', tier(rules.daysOpen, days), `已持续${days}天未化解`, `open for ${days} days`);

  const score = reasons.reduce((s, r) => s + r.points, 0);
  return { grade: gradeForScore(score), score, reasons };
}

/** Grades from highest to lowest risk: for sorting a register (red first). */
export function gradeRank(grade: RiskGrade): number {
  return RISK_GRADES.indexOf(grade);
}
