/**
 * OSM .osm.pbf reader: file blocks (BlobHeader + Blob), zlib-compressed PrimitiveBlocks,
 * DenseNodes / Nodes / Ways. Two passes over the blocks: ways first (to learn which nodes matter),
 * then only those nodes' coordinates — memory stays proportional to the road network.
 */
import { inflateSync } from 'node:zlib';
import { ProtoReader, WIRE_LENGTH_DELIMITED } from './protobuf.js';
import { RoadImportError } from './errors.js';
import type { RawNetwork, RawWay } from './network.js';
import { impliedOneway, parseMaxspeed, parseOneway, type SpeedProfile } from './speeds.js';

export type ProgressFn = (fraction: number, phase: string) => void;

interface FileBlock {
  type: string;
  /** Offsets of the Blob message in the file. */
  start: number;
  end: number;
}

const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);
const MAX_HEADER_SIZE = 64 * 1024;
const MAX_BLOB_SIZE = 32 * 1024 * 1024;

/** Splits the file into its blocks; throws a RoadImportError when it is not an OSM PBF. */
export function listBlocks(buf: Uint8Array): FileBlock[] {
  if (buf.length === 0) throw new RoadImportError('the file is empty');
  const blocks: FileBlock[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) throw new RoadImportError(`not an OSM PBF file: truncated block header at byte ${pos}`);
    const headerLen = ((buf[pos] << 24) | (buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]) >>> 0;
    pos += 4;
    if (headerLen === 0 || headerLen > MAX_HEADER_SIZE || pos + headerLen > buf.length) {
      throw new RoadImportError(blocks.length === 0 ? 'not an OSM PBF file (it does not start with an OSM block header)' : `not a valid OSM PBF file: bad block header at byte ${pos - 4}`);
    }
    let type = '';
    let dataSize = -1;
    try {
      const r = new ProtoReader(buf, pos, pos + headerLen);
      while (!r.done) {
        const [field, wire] = r.key();
        if (field === 1 && wire === WIRE_LENGTH_DELIMITED) type = r.string();
        else if (field === 3 && wire === 0) dataSize = r.varint();
        else r.skip(wire);
      }
    } catch {
      throw new RoadImportError(blocks.length === 0 ? 'not an OSM PBF file (unreadable block header)' : `not a valid OSM PBF file: unreadable block header at byte ${pos - 4}`);
    }
    if (blocks.length === 0 && type !== 'OSMHeader' && type !== 'OSMData') throw new RoadImportError('not an OSM PBF file (first block is not an OSMHeader)');
    pos += headerLen;
    if (dataSize < 0 || dataSize > MAX_BLOB_SIZE || pos + dataSize > buf.length) throw new RoadImportError(`not a valid OSM PBF file: block at byte ${pos} is truncated or too large`);
    blocks.push({ type, start: pos, end: pos + dataSize });
    pos += dataSize;
  }
  return blocks;
}

function blobData(buf: Uint8Array, block: FileBlock): Uint8Array {
  const r = new ProtoReader(buf, block.start, block.end);
  let raw: Uint8Array | null = null;
  let zlib: Uint8Array | null = null;
  let other = '';
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1) raw = r.bytes();
    else if (field === 3) zlib = r.bytes();
    else if (field === 4 || field === 6 || field === 7) {
      other = field === 4 ? 'LZMA' : field === 6 ? 'LZ4' : 'ZSTD';
      r.skip(wire);
    } else r.skip(wire);
  }
  if (raw) return raw;
  if (zlib) {
    try {
      return inflateSync(zlib);
    } catch (err) {
      throw new RoadImportError(`corrupt compressed block at byte ${block.start}: ${(err as Error).message}`);
    }
  }
  throw new RoadImportError(other ? `${other}-compressed blocks are not supported; re-encode with \`osmium cat in.osm.pbf -o out.osm.pbf\`` : `empty data block at byte ${block.start}`);
}

function checkHeader(data: Uint8Array): void {
  const r = new ProtoReader(data);
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 4) {
      const feature = r.string();
      if (!SUPPORTED_FEATURES.has(feature)) throw new RoadImportError(`the OSM file needs the unsupported feature "${feature}"`);
    } else r.skip(wire);
  }
}

interface BlockContext {
  strings: string[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
  groups: [number, number][];
}

function readPrimitiveBlock(data: Uint8Array): BlockContext {
  const ctx: BlockContext = { strings: [], granularity: 100, latOffset: 0, lonOffset: 0, groups: [] };
  const r = new ProtoReader(data);
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1) {
      const st = r.sub();
      while (!st.done) {
        const [f, w] = st.key();
        if (f === 1) ctx.strings.push(st.string());
        else st.skip(w);
      }
    } else if (field === 2) ctx.groups.push(r.bytesRange());
    else if (field === 17) ctx.granularity = r.varint();
    else if (field === 19) ctx.latOffset = r.varint();
    else if (field === 20) ctx.lonOffset = r.varint();
    else r.skip(wire);
  }
  return ctx;
}

export interface OsmWay {
  id: number;
  tags: Record<string, string>;
  refs: number[];
}

function readWays(data: Uint8Array, ctx: BlockContext, onWay: (w: OsmWay) => void): void {
  for (const [gs, ge] of ctx.groups) {
    const g = new ProtoReader(data, gs, ge);
    while (!g.done) {
      const [field, wire] = g.key();
      if (field !== 3) {
        g.skip(wire);
        continue;
      }
      const w = g.sub();
      let id = 0;
      const keys: number[] = [];
      const vals: number[] = [];
      const refs: number[] = [];
      while (!w.done) {
        const [f, wt] = w.key();
        if (f === 1) id = w.varint();
        else if (f === 2) w.packedVarints(wt, keys, false);
        else if (f === 3) w.packedVarints(wt, vals, false);
        else if (f === 8) w.packedVarints(wt, refs, true);
        else w.skip(wt);
      }
      for (let i = 1; i < refs.length; i++) refs[i] += refs[i - 1];
      const tags: Record<string, string> = {};
      for (let i = 0; i < keys.length && i < vals.length; i++) tags[ctx.strings[keys[i]]] = ctx.strings[vals[i]];
      onWay({ id, tags, refs });
    }
  }
}

function readNodes(data: Uint8Array, ctx: BlockContext, onNode: (id: number, lon: number, lat: number) => void): void {
  for (const [gs, ge] of ctx.groups) {
    const g = new ProtoReader(data, gs, ge);
    while (!g.done) {
      const [field, wire] = g.key();
      if (field === 2) {
        const d = g.sub();
        const ids: number[] = [];
        const lats: number[] = [];
        const lons: number[] = [];
        while (!d.done) {
          const [f, wt] = d.key();
          if (f === 1) d.packedVarints(wt, ids, true);
          else if (f === 8) d.packedVarints(wt, lats, true);
          else if (f === 9) d.packedVarints(wt, lons, true);
          else d.skip(wt);
        }
        let id = 0,
          lat = 0,
          lon = 0;
        const n = Math.min(ids.length, lats.length, lons.length);
        for (let i = 0; i < n; i++) {
          id += ids[i];
          lat += lats[i];
          lon += lons[i];
          onNode(id, (ctx.lonOffset + lon * ctx.granularity) * 1e-9, (ctx.latOffset + lat * ctx.granularity) * 1e-9);
        }
      } else if (field === 1) {
        const nd = g.sub();
        let id = 0,
          lat = 0,
          lon = 0;
        while (!nd.done) {
          const [f, wt] = nd.key();
          if (f === 1) id = nd.svarint();
          else if (f === 8) lat = nd.svarint();
          else if (f === 9) lon = nd.svarint();
          else nd.skip(wt);
        }
        onNode(id, (ctx.lonOffset + lon * ctx.granularity) * 1e-9, (ctx.latOffset + lat * ctx.granularity) * 1e-9);
      } else g.skip(wire);
    }
  }
}

const NO_VALUES = new Set(['no', 'private_no']);
const EXCLUDED_ONEWAY = new Set(['reversible', 'alternating']);

/** The car-routing interpretation of one way's tags, or null if cars cannot use it. */
export function carWay(tags: Record<string, string>, profile: SpeedProfile): Omit<RawWay, 'nodes'> | null {
  const highway = tags.highway;
  if (!highway || profile.speeds[highway] === undefined) return null;
  if (tags.area === 'yes') return null;
  const motor = tags.motor_vehicle ?? tags.motorcar;
  if (motor !== undefined ? NO_VALUES.has(motor) : tags.access !== undefined && NO_VALUES.has(tags.access)) return null;
  const onewayTag = tags.oneway;
  if (onewayTag && EXCLUDED_ONEWAY.has(onewayTag)) return null;
  let oneway = parseOneway(onewayTag);
  if (oneway === null) oneway = impliedOneway(highway, tags.junction) ? 1 : 0;
  const maxspeed = parseMaxspeed(tags.maxspeed);
  const speedKmh = maxspeed !== null ? maxspeed * profile.maxspeedFactor : profile.speeds[highway];
  const fwdSpeed = parseMaxspeed(tags['maxspeed:forward']);
  const bwdSpeed = parseMaxspeed(tags['maxspeed:backward']);
  return {
    name: tags.name ?? tags.ref ?? '',
    highway,
    oneway,
    forward: oneway === -1 ? null : { speedKmh: fwdSpeed !== null ? fwdSpeed * profile.maxspeedFactor : speedKmh },
    backward: oneway === 1 ? null : { speedKmh: bwdSpeed !== null ? bwdSpeed * profile.maxspeedFactor : speedKmh },
  };
}

export interface OsmImportStats {
  blocks: number;
  waysRead: number;
  carWays: number;
  missingNodes: number;
}

export function importOsmPbf(buf: Uint8Array, profile: SpeedProfile, onProgress?: ProgressFn): { network: RawNetwork; stats: OsmImportStats } {
  const blocks = listBlocks(buf);
  const header = blocks.find((b) => b.type === 'OSMHeader');
  if (header) checkHeader(blobData(buf, header));
  const dataBlocks = blocks.filter((b) => b.type === 'OSMData');
  if (dataBlocks.length === 0) throw new RoadImportError('the OSM file contains no data blocks');
  const totalBytes = dataBlocks.reduce((a, b) => a + b.end - b.start, 0) * 2;
  let doneBytes = 0;

  // Pass 1: ways.
  const wayRecords: { way: Omit<RawWay, 'nodes'>; refs: number[] }[] = [];
  const neededNodes = new Map<number, number>(); // OSM id → node index
  let waysRead = 0;
  for (const block of dataBlocks) {
    const data = blobData(buf, block);
    const ctx = readPrimitiveBlock(data);
    readWays(data, ctx, (w) => {
      waysRead++;
      const way = carWay(w.tags, profile);
      if (!way || w.refs.length < 2) return;
      wayRecords.push({ way, refs: w.refs });
      for (const id of w.refs) if (!neededNodes.has(id)) neededNodes.set(id, neededNodes.size);
    });
    doneBytes += block.end - block.start;
    onProgress?.(doneBytes / totalBytes, 'ways');
  }
  if (wayRecords.length === 0) throw new RoadImportError(waysRead === 0 ? 'the OSM file contains no ways' : `no car-routable roads among the file's ${waysRead} ways`);

  // Pass 2: coordinates of the nodes those ways use.
  const lon = new Array<number>(neededNodes.size).fill(NaN);
  const lat = new Array<number>(neededNodes.size).fill(NaN);
  for (const block of dataBlocks) {
    const data = blobData(buf, block);
    const ctx = readPrimitiveBlock(data);
    readNodes(data, ctx, (id, x, y) => {
      const i = neededNodes.get(id);
      if (i !== undefined) {
        lon[i] = x;
        lat[i] = y;
      }
    });
    doneBytes += block.end - block.start;
    onProgress?.(doneBytes / totalBytes, 'nodes');
  }

  // Extracts cut at a border reference nodes outside the file: drop those references, split there.
  let missingNodes = 0;
  const ways: RawWay[] = [];
  for (const { way, refs } of wayRecords) {
    let run: number[] = [];
    for (const id of refs) {
      const i = neededNodes.get(id)!;
      if (Number.isNaN(lon[i])) {
        missingNodes++;
        if (run.length >= 2) ways.push({ ...way, nodes: run });
        run = [];
      } else run.push(i);
    }
    if (run.length >= 2) ways.push({ ...way, nodes: run });
  }
  if (ways.length === 0) throw new RoadImportError('the OSM file has road ways but none of their nodes');
  return { network: { lon, lat, ways }, stats: { blocks: blocks.length, waysRead, carWays: wayRecords.length, missingNodes } };
}
