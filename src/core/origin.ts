/**
 * Where a browser request comes from, and whether that is us: the server's own host (as the request
 * names it) or one of config.trustedOrigins. The same rule as the CSRF check of cookie writes.
 */
import type { FastifyRequest } from 'fastify';

/** The Origin header, else the origin of the Referer; undefined when the client sent neither (or junk). */
export function presentedOrigin(req: FastifyRequest, opts: { referer?: boolean } = { referer: true }): string | undefined {
  const origin = req.headers.origin;
  if (typeof origin === 'string') return origin;
  if (!opts.referer || !req.headers.referer) return undefined;
  try {
    return new URL(req.headers.referer).origin;
  } catch {
    return undefined;
  }
}

/** Compared as URL origins, so that `http://host:80` and `http://host` are one (browsers drop default ports). */
function normalized(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}

export function isTrustedOrigin(req: FastifyRequest, origin: string, trustedOrigins: readonly string[]): boolean {
  const o = normalized(origin);
  return o === normalized(`${req.protocol}://${req.host}`) || trustedOrigins.some((t) => normalized(t) === o);
}

/** The origin a browser presented when it is someone else's; undefined when it is ours or none was sent. */
export function foreignOrigin(req: FastifyRequest, trustedOrigins: readonly string[], opts?: { referer?: boolean }): string | undefined {
  const origin = presentedOrigin(req, opts);
  return origin !== undefined && !isTrustedOrigin(req, origin, trustedOrigins) ? origin : undefined;
}
