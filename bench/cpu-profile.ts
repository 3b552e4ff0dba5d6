/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and tells where the time went: the busiest functions by
 * self time, self time by package (node_modules/<pkg>, our src/<dir>, node internals, GC, idle), and each
 * sample charged to the innermost frame of our own code on its stack (src/…): the project's code that
 * caused the work, wherever in a library it was spent. Figures can be divided by a request count to get
 * ms per request. `node bin/run-ts.mjs bench/cpu-profile.ts FILE.cpuprofile [requests]`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface Frame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  topSelf: { name: string; ms: number }[];
  byPackage: { name: string; ms: number }[];
  byOwnCode: { name: string; ms: number }[];
}

function packageOf(f: Frame): string {
  const u = f.url;
  if (!u) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  if (u.startsWith('node:')) return 'node:' + u.slice(5).split('/')[0];
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 13).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = u.indexOf('/src/');
  if (src >= 0) return 'src/' + u.slice(src + 5).split('/').slice(0, -1).join('/');
  const bench = u.indexOf('/bench/');
  if (bench >= 0) return 'bench';
  return u;
}

const short = (f: Frame) => {
  const file = f.url ? f.url.replace(/^.*\/(node_modules|src)\//, '$1/') : '';
  return `${f.functionName || '(anonymous)'} ${file}${f.url ? ':' + (f.lineNumber + 1) : ''}`;
};

export function summarise(p: Profile, top = 25): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / 1000);
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const fnSelf = new Map<string, number>();
  const pkg = new Map<string, number>();
  const own = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    total += ms;
    if (n.callFrame.functionName === '(idle)') idle += ms;
    add(fnSelf, short(n.callFrame), ms);
    add(pkg, packageOf(n.callFrame), ms);
    let cur: number | undefined = id;
    let charged = false;
    while (cur !== undefined) {
      const f = byId.get(cur)!.callFrame;
      if (f.url.includes('/src/')) {
        add(own, `${f.url.slice(f.url.indexOf('/src/') + 1)} ${f.functionName || '(anonymous)'}`, ms);
        charged = true;
        break;
      }
      cur = parent.get(cur);
    }
    if (!charged) add(own, `(no own frame) ${packageOf(n.callFrame)}`, ms);
  }
  const sorted = (m: Map<string, number>) => [...m].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, top);
  return { totalMs: total, idleMs: idle, topSelf: sorted(fnSelf), byPackage: sorted(pkg), byOwnCode: sorted(own) };
}

export function formatSummary(s: ProfileSummary, requests: number): string {
  const per = (ms: number) => (requests ? `${((ms / requests) * 1000).toFixed(0).padStart(5)} µs/req` : '');
  const busy = s.totalMs - s.idleMs;
  const lines = [`profile: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy${requests ? ` = ${(busy / requests).toFixed(3)} ms per request over ${requests} requests` : ''}`];
  for (const [title, list] of [['busiest functions (self time)', s.topSelf], ['self time by package', s.byPackage], ['charged to the innermost own frame', s.byOwnCode]] as const) {
    lines.push(`  ${title}:`);
    for (const x of list) if (x.name !== '(idle)') lines.push(`    ${(x.ms).toFixed(0).padStart(6)} ms ${per(x.ms)}  ${x.name}`);
  }
  return lines.join('\n');
}

/** The newest .cpuprofile in a folder. */
export function newestProfile(dir: string): string | undefined {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
  return files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

const isEntry = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntry) {
  const file = process.argv[2]!;
  const prof = JSON.parse(fs.readFileSync(fs.statSync(file).isDirectory() ? newestProfile(file)! : file, 'utf8')) as Profile;
  console.log(formatSummary(summarise(prof, Number(process.argv[4] ?? 30)), Number(process.argv[3] ?? 0)));
}
