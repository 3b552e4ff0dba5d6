/** Turns every failure into the one error shape, in the caller's language; never a bare 500 for bad input. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorBody } from '../core/errors.js';
import { storableText, UNSTORABLE_CHAR } from '../core/text.js';
import { DAY_PATTERN, INSTANT_PATTERN, ORG_CODE_PATTERN } from '../core/typebox.js';

/** Shared patterns named for people instead of shown as regular expressions. */
const PATTERN_NAMES: Record<string, string> = {
  [INSTANT_PATTERN]: 'RFC 3339 date-time with time zone, years 1900–2199 (2026-12-01T08:30:00+08:00)',
  [DAY_PATTERN]: 'YYYY-MM-DD, years 1900–2199',
  [ORG_CODE_PATTERN]: 'letters, digits, _ and -',
};

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

function fieldName(context: string | undefined, instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  const path = parts.join('.');
  if (path) return path;
  return context === 'body' ? 'body' : context ?? 'body';
}

/** Maps the first Ajv validation error to a catalogue error naming the field. */
export function validationToAppError(errors: AjvError[], context: string | undefined): AppError {
  const e = errors[0];
  const p = e.params ?? {};
  const at = (extra?: string) => fieldName(context, e.instancePath, extra);
  switch (e.keyword) {
    case 'required':
      return new AppError(400, 'required', { field: at(String(p.missingProperty)) }, at(String(p.missingProperty)));
    case 'additionalProperties':
      return new AppError(400, 'unknown_field', { field: at(String(p.additionalProperty)) }, at(String(p.additionalProperty)));
    case 'type':
      return new AppError(400, 'invalid_type', { field: at(), expected: String(p.type) }, at());
    case 'maxLength':
      return new AppError(400, 'too_long', { field: at(), limit: Number(p.limit) }, at());
    case 'minLength':
      return new AppError(400, 'too_short', { field: at(), limit: Number(p.limit) }, at());
    case 'maxItems':
      return new AppError(400, 'too_many_items', { field: at(), limit: Number(p.limit) }, at());
    case 'minItems':
      return new AppError(400, 'too_few_items', { field: at(), limit: Number(p.limit) }, at());
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return new AppError(400, 'out_of_range', { field: at(), detail: `${p.comparison ?? ''} ${p.limit ?? ''}`.trim() }, at());
    case 'format':
      return new AppError(400, 'invalid_format', { field: at(), format: String(p.format) }, at());
    case 'pattern':
      return new AppError(400, 'invalid_format', { field: at(), format: PATTERN_NAMES[String(p.pattern)] ?? String(p.pattern) }, at());
    case 'enum':
      return new AppError(400, 'invalid_value', { field: at(), detail: `one of ${(p.allowedValues as unknown[] | undefined)?.join(', ')}` }, at());
    case 'const':
      return new AppError(400, 'invalid_value', { field: at(), detail: `must be ${String(p.allowedValue)}` }, at());
    default:
      return new AppError(400, 'invalid_value', { field: at(), detail: e.message ?? e.keyword }, at());
  }
}

export function toAppError(err: FastifyError | Error, req: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fe.validation?.length) return validationToAppError(fe.validation, fe.validationContext);
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'unsupported_media_type', { type: String(req.headers['content-type'] ?? '(none)') });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'payload_too_large', { limit: req.routeOptions.bodyLimit ?? 1048576 });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(400, 'invalid_json', { detail: 'empty body' }, 'body');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(400, 'bad_request', {});
  }
  if (err instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new AppError(400, 'invalid_json', { detail: err.message.slice(0, 120) }, 'body');
  }
  const status = fe.statusCode ?? 500;
  // The static file server refuses odd paths (`//api/…`, dot segments) with 403: to a client that is no such page.
  if ((status === 403 || status === 404) && !req.routeOptions.url?.startsWith('/api/')) {
    return new AppError(404, 'route_not_found', { method: req.method, url: req.url.split('?')[0].slice(0, 200) });
  }
  if (status >= 400 && status < 500) return new AppError(status, 'bad_request', {});
  return new AppError(500, 'internal', { requestId: String(req.id) });
}

export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const appErr = toAppError(err, req);
    if (appErr.status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: appErr.code, field: appErr.field }, 'request rejected');
    if (appErr.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="shouwang"');
    return reply.status(appErr.status).send(errorBody(appErr, req.lang ?? 'zh'));
  });
}

/** Deepest JSON nesting a request may have: our widest schema nests 4 levels; attackers send 100,000. */
export const MAX_INPUT_DEPTH = 32;

export type InputProblem = { field: string; kind: 'nul' | 'surrogate' | 'depth' };

/**
 * The first part of a request value the database cannot store, or nesting deeper than we accept.
 * Iterative, so that no input can overflow the stack; every value is visited once.
 */
export function findUnstorable(root: unknown, rootPath = ''): InputProblem | null {
  // Paths are built only for the part at fault (parent links), not for every value: position batches
  // of thousands of objects pass through here on the AVL hot path.
  const nodes: { parent: number; key: string | number }[] = [];
  const pathOf = (n: number): string => {
    const parts: (string | number)[] = [];
    for (let i = n; i >= 0; i = nodes[i].parent) parts.unshift(nodes[i].key);
    let path = rootPath;
    for (const k of parts) path = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    return path || '(body)';
  };
  const stack: { value: unknown; node: number; depth: number }[] = [{ value: root, node: -1, depth: 0 }];
  while (stack.length) {
    const { value, node, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const m = UNSTORABLE_CHAR.exec(value);
      if (m) return { field: pathOf(node), kind: m[0] === '\u0000' ? 'nul' : 'surrogate' };
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: pathOf(node), kind: 'depth' };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const v = value[i];
        if (v === null || (typeof v !== 'string' && typeof v !== 'object')) continue; // numbers, booleans: nothing to check
        nodes.push({ parent: node, key: i });
        stack.push({ value: v, node: nodes.length - 1, depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      nodes.push({ parent: node, key: k });
      if (UNSTORABLE_CHAR.test(k)) return { field: storableText(pathOf(nodes.length - 1)), kind: 'surrogate' };
      const v = (value as Record<string, unknown>)[k];
      if (v === null || (typeof v !== 'string' && typeof v !== 'object')) continue;
      stack.push({ value: v, node: nodes.length - 1, depth: depth + 1 });
    }
  }
  return null;
}

const PROBLEM_DETAIL: Record<InputProblem['kind'], string> = {
  nul: 'contains a NUL character (\\u0000)',
  surrogate: 'contains an unpaired UTF-16 surrogate (invalid Unicode)',
  depth: `nested deeper than ${MAX_INPUT_DEPTH} levels`,
};

/**
 * Refuses, with a 400 naming the field, what PostgreSQL cannot store (NUL, lone surrogates) in bodies,
 * query strings and path parameters, and bodies nested absurdly deep, before validation and handlers.
 */
export function installInputCheck(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    const problem = findUnstorable(req.params) ?? findUnstorable(req.body) ?? findUnstorable(req.query);
    if (problem) throw new AppError(400, 'invalid_value', { field: problem.field, detail: PROBLEM_DETAIL[problem.kind] }, problem.field);
  });
}
