/**
 * Normalisation of address text for search (pure). Query and registry text go through the same
 * function, so that what a call-taker types meets what the registry holds:
 *  - Unicode NFKC: full-width digits and letters become half-width (１２ → 12, Ａ → a);
 *  - lower case;
 *  - traditional → simplified Chinese, character by character (大學大馬路12號 → 大学大马路12号), using
 *    OpenCC's Hong Kong and Taiwan tables; per-character so that a substring of a text normalises to the
 *    substring of its normal form (the index relies on it);
 *  - spaces, punctuation and symbols are dropped (only letters and digits remain).
 * 号/號 meet through the conversion. Road-type synonyms (路 / 马路 / 大马路) are not rewritten: the
 * ranking tolerates missing characters (`大学马路12` finds `大学大马路12号`), so every form stays searchable.
 */
import { Converter } from 'opencc-js/t2cn';

const hk2cn = Converter({ from: 'hk', to: 'cn' });
const tw2cn = Converter({ from: 'tw', to: 'cn' });

/** Per-character cache: character → its normal form ('' = dropped). */
const charCache = new Map<string, string>();
const KEEP = /^[\p{L}\p{N}]$/u;

function normaliseChar(ch: string): string {
  const cached = charCache.get(ch);
  if (cached !== undefined) return cached;
  let out: string;
  const lower = ch.toLowerCase();
  if (!KEEP.test(lower)) {
    out = '';
  } else if (lower.charCodeAt(0) < 0x2e80) {
    out = lower;
  } else {
    let s = hk2cn(lower);
    if (s === lower) s = tw2cn(lower);
    // Keep the one-to-one character mapping: a conversion that changes the length is not taken.
    out = [...s].length === 1 ? s : lower;
  }
  charCache.set(ch, out);
  return out;
}

/** The search form of a text: simplified, half-width, lower-case, letters and digits only. */
export function normalise(text: string): string {
  const s = text.normalize('NFKC');
  let out = '';
  for (const ch of s) out += normaliseChar(ch);
  return out;
}

/** Runs of ASCII digits in a normalised text, in order ("大学大马路12号3座" → ["12", "3"]). */
export function digitRuns(norm: string): string[] {
  return norm.match(/[0-9]+/g) ?? [];
}

/** Traditional → simplified, per character, keeping spaces and punctuation (for display tests and tools). */
export function toSimplified(text: string): string {
  let out = '';
  for (const ch of text) {
    const n = normaliseChar(ch);
    out += n && n !== ch.toLowerCase() ? n : ch;
  }
  return out;
}

/** Collapses the road-type suffixes to one form, for comparing road names (大马路/马路/路 → 路). */
export function roadStem(norm: string): string {
  return norm.replace(/(大马路|马路)$/, '路');
}

export interface AddressParts {
  district: string;
  road: string;
  number: string;
  building: string;
  unit: string;
}

/** A door number as stored: trimmed, half-width, without a trailing 號/号 ("１２號" → "12"). */
export function cleanNumber(number: string): string {
  return number.normalize('NFKC').trim().replace(/[號号]$/, '').trim();
}

/** The full text of an address: `district road12號 building unit` (`氹仔 孫逸仙博士大馬路88號 海景大廈 第一座`). */
export function composeText(a: AddressParts): string {
  const num = cleanNumber(a.number);
  const door = a.road.trim() + (num ? `${num}號` : '');
  return [a.district.trim(), door, a.building.trim(), a.unit.trim()].filter(Boolean).join(' ');
}
