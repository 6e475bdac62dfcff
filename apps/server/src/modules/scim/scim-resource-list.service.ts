import type { scimListQuerySchema } from '@steward/contracts';
import type { z } from 'zod';
import type { Tx } from '../../platform/db/pools.ts';
import {
  isAttributeWanted,
  parseProjection,
  projectResource,
  type JsonObject,
} from './scim-document.ts';
import type { AttrPath } from './scim-filter.ts';
import { filterCondition, listResponse, parsePaging, sortOrder } from './scim-list.ts';
import type { ResourceSchema } from './scim-schema.ts';
import type { AttributeResolver, Condition, ScalarAttribute } from './scim-sql.ts';
import type { ListOrder } from './scim-users.repo.ts';
import type { ScimContext } from './scim-users.service.ts';

/** How one resource type is listed: its SQL pieces and how a row becomes a resource. */
export interface ResourceListing<Row extends { id: string; total: string }, Related> {
  resource: ResourceSchema;
  resolveAttribute: AttributeResolver;
  sortExpression: (path: AttrPath) => ScalarAttribute;
  countRows: (tx: Tx, condition: Condition | null) => Promise<number>;
  findPage: (
    tx: Tx,
    condition: Condition | null,
    order: ListOrder | null,
    offset: number,
    limit: number,
  ) => Promise<Row[]>;
  /** The core attribute kept in another table, loaded only when the response carries it. */
  relatedAttribute: string;
  findRelated: (tx: Tx, ids: readonly string[]) => Promise<Map<string, Related>>;
  /** The full resource of a row; `related` is null when the attribute was not loaded. */
  toResource: (row: Row, related: Map<string, Related> | null, baseUrl: string) => JsonObject;
}

/** Resources matching a filter, one page (RFC 7644 §3.4.2); `count=0` only counts them. */
export async function listResources<Row extends { id: string; total: string }, Related>(
  ctx: ScimContext,
  query: z.output<typeof scimListQuerySchema>,
  listing: ResourceListing<Row, Related>,
): Promise<JsonObject> {
  const condition = filterCondition(query.filter, listing.resolveAttribute);
  const order = sortOrder(query, listing.sortExpression);
  const paging = parsePaging(query);
  const projection = parseProjection(query);
  return ctx.uow.read(async (tx) => {
    if (paging.count === 0) {
      return listResponse(await listing.countRows(tx, condition), paging.startIndex, []);
    }
    const rows = await listing.findPage(tx, condition, order, paging.startIndex - 1, paging.count);
    const total = rows[0] ? Number(rows[0].total) : await listing.countRows(tx, condition);
    const related = isAttributeWanted(projection, listing.resource, listing.relatedAttribute)
      ? await listing.findRelated(
          tx,
          rows.map((r) => r.id),
        )
      : null;
    const resources = rows.map((row) =>
      projectResource(listing.toResource(row, related, ctx.baseUrl), projection, listing.resource),
    );
    return listResponse(total, paging.startIndex, resources);
  });
}
