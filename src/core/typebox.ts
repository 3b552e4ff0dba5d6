/** Shared TypeBox building blocks for route schemas. */
import { Type, type TSchema } from '@sinclair/typebox';

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
