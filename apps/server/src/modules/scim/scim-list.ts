// Query parameters shared by /Users and /Groups (RFC 7644 §3.4.2): filter, paging, sorting.
import { scimUrns } from '@steward/contracts';
import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../../platform/errors/app-error.ts';
import { invalidValue, type JsonObject } from './scim-document.ts';
import { parseAttrPath, parseFilter, ScimParseError, type AttrPath } from './scim-filter.ts';
import { knownUrns } from './scim-schema.ts';
import {
  compileFilter,
  type AttributeResolver,
  type Condition,
  type ScalarAttribute,
} from './scim-sql.ts';

/** Page size when the client names none. */
export const defaultPageSize = 100;

/** Largest page (advertised as `filter.maxResults`). */
export const maxPageSize = 200;

/** A 1-based start and a page size. */
export interface Paging {
  startIndex: number;
  count: number;
}

function parseInteger(text: string | undefined, name: string): number | null {
  if (text === undefined || text.trim() === '') return null;
  if (!/^-?\d{1,9}$/.test(text.trim())) throw invalidValue(`${name} must be an integer`);
  return Number(text);
}

/** `startIndex` below 1 counts as 1; `count` is clamped to 0..maxPageSize (RFC 7644 §3.4.2.4). */
export function parsePaging(query: {
  startIndex?: string | undefined;
  count?: string | undefined;
}): Paging {
  const startIndex = parseInteger(query.startIndex, 'startIndex') ?? 1;
  const count = parseInteger(query.count, 'count') ?? defaultPageSize;
  return { startIndex: Math.max(1, startIndex), count: Math.min(maxPageSize, Math.max(0, count)) };
}

/** The `filter` parameter as a SQL condition; a filter that cannot be read is 400 invalidFilter. */
export function filterCondition(
  text: string | undefined,
  resolve: AttributeResolver,
): Condition | null {
  if (text === undefined) return null;
  try {
    return compileFilter(parseFilter(text, knownUrns), resolve);
  } catch (error) {
    if (error instanceof ScimParseError) {
      throw new AppError(
        'scim.invalid_filter',
        `filter: ${error.message} (at character ${String(error.position + 1)})`,
      );
    }
    throw error;
  }
}

/** `sortBy` and `sortOrder` as an order expression, or null to keep the default order. */
export function sortOrder(
  query: { sortBy?: string | undefined; sortOrder?: string | undefined },
  expression: (path: AttrPath) => ScalarAttribute,
): { expr: RawBuilder<unknown>; descending: boolean } | null {
  if (query.sortBy === undefined || query.sortBy.trim() === '') return null;
  const direction = (query.sortOrder ?? 'ascending').toLowerCase();
  if (direction !== 'ascending' && direction !== 'descending') {
    throw invalidValue('sortOrder must be ascending or descending');
  }
  let path: AttrPath;
  try {
    path = parseAttrPath(query.sortBy.trim(), knownUrns);
  } catch {
    throw invalidValue(`sortBy: "${query.sortBy}" is not an attribute name`);
  }
  try {
    const attr = expression(path);
    const expr =
      attr.type === 'string' && !attr.caseExact && !attr.isLowered
        ? sql`lower(${attr.expr})`
        : attr.expr;
    return { expr, descending: direction === 'descending' };
  } catch (error) {
    if (error instanceof AppError) throw invalidValue(`sortBy: ${error.message}`);
    throw error;
  }
}

/** A ListResponse message. */
export function listResponse(
  total: number,
  startIndex: number,
  resources: JsonObject[],
): JsonObject {
  return {
    schemas: [scimUrns.listResponse],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
