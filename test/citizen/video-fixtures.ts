/**
 * Small videos built box by box for the tests (no binary fixtures): an MP4/MOV with ftyp, moov (mvhd
 * version 0 or 1, a track whose handler is 'vide' or 'soun', udta with a ©xyz place, meta with Apple's
 * ISO 6709 location, a top-level XMP uuid) and an mdat; a WebM with the EBML header, Info (with or
 * without Duration), Tracks, Clusters of known or unknown size, Tags. Not playable pictures — the
 * containers are what the server reads.
 */
export const GPS = '+22.1987+113.5439/';
export const GPS_APPLE = '+22.1987+113.5439+012.000/';

const ascii = (s: string) => Buffer.from(s, 'latin1');
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};

export function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), ascii(type), body]);
}

export function largeBox(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(1), ascii(type), u64(BigInt(16 + body.length)), body]);
}

export function mvhd(version: 0 | 1, timescale: number, duration: number | bigint): Buffer {
  const rest = Buffer.alloc(80); // rate, volume, matrix, next track id…
  if (version === 1) return box('mvhd', Buffer.from([1, 0, 0, 0]), u64(0n), u64(0n), u32(timescale), u64(BigInt(duration)), rest);
  return box('mvhd', Buffer.from([0, 0, 0, 0]), u32(0), u32(0), u32(timescale), u32(Number(duration)), rest);
}

export interface Mp4Options {
  seconds?: number;
  timescale?: number;
  version?: 0 | 1;
  brand?: string;
  handler?: 'vide' | 'soun';
  gps?: boolean;
  /** mdat bytes. */
  media?: number;
  /** Raw duration in mvhd (overrides seconds), e.g. 0xffffffff for unknown. */
  rawDuration?: number | bigint;
  mehd?: number;
}

export function mp4(o: Mp4Options = {}): Buffer {
  const timescale = o.timescale ?? 600;
  const duration = o.rawDuration ?? BigInt(Math.round((o.seconds ?? 12) * timescale));
  const hdlr = box('hdlr', Buffer.alloc(4), Buffer.alloc(4), ascii(o.handler ?? 'vide'), Buffer.alloc(12), ascii('VideoHandler\0'));
  const trak = box('trak', box('tkhd', Buffer.alloc(84)), box('mdia', box('mdhd', Buffer.alloc(24)), hdlr, box('minf', box('vmhd', Buffer.alloc(12)))), ...(o.gps ? [box('udta', box('\xa9xyz', u32((GPS.length << 16) | 0x15c7), ascii(GPS)))] : []));
  const place = o.gps
    ? [
        box('udta', box('\xa9xyz', u32((GPS.length << 16) | 0x15c7), ascii(GPS)), box('loci', Buffer.alloc(4), ascii('Home\0'))),
        box('meta', Buffer.alloc(4), box('hdlr', Buffer.alloc(8), ascii('mdta'), Buffer.alloc(13)), box('keys', Buffer.alloc(4), u32(1), box('mdta', ascii('com.apple.quicktime.location.ISO6709'))), box('ilst', box('\0\0\0\x01', box('data', u32(1), u32(0), ascii(GPS_APPLE))))),
      ]
    : [];
  const mvex = o.mehd !== undefined ? [box('mvex', box('mehd', Buffer.alloc(4), u32(o.mehd)))] : [];
  const moov = box('moov', mvhd(o.version ?? 0, timescale, duration), trak, ...mvex, ...place);
  const xmp = o.gps ? [box('uuid', Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex'), ascii(`<x:xmpmeta><exif:GPSLatitude>${GPS}</exif:GPSLatitude></x:xmpmeta>`))] : [];
  const ftyp = box('ftyp', ascii(o.brand ?? 'isom'), u32(512), ascii('isomiso2avc1mp41'));
  return Buffer.concat([ftyp, ...xmp, moov, box('mdat', Buffer.alloc(o.media ?? 4096, 0x42))]);
}

// ---------------------------------------------------------------- WebM

const vintSize = (n: number, length = 8): Buffer => {
  const b = Buffer.alloc(length);
  let v = n;
  for (let i = length - 1; i >= 0; i--) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  b[0]! |= 0x80 >> (length - 1);
  return b;
};
const UNKNOWN = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
const idBytes = (id: number) => Buffer.from(id.toString(16).padStart(id > 0xffffff ? 8 : id > 0xffff ? 6 : id > 0xff ? 4 : 2, '0'), 'hex');

export function el(id: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([idBytes(id), vintSize(body.length), body]);
}
const elUnknown = (id: number, ...parts: Buffer[]) => Buffer.concat([idBytes(id), UNKNOWN, ...parts]);
const uintEl = (id: number, n: number) => el(id, u32(n));
const floatEl = (id: number, f: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(f);
  return el(id, b);
};
const simpleBlock = (track: number, rel: number) => {
  const b = Buffer.alloc(3);
  b.writeInt16BE(rel, 0);
  b[2] = 0x80;
  return el(0xa3, Buffer.from([0x80 | track]), b, Buffer.alloc(64, 1));
};

export interface WebmOptions {
  seconds?: number;
  withDuration?: boolean;
  unknownSizes?: boolean;
  docType?: string;
  video?: boolean;
  tags?: string;
}

export function webm(o: WebmOptions = {}): Buffer {
  const seconds = o.seconds ?? 12;
  const header = el(0x1a45dfa3, el(0x4286, Buffer.from([1])), el(0x4282, ascii(o.docType ?? 'webm')));
  const info = el(0x1549a966, uintEl(0x2ad7b1, 1_000_000), ...(o.withDuration !== false ? [floatEl(0x4489, seconds * 1000)] : []), el(0x4d80, ascii('test')));
  const tracks = el(0x1654ae6b, el(0xae, el(0xd7, Buffer.from([1])), el(0x83, Buffer.from([o.video === false ? 2 : 1])), el(0x86, ascii('V_VP8'))));
  // One cluster a second, a block every 250 ms (cluster timecode in ms; relative block times).
  const clusters: Buffer[] = [];
  for (let s = 0; s * 1000 <= seconds * 1000; s++) {
    const blocks = [0, 250, 500, 750].filter((ms) => s * 1000 + ms <= seconds * 1000).map((ms) => simpleBlock(1, ms));
    const parts = [uintEl(0xe7, s * 1000), ...blocks];
    clusters.push(o.unknownSizes ? elUnknown(0x1f43b675, ...parts) : el(0x1f43b675, ...parts));
  }
  const tags = o.tags ? [el(0x1254c367, el(0x7373, el(0x67c8, el(0x45a3, ascii('LOCATION')), el(0x4487, ascii(o.tags)))))] : [];
  const body = [info, tracks, ...clusters, ...tags];
  const segment = o.unknownSizes ? elUnknown(0x18538067, ...body) : el(0x18538067, ...body);
  return Buffer.concat([header, segment]);
}
