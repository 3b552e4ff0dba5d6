/**
 * Lossless metadata removal from a JPEG (issue 15 part 4): the file's segments are walked and only what
 * the image needs to be decoded is kept — the quantisation and Huffman tables, the frame and scan headers,
 * the entropy-coded data, restart intervals, a JFIF header (without its thumbnail), an ICC colour profile and Adobe's colour
 * transform flag. Everything else goes: APP1 (EXIF with GPS, XMP), APP13 (IPTC / Photoshop), COM, every
 * other APPn (maker notes, MPF preview images, FlashPix…) and whatever follows the end of the image
 * (appended preview or depth images, which carry their own EXIF). No pixel is decoded or re-encoded.
 *
 * The orientation the camera recorded is kept as a minimal EXIF block holding that single tag (the only
 * APP1 the output can hold, and only when the orientation is 2–8), so the photo still displays upright.
 *
 * Pure and total: any input, random or truncated, returns `null` (not a JPEG this walker understands —
 * the caller then re-encodes it) and never throws; every step moves forward, so it always ends.
 */

export interface StrippedJpeg {
  bytes: Buffer;
  /** The EXIF orientation (1–8; 1 when absent or invalid). */
  orientation: number;
  /** The frame's size as stored (before orientation). */
  width: number;
  height: number;
  /** Bytes removed. */
  removed: number;
  /** The ICC_PROFILE segments kept (whole, marker included) when the profile is an RGB one, else []. */
  rgbIcc: Buffer[];
}

export interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF of the marker. */
  at: number;
  /** Payload (without marker and length), empty for markers without one. */
  payload: Uint8Array;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP2 = 0xe2;
const APP14 = 0xee;
/** Frame headers: SOF0–3, 5–7, 9–11, 13–15 (not DHT C4, JPG C8, DAC CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
/** Table and control segments a decoder needs: DHT, DAC, DQT, DNL, DRI, EXP. */
const isTable = (m: number) => m === 0xc4 || m === 0xcc || m === 0xdb || m === 0xdc || m === 0xdd || m === 0xdf;
const isRst = (m: number) => m >= 0xd0 && m <= 0xd7;

const startsWith = (b: Uint8Array, text: string) => b.length >= text.length && [...text].every((c, i) => b[i] === c.charCodeAt(0));

/** Which APPn segments are kept: only those that say how to decode colours, never who, where or when. */
function keepApp(marker: number, payload: Uint8Array): boolean {
  if (marker === APP0) return startsWith(payload, 'JFIF\0'); // not JFXX (an embedded thumbnail)
  if (marker === APP2) return startsWith(payload, 'ICC_PROFILE\0'); // not MPF (preview images) nor FPXR
  if (marker === APP14) return startsWith(payload, 'Adobe'); // the colour transform flag (CMYK / YCCK)
  return false;
}

/** The Orientation tag (0x0112) of IFD0 in an APP1 `Exif\0\0` payload; 1 when absent or malformed. */
export function exifOrientation(payload: Uint8Array): number {
  if (!startsWith(payload, 'Exif\0\0') || payload.length < 6 + 8) return 1;
  const t = payload.subarray(6);
  const le = t[0] === 0x49 && t[1] === 0x49;
  if (!le && !(t[0] === 0x4d && t[1] === 0x4d)) return 1;
  const u16 = (o: number) => (o + 2 <= t.length ? (le ? t[o]! | (t[o + 1]! << 8) : (t[o]! << 8) | t[o + 1]!) : -1);
  const u32 = (o: number) => (o + 4 <= t.length ? (le ? (t[o]! | (t[o + 1]! << 8) | (t[o + 2]! << 16)) + t[o + 3]! * 2 ** 24 : t[o]! * 2 ** 24 + ((t[o + 1]! << 16) | (t[o + 2]! << 8) | t[o + 3]!)) : -1);
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  const count = ifd >= 8 ? u16(ifd) : -1;
  for (let i = 0; i >= 0 && i < count && i < 1000; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > t.length) return 1;
    if (u16(e) === 0x0112) {
      const v = u16(e + 2) === 3 ? u16(e + 8) : -1; // SHORT, value in the entry
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

/** The smallest EXIF block saying only the orientation: APP1 `Exif\0\0`, big-endian TIFF, one IFD0 entry. */
export function orientationExif(orientation: number): Buffer {
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation & 0xff, 0, 0, 0, 0, 0, 0];
  const payload = [...Buffer.from('Exif\0\0', 'latin1'), ...tiff];
  const len = payload.length + 2;
  return Buffer.from([0xff, APP1, len >> 8, len & 0xff, ...payload]);
}

/**
 * The end of entropy-coded data that starts at `from`: the offset of the 0xFF of the next marker that is
 * neither a stuffed zero (FF 00) nor a restart marker (FF D0–D7). -1 when the data runs off the end.
 */
function entropyEnd(b: Buffer, from: number): number {
  let i = from;
  for (;;) {
    const ff = b.indexOf(0xff, i);
    if (ff < 0 || ff + 1 >= b.length) return -1;
    let j = ff + 1;
    while (j < b.length && b[j] === 0xff) j++;
    if (j >= b.length) return -1;
    const m = b[j]!;
    if (m === 0x00 || isRst(m)) {
      i = j + 1;
      continue;
    }
    return ff; // fill bytes (FF FF…) go with the marker, and the walker skips them
  }
}

/**
 * Every segment of a JPEG in order (markers and payloads; entropy-coded data is skipped), up to EOI;
 * null when the structure is broken. Also used by the tests to check the output.
 */
export function jpegSegments(input: Uint8Array): JpegSegment[] | null {
  const b = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (b.length < 4 || b[0] !== 0xff || b[1] !== SOI) return null;
  const out: JpegSegment[] = [{ marker: SOI, at: 0, payload: new Uint8Array(0) }];
  let pos = 2;
  let scanned = false;
  while (pos < b.length) {
    if (b[pos] !== 0xff) return null;
    let p = pos + 1;
    while (p < b.length && b[p] === 0xff) p++; // fill bytes
    if (p >= b.length) return null;
    const marker = b[p]!;
    const at = p - 1;
    if (marker === EOI) {
      out.push({ marker, at, payload: new Uint8Array(0) });
      return scanned ? out : null;
    }
    if (marker === SOI || marker === 0x00 || isRst(marker) || marker === 0x01) return null; // not where a segment may be
    if (p + 3 > b.length) return null;
    const len = (b[p + 1]! << 8) | b[p + 2]!;
    if (len < 2 || p + 1 + len > b.length) return null;
    out.push({ marker, at, payload: b.subarray(p + 3, p + 1 + len) });
    pos = p + 1 + len;
    if (marker === SOS) {
      scanned = true;
      const end = entropyEnd(b, pos);
      if (end < 0) return null;
      pos = end;
    }
  }
  return null;
}

/**
 * The JPEG without its metadata (see the file's comment), or null when it is not a JPEG of the kinds
 * this walker knows (then re-encode it instead).
 */
export function stripJpegMetadata(input: Uint8Array): StrippedJpeg | null {
  try {
    return strip(Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  } catch {
    return null; // defensive: the walker checks its bounds, but an odd input must never reach the caller as a throw
  }
}

function strip(b: Buffer): StrippedJpeg | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== SOI) return null;
  const parts: Buffer[] = [b.subarray(0, 2)];
  let orientation = 1;
  let width = 0;
  let height = 0;
  let frames = 0;
  let jfifAt = -1;
  let pos = 2;
  let scanned = false;
  const icc: Buffer[] = [];
  for (;;) {
    if (pos >= b.length || b[pos] !== 0xff) return null;
    let p = pos + 1;
    while (p < b.length && b[p] === 0xff) p++;
    if (p >= b.length) return null;
    const marker = b[p]!;
    if (marker === EOI) {
      if (!scanned || !frames) return null;
      parts.push(b.subarray(p - 1, p + 1)); // and nothing after it
      break;
    }
    if (p + 3 > b.length) return null;
    const len = (b[p + 1]! << 8) | b[p + 2]!;
    if (len < 2 || p + 1 + len > b.length) return null;
    const seg = b.subarray(p - 1, p + 1 + len);
    const payload = b.subarray(p + 3, p + 1 + len);
    pos = p + 1 + len;
    if (marker >= 0xe0 && marker <= 0xef) {
      if (marker === APP1 && orientation === 1) orientation = exifOrientation(payload);
      if (keepApp(marker, payload)) {
        if (marker === APP0 && parts.length === 1) jfifAt = 1;
        // JFIF may carry a thumbnail of its own (of the picture before a crop, say): the header is kept without it.
        parts.push(marker === APP0 && payload.length > 14 ? Buffer.from([0xff, APP0, 0, 16, ...payload.subarray(0, 12), 0, 0]) : seg);
        if (marker === APP2) icc.push(seg);
      }
    } else if (marker === 0xfe) {
      // COM: dropped
    } else if (isSof(marker)) {
      if (frames++ || payload.length < 6) return null;
      height = (payload[1]! << 8) | payload[2]!;
      width = (payload[3]! << 8) | payload[4]!;
      if (!width || !height) return null;
      parts.push(seg);
    } else if (isTable(marker)) {
      parts.push(seg);
    } else if (marker === SOS) {
      if (!frames) return null;
      const end = entropyEnd(b, pos);
      if (end < 0) return null;
      parts.push(b.subarray(p - 1, end)); // the scan header and its entropy-coded data, verbatim
      pos = end;
      scanned = true;
    } else {
      return null; // SOI again, RSTn or TEM outside a scan, JPGn / reserved markers: not for this walker
    }
  }
  if (orientation !== 1) parts.splice(jfifAt > 0 ? 2 : 1, 0, orientationExif(orientation));
  const bytes = Buffer.concat(parts);
  // The profile's colour space is at offset 16 of the profile, after `ICC_PROFILE\0`, the chunk's number and the count.
  const first = icc.find((seg) => seg[4 + 12] === 1);
  const rgb = first !== undefined && first.length >= 4 + 14 + 20 && first.toString('latin1', 4 + 14 + 16, 4 + 14 + 20) === 'RGB ';
  return { bytes, orientation, width, height, removed: b.length - bytes.length, rgbIcc: rgb ? icc : [] };
}

/** `segments` (whole APPn segments) put into a JPEG right after SOI, or after its JFIF header when it starts with one. */
export function withSegments(jpeg: Buffer, segments: Buffer[]): Buffer {
  if (!segments.length || jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== SOI) return jpeg;
  let at = 2;
  if (jpeg[2] === 0xff && jpeg[3] === APP0 && jpeg.length >= 6) at = Math.min(jpeg.length, 4 + ((jpeg[4]! << 8) | jpeg[5]!));
  return Buffer.concat([jpeg.subarray(0, at), ...segments, jpeg.subarray(at)]);
}
