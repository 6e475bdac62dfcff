import type { $ZodType, $ZodTypes } from 'zod/v4/core';

/**
 * Whether a value already is, byte for byte once written as JSON, what validating it against a
 * schema would output. `true` means the value passes the schema and stripping would change
 * nothing, so `JSON.stringify(value)` is the validated answer; `false` means "not known": the
 * caller validates with zod as usual, which either rejects the value or outputs its own copy.
 */
export type VerbatimCheck = (value: unknown) => boolean;

const never: VerbatimCheck = () => false;

interface CheckPayload {
  value: unknown;
  issues: unknown[];
}

interface ZodCheckInternals {
  def: { when?: (payload: CheckPayload) => boolean };
  check?: (payload: CheckPayload) => unknown;
  traits: Set<string>;
}

// One payload reused by every check run here: checks run synchronously, one at a time.
const payload: CheckPayload = { value: undefined, issues: [] };

/**
 * The schema's own checks (a string format is itself a check; `.min()`, `.refine()` and the like
 * are in def.checks), run exactly as zod runs them on a value of the right type. A check that
 * rewrites the value (trim, toLowerCase), answers asynchronously or reports any issue makes the
 * answer "not known".
 */
function compileChecks(schema: $ZodType): ((value: unknown) => boolean) | null {
  const internals = schema._zod as unknown as ZodCheckInternals & {
    def: { checks?: { _zod: ZodCheckInternals }[] };
  };
  const checks: ZodCheckInternals[] = [
    ...(internals.traits.has('$ZodCheck') ? [internals] : []),
    ...(internals.def.checks ?? []).map((check) => check._zod),
  ];
  if (checks.length === 0) return null;
  return (value) => {
    for (const check of checks) {
      payload.value = value;
      payload.issues.length = 0;
      const when = check.def.when;
      if (when && !when(payload)) continue;
      const outcome = check.check?.(payload);
      if (outcome instanceof Promise || payload.issues.length > 0 || payload.value !== value) {
        payload.issues.length = 0;
        return false;
      }
    }
    return true;
  };
}

function withChecks(schema: $ZodType, typeCheck: VerbatimCheck): VerbatimCheck {
  const checks = compileChecks(schema);
  return checks ? (value) => typeCheck(value) && checks(value) : typeCheck;
}

const integerLike = /^(?:0|[1-9]\d*)$/;

function isPlainPrototype(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// A property whose value may be absent: an `.optional()` whose inner schema does not substitute
// a default (zod then leaves the key out, or writes undefined, which JSON leaves out too).
function isPlainOptional(schema: $ZodType): boolean {
  const def = (schema as $ZodTypes)._zod.def;
  return def.type === 'optional' && def.innerType._zod.optin !== 'defaulted';
}

function compileObject(schema: $ZodType, seen: Map<$ZodType, VerbatimCheck>): VerbatimCheck {
  const def = (schema as $ZodTypes)._zod.def;
  if (def.type !== 'object' || def.catchall !== undefined) return never;
  const keys = Object.keys(def.shape);
  // Integer-like keys are ordered numerically by JavaScript whatever the insertion order; such
  // keys, and keys JSON or zod treat specially, keep the zod path.
  if (
    keys.some((key) => integerLike.test(key) || key === '__proto__' || key === 'toJSON') ||
    Object.getOwnPropertySymbols(def.shape).length > 0
  ) {
    return never;
  }
  const fields = keys.map((key) => {
    const field = def.shape[key] as $ZodType;
    return { key, check: compileNode(field, seen), optional: isPlainOptional(field) };
  });
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    if (!isPlainPrototype(value)) return false;
    const record = value as Record<string, unknown>;
    // The value's keys must be the shape's keys, in the shape's order (zod writes its output in
    // that order, JSON.stringify in the value's own), leaving out only optional ones.
    let next = 0;
    for (const key in record) {
      let field = fields[next];
      while (field && field.key !== key) {
        if (!field.optional || record[field.key] !== undefined) return false;
        field = fields[++next];
      }
      if (!field) return false;
      const fieldValue = record[key];
      if (fieldValue === undefined ? !field.optional : !field.check(fieldValue)) return false;
      next += 1;
    }
    for (; next < fields.length; next += 1) {
      const field = fields[next];
      if (!field?.optional || record[field.key] !== undefined) return false;
    }
    return true;
  };
}

function compileRecord(schema: $ZodType, seen: Map<$ZodType, VerbatimCheck>): VerbatimCheck {
  const def = (schema as $ZodTypes)._zod.def;
  if (def.type !== 'record') return never;
  const keyDef = (def.keyType as $ZodTypes)._zod.def;
  // Only string keys without a fixed set (a fixed set makes zod list and order the keys itself).
  if (keyDef.type !== 'string' || def.keyType._zod.values !== undefined) return never;
  const keyCheck = compileNode(def.keyType, seen);
  const valueCheck = compileNode(def.valueType, seen);
  const valueMayBeUndefined = isUnconstrained(def.valueType);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    if (!isPlainPrototype(value)) return false;
    if (Object.getOwnPropertySymbols(value).length > 0) return false;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (key === '__proto__' || key === 'toJSON' || !Object.hasOwn(record, key)) return false;
      if (!keyCheck(key)) return false;
      const entry = record[key];
      if (entry === undefined ? !valueMayBeUndefined : !valueCheck(entry)) return false;
    }
    return true;
  };
}

function compileArray(schema: $ZodType, seen: Map<$ZodType, VerbatimCheck>): VerbatimCheck {
  const def = (schema as $ZodTypes)._zod.def;
  if (def.type !== 'array') return never;
  const element = compileNode(def.element, seen);
  return withChecks(schema, (value) => {
    if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
    if ((value as { toJSON?: unknown }).toJSON !== undefined) return false;
    for (const item of value) if (item === undefined || !element(item)) return false;
    return true;
  });
}

// unknown and any without checks pass any value through by reference, so JSON writes it the same.
function isUnconstrained(schema: $ZodType): boolean {
  const def = (schema as $ZodTypes)._zod.def;
  return (def.type === 'unknown' || def.type === 'any') && compileChecks(schema) === null;
}

function compileNode(schema: $ZodType, seen: Map<$ZodType, VerbatimCheck>): VerbatimCheck {
  const known = seen.get(schema);
  if (known) return known;
  // A recursive schema refers to itself: the entry is filled in once compiled.
  let compiled: VerbatimCheck = never;
  seen.set(schema, (value) => compiled(value));
  compiled = compileFresh(schema, seen);
  seen.set(schema, compiled);
  return compiled;
}

function compileFresh(schema: $ZodType, seen: Map<$ZodType, VerbatimCheck>): VerbatimCheck {
  const def = (schema as $ZodTypes)._zod.def as $ZodTypes['_zod']['def'] & { coerce?: boolean };
  if (def.coerce) return never;
  switch (def.type) {
    case 'string':
      return withChecks(schema, (value) => typeof value === 'string');
    case 'number':
      return withChecks(schema, (value) => typeof value === 'number' && Number.isFinite(value));
    case 'boolean':
      return withChecks(schema, (value) => typeof value === 'boolean');
    case 'null':
      return withChecks(schema, (value) => value === null);
    case 'enum':
    case 'literal': {
      const values = schema._zod.values;
      if (!values) return never;
      return withChecks(schema, (value) => values.has(value as string));
    }
    case 'unknown':
    case 'any':
      return withChecks(schema, (value) => value !== undefined);
    case 'nullable': {
      const inner = compileNode(def.innerType, seen);
      return withChecks(schema, (value) => value === null || inner(value));
    }
    case 'optional': {
      // Inside an object an absent optional is handled by the object; elsewhere undefined is
      // not JSON, so only a present value is answered here.
      const inner = compileNode(def.innerType, seen);
      return withChecks(schema, (value) => value !== undefined && inner(value));
    }
    case 'object':
      return withChecks(schema, compileObject(schema, seen));
    case 'record':
      return withChecks(schema, compileRecord(schema, seen));
    case 'array':
      return compileArray(schema, seen);
    default:
      // Unions (zod answers with the first option it accepts, stripped), dates, tuples, pipes,
      // defaults and the rest keep the zod path.
      return never;
  }
}

/** Compile a schema into a check that tells when a value can be written as it is. */
export function compileVerbatimCheck(schema: $ZodType): VerbatimCheck {
  return compileNode(schema, new Map());
}
