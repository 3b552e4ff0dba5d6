/**
 * 随手拍 traffic-violation reports (issue 15): the violation types, the plate, the evidence rule, and
 * the one-reward rule — the first report judged valid of a plate and violation type gets the reward;
 * a later valid report of the same plate and type observed within 30 minutes and 200 metres of a
 * rewarded one is a duplicate of it. Pure; table tests in test/citizen/domain/violation.test.ts.
 */
import { metresBetween } from './geo.js';

export const VIOLATION_SERVICE = 'TV';

export const VIOLATION_TYPES = ['illegal_parking', 'red_light', 'wrong_way', 'bus_lane', 'phone_driving', 'not_yielding', 'other'] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

export const VIOLATION_LABELS: Record<ViolationType, { zh: string; en: string }> = {
  illegal_parking: { zh: '违法停车', en: 'Illegal parking' },
  red_light: { zh: '闯红灯', en: 'Running a red light' },
  wrong_way: { zh: '逆行', en: 'Wrong-way driving' },
  bus_lane: { zh: '占用公交专用道', en: 'Occupying a bus lane' },
  phone_driving: { zh: '开车使用手机', en: 'Using a phone while driving' },
  not_yielding: { zh: '不礼让行人', en: 'Not yielding to pedestrians' },
  other: { zh: '其他交通违法', en: 'Other traffic violation' },
};

export const VERDICTS = ['pending', 'valid', 'not_valid', 'duplicate'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VIOLATION_RULES = {
  minPhotos: 2,
  maxPhotos: 6,
  /** Or one video of at least this length instead of the photos (photos may come with it). */
  minVideoSeconds: 10,
  maxVideos: 1,
  /** The same violation: same plate and type within this time and distance of a rewarded report. */
  windowMinutes: 30,
  windowMetres: 200,
  /** A report must be made within this many days of what it shows, and not in the future. */
  maxAgeDays: 7,
  futureSlackMinutes: 5,
} as const;

/**
 * The plate as stored: upper case, without spaces, dots and dashes. Mainland plates (a province
 * character, a letter, 5–6 letters or digits) and Macau/Hong Kong style plates (2 letters and 4 digits,
 * or 1–2 letters and up to 4 digits). Null when it is not a plate.
 */
export function normalisePlate(raw: string): string | null {
  const s = raw.normalize('NFKC').toUpperCase().replace(/[\s·.\-_]/g, '');
  if (/^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$/.test(s)) return s;
  if (/^[A-Z]{1,2}\d{1,4}$/.test(s)) return s;
  return null;
}

/** Why the evidence or time is not acceptable (field and message), or null when it is. */
export function checkViolationReport(input: { photos: number; videos?: number; observedAt: Date }, now: Date): { field: string; zh: string; en: string } | null {
  const videos = input.videos ?? 0;
  if (videos > VIOLATION_RULES.maxVideos) return { field: 'videoId', zh: `最多 ${VIOLATION_RULES.maxVideos} 段视频`, en: `At most ${VIOLATION_RULES.maxVideos} video` };
  if (input.photos < VIOLATION_RULES.minPhotos && !videos) return { field: 'mediaIds', zh: `至少需要 ${VIOLATION_RULES.minPhotos} 张照片（能看清车牌和违法行为），或一段至少 ${VIOLATION_RULES.minVideoSeconds} 秒的视频`, en: `At least ${VIOLATION_RULES.minPhotos} photos are needed (showing the plate and the violation), or a video of at least ${VIOLATION_RULES.minVideoSeconds} s` };
  if (input.photos > VIOLATION_RULES.maxPhotos) return { field: 'mediaIds', zh: `最多 ${VIOLATION_RULES.maxPhotos} 张照片`, en: `At most ${VIOLATION_RULES.maxPhotos} photos` };
  const ms = input.observedAt.getTime();
  if (Number.isNaN(ms)) return { field: 'observedAt', zh: '请填写违法发生的时间', en: 'Give the time of the violation' };
  if (ms > now.getTime() + VIOLATION_RULES.futureSlackMinutes * 60_000) return { field: 'observedAt', zh: '违法时间不能晚于现在', en: 'The time cannot be in the future' };
  if (ms < now.getTime() - VIOLATION_RULES.maxAgeDays * 86_400_000) return { field: 'observedAt', zh: `只受理 ${VIOLATION_RULES.maxAgeDays} 天内的违法行为`, en: `Only violations of the last ${VIOLATION_RULES.maxAgeDays} days are taken` };
  return null;
}

export interface ObservedViolation {
  reportId: number;
  plate: string;
  violationType: string;
  observedAt: Date;
  lon: number;
  lat: number;
}

/** Whether two reports show the same violation (same plate and type, within the time and distance window). */
export function sameViolation(a: ObservedViolation, b: ObservedViolation): boolean {
  if (a.plate !== b.plate || a.violationType !== b.violationType) return false;
  if (Math.abs(a.observedAt.getTime() - b.observedAt.getTime()) > VIOLATION_RULES.windowMinutes * 60_000) return false;
  return metresBetween(a, b) <= VIOLATION_RULES.windowMetres;
}

/**
 * The verdict of a report an officer judged valid: the reward when no rewarded report shows the same
 * violation, else a duplicate of the earliest rewarded one that does.
 */
export function rewardVerdict(report: ObservedViolation, rewarded: readonly ObservedViolation[]): { verdict: 'valid'; rewarded: true } | { verdict: 'duplicate'; rewardOf: number } {
  const first = rewarded.filter((r) => r.reportId !== report.reportId && sameViolation(report, r)).sort((x, y) => x.observedAt.getTime() - y.observedAt.getTime() || x.reportId - y.reportId)[0];
  return first ? { verdict: 'duplicate', rewardOf: first.reportId } : { verdict: 'valid', rewarded: true };
}
