/** Photos of a home visit (≤ 6, EXIF stripped), for staff whose jurisdiction holds the visit. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ErrorAnswers, Id, IdParams, Strict } from '../../core/typebox.js';
import { AppError } from '../../core/errors.js';
import { routeWrite } from '../../kernel/http-write.js';
import { PHOTO_LIMITS } from '../citizen/index.js';
import type { CommunityDeps } from './deps.js';
import { addPhotoIn, openPhoto, photosOf, preparePhoto } from './photos.js';

const TAGS = ['community'];
const Photo = Type.Object({ id: Type.String(), visitId: Type.String(), width: Type.Integer(), height: Type.Integer(), bytes: Type.Integer(), at: Type.String(), by: Type.String() });

/** A photo's bytes as a request body: no enumerable fields, so the input check does not walk a megabyte of indices. */
class RawBody {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  get bytes(): Buffer {
    return this.#bytes;
  }
}

export default async function visitPhotoRoutes(fastify: FastifyInstance, opts: { deps: CommunityDeps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { deps } = opts;
  app.addContentTypeParser(['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: PHOTO_LIMITS.maxBytes }, (_req, body, done) => done(null, new RawBody(body as Buffer)));

  app.post(
    '/visits/:id/photos',
    {
      bodyLimit: PHOTO_LIMITS.maxBytes,
      config: { permission: 'visit.record', audit: { entity: 'visit', action: 'visit.photo' }, idempotency: 'in-write' },
      schema: { tags: TAGS, summary: 'Add a photo to a visit (the body is the image: JPEG, PNG or WebP, ≤ 12 MB; type sniffed from the bytes; EXIF/GPS removed; ≤ 6 per visit)', params: IdParams, response: { 201: Photo, ...ErrorAnswers } },
    },
    async (req, reply) => {
      if (!(req.body instanceof RawBody)) throw new AppError(415, 'community_invalid', { field: 'body', zh: '请以图片作为请求体上传', en: 'send the image as the request body' }, 'body');
      const p = req.principal!;
      const { visit, photo } = await preparePhoto(deps, p, req.params.id, req.body.bytes);
      return routeWrite(deps.writes, req, reply, 201, (w) => addPhotoIn(w, p, visit, photo));
    },
  );

  app.get(
    '/visits/:id/photos',
    {
      config: { permission: 'visit.read', audit: { entity: 'visit', action: 'visit.photos', reads: true } },
      schema: { tags: TAGS, summary: 'The photos of a visit of my jurisdiction', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Photo) }), ...ErrorAnswers } },
    },
    async (req) => photosOf(deps, req.principal!, req.params.id),
  );

  app.get(
    '/visits/:id/photos/:photoId',
    {
      config: { permission: 'visit.read', audit: { entity: 'visit', action: 'visit.photo_read', reads: true } },
      schema: { tags: TAGS, summary: 'One photo of a visit of my jurisdiction (JPEG without metadata); ?thumb=true for the 320 px thumbnail', params: Strict({ id: Id, photoId: Id }), querystring: Strict({ thumb: Type.Optional(Type.Boolean()) }), response: { 200: Type.String({ format: 'binary', description: 'image/jpeg without metadata' }), ...ErrorAnswers } },
    },
    async (req, reply) => {
      const stream = await openPhoto(deps, req.principal!, req.params.id, req.params.photoId, req.query.thumb === true);
      const raw: FastifyReply = reply;
      raw.header('cache-control', 'private, max-age=3600').type('image/jpeg');
      return raw.send(stream);
    },
  );
}
