#!/usr/bin/env node
// Writes .br (brotli, quality 11) and .gz (gzip -9) beside every compressible file of dist/web that is
// worth it (≥ 1 KB and at least 10% smaller), so the server sends compressed files without compressing
// per request (src/server/static.ts). Run by `npm run build:web` after vite build.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', process.argv[2] ?? 'dist/web');
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|geojson|txt|map|wasm|pbf|xml|ico|ttf|otf)$/i;

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (COMPRESSIBLE.test(e.name)) yield p;
  }
}

let raw = 0;
let br = 0;
let n = 0;
for (const file of files(root)) {
  const data = fs.readFileSync(file);
  for (const ext of ['.br', '.gz']) fs.rmSync(file + ext, { force: true });
  if (data.length < 1024) continue;
  const b = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
  const g = zlib.gzipSync(data, { level: 9 });
  if (b.length < data.length * 0.9) fs.writeFileSync(file + '.br', b);
  if (g.length < data.length * 0.9) fs.writeFileSync(file + '.gz', g);
  raw += data.length;
  br += Math.min(b.length, data.length);
  n++;
}
process.stderr.write(`[compress-web] ${n} files: ${(raw / 1e6).toFixed(2)} MB → ${(br / 1e6).toFixed(2)} MB brotli\n`);
