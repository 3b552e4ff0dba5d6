/** Shared TypeBox building blocks for route schemas. */
import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }) },
  { $id: 'ErrorResponse', description: 'Every error: code, message in zh-CN or English (Accept-Language), and the field at fault if any' },
);

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

/** Strict object: unknown fields are rejected with a 400 naming them. */
export function Strict<T extends Record<string, TSchema>>(props: T, opts: Record<string, unknown> = {}) {
  return Type.Object(props, { additionalProperties: false, ...opts });
}

export const NoContent = Type.Null({ description: 'No content' });

/** A string from a fixed list, validated as a JSON Schema `enum` (so errors list every allowed value). */
export function StringEnum<T extends string>(values: readonly T[], opts: Record<string, unknown> = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts });
}

/**
 * StringEnum whose type the routes see too: the type provider (@fastify/type-provider-typebox) types
 * `req.body` with `typebox` 1.x, which reads these 0.34 schemas by their JSON Schema keywords, not their
 * `static`, so a plain StringEnum field is `unknown` there. The return type spells the keywords
 * (`enum: [T]` is how the union reaches that Static). The same schema, the same validation; used in
 * request schemas, and in answers whose handlers already return the union (else they would not compile).
 */
export function TypedStringEnum<T extends string>(values: readonly T[], opts: Record<string, unknown> = {}) {
  return StringEnum(values, opts) as TUnsafe<T> & { type: 'string'; enum: [T] };
}

/**
 * The pattern of every organisation unit code (stations, grids …). Incident numbers embed the
 * station's code, so numbering accepts exactly these (incidents/domain/numbering.ts).
 */
export const ORG_CODE_PATTERN = '^[A-Za-z0-9_-]+$';
export const OrgCode = Type.String({ minLength: 1, maxLength: 32, pattern: ORG_CODE_PATTERN });

/**
 * The one date-time type of every route: RFC 3339 with a time zone, years 1900–2199, seconds 00–59,
 * offsets ±HH:MM. `format: 'date-time'` alone (which also checks the calendar: no 30 February) lets
 * through instants that parse but cannot be stored or printed — a leap second `23:59:60`, the year
 * 0000 or 10000, a bare `+08` offset — and those were 500s, some after the row was written.
 */
export const INSTANT_PATTERN = '^(19|2[01])\\d\\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])[Tt ]([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?([Zz]|[+-]([01]\\d|2[0-3]):?[0-5]\\d)$';
export const Instant = Type.String({ format: 'date-time', pattern: INSTANT_PATTERN, maxLength: 40, description: 'RFC 3339 date-time with a time zone, years 1900–2199' });

/** A calendar day 'YYYY-MM-DD' (a real one: `format: 'date'` knows 30 February), in the years of Instant. */
export const DAY_PATTERN = '^(19|2[01])\\d\\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
export const Day = Type.String({ format: 'date', pattern: DAY_PATTERN, description: 'calendar day YYYY-MM-DD, years 1900–2199' });

/** A value or JSON null (a nullable column in a view). */
export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

// Inline, not a $ref to the shared ErrorResponse: route plugins are also mounted on bare Fastify
// instances (tests) where that shared schema is not registered.
const ErrorBody = Type.Object(ErrorResponse.properties, { description: ErrorResponse.description });
/**
 * The error answers of every route (`response: { 200: View, ...ErrorAnswers }`): all of them are
 * ErrorResponse, so OpenAPI and the web's contract (web/src/contract) describe them too.
 */
export const ErrorAnswers = { '4xx': ErrorBody, '5xx': ErrorBody };
