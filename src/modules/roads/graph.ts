/**
 * The road graph in compact typed arrays.
 *
 * Two levels:
 *  - edges: chains of road between junctions (degree-2 vertices compressed away), each with its
 *    full polyline (`point*` arrays, edge e owns points edgePointStart[e] .. edgePointStart[e+1]-1)
 *    and cumulative forward/backward travel time and length per point, so a position anywhere on
 *    the edge has an exact partial time;
 *  - arcs: the directed search graph in CSR form, forward (out*) and reversed (in*).
 *
 * Everything is saved as-is in a binary file (see saveGraph/loadGraph) so loading is a few copies.
 */
import { RoadGraphFormatError } from './errors.js';

export const FLAG_FORWARD_OPEN = 1;
export const FLAG_BACKWARD_OPEN = 2;

/** Direction of an arc relative to its edge's point order. */
export const DIR_FORWARD = 0;
export const DIR_BACKWARD = 1;

export interface GraphMeta {
  /** Where the graph came from (file name), for `info`. */
  source: string;
  createdAt: string;
  /** Nodes in the input ways before degree-2 compression (vertex count if every way node were one). */
  inputNodeCount: number;
  compressed: boolean;
}

export interface RoadGraph {
  meta: GraphMeta;
  vertexCount: number;
  edgeCount: number;
  pointCount: number;
  arcCount: number;

  vertexLon: Float64Array;
  vertexLat: Float64Array;

  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeFlags: Uint8Array;
  edgePointStart: Int32Array; // length edgeCount + 1

  pointLon: Float64Array;
  pointLat: Float64Array;
  /** Seconds from the edge's first point to this point, travelling forward (0s if closed that way). */
  pointForwardCum: Float64Array;
  /** Seconds from this point back to the edge's first point, travelling backward, accumulated from the start. */
  pointBackwardCum: Float64Array;
  /** Metres from the edge's first point. */
  pointLengthCum: Float64Array;
  /** Attribute record of the piece from this point to the next (-1 on an edge's last point). */
  pointAttr: Int32Array;

  attrName: Int32Array; // index into strings, -1 = unnamed
  attrHighway: Int32Array; // index into strings
  /** 1 = one-way along the geometry, -1 = against it, 0 = both ways, as declared in the input. */
  attrOneway: Int8Array;
  strings: string[];

  outStart: Int32Array; // length vertexCount + 1
  outTo: Int32Array;
  /** edge * 2 + direction */
  outEdgeDir: Int32Array;
  outWeight: Float64Array;
  outLength: Float64Array;

  inStart: Int32Array;
  inFrom: Int32Array;
  inEdgeDir: Int32Array;
  inWeight: Float64Array;
  inLength: Float64Array;
}

export function edgeForwardTime(g: RoadGraph, e: number): number {
  return g.pointForwardCum[g.edgePointStart[e + 1] - 1];
}
export function edgeBackwardTime(g: RoadGraph, e: number): number {
  return g.pointBackwardCum[g.edgePointStart[e + 1] - 1];
}
export function edgeLength(g: RoadGraph, e: number): number {
  return g.pointLengthCum[g.edgePointStart[e + 1] - 1];
}

/** Builds the forward and reversed CSR arc arrays from the edge arrays. */
export function buildArcs(g: Omit<RoadGraph, 'outStart' | 'outTo' | 'outEdgeDir' | 'outWeight' | 'outLength' | 'inStart' | 'inFrom' | 'inEdgeDir' | 'inWeight' | 'inLength' | 'arcCount'>): Pick<
  RoadGraph,
  'outStart' | 'outTo' | 'outEdgeDir' | 'outWeight' | 'outLength' | 'inStart' | 'inFrom' | 'inEdgeDir' | 'inWeight' | 'inLength' | 'arcCount'
> {
  const V = g.vertexCount;
  const E = g.edgeCount;
  let arcCount = 0;
  const outStart = new Int32Array(V + 1);
  const inStart = new Int32Array(V + 1);
  for (let e = 0; e < E; e++) {
    const f = g.edgeFlags[e];
    if (f & FLAG_FORWARD_OPEN) {
      outStart[g.edgeFrom[e] + 1]++;
      inStart[g.edgeTo[e] + 1]++;
      arcCount++;
    }
    if (f & FLAG_BACKWARD_OPEN) {
      outStart[g.edgeTo[e] + 1]++;
      inStart[g.edgeFrom[e] + 1]++;
      arcCount++;
    }
  }
  for (let v = 0; v < V; v++) {
    outStart[v + 1] += outStart[v];
    inStart[v + 1] += inStart[v];
  }
  const outTo = new Int32Array(arcCount);
  const outEdgeDir = new Int32Array(arcCount);
  const outWeight = new Float64Array(arcCount);
  const outLength = new Float64Array(arcCount);
  const inFrom = new Int32Array(arcCount);
  const inEdgeDir = new Int32Array(arcCount);
  const inWeight = new Float64Array(arcCount);
  const inLength = new Float64Array(arcCount);
  const outFill = outStart.slice(0, V);
  const inFill = inStart.slice(0, V);
  const addArc = (from: number, to: number, edgeDir: number, weight: number, length: number) => {
    const o = outFill[from]++;
    outTo[o] = to;
    outEdgeDir[o] = edgeDir;
    outWeight[o] = weight;
    outLength[o] = length;
    const i = inFill[to]++;
    inFrom[i] = from;
    inEdgeDir[i] = edgeDir;
    inWeight[i] = weight;
    inLength[i] = length;
  };
  for (let e = 0; e < E; e++) {
    const f = g.edgeFlags[e];
    const last = g.edgePointStart[e + 1] - 1;
    const length = g.pointLengthCum[last];
    if (f & FLAG_FORWARD_OPEN) addArc(g.edgeFrom[e], g.edgeTo[e], e * 2 + DIR_FORWARD, g.pointForwardCum[last], length);
    if (f & FLAG_BACKWARD_OPEN) addArc(g.edgeTo[e], g.edgeFrom[e], e * 2 + DIR_BACKWARD, g.pointBackwardCum[last], length);
  }
  return { outStart, outTo, outEdgeDir, outWeight, outLength, inStart, inFrom, inEdgeDir, inWeight, inLength, arcCount };
}

/** Bytes held by the graph's arrays (what `info` and the bench report as memory). */
export function graphMemoryBytes(g: RoadGraph): number {
  let total = 0;
  for (const value of Object.values(g)) if (ArrayBuffer.isView(value)) total += value.byteLength;
  for (const s of g.strings) total += 2 * s.length + 16;
  return total;
}

export function graphBoundingBox(g: RoadGraph): [number, number, number, number] {
  let minLon = Infinity,
    minLat = Infinity,
    maxLon = -Infinity,
    maxLat = -Infinity;
  for (let p = 0; p < g.pointCount; p++) {
    const lon = g.pointLon[p],
      lat = g.pointLat[p];
    if (lon < minLon) minLon = lon;
    if (lon > maxLon) maxLon = lon;
    if (lat < minLat) minLat = lat;
    if (lat > maxLat) maxLat = lat;
  }
  return [minLon, minLat, maxLon, maxLat];
}

// ---------------------------------------------------------------------------------------------
// Binary file format (little-endian):
//   0  "SWRG" magic, 4  u32 format version, 8 u32 JSON header length, 12 JSON header (UTF-8),
//   then each array in ARRAY_FIELDS order, starting on an 8-byte boundary, as raw element bytes.
// The JSON header carries counts, meta, the string table and each array's element count.
// ---------------------------------------------------------------------------------------------

const MAGIC = 0x47525753; // "SWRG" read as little-endian u32
const FORMAT_VERSION = 1;

type ArrayCtor = Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor | Int8ArrayConstructor;
const ARRAY_FIELDS: [keyof RoadGraph, ArrayCtor][] = [
  ['vertexLon', Float64Array],
  ['vertexLat', Float64Array],
  ['edgeFrom', Int32Array],
  ['edgeTo', Int32Array],
  ['edgeFlags', Uint8Array],
  ['edgePointStart', Int32Array],
  ['pointLon', Float64Array],
  ['pointLat', Float64Array],
  ['pointForwardCum', Float64Array],
  ['pointBackwardCum', Float64Array],
  ['pointLengthCum', Float64Array],
  ['pointAttr', Int32Array],
  ['attrName', Int32Array],
  ['attrHighway', Int32Array],
  ['attrOneway', Int8Array],
  ['outStart', Int32Array],
  ['outTo', Int32Array],
  ['outEdgeDir', Int32Array],
  ['outWeight', Float64Array],
  ['outLength', Float64Array],
  ['inStart', Int32Array],
  ['inFrom', Int32Array],
  ['inEdgeDir', Int32Array],
  ['inWeight', Float64Array],
  ['inLength', Float64Array],
];

interface FileHeader {
  meta: GraphMeta;
  vertexCount: number;
  edgeCount: number;
  pointCount: number;
  arcCount: number;
  strings: string[];
  lengths: Record<string, number>;
}

const align8 = (n: number) => (n + 7) & ~7;

export function serializeGraph(g: RoadGraph): Buffer {
  const lengths: Record<string, number> = {};
  for (const [name] of ARRAY_FIELDS) lengths[name] = (g[name] as ArrayLike<number>).length;
  const header: FileHeader = {
    meta: g.meta,
    vertexCount: g.vertexCount,
    edgeCount: g.edgeCount,
    pointCount: g.pointCount,
    arcCount: g.arcCount,
    strings: g.strings,
    lengths,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  let size = align8(12 + headerBytes.length);
  for (const [name] of ARRAY_FIELDS) size = align8(size + (g[name] as ArrayBufferView).byteLength);
  const out = Buffer.alloc(size);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(out, 12);
  let offset = align8(12 + headerBytes.length);
  for (const [name] of ARRAY_FIELDS) {
    const arr = g[name] as ArrayBufferView;
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), offset);
    offset = align8(offset + arr.byteLength);
  }
  return out;
}

export function deserializeGraph(data: Uint8Array): RoadGraph {
  if (data.length < 12) throw new RoadGraphFormatError('not a Shouwang road graph file (too short)');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new RoadGraphFormatError('not a Shouwang road graph file (bad magic); build one with `shouwang roads import`');
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw new RoadGraphFormatError(`road graph file format version ${version} is not supported (expected ${FORMAT_VERSION}); re-import the roads`);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > data.length) throw new RoadGraphFormatError('road graph file is truncated (header)');
  const header = JSON.parse(Buffer.from(data.buffer, data.byteOffset + 12, headerLength).toString('utf8')) as FileHeader;
  // One aligned copy of the whole file lets every array be a zero-copy view.
  const aligned = new Uint8Array(data.length);
  aligned.set(data);
  let offset = align8(12 + headerLength);
  const g: Record<string, unknown> = {
    meta: header.meta,
    vertexCount: header.vertexCount,
    edgeCount: header.edgeCount,
    pointCount: header.pointCount,
    arcCount: header.arcCount,
    strings: header.strings,
  };
  for (const [name, Ctor] of ARRAY_FIELDS) {
    const count = header.lengths[name];
    if (count === undefined) throw new RoadGraphFormatError(`road graph file lacks the array ${name}`);
    const bytes = count * Ctor.BYTES_PER_ELEMENT;
    if (offset + bytes > data.length) throw new RoadGraphFormatError('road graph file is truncated');
    g[name] = new Ctor(aligned.buffer, offset, count);
    offset = align8(offset + bytes);
  }
  return g as unknown as RoadGraph;
}
