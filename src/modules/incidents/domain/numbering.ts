/**
 * Incident numbers (警情编号): `J` + station code + local date YYYYMMDD + sequence (4 digits, more when
 * the day passes 9999), e.g. `JMO010320250317` + `0042`. Sequences are per station per local day.
 *
 * Local time is the configured time zone's (SHOUWANG_TIME_ZONE, default Asia/Macau; src/core/clock.ts).
 * A station code is whatever the organisation accepts as a unit code (letters, digits, `_`, `-`).
 */
import { ORG_CODE_PATTERN } from '../../../core/typebox.js';

/** True for a code the organisation accepts, and so one an incident number can carry. */
const STATION_CODE = new RegExp(ORG_CODE_PATTERN);
export const isStationCode = (code: string): boolean => STATION_CODE.test(code);

// Local time is the configured zone's (src/core/clock.ts): re-exported here for the numbering's users.
export { localParts, localDay, localDayCompact, localDayStart, addLocalDays } from '../../../core/clock.js';
import { localDay, localDayCompact, localDayStart } from '../../../core/clock.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

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
