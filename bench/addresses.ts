/**
 * Address search benchmark: a synthetic 500,000-address registry (a city of 3 million) and the demo
 * city's registry; build time, memory, and p50/p99/max of 2,000 realistic partial queries — typed
 * prefixes, missing characters, simplified for traditional, spaces and full-width digits.
 * Run: node bin/run-ts.mjs bench/addresses.ts [size]
 */
import { demoOrganisation, loadDemoRoads } from '../src/demo/city.js';
import { mulberry32 } from '../src/demo/geometry.js';
import { demoAddresses, syntheticAddresses, type GeneratedAddress } from '../src/demo/addresses.js';
import { toSimplified } from '../src/modules/addresses/normalise.js';
import { AddressIndex } from '../src/modules/addresses/search-index.js';

const QUERIES = 2000;
const SIZE = Number(process.argv[2] ?? 500_000);

/** What a call-taker types for an address: part of the road and the number, in one of several ways. */
function queriesFor(registry: GeneratedAddress[], n: number, seed: number): { q: string; code: string; kind: string }[] {
  const rnd = mulberry32(seed);
  const out: { q: string; code: string; kind: string }[] = [];
  const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
  while (out.length < n) {
    const a = registry[Math.floor(rnd() * registry.length)];
    const road = a.road;
    const kind = ['prefix', 'missing', 'simplified', 'spaced', 'road+number', 'building'][out.length % 6];
    let q: string;
    switch (kind) {
      case 'prefix': // typing in progress: the first characters of road + number
        q = (road + a.number).slice(0, Math.max(2, Math.ceil((road.length + a.number.length) * (0.4 + rnd() * 0.6))));
        break;
      case 'missing': {
        // one or two characters of the road left out
        const chars = [...road];
        const drop = 1 + Math.floor(rnd() * Math.min(2, chars.length - 1));
        for (let k = 0; k < drop; k++) chars.splice(1 + Math.floor(rnd() * (chars.length - 1)), 1);
        q = chars.join('') + a.number;
        break;
      }
      case 'simplified':
        q = toSimplified(road) + a.number + '号';
        break;
      case 'spaced':
        q = `${a.district} ${road} ${fullWidth(a.number)}`;
        break;
      case 'building':
        q = a.building ? `${a.building}${a.unit}` : `${road}${a.number}號`;
        break;
      default:
        q = `${road}${a.number}`;
    }
    out.push({ q, code: a.code, kind });
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function run(name: string, registry: GeneratedAddress[]) {
  global.gc?.();
  const mem = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const heap0 = mem();
  const t0 = performance.now();
  const index = new AddressIndex();
  for (const a of registry) index.add(a);
  index.build();
  const buildS = (performance.now() - t0) / 1000;
  global.gc?.();
  const heapMb = (mem() - heap0) / 1e6;
  const queries = queriesFor(registry, QUERIES, 42);
  // Warm-up (JIT), then the measured run.
  for (const { q } of queries.slice(0, 200)) index.search(q, 10);
  const times: number[] = [];
  const cpu: number[] = [];
  let top1 = 0;
  let top10 = 0;
  for (const { q, code } of queries) {
    const c = process.cpuUsage();
    const t = performance.now();
    const hits = index.search(q, 10);
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    if (hits[0]?.code === code) top1++;
    if (hits.some((h) => h.code === code)) top10++;
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  const max = times[times.length - 1];
  // Reverse lookups.
  const rt: number[] = [];
  const rnd = mulberry32(7);
  for (let k = 0; k < 2000; k++) {
    const a = registry[Math.floor(rnd() * registry.length)];
    const t = performance.now();
    index.nearest(a.lon + (rnd() - 0.5) * 0.0005, a.lat + (rnd() - 0.5) * 0.0005, 100);
    rt.push(performance.now() - t);
  }
  rt.sort((a, b) => a - b);
  console.log(
    `${name}: ${registry.length} addresses; build ${buildS.toFixed(2)} s; index memory ≈ ${heapMb.toFixed(0)} MB; ` +
      `search p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(2)} ms (CPU time p99 ${percentile(cpu, 99).toFixed(2)} ms); ` +
      `intended address first ${((100 * top1) / QUERIES).toFixed(1)}%, in top 10 ${((100 * top10) / QUERIES).toFixed(1)}%; ` +
      `reverse p99 ${percentile(rt, 99).toFixed(3)} ms`,
  );
  return { p99, buildS };
}

const load = (await import('node:os')).loadavg()[0];
console.log(`load average ${load.toFixed(2)} on ${(await import('node:os')).cpus().length} CPUs (wall-clock percentiles suffer on a busy machine; CPU time does not)`);
const demo = run('demo city (Macau)', demoAddresses(loadDemoRoads(), demoOrganisation()));
const synthetic = syntheticAddresses(SIZE);
const big = run(`synthetic ${SIZE}`, synthetic);
console.log(`RESULT addresses demo_p99_ms=${demo.p99.toFixed(2)} address_p99_ms_500k=${big.p99.toFixed(2)} build_s_500k=${big.buildS.toFixed(2)}`);
