// Incoming SCIM resources are checked against the published schemas and brought to one canonical
// form (RFC 7643 attribute names, booleans as booleans, unassigned values left out), so that
// POST, PUT and the result of a PATCH all go through the same validation.
import { AppError } from '../../platform/errors/app-error.ts';
import { parseAttrPath, ScimParseError, type AttrPath } from './scim-filter.ts';
import {
  coreAttributes,
  findAttribute,
  findSchema,
  knownUrns,
  type AttributeDef,
  type ResourceSchema,
} from './scim-schema.ts';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** Longest string value accepted in a SCIM attribute. */
export const maxScimStringLength = 2048;

/** Remove a key from an object in place (the keys here come from the schemas, never a request). */
export function removeKey(object: JsonObject, key: string): void {
  Reflect.deleteProperty(object, key);
}

/** Whether a value is a plain JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A 400 `invalidValue`. */
export function invalidValue(detail: string): AppError {
  return new AppError('scim.invalid_value', detail);
}

/** A 400 `invalidSyntax`. */
export function invalidSyntax(detail: string): AppError {
  return new AppError('scim.invalid_syntax', detail);
}

/**
 * A SCIM boolean. Identity providers send `"True"`/`"False"` strings (Microsoft Entra ID); a
 * leaver must never stay active because "False" is a non-empty string, so only real booleans
 * and those two words (any case) are accepted.
 */
export function parseScimBoolean(value: unknown, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  throw invalidValue(`${path} must be true or false, not ${JSON.stringify(value)}`);
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Whether a text is an ISO 8601 date-time with a zone that names a real instant. */
export function isScimDateTime(value: string): boolean {
  if (!isoDateTime.test(value)) return false;
  // JavaScript dates keep milliseconds; longer fractions (.8617979) are cut before parsing.
  return !Number.isNaN(Date.parse(value.replace(/(\.\d{3})\d+/, '$1')));
}

function normaliseSingle(def: AttributeDef, value: unknown, path: string): unknown {
  switch (def.type) {
    case 'complex': {
      if (!isJsonObject(value)) throw invalidValue(`${path} must be an object`);
      const out: JsonObject = {};
      for (const [key, inner] of Object.entries(value)) {
        const sub = findAttribute(def.subAttributes, key);
        if (!sub) throw invalidSyntax(`Unknown attribute "${path}.${key}"`);
        if (sub.mutability === 'readOnly') continue;
        const normalised = normaliseSingle(sub, inner, `${path}.${sub.name}`);
        if (normalised !== undefined) out[sub.name] = normalised;
      }
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case 'boolean':
      return value === null ? undefined : parseScimBoolean(value, path);
    case 'integer':
    case 'decimal':
      if (value === null) return undefined;
      if (typeof value !== 'number' || (def.type === 'integer' && !Number.isInteger(value))) {
        throw invalidValue(`${path} must be a number`);
      }
      return value;
    case 'dateTime':
      if (value === null || value === '') return undefined;
      if (typeof value !== 'string' || !isScimDateTime(value)) {
        throw invalidValue(`${path} must be a date and time (ISO 8601 with a zone)`);
      }
      return value;
    default:
      if (value === null || value === '') return undefined;
      if (typeof value !== 'string') throw invalidValue(`${path} must be a string`);
      if (value.length > maxScimStringLength) {
        throw invalidValue(`${path} is longer than ${String(maxScimStringLength)} characters`);
      }
      return value;
  }
}

/** Validate one attribute value against its definition; undefined means unassigned. */
export function normaliseValue(def: AttributeDef, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (!def.multiValued) return normaliseSingle(def, value, path);
  if (!Array.isArray(value)) throw invalidValue(`${path} must be a list`);
  const items = value
    .map((item, i) => normaliseSingle(def, item, `${path}[${String(i)}]`))
    .filter((item) => item !== undefined);
  if (def.type === 'complex') {
    const primaries = items.filter((item) => isJsonObject(item) && item.primary === true);
    if (primaries.length > 1) throw invalidValue(`Only one of ${path} can be primary`);
  }
  return items.length > 0 ? items : undefined;
}

function normaliseAttributes(
  defs: readonly AttributeDef[],
  body: JsonObject,
  prefix: string,
): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    const def = findAttribute(defs, key);
    if (!def) throw invalidSyntax(`Unknown attribute "${prefix}${key}"`);
    // Read-only attributes sent by a client are ignored (RFC 7644 §3.3); passwords are never kept.
    if (def.mutability === 'readOnly' || def.mutability === 'writeOnly') continue;
    const normalised = normaliseValue(def, value, `${prefix}${def.name}`);
    if (normalised !== undefined) out[def.name] = normalised;
  }
  return out;
}

/** A resource checked against its schemas, in canonical form. */
export interface NormalisedResource {
  /** Core attributes at the top level, extension attributes under their URN. */
  doc: JsonObject;
  /** The extensions whose URN key the body carried (even when empty). */
  extensions: Set<string>;
}

/**
 * Check a resource body (POST, PUT, or the document a PATCH produced) against the resource's
 * schemas: unknown attributes are refused (invalidSyntax), wrong types too (invalidValue);
 * `id`, `meta` and other read-only attributes are ignored; required ones must be present.
 */
export function normaliseResource(resource: ResourceSchema, body: unknown): NormalisedResource {
  if (!isJsonObject(body)) throw invalidSyntax('The body must be a JSON object');
  const doc: JsonObject = {};
  const extensions = new Set<string>();
  const core = coreAttributes(resource);
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') {
      checkSchemas(resource, value);
      continue;
    }
    const extension = resource.extensions.find((s) => s.id.toLowerCase() === key.toLowerCase());
    if (extension) {
      extensions.add(extension.id);
      if (value === null) continue;
      if (!isJsonObject(value)) throw invalidValue(`${extension.id} must be an object`);
      const inner = normaliseAttributes(extension.attributes, value, `${extension.id}:`);
      if (Object.keys(inner).length > 0) doc[extension.id] = inner;
      continue;
    }
    const def = findAttribute(core, key);
    if (!def) throw invalidSyntax(`Unknown attribute "${key}"`);
    if (def.mutability === 'readOnly' || def.mutability === 'writeOnly') continue;
    const normalised = normaliseValue(def, value, def.name);
    if (normalised !== undefined) doc[def.name] = normalised;
  }
  for (const def of resource.core.attributes) {
    if (def.required && doc[def.name] === undefined) {
      throw invalidValue(`${def.name} is required`);
    }
  }
  return { doc, extensions };
}

function checkSchemas(resource: ResourceSchema, value: unknown): void {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalidValue('schemas must be a list of schema URNs');
  }
  for (const urn of value) {
    if (!findSchema(resource, urn)) {
      throw invalidValue(`${urn} is not a schema of ${resource.name} resources`);
    }
  }
}

/** Which attributes a response carries (RFC 7644 §3.9). */
export interface Projection {
  attributes: AttrPath[] | null;
  excluded: AttrPath[];
}

function parseAttributeList(text: string | undefined, parameter: string): AttrPath[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((part) => {
    const name = part.trim();
    try {
      return parseAttrPath(name, knownUrns);
    } catch (error) {
      if (error instanceof ScimParseError) {
        throw invalidValue(`${parameter}: "${name}" is not an attribute name`);
      }
      throw error;
    }
  });
}

/** Read the `attributes` and `excludedAttributes` parameters. */
export function parseProjection(query: {
  attributes?: string | undefined;
  excludedAttributes?: string | undefined;
}): Projection {
  const attributes = parseAttributeList(query.attributes, 'attributes');
  return {
    attributes: attributes.length > 0 ? attributes : null,
    excluded: parseAttributeList(query.excludedAttributes, 'excludedAttributes'),
  };
}

/** Whether the projection names this attribute of the core schema (or a sub-attribute of it). */
function names(path: AttrPath, resource: ResourceSchema, attribute: string): boolean {
  return (
    (path.urn === null || path.urn === resource.core.id) &&
    path.attr?.toLowerCase() === attribute.toLowerCase()
  );
}

/** Whether a response under this projection includes a core attribute (to skip loading it). */
export function isAttributeWanted(
  projection: Projection,
  resource: ResourceSchema,
  attribute: string,
): boolean {
  if (projection.attributes) {
    return projection.attributes.some((p) => names(p, resource, attribute));
  }
  return !projection.excluded.some((p) => names(p, resource, attribute) && p.sub === null);
}

interface Location {
  urn: string | null;
  def: AttributeDef | null;
  sub: AttributeDef | null;
}

function locate(path: AttrPath, resource: ResourceSchema): Location | null {
  if (path.urn !== null && path.urn !== resource.core.id) {
    const schema = resource.extensions.find((s) => s.id === path.urn);
    if (!schema) return null;
    if (path.attr === null) return { urn: schema.id, def: null, sub: null };
    const def = findAttribute(schema.attributes, path.attr);
    if (!def) return null;
    const sub = path.sub === null ? null : findAttribute(def.subAttributes, path.sub);
    return sub === undefined ? null : { urn: schema.id, def, sub };
  }
  if (path.attr === null) return null;
  const def = findAttribute(coreAttributes(resource), path.attr);
  if (!def) return null;
  const sub = path.sub === null ? null : findAttribute(def.subAttributes, path.sub);
  return sub === undefined ? null : { urn: null, def, sub };
}

function copyAttribute(
  from: JsonObject,
  to: JsonObject,
  def: AttributeDef,
  sub: AttributeDef | null,
) {
  const value = from[def.name];
  if (value === undefined) return;
  if (sub === null) {
    to[def.name] = value;
    return;
  }
  if (Array.isArray(value)) {
    const existing = Array.isArray(to[def.name]) ? (to[def.name] as JsonObject[]) : null;
    to[def.name] = value.map((item, i) => {
      const base = existing?.[i] ?? {};
      return isJsonObject(item) && item[sub.name] !== undefined
        ? { ...base, [sub.name]: item[sub.name] }
        : base;
    });
  } else if (isJsonObject(value) && value[sub.name] !== undefined) {
    const base = isJsonObject(to[def.name]) ? (to[def.name] as JsonObject) : {};
    to[def.name] = { ...base, [sub.name]: value[sub.name] };
  }
}

function removeAttribute(doc: JsonObject, def: AttributeDef, sub: AttributeDef | null) {
  const value = doc[def.name];
  if (value === undefined) return;
  if (sub === null) {
    removeKey(doc, def.name);
  } else if (Array.isArray(value)) {
    doc[def.name] = value.map((item: unknown) =>
      isJsonObject(item)
        ? Object.fromEntries(Object.entries(item).filter(([k]) => k !== sub.name))
        : item,
    );
  } else if (isJsonObject(value)) {
    doc[def.name] = Object.fromEntries(Object.entries(value).filter(([k]) => k !== sub.name));
  }
}

/** Apply `attributes` / `excludedAttributes` to a full resource; `id` and `schemas` always stay. */
export function projectResource(
  full: JsonObject,
  projection: Projection,
  resource: ResourceSchema,
): JsonObject {
  if (projection.attributes) {
    const out: JsonObject = { schemas: full.schemas, id: full.id };
    for (const path of projection.attributes) {
      const at = locate(path, resource);
      if (!at) continue;
      if (at.urn === null) {
        if (at.def) copyAttribute(full, out, at.def, at.sub);
        continue;
      }
      const extension = full[at.urn];
      if (!isJsonObject(extension)) continue;
      if (at.def === null) {
        out[at.urn] = extension;
        continue;
      }
      const target = isJsonObject(out[at.urn]) ? (out[at.urn] as JsonObject) : {};
      copyAttribute(extension, target, at.def, at.sub);
      if (Object.keys(target).length > 0) out[at.urn] = target;
    }
    return applyExclusions(out, projection.excluded, resource);
  }
  if (projection.excluded.length === 0) return full;
  return applyExclusions(structuredClone(full), projection.excluded, resource);
}

function applyExclusions(doc: JsonObject, excluded: AttrPath[], resource: ResourceSchema) {
  for (const path of excluded) {
    const at = locate(path, resource);
    if (!at?.def && at?.urn) {
      removeKey(doc, at.urn);
      continue;
    }
    if (!at?.def || at.def.returned === 'always') continue;
    if (at.urn === null) {
      removeAttribute(doc, at.def, at.sub);
    } else if (isJsonObject(doc[at.urn])) {
      removeAttribute(doc[at.urn] as JsonObject, at.def, at.sub);
    }
  }
  return doc;
}

/** JSON with object keys sorted, so that two documents compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isJsonObject(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
