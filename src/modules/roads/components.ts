/**
 * Strongly connected components of the road graph (directed: one-way streets count). A point snapped
 * onto a piece outside the largest component — a car park lane, a cut-off service road, a one-way
 * stub the import could not join — can neither be reached from the city nor leave it, so every ETA
 * to or from it is "unreachable" although the road it stands beside is fine. Snapping prefers the
 * largest component (see SnapIndex.snap's `onlyEdges`).
 *
 * Kosaraju's algorithm, iterative (no recursion on a city-sized graph): O(V + A).
 */
import type { RoadGraph } from './graph.js';

export interface Components {
  /** Component id of each vertex. */
  vertexComponent: Int32Array;
  /** Size (vertices) of each component. */
  sizes: number[];
  /** Id of the largest component. */
  largest: number;
  /** 1 when both ends of the edge are in the largest component. */
  edgeInLargest: Uint8Array;
}

export function stronglyConnectedComponents(g: Pick<RoadGraph, 'vertexCount' | 'edgeCount' | 'edgeFrom' | 'edgeTo' | 'outStart' | 'outTo' | 'inStart' | 'inFrom'>): Components {
  const V = g.vertexCount;
  const order = new Int32Array(V);
  let orderLen = 0;
  const visited = new Uint8Array(V);
  const stack = new Int32Array(V);
  const next = new Int32Array(V);
  // Pass 1: finish order by DFS over outgoing arcs.
  for (let s = 0; s < V; s++) {
    if (visited[s]) continue;
    let top = 0;
    stack[top++] = s;
    visited[s] = 1;
    next[s] = g.outStart[s];
    while (top > 0) {
      const v = stack[top - 1];
      if (next[v] < g.outStart[v + 1]) {
        const w = g.outTo[next[v]++];
        if (!visited[w]) {
          visited[w] = 1;
          next[w] = g.outStart[w];
          stack[top++] = w;
        }
      } else {
        top--;
        order[orderLen++] = v;
      }
    }
  }
  // Pass 2: DFS over incoming arcs in reverse finish order; each tree is one component.
  const vertexComponent = new Int32Array(V).fill(-1);
  const sizes: number[] = [];
  for (let i = V - 1; i >= 0; i--) {
    const s = order[i];
    if (vertexComponent[s] >= 0) continue;
    const id = sizes.length;
    let size = 0;
    let top = 0;
    stack[top++] = s;
    vertexComponent[s] = id;
    while (top > 0) {
      const v = stack[--top];
      size++;
      for (let a = g.inStart[v]; a < g.inStart[v + 1]; a++) {
        const w = g.inFrom[a];
        if (vertexComponent[w] < 0) {
          vertexComponent[w] = id;
          stack[top++] = w;
        }
      }
    }
    sizes.push(size);
  }
  let largest = 0;
  for (let c = 1; c < sizes.length; c++) if (sizes[c] > sizes[largest]) largest = c;
  const edgeInLargest = new Uint8Array(g.edgeCount);
  for (let e = 0; e < g.edgeCount; e++) edgeInLargest[e] = vertexComponent[g.edgeFrom[e]] === largest && vertexComponent[g.edgeTo[e]] === largest ? 1 : 0;
  return { vertexComponent, sizes, largest, edgeInLargest };
}
