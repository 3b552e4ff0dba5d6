/** File-level entry points: detect the input format, import, build, save and load graph files. */
import { readFileSync, writeFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { RoadImportError } from './errors.js';
import { deserializeGraph, serializeGraph, type RoadGraph } from './graph.js';
import { importGeoJson } from './import-geojson.js';
import { importOsmPbf, type ProgressFn } from './import-osm.js';
import { buildGraph, type RawNetwork } from './network.js';
import { loadSpeedProfile } from './speeds.js';

export interface ImportOptions {
  speedsFile?: string;
  /** false: every way node becomes a search vertex (no degree-2 compression). */
  compress?: boolean;
  onProgress?: ProgressFn;
}

export interface ImportResult {
  graph: RoadGraph;
  format: 'osm-pbf' | 'geojson';
  summary: string;
}

export type InputFormat = 'osm-pbf' | 'geojson' | 'graph';

/** Decides by content (not only the extension) so a mislabelled file gets a precise error. */
export function detectFormat(buf: Uint8Array, fileName: string): InputFormat {
  if (buf.length === 0) throw new RoadImportError(`${fileName} is empty`);
  if (buf.length >= 4 && buf[0] === 0x53 && buf[1] === 0x57 && buf[2] === 0x52 && buf[3] === 0x47) return 'graph';
  let i = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  if (i === buf.length) throw new RoadImportError(`${fileName} is empty`);
  if (buf[i] === 0x7b /* { */) return 'geojson';
  if (buf[i] === 0x3c /* < */) throw new RoadImportError(`${fileName} looks like OSM XML or HTML; only .osm.pbf is read (convert with \`osmium cat ${fileName} -o out.osm.pbf\`)`);
  if (/\.(geo)?json$/i.test(fileName)) throw new RoadImportError(`${fileName} is not valid JSON`);
  return 'osm-pbf';
}

export function importRoads(buf: Uint8Array, fileName: string, opts: ImportOptions = {}): ImportResult {
  const format = detectFormat(buf, fileName);
  if (format === 'graph') throw new RoadImportError(`${fileName} is already a road graph file`);
  const profile = loadSpeedProfile(opts.speedsFile);
  let network: RawNetwork;
  let summary: string;
  if (format === 'geojson') {
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8'));
    } catch (err) {
      throw new RoadImportError(`${fileName} is not valid JSON: ${(err as Error).message}`);
    }
    const r = importGeoJson(doc, profile, opts.onProgress);
    network = r.network;
    summary = `${r.stats.features} features, ${r.stats.roads} roads${r.stats.skipped ? `, ${r.stats.skipped} skipped (not drivable lines)` : ''}`;
  } else {
    const r = importOsmPbf(buf, profile, opts.onProgress);
    network = r.network;
    summary = `${r.stats.waysRead} ways read, ${r.stats.carWays} car-routable${r.stats.missingNodes ? `, ${r.stats.missingNodes} node references outside the extract dropped` : ''}`;
  }
  const graph = buildGraph(network, { source: path.basename(fileName), compress: opts.compress });
  return { graph, format, summary };
}

export function importRoadFile(file: string, opts: ImportOptions = {}): ImportResult {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new RoadImportError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return importRoads(buf, file, opts);
}

export function saveGraphFile(graph: RoadGraph, file: string): number {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const data = serializeGraph(graph);
  // Write then rename, so a crash never leaves a half-written graph that looks valid.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
  return data.length;
}

export function loadGraphFile(file: string): RoadGraph {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new RoadImportError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return deserializeGraph(buf);
}

export function fileMtimeMs(file: string): number | null {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return null;
  }
}
