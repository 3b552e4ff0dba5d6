#!/usr/bin/env node
// The citizen portal's first-load budget (issue 15: ≤ 300 KB of compressed JavaScript on a cheap phone):
// sums the gzip size of what /portal/ loads before any tab opens — the entry script of
// dist/web/portal/index.html, its modulepreloads and the chunks they import statically — and fails
// above the budget. Chunks imported dynamically (the map, 快处快赔) are listed apart, not counted.
// Run by `npm run build:web` after the build; `node scripts/portal-budget.mjs [dist/web]` alone.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BUDGET = 300 * 1024;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', process.argv[2] ?? 'dist/web');
const html = fs.readFileSync(path.join(root, 'portal', 'index.html'), 'utf8');
const first = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.m?js)"/g)].map((m) => m[1]);
const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const seen = new Set();
const lazy = new Set();
const walk = (url) => {
  const file = path.join(root, url);
  if (seen.has(file)) return;
  seen.add(file);
  const code = fs.readFileSync(file, 'utf8');
  const dir = path.posix.dirname(url);
  // Static imports (`import{x}from"./a.js"`, `import"./b.js"`) load with the page; `import("./c.js")` later.
  for (const m of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.m?js)["']/g)) walk(path.posix.join(dir, m[1]));
  for (const m of code.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+\.m?js)["'`]\s*\)/g)) lazy.add(path.posix.join(dir, m[1]));
};
for (const u of first) walk(u);
let total = 0;
for (const f of seen) {
  const n = gz(f);
  total += n;
  console.log(`first load  ${(n / 1024).toFixed(1).padStart(7)} KB gzip  ${path.relative(root, f)}`);
}
for (const u of lazy) if (!seen.has(path.join(root, u))) console.log(`on demand   ${(gz(path.join(root, u)) / 1024).toFixed(1).padStart(7)} KB gzip  ${u.replace(/^\//, '')}`);
const line = `portal first load: ${(total / 1024).toFixed(1)} KB gzip of JavaScript (budget ${BUDGET / 1024} KB)`;
if (total > BUDGET) {
  console.error(`${line}: OVER BUDGET`);
  process.exit(1);
}
console.log(line);
