/**
 * What a photo really is, from its first bytes (never from its name or the Content-Type the client
 * sent): JPEG, PNG or WebP; anything else — a renamed executable, a PDF, HTML — is refused.
 */
export type ImageKind = 'jpeg' | 'png' | 'webp';

export function sniffImage(b: Uint8Array): ImageKind | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'webp';
  return null;
}

/** Photo limits: bytes in, pixels in, photos per report, unattached photos a citizen may hold; the edges of re-encoded originals, shown copies and thumbnails. */
export const PHOTO_LIMITS = { maxBytes: 12 * 1024 * 1024, maxPixels: 40_000_000, perReport: 6, pendingPerCitizen: 12, longEdge: 2000, largeEdge: 1280, thumbEdge: 320 } as const;
