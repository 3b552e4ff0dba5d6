/**
 * Citizens' videos (随手拍 evidence, issue 15 part 4), read in pure code from the container itself —
 * never from the file name or the Content-Type the client sent:
 *  - **what it is**: ISO-BMFF (MP4, or QuickTime MOV with the `qt  ` brand) by its `ftyp` box, WebM by
 *    its EBML header with DocType `webm`; HEIF/AVIF images (also `ftyp`) and anything else are refused;
 *  - **how long it is**: MP4 `moov/mvhd` timescale and duration (version 0 and 1), or `mvex/mehd` of a
 *    fragmented file; WebM `Segment/Info/Duration` × `TimecodeScale`, or — a browser's MediaRecorder
 *    writes no Duration — the last block's time found by walking the Clusters (known or unknown size);
 *  - **where it was made**: the boxes that can carry a place are turned into `free` boxes of the same
 *    size, their payload zeroed (`udta` with ©xyz/loci, `meta` with Apple's ISO6709 location, XMP
 *    `uuid`), at the top level and inside `moov` and its tracks: offsets in the file stay valid
 *    (stco/co64 and fragments point at media data that does not move), nothing is re-encoded. WebM has
 *    no standard place field; its `Tags` element (free-form tags) is turned into a zeroed `Void` element
 *    of the same length (docs/citizen.md says what is left).
 * Every walk is bounded (element count, moov size) and every read checked: random bytes end in a clean
 * refusal. The service applies the patches to the staged file (videos.ts). Tests: test/citizen/domain/video.test.ts.
 */
import { walkWebm } from './webm.js';

export type VideoKind = 'mp4' | 'quicktime' | 'webm';

export const VIDEO_LIMITS = {
  maxBytes: 100 * 1024 * 1024,
  minSeconds: 10,
  /** Unattached videos a citizen may hold, and uploads the server takes at once: disk use is bounded. */
  pendingPerCitizen: 3,
  concurrentUploads: 4,
  /** Boxes or elements a walk visits before it gives up; the largest moov read into memory. */
  maxSteps: 500_000,
  maxMoovBytes: 32 * 1024 * 1024,
} as const;

export const VIDEO_TYPES: Record<VideoKind, { contentType: string; ext: string }> = {
  mp4: { contentType: 'video/mp4', ext: 'mp4' },
  quicktime: { contentType: 'video/quicktime', ext: 'mov' },
  webm: { contentType: 'video/webm', ext: 'webm' },
};

/** Random access to the bytes (a file, or a buffer in tests): fewer bytes than asked at the end. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Bytes to write over the stored file at an offset (a box's type, an element's header), or that many zeros (its payload). */
export interface Patch {
  offset: number;
  bytes?: Uint8Array;
  zeros?: number;
  /** What it removes, e.g. `moov/udta`. */
  what: string;
}

/** A box turned into `free` of the same size: its type renamed, its payload zeroed (the place is gone, not just hidden). */
function freed(typeAt: number, body: number, end: number, what: string): Patch[] {
  return [{ offset: typeAt, bytes: FREE, what }, { offset: body, zeros: end - body, what }];
}

export type ProbeRefusal = 'type' | 'structure' | 'no_video' | 'no_duration';
export type VideoProbe = { ok: true; kind: VideoKind; durationMs: number; patches: Patch[] } | { ok: false; reason: ProbeRefusal };

const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis', 'jpeg', 'jxl ', 'crx ']);
const text4 = (b: Uint8Array, at: number) => String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

/** The kind from the first bytes (≥ 12 for MP4, ≥ 40 or so for WebM), or null. */
export function sniffVideo(b: Uint8Array): VideoKind | null {
  if (b.length >= 12 && text4(b, 4) === 'ftyp') {
    const size = readU32(b, 0);
    const brand = text4(b, 8);
    if (size < 16 || IMAGE_BRANDS.has(brand)) return null;
    return brand === 'qt  ' ? 'quicktime' : 'mp4';
  }
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'webm';
  return null;
}

/** Reads the whole container: kind, duration, and the patches that remove location metadata. */
export async function probeVideo(src: ByteSource): Promise<VideoProbe> {
  const head = await src.read(0, 64);
  const kind = sniffVideo(head);
  if (!kind) return { ok: false, reason: 'type' };
  try {
    if (kind === 'webm') return await walkWebm(src);
    return await walkMp4(src, kind);
  } catch (err) {
    if (err instanceof Malformed) return { ok: false, reason: 'structure' };
    throw err;
  }
}

/** A structure that cannot be read (thrown inside the walks, answered as a refusal). */
export class Malformed extends Error {}

export function readU32(b: Uint8Array, at: number): number {
  if (at < 0 || at + 4 > b.length) throw new Malformed('short read');
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

function readU64(b: Uint8Array, at: number): number {
  const hi = readU32(b, at);
  const lo = readU32(b, at + 4);
  // Beyond 2^53 it is no length or duration we can use.
  if (hi > 0x1fffff) return Number.POSITIVE_INFINITY;
  return hi * 0x1_0000_0000 + lo;
}

interface Box {
  type: string;
  start: number;
  /** Where the payload starts. */
  body: number;
  end: number;
}

/** The box at `at` (within `limit`), from a header read by `get`; null when fewer than 8 bytes are left. */
function boxAt(hdr: Uint8Array, at: number, limit: number, lastMayRunToEnd: boolean): Box | null {
  if (limit - at < 8) return null;
  let size = readU32(hdr, 0);
  const type = text4(hdr, 4);
  let body = at + 8;
  if (size === 1) {
    size = readU64(hdr, 8);
    body = at + 16;
  } else if (size === 0) {
    if (!lastMayRunToEnd) throw new Malformed('size 0 inside a box');
    size = limit - at;
  }
  if (size < body - at || at + size > limit) throw new Malformed(`box ${JSON.stringify(type)} overruns its parent`);
  return { type, start: at, body, end: at + size };
}

const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';
const FREE = new Uint8Array([0x66, 0x72, 0x65, 0x65]);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Boxes whose children we read, and boxes turned into `free`. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'edts', 'mvex']);
const LOCATION = new Set(['udta', 'meta']);

async function walkMp4(src: ByteSource, kind: VideoKind): Promise<VideoProbe> {
  const patches: Patch[] = [];
  let steps = 0;
  let moov: { at: number; body: number; bytes: Uint8Array } | null = null;
  for (let at = 0; at < src.size; ) {
    if (++steps > VIDEO_LIMITS.maxSteps) throw new Malformed('too many boxes');
    const hdr = await src.read(at, 32);
    const box = boxAt(hdr, at, src.size, true);
    if (!box) break;
    if (box.type === 'moov') {
      if (moov) throw new Malformed('two moov boxes');
      if (box.end - box.start > VIDEO_LIMITS.maxMoovBytes) throw new Malformed('moov too large');
      const bytes = await src.read(box.start, box.end - box.start);
      if (bytes.length !== box.end - box.start) throw new Malformed('short moov');
      moov = { at: box.start, body: box.body - box.start, bytes };
    } else if (LOCATION.has(box.type)) {
      patches.push(...freed(box.start + 4, box.body, box.end, box.type));
    } else if (box.type === 'uuid' && hdr.length >= box.body - box.start + 16 && hex(hdr.subarray(box.body - box.start, box.body - box.start + 16)) === XMP_UUID) {
      patches.push(...freed(box.start + 4, box.body, box.end, 'uuid(XMP)'));
    }
    at = box.end;
  }
  if (!moov) return { ok: false, reason: 'structure' };
  const found = { timescale: 0, duration: Number.NaN, fragment: Number.NaN, video: false };
  const visit = (b: Uint8Array, from: number, to: number, path: string, depth: number) => {
    if (depth > 8) throw new Malformed('nested too deep');
    for (let at = from; at < to; ) {
      if (++steps > VIDEO_LIMITS.maxSteps) throw new Malformed('too many boxes');
      const box = boxAt(b.subarray(at, Math.min(to, at + 16)), at, to, false);
      if (!box) break;
      const where = `${path}/${box.type}`;
      if (CONTAINERS.has(box.type)) visit(b, box.body, box.end, where, depth + 1);
      else if (LOCATION.has(box.type)) patches.push(...freed(moov!.at + box.start + 4, moov!.at + box.body, moov!.at + box.end, where));
      else if (box.type === 'uuid' && box.end - box.body >= 16 && hex(b.subarray(box.body, box.body + 16)) === XMP_UUID) patches.push(...freed(moov!.at + box.start + 4, moov!.at + box.body, moov!.at + box.end, `${where}(XMP)`));
      else if (box.type === 'mvhd') Object.assign(found, mvhd(b.subarray(box.body, box.end)));
      else if (box.type === 'mehd') found.fragment = mehd(b.subarray(box.body, box.end));
      else if (box.type === 'hdlr' && path.endsWith('/mdia') && box.end - box.body >= 12 && text4(b, box.body + 8) === 'vide') found.video = true;
      at = box.end;
    }
  };
  visit(moov.bytes, moov.body, moov.bytes.length, 'moov', 0);
  if (!found.video) return { ok: false, reason: 'no_video' };
  const units = Number.isFinite(found.duration) && found.duration > 0 ? found.duration : found.fragment;
  if (!found.timescale || !Number.isFinite(units) || units <= 0) return { ok: false, reason: 'no_duration' };
  return { ok: true, kind, durationMs: Math.round((units * 1000) / found.timescale), patches };
}

/** mvhd (a full box): version 0 has 32-bit times and duration, version 1 64-bit; all ones = unknown. */
export function mvhd(p: Uint8Array): { timescale: number; duration: number } {
  const version = p[0];
  if (version === 1) {
    const timescale = readU32(p, 20);
    const raw = readU64(p, 24);
    return { timescale, duration: raw === Number.POSITIVE_INFINITY ? Number.NaN : raw };
  }
  if (version !== 0) throw new Malformed('mvhd version');
  const timescale = readU32(p, 12);
  const raw = readU32(p, 16);
  return { timescale, duration: raw === 0xffffffff ? Number.NaN : raw };
}

function mehd(p: Uint8Array): number {
  if (p[0] === 1) return readU64(p, 4);
  return readU32(p, 4);
}

/** A buffer as a source (tests, small files). */
export function bufferSource(b: Uint8Array): ByteSource {
  return { size: b.length, read: async (offset, length) => b.subarray(Math.max(0, offset), Math.max(0, Math.min(b.length, offset + length))) };
}

/** Reads through a window of at least `window` bytes, so that a walk over many small headers does few reads. */
export function windowed(src: ByteSource, window = 16 * 1024): ByteSource {
  let cacheAt = -1;
  let cache: Uint8Array = new Uint8Array(0);
  return {
    size: src.size,
    async read(offset, length) {
      if (cacheAt >= 0 && offset >= cacheAt && offset + length <= cacheAt + cache.length) return cache.subarray(offset - cacheAt, offset - cacheAt + length);
      if (length >= window) return src.read(offset, length);
      cache = await src.read(offset, window);
      cacheAt = offset;
      return cache.subarray(0, Math.min(length, cache.length));
    },
  };
}

/** Applies the patches to a copy (tests, and small buffers). */
export function applyPatches(b: Uint8Array, patches: readonly Patch[]): Uint8Array {
  const out = new Uint8Array(b);
  for (const p of patches) {
    if (p.bytes) out.set(p.bytes, p.offset);
    if (p.zeros) out.fill(0, p.offset, p.offset + p.zeros);
  }
  return out;
}
