#!/usr/bin/env node
// Builds the web app (dist/web) when it is missing or older than its sources, so that
// `npm install && npm start` serves a current UI without a separate build step.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const built = path.join(root, 'dist/web/index.html');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

if (!fs.existsSync(path.join(root, 'node_modules/vite'))) process.exit(0); // production install without dev tools
const stale = !fs.existsSync(built) || newest(path.join(root, 'web')) > fs.statSync(built).mtimeMs;
if (!stale) process.exit(0);
process.stderr.write('[shouwang] building the web app (first start or changed sources)…\n');
const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
// The citizen portal (/portal/): a build of its own into the same folder (web/portal.vite.config.ts).
const p = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/portal.vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (p.status !== 0) process.exit(p.status ?? 1);
// Precompressed .br/.gz beside the files (served by src/server/static.ts).
const c = spawnSync(process.execPath, [path.join(root, 'scripts/compress-web.mjs')], { cwd: root, stdio: 'inherit' });
process.exit(c.status ?? 1);
