/**
 * Citizens' videos (随手拍 evidence): upload (the body is the video, streamed to disk), playback with
 * HTTP Range requests for the reporting citizen and for staff of the report's jurisdiction
 * (`citizen.review`, every view audited); anyone else gets 404. See videos.ts and domain/video.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Readable } from 'node:stream';
import { ErrorAnswers, Strict } from '../../core/typebox.js';
import { AppError, notFound } from '../../core/errors.js';
import { contentRange, parseRange } from '../media/index.js';
import { requireCitizen } from './access.js';
import type { CitizenDeps } from './deps.js';
import { VIDEO_LIMITS } from './domain/video.js';
import type { VideoRow } from './videos.js';

const TAGS = ['citizen'];
const PUBLIC = { policy: 'public' as const };

export const VideoAnswer = Type.Object({
  id: Type.String(),
  contentType: Type.String({ description: 'video/mp4, video/quicktime or video/webm (sniffed from the bytes)' }),
  bytes: Type.Integer(),
  durationMs: Type.Integer({ description: 'read from the container (MP4 mvhd, WebM Info or its last block)' }),
});
export const VideoUploaded = Type.Object({ ...VideoAnswer.properties, removed: Type.Integer({ description: 'location boxes removed (udta, meta, XMP; WebM Tags)' }) });
const VideoParams = Strict({ videoId: Type.String({ format: 'uuid' }) });
const StaffVideoParams = Strict({ id: Type.String({ pattern: '^\\d{1,15}$' }), videoId: Type.String({ format: 'uuid' }) });
const Bytes = Type.Unsafe<string>({ type: 'string', format: 'binary', description: 'the video, location metadata removed' });
const PLAY = { 200: Bytes, 206: Bytes, ...ErrorAnswers };

/** The request stream, unread, in an object without enumerable fields (the input check walks bodies' fields). */
class RawStream {
  readonly #stream: Readable;
  constructor(s: Readable) {
    this.#stream = s;
  }
  get stream(): Readable {
    return this.#stream;
  }
}

export default async function citizenVideoRoutes(fastify: FastifyInstance, opts: { deps: CitizenDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  const citizen = (req: FastifyRequest) => requireCitizen(req, deps.identity, deps.trustedOrigins);
  // Handed on unread: videos.ts streams it to a staging file and counts its bytes.
  app.addContentTypeParser(['video/mp4', 'video/quicktime', 'video/webm', 'application/octet-stream'], (_req, payload, done) => done(null, new RawStream(payload)));

  app.post(
    '/citizen/videos',
    {
      config: { ...PUBLIC, audit: { entity: 'citizen_video', action: 'citizen.video' } },
      schema: {
        tags: TAGS,
        summary: `随手拍: upload a video for a coming violation report instead of 2 photos (the body is the video: MP4, MOV or WebM, ≤ ${VIDEO_LIMITS.maxBytes / 1024 / 1024} MB, at least ${VIDEO_LIMITS.minSeconds} s; type and length read from the container; location metadata removed; then videoId on the report). 415 when it is not a video, 400 field duration when it is too short`,
        response: { 201: VideoUploaded, ...ErrorAnswers },
      },
    },
    async (req, reply) => {
      const c = await citizen(req);
      if (!(req.body instanceof RawStream)) throw new AppError(415, 'citizen_invalid', { field: 'body', zh: '请以视频文件作为请求体上传', en: 'Send the video as the request body' }, 'body');
      const declared = Number(req.headers['content-length'] ?? Number.NaN);
      const out = await deps.videos.add(c.id, req.body.stream, Number.isFinite(declared) ? declared : undefined);
      req.auditEntityId = out.id;
      req.auditDetail = { durationMs: out.durationMs, bytes: out.bytes, removed: out.removed };
      reply.status(201);
      return out;
    },
  );

  const play = async (req: FastifyRequest, reply: FastifyReply, v: VideoRow) => {
    const size = await deps.videos.size(v);
    const answer = parseRange(req.headers.range, size);
    reply.header('Accept-Ranges', 'bytes').header('Cache-Control', 'private, no-store').header('X-Content-Type-Options', 'nosniff');
    if (answer.kind === 'unsatisfiable') {
      reply.header('Content-Range', contentRange(null, size));
      throw new AppError(416, 'citizen_invalid', { field: 'range', zh: '请求的范围超出视频长度', en: 'The range is past the end of the video' }, 'range');
    }
    const range = answer.kind === 'partial' ? answer.range : undefined;
    const stream = await deps.videos.open(v, range);
    reply.type(v.contentType);
    if (range) reply.status(206).header('Content-Range', contentRange(range, size)).header('Content-Length', String(range.end - range.start + 1));
    else reply.status(200).header('Content-Length', String(size));
    return reply.send(stream);
  };

  app.get('/citizen/videos/:videoId', { config: PUBLIC, schema: { tags: TAGS, summary: 'One of my videos (HTTP Range requests: 206 with Content-Range); another citizen’s answers 404', params: VideoParams, response: PLAY } }, async (req, reply) => {
    const c = await citizen(req);
    const v = await deps.videos.row(req.params.videoId);
    // Violation reports are followed by their reporter only (no voices): the owner is the only citizen.
    if (!v || v.citizenId !== c.id) throw notFound('video');
    return play(req, reply, v);
  });

  app.get(
    '/citizen-reports/:id/videos/:videoId',
    { config: { permission: 'citizen.review', audit: { entity: 'citizen_video', action: 'citizen.video_view', reads: true } }, schema: { tags: TAGS, summary: 'The video of a report of my jurisdiction (HTTP Range requests; every view audited)', params: StaffVideoParams, response: PLAY } },
    async (req, reply) => {
      const row = await deps.reports.forStaff(req.principal!, Number(req.params.id));
      const v = await deps.videos.row(req.params.videoId);
      if (!v || v.reportId !== row.id) throw notFound('video');
      req.auditEntityId = v.id;
      req.auditDetail = { reportId: String(row.id), range: req.headers.range ?? 'whole' };
      return play(req, reply, v);
    },
  );
}
