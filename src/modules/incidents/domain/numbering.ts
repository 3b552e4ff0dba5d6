/**
 * Incident numbers (警情编号): `J` + station code + local date YYYYMMDD + sequence (4 digits, more when
 * the day passes 9999), e.g. `JMO010320250317` + `0042`. Sequences are per station per local day.
 *
 * Local time is Asia/Macau: UTC+8 all year (no DST), computed with a fixed offset, no Intl.
 * A station code is whatever the organisation accepts as a unit code (letters, digits, `_`, `-`).
 */
import { ORG_CODE_PATTERN } from '../../../core/typebox.js';

/** True for a code the organisation accepts, and so one an incident number can carry. */
const STATION_CODE = new RegExp(ORG_CODE_PATTERN);
export const isStationCode = (code: string): boolean => STATION_CODE.test(code);

export const LOCAL_UTC_OFFSET_MIN = 8 * 60;
const OFFSET_MS = LOCAL_UTC_OFFSET_MIN * 60_000;
const DAY_MS = 86_400_000;

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function shifted(at: Date | number): Date {
  const t = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid date');
  return new Date(t + OFFSET_MS);
}

/** Local calendar parts (UTC+8) of an instant. `weekday`: 0 = Sunday … 6 = Saturday. */
export function localParts(at: Date | number): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } {
  const d = shifted(at);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** Local day 'YYYY-MM-DD' (UTC+8). */
export function localDay(at: Date | number): string {
  const p = localParts(at);
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
}

/** Local day 'YYYYMMDD' (UTC+8). */
export function localDayCompact(at: Date | number): string {
  return localDay(at).replaceAll('-', '');
}

/** The instant local midnight starts the day 'YYYY-MM-DD'. */
export function localDayStart(day: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a day: ${day}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - OFFSET_MS);
}

/** The local day `n` days after `day` (n may be negative). */
export function addLocalDays(day: string, n: number): string {
  return localDay(localDayStart(day).getTime() + n * DAY_MS);
}

export function formatIncidentNumber(stationCode: string, at: Date | number, seq: number): string {
  if (!isStationCode(stationCode)) throw new RangeError(`bad station code: ${stationCode}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`bad sequence: ${seq}`);
  return `J${stationCode}${localDayCompact(at)}${pad(seq, 4)}`;
}

/**
 * Splits a number back into station code, day and sequence. The station code's length is needed when
 * the code itself may end in digits; without it the last 12+ digits are taken as date + sequence
 * (sequence of 4 digits, or 5 when the remaining digits allow it).
 */
export function parseIncidentNumber(
  num: string,
  stationCodeLength?: number,
): { stationCode: string; day: string; seq: number } | null {
  if (!num.startsWith('J')) return null;
  const body = num.slice(1);
  const split = (codeLen: number) => {
    const stationCode = body.slice(0, codeLen);
    const date = body.slice(codeLen, codeLen + 8);
    const seqText = body.slice(codeLen + 8);
    if (!stationCode || !/^\d{8}$/.test(date) || !/^\d{4,}$/.test(seqText)) return null;
    const seq = Number(seqText);
    if (seq < 1 || (seqText.length > 4 && seqText.startsWith('0'))) return null;
    const day = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
    if (localDay(localDayStart(day)) !== day) return null;
    return { stationCode, day, seq };
  };
  if (stationCodeLength !== undefined) return split(stationCodeLength);
  return split(body.length - 12) ?? split(body.length - 13);
}
