// PATCH (RFC 7644 §3.5.2) applied to a resource's canonical document. The result is validated
// again as a whole (normaliseResource), so a PATCH can never store what a PUT would refuse.
import { scimUrns } from '@steward/contracts';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  invalidSyntax,
  invalidValue,
  isJsonObject,
  parseScimBoolean,
  removeKey,
  type JsonObject,
} from './scim-document.ts';
import { parsePatchPath, ScimParseError, type Filter, type PatchPath } from './scim-filter.ts';
import {
  coreAttributes,
  findAttribute,
  knownUrns,
  type AttributeDef,
  type ResourceSchema,
} from './scim-schema.ts';

/** One PATCH operation; `op` is lower-cased (Entra sends `Replace`, `Add`, `Remove`). */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  /** The path as sent, for messages. */
  pathText: string | null;
  path: PatchPath | null;
  value: unknown;
}

function invalidPath(detail: string): AppError {
  return new AppError('scim.invalid_path', detail);
}

function noTarget(detail: string): AppError {
  return new AppError('scim.no_target', detail);
}

/** Parse a path, turning parse problems into 400 invalidPath. */
export function readPatchPath(text: string): PatchPath {
  try {
    return parsePatchPath(text, knownUrns);
  } catch (error) {
    if (error instanceof ScimParseError) {
      throw invalidPath(`path "${text}": ${error.message} (at ${String(error.position + 1)})`);
    }
    throw error;
  }
}

/** Read a PatchOp message into operations. */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) throw invalidSyntax('The body must be a JSON object');
  const entries = Object.entries(body);
  const schemas = entries.find(([k]) => k.toLowerCase() === 'schemas')?.[1];
  if (
    schemas !== undefined &&
    !(Array.isArray(schemas) && schemas.some((s) => s === scimUrns.patchOp))
  ) {
    throw invalidValue(`schemas must name ${scimUrns.patchOp}`);
  }
  const operations = entries.find(([k]) => k.toLowerCase() === 'operations')?.[1];
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax('Operations must be a non-empty list');
  }
  return operations.map((raw, i) => {
    if (!isJsonObject(raw)) throw invalidSyntax(`Operations[${String(i)}] must be an object`);
    const fields = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
    const op = fields.get('op');
    const lower = typeof op === 'string' ? op.toLowerCase() : '';
    if (lower !== 'add' && lower !== 'replace' && lower !== 'remove') {
      throw invalidSyntax(
        `Operations[${String(i)}].op must be add, replace or remove, not ${JSON.stringify(op)}`,
      );
    }
    const pathValue = fields.get('path');
    if (pathValue !== undefined && pathValue !== null && typeof pathValue !== 'string') {
      throw invalidPath(`Operations[${String(i)}].path must be a string`);
    }
    const pathText = typeof pathValue === 'string' && pathValue.trim() !== '' ? pathValue : null;
    const value = fields.get('value');
    if (lower !== 'remove' && value === undefined) {
      throw invalidValue(`Operations[${String(i)}] (${lower}) needs a value`);
    }
    if (lower === 'remove' && pathText === null) {
      throw noTarget(`Operations[${String(i)}]: remove needs a path`);
    }
    return {
      op: lower,
      pathText,
      path: pathText === null ? null : readPatchPath(pathText),
      value,
    };
  });
}

/** Where an operation acts: an attribute (core or of an extension), or a whole extension. */
export interface PatchTarget {
  /** Null for the core schema, else the extension URN. */
  urn: string | null;
  def: AttributeDef | null;
  sub: AttributeDef | null;
  filter: Filter | null;
}

/** Resolve a parsed path against a resource's schemas. */
export function resolvePatchTarget(
  resource: ResourceSchema,
  patchPath: PatchPath,
  text: string,
): PatchTarget {
  const { path, filter } = patchPath;
  let urn: string | null = null;
  let defs = coreAttributes(resource);
  if (path.urn !== null && path.urn !== resource.core.id) {
    const schema = resource.extensions.find((s) => s.id === path.urn);
    if (!schema) throw invalidPath(`${path.urn} is not a schema of ${resource.name} resources`);
    urn = schema.id;
    defs = schema.attributes;
    if (path.attr === null) return { urn, def: null, sub: null, filter: null };
  }
  if (path.attr === null) throw invalidPath(`"${text}" names no attribute`);
  const def = findAttribute(defs, path.attr);
  if (!def) throw invalidPath(`"${text}": unknown attribute ${path.attr}`);
  const subName = path.sub ?? patchPath.sub;
  const sub = subName === null ? null : (findAttribute(def.subAttributes, subName) ?? null);
  if (subName !== null && !sub) throw invalidPath(`"${text}": ${def.name} has no ${subName}`);
  if (filter && !def.multiValued) {
    throw invalidPath(`"${text}": ${def.name} has a single value, so it takes no filter`);
  }
  if (def.mutability === 'readOnly' || sub?.mutability === 'readOnly') {
    throw new AppError('scim.mutability', `${def.name}${sub ? `.${sub.name}` : ''} is read-only`);
  }
  return { urn, def, sub, filter };
}

function compareText(left: string, right: string, caseExact: boolean): [string, string] {
  return caseExact ? [left, right] : [left.toLowerCase(), right.toLowerCase()];
}

/** Whether one value of a multi-valued attribute matches a value filter. */
export function matchesElement(element: unknown, filter: Filter, def: AttributeDef): boolean {
  switch (filter.kind) {
    case 'and':
      return (
        matchesElement(element, filter.left, def) && matchesElement(element, filter.right, def)
      );
    case 'or':
      return (
        matchesElement(element, filter.left, def) || matchesElement(element, filter.right, def)
      );
    case 'not':
      return !matchesElement(element, filter.filter, def);
    case 'valuePath':
      throw invalidPath('A value filter cannot be nested');
    default:
      break;
  }
  const name = filter.path.attr ?? '';
  const sub = findAttribute(def.subAttributes, name);
  if (!sub || filter.path.urn !== null || filter.path.sub !== null) {
    throw invalidPath(`${def.name} has no ${name}`);
  }
  const actual = isJsonObject(element) ? element[sub.name] : undefined;
  if (filter.kind === 'present') return actual !== undefined && actual !== null && actual !== '';
  const { op, value } = filter;
  if (sub.type === 'boolean') {
    if (typeof value !== 'boolean' || (op !== 'eq' && op !== 'ne')) {
      throw invalidPath(`${def.name}.${sub.name} is compared with eq or ne and true or false`);
    }
    const isEqual =
      actual !== undefined && parseScimBoolean(actual, `${def.name}.${sub.name}`) === value;
    return op === 'eq' ? isEqual : !isEqual;
  }
  if (value === null) {
    const isAbsent = actual === undefined || actual === null;
    if (op === 'eq') return isAbsent;
    if (op === 'ne') return !isAbsent;
  }
  if (typeof value !== 'string')
    throw invalidPath(`${def.name}.${sub.name} is compared with a string`);
  if (typeof actual !== 'string') return op === 'ne';
  const [a, b] = compareText(actual, value, sub.caseExact);
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

/**
 * The value an equality filter describes (`type eq "work"` → `{type: "work"}`), used to create
 * the value when an add or replace names one that does not exist yet (Entra updates a work
 * email with `emails[type eq "work"].value` whether or not the user has one).
 */
function seedOf(filter: Filter, def: AttributeDef): JsonObject | null {
  if (filter.kind === 'compare' && filter.op === 'eq' && typeof filter.value === 'string') {
    const sub = findAttribute(def.subAttributes, filter.path.attr ?? '');
    return sub ? { [sub.name]: filter.value } : null;
  }
  if (filter.kind === 'and') {
    const left = seedOf(filter.left, def);
    const right = seedOf(filter.right, def);
    return left && right ? { ...left, ...right } : null;
  }
  return null;
}

/** Canonical sub-attribute names for a complex value from a request. */
function canonicalObject(def: AttributeDef, value: unknown, where: string): JsonObject {
  if (!isJsonObject(value)) throw invalidValue(`${where} must be an object`);
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    const sub = findAttribute(def.subAttributes, key);
    if (!sub) throw invalidSyntax(`Unknown attribute "${where}.${key}"`);
    out[sub.name] = inner;
  }
  return out;
}

function elementsOf(def: AttributeDef, value: unknown): unknown[] {
  const list = Array.isArray(value) ? value : [value];
  return def.type === 'complex' ? list.map((item) => canonicalObject(def, item, def.name)) : list;
}

function isPrimary(value: unknown): boolean {
  return (
    isJsonObject(value) &&
    (value.primary === true || value.primary === 'true' || value.primary === 'True')
  );
}

function keyOf(value: unknown): string {
  return JSON.stringify(value);
}

function containerOf(doc: JsonObject, urn: string | null, create: boolean): JsonObject | null {
  if (urn === null) return doc;
  const existing = doc[urn];
  if (isJsonObject(existing)) return existing;
  if (!create) return null;
  const created: JsonObject = {};
  doc[urn] = created;
  return created;
}

function valueOfElement(value: unknown): unknown {
  return isJsonObject(value) ? value.value : value;
}

function applyToMultiValued(
  container: JsonObject,
  op: PatchOperation['op'],
  target: PatchTarget & { def: AttributeDef },
  value: unknown,
): void {
  const { def, sub, filter } = target;
  const current = Array.isArray(container[def.name]) ? [...(container[def.name] as unknown[])] : [];
  if (filter === null) {
    if (sub) {
      throw invalidPath(
        `Name the values of ${def.name} with a filter, e.g. ${def.name}[type eq "work"].${sub.name}`,
      );
    }
    if (op === 'remove') {
      if (value === undefined || value === null) {
        removeKey(container, def.name);
        return;
      }
      // A remove with a value list removes those values (Entra removes members this way).
      const gone = new Set(
        (Array.isArray(value) ? value : [value]).map((v) => keyOf(valueOfElement(v))),
      );
      container[def.name] = current.filter((item) => !gone.has(keyOf(valueOfElement(item))));
      return;
    }
    const incoming = elementsOf(def, value);
    const hasNewPrimary = incoming.some(isPrimary);
    if (op === 'replace') {
      container[def.name] = incoming;
      return;
    }
    const kept = hasNewPrimary
      ? current.map((item) =>
          isPrimary(item) ? { ...(item as JsonObject), primary: false } : item,
        )
      : current;
    const seen = new Set(kept.map(keyOf));
    container[def.name] = [...kept, ...incoming.filter((item) => !seen.has(keyOf(item)))];
    return;
  }
  const matching = current
    .map((item, i) => (matchesElement(item, filter, def) ? i : -1))
    .filter((i) => i >= 0);
  if (matching.length === 0) {
    if (op === 'remove') return;
    const seed = seedOf(filter, def);
    if (!seed) throw noTarget(`No value of ${def.name} matches the filter`);
    const created = sub
      ? { ...seed, [sub.name]: value }
      : { ...seed, ...canonicalObject(def, value, def.name) };
    container[def.name] = [...current, created];
    return;
  }
  const next: unknown[] = [];
  current.forEach((item, i) => {
    if (!matching.includes(i)) {
      next.push(item);
      return;
    }
    const base = isJsonObject(item) ? item : {};
    if (op === 'remove') {
      if (sub) next.push(Object.fromEntries(Object.entries(base).filter(([k]) => k !== sub.name)));
      return;
    }
    if (sub) next.push({ ...base, [sub.name]: value });
    else if (op === 'replace') next.push(canonicalObject(def, value, def.name));
    else next.push({ ...base, ...canonicalObject(def, value, def.name) });
  });
  container[def.name] = next;
}

function applyAt(
  doc: JsonObject,
  op: PatchOperation['op'],
  target: PatchTarget,
  value: unknown,
  resource: ResourceSchema,
): void {
  if (target.def === null) {
    const urn = target.urn ?? '';
    if (op === 'remove') {
      removeKey(doc, urn);
      return;
    }
    if (!isJsonObject(value)) throw invalidValue(`${urn} takes an object of its attributes`);
    const schema = resource.extensions.find((s) => s.id === urn);
    for (const [key, inner] of Object.entries(value)) {
      const def = findAttribute(schema?.attributes, key);
      if (!def) throw invalidSyntax(`Unknown attribute "${urn}:${key}"`);
      if (def.mutability === 'readOnly') continue;
      applyAt(doc, op, { urn, def, sub: null, filter: null }, inner, resource);
    }
    return;
  }
  const def = target.def;
  const container = containerOf(doc, target.urn, op !== 'remove');
  if (!container) return;
  if (def.multiValued) {
    applyToMultiValued(container, op, { ...target, def }, value);
  } else if (target.sub) {
    const sub = target.sub;
    const current = isJsonObject(container[def.name])
      ? { ...(container[def.name] as JsonObject) }
      : {};
    if (op === 'remove' || value === null) removeKey(current, sub.name);
    else current[sub.name] = value;
    container[def.name] = current;
  } else if (op === 'remove' || value === null) {
    removeKey(container, def.name);
  } else if (def.type === 'complex') {
    // Entra ID sends the enterprise manager as its id alone rather than {"value": id}.
    const object =
      typeof value === 'string' && findAttribute(def.subAttributes, 'value') ? { value } : value;
    // A complex value's sub-attributes are merged: those not named stay (RFC 7644 §3.5.2.1, .3).
    const current = isJsonObject(container[def.name]) ? (container[def.name] as JsonObject) : {};
    container[def.name] = { ...current, ...canonicalObject(def, object, def.name) };
  } else {
    container[def.name] = value;
  }
  if (target.urn !== null && Object.keys(container).length === 0) removeKey(doc, target.urn);
}

/**
 * Apply operations to a copy of a canonical document. A path-less add or replace takes an
 * object whose keys may themselves be paths (`name.givenName`, an extension URN followed by an
 * attribute), as Microsoft Entra ID sends; read-only keys in it (`id`, `meta`) are ignored.
 */
export function applyPatch(
  document: JsonObject,
  operations: readonly PatchOperation[],
  resource: ResourceSchema,
): JsonObject {
  const doc = structuredClone(document);
  for (const operation of operations) {
    if (operation.path === null) {
      if (!isJsonObject(operation.value)) {
        throw invalidValue(`A ${operation.op} without a path takes an object of attributes`);
      }
      for (const [key, value] of Object.entries(operation.value)) {
        if (key.toLowerCase() === 'schemas') continue;
        let target: PatchTarget;
        try {
          target = resolvePatchTarget(resource, readPatchPath(key), key);
        } catch (error) {
          if (error instanceof AppError && error.code === 'scim.mutability') continue;
          if (error instanceof AppError && error.code === 'scim.invalid_path') {
            throw invalidSyntax(`Unknown attribute "${key}"`);
          }
          throw error;
        }
        applyAt(doc, operation.op, target, value, resource);
      }
      continue;
    }
    const target = resolvePatchTarget(resource, operation.path, operation.pathText ?? '');
    applyAt(doc, operation.op, target, operation.value, resource);
  }
  return doc;
}
