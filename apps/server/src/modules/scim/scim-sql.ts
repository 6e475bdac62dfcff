// A parsed SCIM filter becomes a SQL condition. Every value of the filter is a bound parameter;
// column names and JSON keys come from the attribute maps in this module, never from the request.
import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../../platform/errors/app-error.ts';
import { isScimDateTime } from './scim-document.ts';
import type { AttrPath, CompareOp, Filter, FilterValue } from './scim-filter.ts';

/** A SQL condition. */
export type Condition = RawBuilder<boolean>;

/** How a single-valued attribute is compared. */
export type ScalarKind = 'string' | 'boolean' | 'dateTime' | 'uuid';

/** A single value in SQL: an expression of a column or of a JSON document. */
export interface ScalarAttribute {
  kind: 'scalar';
  type: ScalarKind;
  caseExact: boolean;
  /** The expression is already lower-cased (a generated column that an index can serve). */
  isLowered?: boolean;
  expr: RawBuilder<unknown>;
}

/** A multi-valued attribute: conditions on its values become EXISTS over them. */
export interface MultiAttribute {
  kind: 'multi';
  name: string;
  /** Whether it has any value. */
  present: Condition;
  /** EXISTS a value for which `build` holds; `build` reaches the value's sub-attributes. */
  exists: (build: (sub: (name: string) => ScalarAttribute) => Condition) => Condition;
}

/** What an attribute path means in SQL. */
export type ResolvedAttribute = ScalarAttribute | MultiAttribute;

/** Resolves attribute paths of a resource type to SQL. */
export type AttributeResolver = (path: AttrPath) => ResolvedAttribute;

/** A 400 `invalidFilter`. */
export function invalidFilter(detail: string): AppError {
  return new AppError('scim.invalid_filter', detail);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A single-valued attribute. */
export function scalar(
  expr: RawBuilder<unknown>,
  type: ScalarKind = 'string',
  caseExact = false,
): ScalarAttribute {
  return { kind: 'scalar', type, caseExact, expr };
}

/** A case-insensitive string kept lower-cased in a column of its own. */
export function loweredColumn(name: string): ScalarAttribute {
  return { kind: 'scalar', type: 'string', caseExact: false, isLowered: true, expr: sql.ref(name) };
}

function describe(path: AttrPath): string {
  return [path.urn, [path.attr, path.sub].filter(Boolean).join('.')].filter(Boolean).join(':');
}

function compareString(attr: ScalarAttribute, op: CompareOp, value: string): Condition {
  // Comparing the column itself (not lower(column)) keeps the condition leakproof, so row-level
  // security still lets PostgreSQL use an index for it.
  const left = attr.caseExact || attr.isLowered ? sql`${attr.expr}` : sql`lower(${attr.expr})`;
  const right = attr.caseExact ? sql`${value}::text` : sql`lower(${value}::text)`;
  switch (op) {
    case 'eq':
      return sql<boolean>`${left} = ${right}`;
    case 'ne':
      return sql<boolean>`(${attr.expr} IS NULL OR ${left} <> ${right})`;
    case 'co':
      return sql<boolean>`strpos(${left}, ${right}) > 0`;
    case 'sw':
      return sql<boolean>`starts_with(${left}, ${right})`;
    case 'ew':
      return sql<boolean>`right(${left}, char_length(${right})) = ${right}`;
    case 'gt':
      return sql<boolean>`${left} > ${right}`;
    case 'ge':
      return sql<boolean>`${left} >= ${right}`;
    case 'lt':
      return sql<boolean>`${left} < ${right}`;
    case 'le':
      return sql<boolean>`${left} <= ${right}`;
  }
}

const orderingSql = { gt: sql`>`, ge: sql`>=`, lt: sql`<`, le: sql`<=` } as const;

/** Compare a single-valued attribute with a filter literal. */
export function compareScalar(
  attr: ScalarAttribute,
  op: CompareOp,
  value: FilterValue,
  name: string,
): Condition {
  if (value === null) {
    if (op === 'eq') return sql<boolean>`${attr.expr} IS NULL`;
    if (op === 'ne') return sql<boolean>`${attr.expr} IS NOT NULL`;
    throw invalidFilter(`${name} ${op} null: only eq and ne compare with null`);
  }
  switch (attr.type) {
    case 'boolean':
      if (typeof value !== 'boolean' || (op !== 'eq' && op !== 'ne')) {
        throw invalidFilter(`${name} is a boolean: use eq or ne with true or false`);
      }
      return op === 'eq'
        ? sql<boolean>`${attr.expr} = ${value}`
        : sql<boolean>`${attr.expr} IS DISTINCT FROM ${value}`;
    case 'dateTime': {
      if (typeof value !== 'string' || !isScimDateTime(value)) {
        throw invalidFilter(`${name} is compared with a date and time in quotes (ISO 8601)`);
      }
      if (op === 'co' || op === 'sw' || op === 'ew') {
        throw invalidFilter(`${name} is a date and time: use eq, ne, gt, ge, lt or le`);
      }
      const instant = sql`${value}::timestamptz`;
      if (op === 'eq') return sql<boolean>`${attr.expr} = ${instant}`;
      if (op === 'ne') return sql<boolean>`${attr.expr} IS DISTINCT FROM ${instant}`;
      return sql<boolean>`${attr.expr} ${orderingSql[op]} ${instant}`;
    }
    case 'uuid':
      if (typeof value !== 'string') throw invalidFilter(`${name} is compared with a string`);
      if (op === 'eq' || op === 'ne') {
        // Anything that is not a UUID is no id of ours: it matches nothing (eq) or everything (ne).
        if (!uuidPattern.test(value)) return op === 'eq' ? sql<boolean>`false` : sql<boolean>`true`;
        return op === 'eq'
          ? sql<boolean>`${attr.expr} = ${value}::uuid`
          : sql<boolean>`${attr.expr} <> ${value}::uuid`;
      }
      return compareString(scalar(sql`${attr.expr}::text`, 'string', false), op, value);
    case 'string':
      if (typeof value !== 'string') {
        throw invalidFilter(`${name} is a string: compare it with a value in double quotes`);
      }
      return compareString(attr, op, value);
  }
}

function present(attr: ScalarAttribute): Condition {
  return attr.type === 'string'
    ? sql<boolean>`(${attr.expr} IS NOT NULL AND ${attr.expr} <> '')`
    : sql<boolean>`${attr.expr} IS NOT NULL`;
}

function relativeName(path: AttrPath, parent: string): string {
  if (path.urn !== null || path.attr === null || path.sub !== null) {
    throw invalidFilter(`Inside ${parent}[...], name a sub-attribute of ${parent}`);
  }
  return path.attr;
}

/** Translate the filter inside `attr[...]`, whose paths name sub-attributes of `parent`. */
export function compileValueFilter(
  filter: Filter,
  sub: (name: string) => ScalarAttribute,
  parent: string,
): Condition {
  switch (filter.kind) {
    case 'and':
      return sql<boolean>`(${compileValueFilter(filter.left, sub, parent)} AND ${compileValueFilter(filter.right, sub, parent)})`;
    case 'or':
      return sql<boolean>`(${compileValueFilter(filter.left, sub, parent)} OR ${compileValueFilter(filter.right, sub, parent)})`;
    case 'not':
      return sql<boolean>`NOT coalesce(${compileValueFilter(filter.filter, sub, parent)}, false)`;
    case 'valuePath':
      throw invalidFilter('A value filter cannot be nested');
    case 'present':
      return present(sub(relativeName(filter.path, parent)));
    case 'compare': {
      const name = relativeName(filter.path, parent);
      return compareScalar(sub(name), filter.op, filter.value, `${parent}.${name}`);
    }
  }
}

/** Translate a filter into a condition; unknown attributes and misuse give 400 invalidFilter. */
export function compileFilter(filter: Filter, resolve: AttributeResolver): Condition {
  switch (filter.kind) {
    case 'and':
      return sql<boolean>`(${compileFilter(filter.left, resolve)} AND ${compileFilter(filter.right, resolve)})`;
    case 'or':
      return sql<boolean>`(${compileFilter(filter.left, resolve)} OR ${compileFilter(filter.right, resolve)})`;
    case 'not':
      // An absent attribute compares as unknown (NULL); "not" of that is still no match.
      return sql<boolean>`NOT coalesce(${compileFilter(filter.filter, resolve)}, false)`;
    case 'valuePath': {
      const attr = resolve(filter.path);
      if (attr.kind !== 'multi') throw invalidFilter(`${describe(filter.path)} has a single value`);
      return attr.exists((sub) => compileValueFilter(filter.filter, sub, attr.name));
    }
    case 'present': {
      const attr = resolve(filter.path);
      if (attr.kind === 'scalar') return present(attr);
      const subName = filter.path.sub;
      return subName === null ? attr.present : attr.exists((sub) => present(sub(subName)));
    }
    case 'compare': {
      const attr = resolve(filter.path);
      const name = describe(filter.path);
      if (attr.kind === 'scalar') return compareScalar(attr, filter.op, filter.value, name);
      // A multi-valued attribute without a sub-attribute compares its values' "value".
      const subName = filter.path.sub ?? 'value';
      return attr.exists((sub) => compareScalar(sub(subName), filter.op, filter.value, name));
    }
  }
}

/** Quote a SQL identifier chain from this module's maps (never from a request). */
export function column(name: string): RawBuilder<unknown> {
  return sql.ref(name);
}
