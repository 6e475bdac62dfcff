import type { FastifySerializerCompiler } from 'fastify';
import { InvalidSchemaError, ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { $ZodType, type $ZodTypes } from 'zod/v4/core';
import { compileVerbatimCheck } from './verbatim-check.ts';

// Schema kinds that validate and output the same in both directions. Pipes (transforms,
// codecs), defaults, prefaults, catches and the like behave differently when encoding, so a
// schema holding one keeps the encode path.
const symmetricLeaves = new Set<string>([
  'string',
  'number',
  'int',
  'boolean',
  'bigint',
  'symbol',
  'null',
  'undefined',
  'void',
  'never',
  'any',
  'unknown',
  'date',
  'literal',
  'enum',
  'nan',
  'template_literal',
  'file',
]);

/** Whether a schema validates and outputs the same when parsing as when encoding. */
export function isSymmetric(schema: $ZodType, seen = new Set<$ZodType>()): boolean {
  if (seen.has(schema)) return true;
  seen.add(schema);
  const def = (schema as $ZodTypes)._zod.def;
  const check = (inner: $ZodType | undefined) => inner === undefined || isSymmetric(inner, seen);
  switch (def.type) {
    case 'object':
      return Object.values(def.shape).every((s) => check(s)) && check(def.catchall);
    case 'array':
      return check(def.element);
    case 'tuple':
      return def.items.every((s) => check(s)) && check(def.rest ?? undefined);
    case 'record':
    case 'map':
      return check(def.keyType) && check(def.valueType);
    case 'set':
      return check(def.valueType);
    case 'nullable':
    case 'optional':
    case 'nonoptional':
      return check(def.innerType);
    case 'union':
      return def.options.every((s) => check(s));
    case 'intersection':
      return check(def.left) && check(def.right);
    case 'lazy':
      return check(def.getter());
    default:
      return symmetricLeaves.has(def.type);
  }
}

// Response values shared between requests (memoised reads); they are never mutated, so their
// validated JSON is kept with them.
const sharedResponses = new WeakSet<object>();

/** Mark a value that is answered to many requests unchanged: it is validated and serialised once. */
export function markSharedResponse(value: object): void {
  sharedResponses.add(value);
}

function resolveSchema(maybeSchema: $ZodType | { properties: $ZodType }): $ZodType {
  if (maybeSchema instanceof $ZodType) return maybeSchema;
  if ('properties' in maybeSchema && maybeSchema.properties instanceof $ZodType) {
    return maybeSchema.properties;
  }
  throw new InvalidSchemaError(JSON.stringify(maybeSchema));
}

/**
 * Fastify serialiser for zod response schemas: every response is validated against its schema
 * (unknown keys stripped) before JSON.stringify, as fastify-type-provider-zod does. Encoding runs
 * each check twice (a canary pass, then the checks); for schemas whose validation and output do
 * not depend on the direction, the single forward pass gives the same verdict and the same value,
 * and a value that already has the schema's exact shape is written as it is (verbatim-check.ts).
 */
export const responseSerializerCompiler: FastifySerializerCompiler<
  $ZodType | { properties: $ZodType }
> = ({ schema: maybeSchema, method, url }) => {
  const schema = resolveSchema(maybeSchema);
  const symmetric = isSymmetric(schema);
  const validate = symmetric
    ? (data: unknown) => z.safeParse(schema, data)
    : (data: unknown) => z.safeEncode(schema, data);
  // Most answers already have exactly the schema's shape: checked in place, they are written as
  // they are, without zod building a validated copy first; anything else takes the zod path.
  const isVerbatim = symmetric ? compileVerbatimCheck(schema) : () => false;
  // Per route: the same value may be answered by routes with different schemas.
  const serialised = new WeakMap<object, string>();
  return (data: unknown) => {
    const shared =
      typeof data === 'object' && data !== null && sharedResponses.has(data) ? data : null;
    if (shared) {
      const json = serialised.get(shared);
      if (json !== undefined) return json;
    }
    let json: string;
    if (isVerbatim(data)) {
      json = JSON.stringify(data);
    } else {
      const result = validate(data);
      if (result.error) throw new ResponseSerializationError(method, url, { cause: result.error });
      json = JSON.stringify(result.data);
    }
    if (shared) serialised.set(shared, json);
    return json;
  };
};
