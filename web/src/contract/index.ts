/**
 * The server's API contract for the web: types generated from the OpenAPI document (api.d.ts, by
 * `npm run contract`), and short names for what a route answers.
 *
 *   import type { ApiAnswer } from '../contract';
 *   type Me = ApiAnswer<'/api/v1/me', 'get'>;                         // the 200 answer
 *   type Created = ApiAnswer<'/api/v1/users', 'post', 201>;
 *   const me = await api<Me>('/api/v1/me');
 */
import type { paths } from './api';

export type { components, paths } from './api';

/** Paths as OpenAPI writes them: `/api/v1/incidents/{id}`. */
export type ApiPath = keyof paths;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Responses<P extends ApiPath, M extends Method> = paths[P][M] extends { responses: infer R } ? R : never;

/** The JSON body a route answers with a status (200 unless said). */
export type ApiAnswer<P extends ApiPath, M extends Method, S extends number = 200> =
  Responses<P, M> extends Record<S, { content: { 'application/json': infer B } }> ? B : never;

/** The JSON body a route accepts. */
export type ApiBody<P extends ApiPath, M extends Method> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** The query parameters a route accepts. */
export type ApiQuery<P extends ApiPath, M extends Method> = paths[P][M] extends { parameters: { query?: infer Q } } ? Q : never;
