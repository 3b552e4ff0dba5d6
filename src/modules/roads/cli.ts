/** `shouwang roads …`: import a city's roads, query ETAs, describe a graph file. */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { RoadGraphFormatError, RoadImportError } from './errors.js';
import { parseLonLat } from './geo.js';
import { detectFormat, importRoadFile, loadGraphFile, saveGraphFile } from './import.js';
import { RoadService, type LonLat } from './service.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Sets the process exit code (tests capture it instead). */
  setExitCode: (code: number) => void;
  /** Whether stderr is a terminal (the progress bar redraws in place only then). */
  tty: boolean;
}

const defaultIo = (): CliIo => ({
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  setExitCode: (c) => {
    process.exitCode = c;
  },
  tty: Boolean(process.stderr.isTTY),
});

/** Bad command-line input (exit code 2) as opposed to a failed operation (exit code 1). */
class UsageError extends Error {}

function textProgress(io: CliIo, label: string) {
  let lastShown = -1;
  return {
    update(fraction: number, phase: string) {
      const pct = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
      if (pct === lastShown) return;
      const width = 30;
      const filled = Math.round((pct / 100) * width);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${phase}`;
      if (io.tty) io.err(`\r${line}\x1b[K`);
      else if (pct % 25 === 0 && Math.floor(pct / 25) !== Math.floor(lastShown / 25)) io.err(line + '\n');
      lastShown = pct;
    },
    finish() {
      if (io.tty && lastShown >= 0) io.err('\n');
    },
  };
}

function coordinate(text: string, option: string): LonLat {
  const p = parseLonLat(text);
  if (!p) throw new UsageError(`${option} "${text}" is not "longitude,latitude" in degrees (e.g. 113.55,22.19)`);
  return p;
}

function openService(file: string): RoadService {
  const head = readFileSync(file).subarray(0, 64);
  const graph = detectFormat(head, file) === 'graph' ? loadGraphFile(file) : importRoadFile(file).graph;
  return new RoadService(graph);
}

function run(io: CliIo, fn: () => void | Promise<void>) {
  return async () => {
    try {
      await fn();
    } catch (err) {
      if (err instanceof UsageError) {
        io.err(`shouwang roads: ${err.message}\n`);
        io.setExitCode(2);
      } else if (err instanceof RoadImportError || err instanceof RoadGraphFormatError || (err as NodeJS.ErrnoException)?.code) {
        io.err(`shouwang roads: ${(err as Error).message}\n`);
        io.setExitCode(1);
      } else {
        // A bug, not bad input: still no stack trace for the user, but say what happened.
        io.err(`shouwang roads: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
        io.setExitCode(1);
      }
    }
  };
}

export function registerRoadsCommands(program: Command, io: CliIo = defaultIo()): void {
  const roads = program.command('roads').description('Road network: import a city, query travel times (see docs/routing.md)');

  roads
    .command('import')
    .description('Import roads from an OSM .osm.pbf or a GeoJSON road layer into a graph file')
    .argument('<file>', '.osm.pbf extract or GeoJSON (LineString/MultiLineString, optional travel_time_s / reverse_travel_time_s)')
    .requiredOption('-o, --out <graph>', 'graph file to write')
    .option('--speeds <file>', 'JSON of default km/h per highway class (default: built-in urban speeds)')
    .option('--no-compress', 'keep every way node as a search vertex (no degree-2 chain compression)')
    .action((file: string, opts: { out: string; speeds?: string; compress: boolean }) =>
      run(io, () => {
        const started = performance.now();
        const bar = textProgress(io, 'importing');
        let result;
        try {
          result = importRoadFile(file, { speedsFile: opts.speeds, compress: opts.compress, onProgress: (f, phase) => bar.update(f, phase) });
        } finally {
          bar.finish();
        }
        const bytes = saveGraphFile(result.graph, opts.out);
        const g = result.graph;
        io.err(
          `imported ${file} (${result.format}): ${result.summary}\n` +
            `graph ${opts.out}: ${g.vertexCount} vertices, ${g.arcCount} arcs, ${g.edgeCount} edges, ${g.pointCount} shape points, ` +
            `${(bytes / 1024 / 1024).toFixed(1)} MB, ${Math.round(performance.now() - started)} ms\n`,
        );
      })(),
    );

  roads
    .command('eta')
    .description('Travel time by road from each --from point to the --to point; prints a JSON array of seconds (null = unreachable)')
    .requiredOption('-g, --graph <file>', 'graph file (or a .osm.pbf / GeoJSON, imported on the fly)')
    .requiredOption('-t, --to <lon,lat>', 'destination (the incident)')
    .requiredOption('-f, --from <lon,lat>', 'a starting point (repeat for several units)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--cutoff <seconds>', 'give up beyond this many seconds (null for those)')
    .action((opts: { graph: string; to: string; from: string[]; cutoff?: string }) =>
      run(io, () => {
        const to = coordinate(opts.to, '--to');
        const from = opts.from.map((f) => coordinate(f, '--from'));
        let cutoffS: number | undefined;
        if (opts.cutoff !== undefined) {
          cutoffS = Number(opts.cutoff);
          if (!(cutoffS >= 0)) throw new UsageError(`--cutoff "${opts.cutoff}" must be a number of seconds ≥ 0`);
        }
        const service = openService(opts.graph);
        const r = service.etaManyToOne(to, from, { cutoffS });
        if (!r.target) throw new UsageError(`--to ${opts.to} is more than ${service.maxSnapMeters} m from any road in ${opts.graph}`);
        r.sources.forEach((s, i) => {
          if (!s) io.err(`warning: --from ${opts.from[i]} is more than ${service.maxSnapMeters} m from any road (null)\n`);
        });
        io.out(JSON.stringify(r.seconds.map((s) => (s === null ? null : Math.round(s * 10) / 10))) + '\n');
      })(),
    );

  roads
    .command('info')
    .description('Describe a graph file: vertices, arcs, bounding box, memory')
    .requiredOption('-g, --graph <file>', 'graph file')
    .action((opts: { graph: string }) =>
      run(io, () => {
        const started = performance.now();
        const service = openService(opts.graph);
        const info = service.info();
        io.out(JSON.stringify({ ...info, loadMs: Math.round(performance.now() - started) }, null, 2) + '\n');
      })(),
    );
}
