/**
 * WebM (Matroska's subset) for citizens' videos: the EBML header's DocType, the Segment's Info
 * (TimecodeScale, Duration), Tracks (a video track: TrackType 1), and — when Info has no Duration, as
 * a browser's MediaRecorder writes it — the time of the last block, from the Clusters (known or unknown
 * size; an unknown-size Cluster ends where the next top-level element starts). The `Tags` element
 * (free-form, could name a place) becomes a `Void` element of the same length. Bounded and checked
 * like the MP4 walk in video.ts.
 */
import { Malformed, VIDEO_LIMITS, windowed, type ByteSource, type Patch, type VideoProbe } from './video.js';

const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackType: 0x83,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  Cues: 0x1c53bb6b,
  Tags: 0x1254c367,
  Chapters: 0x1043a770,
  Attachments: 0x1941a469,
  Void: 0xec,
} as const;
const TOP = new Set<number>([ID.SeekHead, ID.Info, ID.Tracks, ID.Cluster, ID.Cues, ID.Tags, ID.Chapters, ID.Attachments, ID.EBML, ID.Segment]);

interface Vint {
  value: number;
  length: number;
  unknown: boolean;
}

/** An EBML variable-length integer at `at`: an element ID (marker kept, ≤ 4 bytes) or a size (marker dropped; all ones = unknown). */
export function readVint(b: Uint8Array, at: number, id: boolean): Vint {
  const first = b[at];
  if (first === undefined || first === 0) throw new Malformed('bad vint');
  const length = Math.clz32(first) - 23;
  if (id && length > 4) throw new Malformed('bad element id');
  if (at + length > b.length) throw new Malformed('short vint');
  let value = id ? first : first & (0xff >> length);
  let ones = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = b[at + i]!;
    value = value * 256 + byte;
    ones &&= byte === 0xff;
  }
  return { value, length, unknown: !id && ones };
}

interface Element {
  id: number;
  start: number;
  body: number;
  /** Null for an unknown size. */
  end: number | null;
  sizeLength: number;
}

async function elementAt(src: ByteSource, at: number, limit: number): Promise<Element | null> {
  if (limit - at < 2) return null;
  const hdr = await src.read(at, 12);
  const id = readVint(hdr, 0, true);
  const size = readVint(hdr, id.length, false);
  const body = at + id.length + size.length;
  if (body > limit) throw new Malformed('element header overruns its parent');
  if (size.unknown) return { id: id.value, start: at, body, end: null, sizeLength: size.length };
  const end = body + size.value;
  if (end > limit) throw new Malformed('element overruns its parent');
  return { id: id.value, start: at, body, end, sizeLength: size.length };
}

/** The children of a payload held in memory. */
function* children(b: Uint8Array, budget: { steps: number }): Generator<{ id: number; body: Uint8Array }> {
  for (let at = 0; at < b.length; ) {
    if (++budget.steps > VIDEO_LIMITS.maxSteps) throw new Malformed('too many elements');
    const id = readVint(b, at, true);
    const size = readVint(b, at + id.length, false);
    if (size.unknown) throw new Malformed('unknown size inside a known one');
    const body = at + id.length + size.length;
    const end = body + size.value;
    if (end > b.length) throw new Malformed('element overruns its parent');
    yield { id: id.value, body: b.subarray(body, end) };
    at = end;
  }
}

function uint(b: Uint8Array): number {
  if (b.length > 8) throw new Malformed('uint too long');
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return v;
}

function float(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length === 4) return dv.getFloat32(0);
  if (b.length === 8) return dv.getFloat64(0);
  if (b.length === 0) return 0;
  throw new Malformed('float size');
}

async function payload(src: ByteSource, e: Element, max: number): Promise<Uint8Array> {
  if (e.end === null || e.end - e.body > max) throw new Malformed('element too large');
  const b = await src.read(e.body, e.end - e.body);
  if (b.length !== e.end - e.body) throw new Malformed('short read');
  // A copy: a windowed source's buffer is reused by the next read.
  return new Uint8Array(b);
}

/**
 * A `Void` header for an element with a 4-byte ID: the 1-byte Void ID and a size field as long as the
 * element's, covering its payload and the 3 header bytes the shorter ID frees — the same total length.
 */
export function voidOver(e: Element): Uint8Array | null {
  if (e.end === null) return null;
  const length = e.sizeLength;
  const value = e.end - e.body + 3;
  if (e.body - e.start !== 4 + length || value >= 2 ** (7 * length) - 1) return null;
  const out = new Uint8Array(1 + length);
  out[0] = ID.Void;
  let v = value;
  for (let i = length; i >= 1; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[1]! |= 0x80 >> (length - 1);
  return out;
}

export async function walkWebm(raw: ByteSource): Promise<VideoProbe> {
  const src = windowed(raw);
  const budget = { steps: 0 };
  const header = await elementAt(src, 0, src.size);
  if (!header || header.id !== ID.EBML) return { ok: false, reason: 'type' };
  let docType = '';
  for (const c of children(await payload(src, header, 4096), budget)) if (c.id === ID.DocType) docType = new TextDecoder().decode(c.body).replace(/\0+$/, '');
  if (docType !== 'webm') return { ok: false, reason: 'type' };

  let at = header.end!;
  let segment: Element | null = null;
  while (!segment) {
    if (++budget.steps > VIDEO_LIMITS.maxSteps) throw new Malformed('too many elements');
    const e = await elementAt(src, at, src.size);
    if (!e) return { ok: false, reason: 'structure' };
    if (e.id === ID.Segment) segment = e;
    else if (e.end === null) throw new Malformed('unknown size before the segment');
    else at = e.end;
  }
  const segEnd = segment.end ?? src.size;
  let scale = 1_000_000;
  let duration = Number.NaN;
  let video = false;
  let lastBlock = Number.NaN;
  const patches: Patch[] = [];
  for (at = segment.body; at < segEnd; ) {
    if (++budget.steps > VIDEO_LIMITS.maxSteps) throw new Malformed('too many elements');
    const e = await elementAt(src, at, segEnd);
    if (!e) break;
    if (e.id === ID.Cluster) {
      const out = await cluster(src, e, segEnd, budget);
      if (Number.isFinite(out.last)) lastBlock = Number.isFinite(lastBlock) ? Math.max(lastBlock, out.last) : out.last;
      at = out.end;
      continue;
    }
    if (e.end === null) throw new Malformed('unknown size outside a cluster');
    if (e.id === ID.Info) {
      for (const c of children(await payload(src, e, 1024 * 1024), budget)) {
        if (c.id === ID.TimecodeScale) scale = uint(c.body);
        else if (c.id === ID.Duration) duration = float(c.body);
      }
    } else if (e.id === ID.Tracks) {
      for (const t of children(await payload(src, e, 4 * 1024 * 1024), budget)) {
        if (t.id !== ID.TrackEntry) continue;
        for (const f of children(t.body, budget)) if (f.id === ID.TrackType && uint(f.body) === 1) video = true;
      }
    } else if (e.id === ID.Tags) {
      const bytes = voidOver(e);
      if (bytes) patches.push({ offset: e.start, bytes, what: 'Segment/Tags' }, { offset: e.start + bytes.length, zeros: e.end - e.start - bytes.length, what: 'Segment/Tags' });
    }
    at = e.end;
  }
  if (!video) return { ok: false, reason: 'no_video' };
  if (!scale) return { ok: false, reason: 'no_duration' };
  const units = Number.isFinite(duration) && duration > 0 ? duration : lastBlock;
  if (!Number.isFinite(units) || units <= 0) return { ok: false, reason: 'no_duration' };
  return { ok: true, kind: 'webm', durationMs: Math.round((units * scale) / 1e6), patches };
}

/** A Cluster: its end, and the latest block time in it (cluster Timecode + the block's relative time). */
async function cluster(src: ByteSource, c: Element, segEnd: number, budget: { steps: number }): Promise<{ end: number; last: number }> {
  const limit = c.end ?? segEnd;
  let timecode = 0;
  let last = Number.NaN;
  const block = (hdr: Uint8Array) => {
    const track = readVint(hdr, 0, false);
    if (track.length + 2 > hdr.length) throw new Malformed('short block');
    const rel = ((hdr[track.length]! << 8) | hdr[track.length + 1]!) << 16 >> 16;
    const t = timecode + rel;
    last = Number.isFinite(last) ? Math.max(last, t) : t;
  };
  let at = c.body;
  while (at < limit) {
    if (++budget.steps > VIDEO_LIMITS.maxSteps) throw new Malformed('too many elements');
    const e = await elementAt(src, at, limit);
    if (!e) break;
    // An unknown-size cluster ends where the next top-level element begins.
    if (c.end === null && TOP.has(e.id)) return { end: at, last };
    if (e.end === null) throw new Malformed('unknown size inside a cluster');
    if (e.id === ID.Timecode) timecode = uint(await payload(src, e, 8));
    else if (e.id === ID.SimpleBlock) block(await src.read(e.body, Math.min(12, e.end - e.body)));
    else if (e.id === ID.BlockGroup) {
      for (const g of children(await payload(src, e, 16 * 1024 * 1024), budget)) if (g.id === ID.Block) block(g.body);
    }
    at = e.end;
  }
  return { end: c.end ?? at, last };
}
