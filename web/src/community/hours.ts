/**
 * Reception hours as people read them: "周一至周五 09:00–12:00、14:00–17:30；周六 09:00–12:00". Pure and
 * without dependencies: the citizen portal's bundle imports it too.
 */
export interface Interval {
  day: number;
  opens: string;
  closes: string;
}

const DAY_NAMES = {
  zh: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

/** Days with the same intervals are grouped; consecutive days as a range. */
export function formatHours(hours: Interval[], lang: 'zh' | 'en'): string[] {
  const names = DAY_NAMES[lang];
  const byDay = new Map<number, string>();
  for (let d = 1; d <= 7; d++) {
    const xs = hours
      .filter((h) => h.day === d)
      .sort((a, b) => a.opens.localeCompare(b.opens))
      .map((h) => `${h.opens}–${h.closes}`);
    if (xs.length) byDay.set(d, xs.join(lang === 'zh' ? '、' : ', '));
  }
  const lines: string[] = [];
  let d = 1;
  while (d <= 7) {
    const text = byDay.get(d);
    if (!text) {
      d++;
      continue;
    }
    let e = d;
    while (e < 7 && byDay.get(e + 1) === text) e++;
    const days = e === d ? names[d - 1] : `${names[d - 1]}${lang === 'zh' ? '至' : '–'}${names[e - 1]}`;
    lines.push(`${days} ${text}`);
    d = e + 1;
  }
  return lines;
}

/** "opens Monday 09:00" / "今天 14:00 开放": when a closed room opens next, in local time. */
export function nextOpenText(iso: string | null, lang: 'zh' | 'en', now = new Date()): string | null {
  if (!iso) return null;
  const at = new Date(iso);
  const day = (x: Date) => x.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
  const time = at.toLocaleTimeString('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
  const weekday = DAY_NAMES.en.indexOf(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', weekday: 'short' }).format(at));
  const today = day(now) === day(at);
  const tomorrow = day(new Date(now.getTime() + 86_400_000)) === day(at);
  const when = today ? (lang === 'zh' ? '今天' : 'today') : tomorrow ? (lang === 'zh' ? '明天' : 'tomorrow') : DAY_NAMES[lang][weekday]!;
  return lang === 'zh' ? `${when} ${time} 开放` : `opens ${when} ${time}`;
}
