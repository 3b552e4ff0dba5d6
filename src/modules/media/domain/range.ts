/**
 * HTTP Range requests (RFC 9110 §14) on one stored recording: a single byte range, the forms
 * `bytes=a-b`, `bytes=a-` and `bytes=-n` (the last n bytes). Several ranges at once are answered with
 * the first one only (a player never asks for more); a range that starts past the end is unsatisfiable
 * (416), a syntax we do not know is ignored (200 with the whole file), as the RFC allows.
 */
export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export type RangeAnswer = { kind: 'whole' } | { kind: 'partial'; range: ByteRange } | { kind: 'unsatisfiable' };

export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return { kind: 'whole' };
  const first = m[1]!.split(',')[0]!.trim();
  const r = /^(\d*)\s*-\s*(\d*)$/.exec(first);
  if (!r || (r[1] === '' && r[2] === '')) return { kind: 'whole' };
  if (r[1] === '') {
    const n = Number(r[2]);
    if (!Number.isSafeInteger(n)) return { kind: 'whole' };
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - n), end: size - 1 } };
  }
  const start = Number(r[1]);
  const end = r[2] === '' ? size - 1 : Number(r[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  if (end < start) return { kind: 'whole' };
  return { kind: 'partial', range: { start, end: Math.min(end, size - 1) } };
}

/** `Content-Range` of an answer: `bytes 0-99/1000`, or `bytes *\/1000` with a 416. */
export function contentRange(range: ByteRange | null, size: number): string {
  return range ? `bytes ${range.start}-${range.end}/${size}` : `bytes */${size}`;
}
