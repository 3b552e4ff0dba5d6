/**
 * The importers' common output (RawNetwork: shared nodes + ways with costs) and the step that
 * turns it into a RoadGraph: split ways where they meet, compress degree-2 chains, accumulate
 * times and lengths per point, build the CSR arcs.
 */
import { haversineMeters } from './geo.js';
import { RoadImportError } from './errors.js';
import { buildArcs, FLAG_BACKWARD_OPEN, FLAG_FORWARD_OPEN, type GraphMeta, type RoadGraph } from './graph.js';

/** Travel cost in one direction of a way: a speed, or an explicit time for the whole way. */
export type WayCost = { speedKmh: number } | { totalSeconds: number };

export interface RawWay {
  /** Indices into RawNetwork.lon/lat. */
  nodes: number[];
  name: string;
  highway: string;
  /** As declared: 1 along the geometry, -1 against it, 0 both ways. */
  oneway: 1 | -1 | 0;
  forward: WayCost | null;
  backward: WayCost | null;
}

export interface RawNetwork {
  lon: number[];
  lat: number[];
  ways: RawWay[];
}

export interface BuildOptions {
  source: string;
  /** Compress chains of degree-2 vertices (default true). false: every way node becomes a vertex. */
  compress?: boolean;
}

/** Per-piece travel times of a way; NaN marks a closed direction. */
function pieceTimes(way: RawWay, lengths: number[], cost: WayCost | null): number[] {
  if (cost === null) return lengths.map(() => NaN);
  if ('speedKmh' in cost) {
    const mps = cost.speedKmh / 3.6;
    return lengths.map((len) => len / mps);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  // Spread an explicit time along the way in proportion to length (evenly if it has no length).
  return lengths.map((len) => (total > 0 ? (cost.totalSeconds * len) / total : cost.totalSeconds / lengths.length));
}

export function buildGraph(raw: RawNetwork, opts: BuildOptions): RoadGraph {
  const compress = opts.compress ?? true;
  const nodeCount = raw.lon.length;

  // --- 1. Segments: ways cut at every node they share with another way (or themselves) and at ends.
  const useCount = new Int32Array(nodeCount);
  const isWayEnd = new Uint8Array(nodeCount);
  const ways: { nodes: number[]; way: RawWay; attr: number }[] = [];
  const attrKey = new Map<string, number>();
  const attrs: { name: string; highway: string; oneway: number }[] = [];
  for (const way of raw.ways) {
    if (way.forward === null && way.backward === null) continue;
    const nodes: number[] = [];
    for (const n of way.nodes) if (nodes.length === 0 || nodes[nodes.length - 1] !== n) nodes.push(n);
    if (nodes.length < 2) continue;
    const key = `${way.name}\u0000${way.highway}\u0000${way.oneway}`;
    let attr = attrKey.get(key);
    if (attr === undefined) {
      attr = attrs.length;
      attrs.push({ name: way.name, highway: way.highway, oneway: way.oneway });
      attrKey.set(key, attr);
    }
    ways.push({ nodes, way, attr });
    for (const n of nodes) useCount[n]++;
    isWayEnd[nodes[0]] = 1;
    isWayEnd[nodes[nodes.length - 1]] = 1;
  }
  if (ways.length === 0) throw new RoadImportError('no car-routable roads found in the input');

  const usedNodes = new Set<number>();
  // Segment store (flat arrays): nodes, and per piece attr/forward time/backward time/length.
  const segStart: number[] = [];
  const segNodes: number[] = [];
  const segFlags: number[] = [];
  const pieceAttr: number[] = [];
  const pieceFwd: number[] = [];
  const pieceBwd: number[] = [];
  const pieceLen: number[] = [];
  for (const { nodes, way, attr } of ways) {
    const lengths: number[] = [];
    for (let i = 0; i + 1 < nodes.length; i++) lengths.push(haversineMeters(raw.lon[nodes[i]], raw.lat[nodes[i]], raw.lon[nodes[i + 1]], raw.lat[nodes[i + 1]]));
    const fwd = pieceTimes(way, lengths, way.forward);
    const bwd = pieceTimes(way, lengths, way.backward);
    const flags = (way.forward ? FLAG_FORWARD_OPEN : 0) | (way.backward ? FLAG_BACKWARD_OPEN : 0);
    let first = 0;
    for (let i = 1; i < nodes.length; i++) {
      const n = nodes[i];
      const split = !compress || i === nodes.length - 1 || useCount[n] > 1 || isWayEnd[n];
      if (!split) continue;
      segStart.push(segNodes.length);
      segFlags.push(flags);
      for (let k = first; k <= i; k++) {
        segNodes.push(nodes[k]);
        usedNodes.add(nodes[k]);
      }
      // Pieces are indexed like segNodes; the slot of each segment's last node stays unused.
      for (let k = first; k < i; k++) {
        pieceAttr.push(attr);
        pieceFwd.push(fwd[k]);
        pieceBwd.push(bwd[k]);
        pieceLen.push(lengths[k]);
      }
      pieceAttr.push(-1);
      pieceFwd.push(0);
      pieceBwd.push(0);
      pieceLen.push(0);
      first = i;
    }
  }
  const segCount = segStart.length;
  segStart.push(segNodes.length);

  // --- 2. Incidence of segment ends per node, to find degree-2 nodes.
  const degree = new Int32Array(nodeCount);
  const segFirstNode = (s: number) => segNodes[segStart[s]];
  const segLastNode = (s: number) => segNodes[segStart[s + 1] - 1];
  for (let s = 0; s < segCount; s++) {
    degree[segFirstNode(s)]++;
    degree[segLastNode(s)]++;
  }
  const incStart = new Int32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) incStart[n + 1] = incStart[n] + degree[n];
  const incFill = incStart.slice(0, nodeCount);
  const incidence = new Int32Array(incStart[nodeCount]); // segment * 2 + (0 = starts here, 1 = ends here)
  for (let s = 0; s < segCount; s++) {
    incidence[incFill[segFirstNode(s)]++] = s * 2;
    incidence[incFill[segLastNode(s)]++] = s * 2 + 1;
  }
  /** Open flags of a segment when traversed leaving `fromEnd` (0 = from its first node). */
  const orientedFlags = (s: number, fromEnd: number) => {
    const f = segFlags[s];
    if (fromEnd === 0) return f;
    return ((f & FLAG_FORWARD_OPEN) ? FLAG_BACKWARD_OPEN : 0) | ((f & FLAG_BACKWARD_OPEN) ? FLAG_FORWARD_OPEN : 0);
  };

  const vertexOf = new Int32Array(nodeCount).fill(-1);
  const vertexNode: number[] = [];
  const makeVertex = (n: number) => {
    if (vertexOf[n] < 0) {
      vertexOf[n] = vertexNode.length;
      vertexNode.push(n);
    }
    return vertexOf[n];
  };
  for (const n of usedNodes) {
    if (degree[n] === 0) continue; // inside a segment: geometry only
    let keep = !compress || degree[n] !== 2;
    if (!keep) {
      const a = incidence[incStart[n]],
        b = incidence[incStart[n] + 1];
      const sa = a >> 1,
        sb = b >> 1;
      // Passing through n: arrive on sa (leaving n backwards along it), continue on sb.
      // Both must allow the same directions, or merging would open or close a stretch of road.
      const arriving = orientedFlags(sa, (a & 1) === 1 ? 0 : 1);
      const leaving = orientedFlags(sb, b & 1);
      keep = sa === sb || arriving !== leaving;
    }
    if (keep) makeVertex(n);
  }

  // --- 3. Walk chains from vertex to vertex; each chain becomes one edge.
  const segDone = new Uint8Array(segCount);
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const edgeFlags: number[] = [];
  const edgePointStart: number[] = [];
  const pLon: number[] = [];
  const pLat: number[] = [];
  const pFwd: number[] = [];
  const pBwd: number[] = [];
  const pLen: number[] = [];
  const pAttr: number[] = [];

  const walkChain = (startNode: number, firstInc: number) => {
    edgePointStart.push(pLon.length);
    edgeFrom.push(vertexOf[startNode]);
    let fwdCum = 0,
      bwdCum = 0,
      lenCum = 0;
    pLon.push(raw.lon[startNode]);
    pLat.push(raw.lat[startNode]);
    pFwd.push(0);
    pBwd.push(0);
    pLen.push(0);
    let inc = firstInc;
    let flags = -1;
    let node = startNode;
    for (;;) {
      const s = inc >> 1;
      const reversed = (inc & 1) === 1;
      segDone[s] = 1;
      if (flags < 0) flags = orientedFlags(s, inc & 1);
      const a = segStart[s],
        b = segStart[s + 1] - 1;
      const pieces = b - a;
      for (let k = 0; k < pieces; k++) {
        // Piece k of the chain direction; in a reversed segment it is stored piece (pieces-1-k).
        const stored = reversed ? a + (pieces - 1 - k) : a + k;
        const nextNode = reversed ? segNodes[b - 1 - k] : segNodes[a + k + 1];
        const fwd = reversed ? pieceBwd[stored] : pieceFwd[stored];
        const bwd = reversed ? pieceFwd[stored] : pieceBwd[stored];
        pAttr.push(pieceAttr[stored]);
        fwdCum += Number.isNaN(fwd) ? 0 : fwd;
        bwdCum += Number.isNaN(bwd) ? 0 : bwd;
        lenCum += pieceLen[stored];
        pLon.push(raw.lon[nextNode]);
        pLat.push(raw.lat[nextNode]);
        pFwd.push(fwdCum);
        pBwd.push(bwdCum);
        pLen.push(lenCum);
      }
      node = reversed ? segNodes[a] : segNodes[b];
      if (vertexOf[node] >= 0) break;
      // Degree-2 node: continue on the other segment end found here.
      const i0 = incidence[incStart[node]],
        i1 = incidence[incStart[node] + 1];
      const here = reversed ? s * 2 : s * 2 + 1;
      const next = i0 === here ? i1 : i0;
      // The next segment leaves `node`: starting at its first node means traversing it forward.
      inc = next;
    }
    pAttr.push(-1);
    edgeTo.push(vertexOf[node]);
    edgeFlags.push(flags);
  };
  // incidence entry `s*2 + end`, walked as "leave through that end": end 1 means traverse reversed.
  const walkAllFrom = (n: number) => {
    for (let i = incStart[n]; i < incStart[n + 1]; i++) {
      const inc = incidence[i];
      if (!segDone[inc >> 1]) walkChain(n, inc);
    }
  };
  for (let v = 0; v < vertexNode.length; v++) walkAllFrom(vertexNode[v]);
  // Rings made only of degree-2 nodes have no vertex yet: promote one node each.
  for (let s = 0; s < segCount; s++) {
    if (segDone[s]) continue;
    const n = segFirstNode(s);
    makeVertex(n);
    walkAllFrom(n);
  }
  edgePointStart.push(pLon.length);

  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (s: string) => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const meta: GraphMeta = { source: opts.source, createdAt: new Date().toISOString(), inputNodeCount: usedNodes.size, compressed: compress };
  const base = {
    meta,
    vertexCount: vertexNode.length,
    edgeCount: edgeFrom.length,
    pointCount: pLon.length,
    vertexLon: Float64Array.from(vertexNode, (n) => raw.lon[n]),
    vertexLat: Float64Array.from(vertexNode, (n) => raw.lat[n]),
    edgeFrom: Int32Array.from(edgeFrom),
    edgeTo: Int32Array.from(edgeTo),
    edgeFlags: Uint8Array.from(edgeFlags),
    edgePointStart: Int32Array.from(edgePointStart),
    pointLon: Float64Array.from(pLon),
    pointLat: Float64Array.from(pLat),
    pointForwardCum: Float64Array.from(pFwd),
    pointBackwardCum: Float64Array.from(pBwd),
    pointLengthCum: Float64Array.from(pLen),
    pointAttr: Int32Array.from(pAttr),
    attrName: Int32Array.from(attrs, (a) => (a.name ? intern(a.name) : -1)),
    attrHighway: Int32Array.from(attrs, (a) => intern(a.highway)),
    attrOneway: Int8Array.from(attrs, (a) => a.oneway),
    strings,
  };
  return { ...base, ...buildArcs(base) };
}
