/**
 * Why a unit is recommended, as codes with parameters: the web translates them (zh, en); the API
 * also renders them in Chinese (`reason`) for clients that show one string.
 */

export type ReasonCode =
  | { code: 'plan_first' }
  | { code: 'plan_covers'; caps: string[] }
  /** A specialist whose speciality this category does not need. */
  | { code: 'not_needed_speciality' }
  /** Legacy: no candidate had any needed capability. */
  | { code: 'no_capable_unit' }
  | { code: 'diverting'; from: string | null }
  | { code: 'unreachable' }
  /** ETA from the station: never reported (`noPosition`) or an old position; ranked `penalty` s slower. */
  | { code: 'station_estimate'; eta: number; noPosition: boolean; penalty: number }
  | { code: 'fastest'; eta: number }
  | { code: 'slower'; eta: number; behind: number };

/** Chinese names of the capabilities a plan covers (the category tree's list, kept short here). */
const CAPABILITY_ZH: Record<string, string> = {
  armed: '武装处置',
  special: '特警',
  traffic: '交通警察',
  rescue: '抢险救援',
  water_rescue: '水上救援',
  negotiator: '谈判',
  female_officer: '女警',
  eod: '排爆',
  k9: '警犬',
  forensics: '现场勘查',
  investigation: '刑侦',
  mediation: '调解',
  anti_fraud: '反诈',
  juvenile: '未成年人保护',
  crowd: '群体性事件处置',
};

/** "3分12秒", "45秒". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}秒`;
  const m = Math.floor(s / 60);
  return `${m}分${s % 60}秒`;
}

export function reasonZh(reasons: readonly ReasonCode[]): string {
  return reasons
    .map((r) => {
      switch (r.code) {
        case 'plan_first':
          return '建议先期到场';
        case 'plan_covers':
          return `负责${r.caps.map((c) => CAPABILITY_ZH[c] ?? c).join('、')}`;
        case 'not_needed_speciality':
          return '专业警力，本类警情不需要其专长';
        case 'no_capable_unit':
          return '无具备所需能力的空闲警力，仅供参考';
        case 'diverting':
          return `正在处置低优先级警情${r.from ? `（${r.from}）` : ''}，可改派`;
        case 'unreachable':
          return '无法经道路到达';
        case 'station_estimate':
          return `${r.noPosition ? '无定位' : '位置过期'}，按派出所位置估算（约${formatDuration(r.eta)}），排序时按慢${formatDuration(r.penalty)}计`;
        case 'fastest':
          return `最快到达（${formatDuration(r.eta)}）`;
        case 'slower':
          return `预计${formatDuration(r.eta)}到达（比最快慢${formatDuration(r.behind)}）`;
      }
    })
    .join('；');
}
