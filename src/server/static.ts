/**
 * The built web app (dist/web) as static files, sent the way a browser on a slow link needs them:
 *
 *  - precompressed: `npm run build:web` writes `.br` and `.gz` beside every compressible file
 *    (scripts/compress-web.mjs); the file matching the client's Accept-Encoding is sent, with
 *    `Vary: Accept-Encoding`. Nothing is compressed per request.
 *  - cached by name: Vite puts a content hash in every file under /assets/, so those are cached for a
 *    year (`immutable`); index.html and the other unhashed files are revalidated on every load
 *    (`no-cache`), so a new build is picked up at once.
 *  - client-side routes (/dispatch, /incidents/…) get index.html (no-cache as well).
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** Files Vite names by content hash: everything under /assets/. */
export function isHashedAsset(file: string, root: string): boolean {
  const rel = path.relative(root, file).split(path.sep);
  return rel.length > 1 && rel[0] === 'assets';
}

export function cacheControlFor(file: string, root: string): string {
  return isHashedAsset(file, root) ? IMMUTABLE : REVALIDATE;
}

/**
 * Registers the static files of `root` (when it holds an index.html) and returns whether it did. The
 * caller's not-found handler answers client routes with `sendIndex`.
 */
export async function registerStatic(app: FastifyInstance, root: string): Promise<boolean> {
  if (!fs.existsSync(path.join(root, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root,
    // Files are looked up per request, so a rebuilt web app is served without a restart.
    wildcard: true,
    index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header('cache-control', cacheControlFor(file, root));
    },
  });
  return true;
}

/** index.html for a client-side route: never cached without revalidation. */
export function sendIndex(reply: FastifyReply, page = 'index.html') {
  return reply.header('cache-control', REVALIDATE).type('text/html').sendFile(page);
}

/** The page of a client route: the citizen portal's own under /portal/, the staff app's elsewhere. */
export function pageFor(pathOnly: string): string {
  return /^\/portal(\/|$)/.test(pathOnly) ? 'portal/index.html' : 'index.html';
}
