import {
  scimUrns,
  type scimListQuerySchema,
  type scimProjectionQuerySchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { writeIfChanged } from '../people/index.ts';
import {
  invalidSyntax,
  invalidValue,
  isAttributeWanted,
  isJsonObject,
  normaliseResource,
  parseProjection,
  projectResource,
  type JsonObject,
  type Projection,
} from './scim-document.ts';
import type { Filter } from './scim-filter.ts';
import {
  applyPatch,
  parsePatchRequest,
  resolvePatchTarget,
  type PatchOperation,
} from './scim-patch.ts';
import { findAttribute, groupResource, groupSchema } from './scim-schema.ts';
import { compileValueFilter } from './scim-sql.ts';
import * as repo from './scim-groups.repo.ts';
import { listResources, type ResourceListing } from './scim-resource-list.service.ts';
import { isResourceId, notFound, type ScimContext } from './scim-users.service.ts';

const membersDef = findAttribute(groupSchema.attributes, 'members');

/** A group as a SCIM Group; `members` null when they were not loaded (not asked for). */
export function toScimGroup(
  row: repo.GroupRow,
  members: repo.MemberRow[] | null,
  baseUrl: string,
): JsonObject {
  return {
    schemas: [scimUrns.group],
    id: row.id,
    ...(row.external_id !== null ? { externalId: row.external_id } : {}),
    displayName: row.display_name,
    ...(members && members.length > 0
      ? {
          members: members.map((m) => ({
            value: m.id,
            $ref: `${baseUrl}/Users/${m.id}`,
            display: m.displayName,
            type: 'User',
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: row.created_at.toISOString(),
      lastModified: row.updated_at.toISOString(),
      location: `${baseUrl}/Groups/${row.id}`,
    },
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user ids of a list of member values; each is `{"value": "<user id>"}`. */
function memberIds(value: unknown, where: string): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const ids = list.map((item, i) => {
    const at = `${where}[${String(i)}]`;
    if (!isJsonObject(item)) {
      throw invalidValue(
        `${at} must be an object such as {"value": "<user id>"}, not ${JSON.stringify(item)}`,
      );
    }
    const fields: JsonObject = {};
    for (const [key, inner] of Object.entries(item)) {
      const sub = findAttribute(membersDef?.subAttributes, key);
      if (!sub) throw invalidSyntax(`Unknown attribute "${at}.${key}"`);
      fields[sub.name] = inner;
    }
    const id = fields.value;
    if (typeof id !== 'string' || id === '')
      throw invalidValue(`${at}.value (a user id) is required`);
    if (typeof fields.type === 'string' && fields.type.toLowerCase() !== 'user') {
      throw invalidValue(`${at}: only users can be members of a group`);
    }
    if (!uuidPattern.test(id)) throw invalidValue(`${at}.value: no user with id ${id}`);
    return id.toLowerCase();
  });
  return [...new Set(ids)];
}

async function checkUsersExist(tx: Tx, ids: readonly string[]): Promise<void> {
  const unknown = await repo.findUnknownUsers(tx, ids);
  if (unknown.length > 0) {
    throw invalidValue(`members: no user with id ${unknown.join(', ')}`);
  }
}

async function presentGroup(
  ctx: ScimContext,
  tx: Tx,
  id: string,
  projection: Projection,
): Promise<JsonObject> {
  const row = await repo.findGroup(tx, id);
  if (!row) throw notFound('Group', id);
  const members = isAttributeWanted(projection, groupResource, 'members')
    ? ((await repo.findMembersOfGroups(tx, [id])).get(id) ?? [])
    : null;
  return projectResource(toScimGroup(row, members, ctx.baseUrl), projection, groupResource);
}

const groupListing: ResourceListing<repo.GroupRow & { total: string }, repo.MemberRow[]> = {
  resource: groupResource,
  resolveAttribute: repo.resolveGroupAttribute,
  sortExpression: repo.groupSortExpression,
  countRows: repo.countGroups,
  findPage: repo.findGroupPage,
  relatedAttribute: 'members',
  findRelated: repo.findMembersOfGroups,
  toResource: (row, members, baseUrl) =>
    toScimGroup(row, members ? (members.get(row.id) ?? []) : null, baseUrl),
};

/** Groups matching a filter, one page; members are loaded only when the response carries them. */
export function listGroups(
  ctx: ScimContext,
  query: z.output<typeof scimListQuerySchema>,
): Promise<JsonObject> {
  return listResources(ctx, query, groupListing);
}

/** One group. */
export async function getGroup(
  ctx: ScimContext,
  id: string,
  query: z.output<typeof scimProjectionQuerySchema>,
): Promise<JsonObject> {
  if (!isResourceId(id)) throw notFound('Group', id);
  const projection = parseProjection(query);
  return ctx.uow.read((tx) => presentGroup(ctx, tx, id, projection));
}

function groupAttributes(doc: JsonObject): { displayName: string; externalId: string | null } {
  const displayName = String(doc.displayName);
  if (displayName.length > 300) throw invalidValue('displayName is longer than 300 characters');
  return {
    displayName,
    externalId: typeof doc.externalId === 'string' ? doc.externalId : null,
  };
}

/** Create a group with its members. */
export async function createGroup(ctx: ScimContext, body: unknown): Promise<JsonObject> {
  const { doc } = normaliseResource(groupResource, body);
  const attributes = groupAttributes(doc);
  const ids = memberIds(doc.members, 'members');
  return ctx.uow.write(async ({ tx, audit }) => {
    await checkUsersExist(tx, ids);
    const row = await repo.insertGroup(tx, {
      orgId: ctx.uow.orgId,
      ...attributes,
      tokenId: ctx.client.tokenId,
    });
    const added = await repo.addMembers(tx, ctx.uow.orgId, row.id, ids);
    await audit({
      action: 'group.created',
      targetType: 'group',
      targetId: row.id,
      changes: { ...attributes, membersAdded: added.count, addedSample: added.sample },
    });
    return presentGroup(ctx, tx, row.id, { attributes: null, excluded: [] });
  });
}

/** Replace a group: its name, external id and whole member list (set operations in SQL). */
export async function replaceGroup(
  ctx: ScimContext,
  id: string,
  body: unknown,
  query: z.output<typeof scimProjectionQuerySchema>,
): Promise<JsonObject> {
  if (!isResourceId(id)) throw notFound('Group', id);
  const projection = parseProjection(query);
  const { doc } = normaliseResource(groupResource, body);
  const attributes = groupAttributes(doc);
  const ids = memberIds(doc.members, 'members');
  await writeIfChanged<null>(ctx.uow, async ({ tx, audit }, unchanged) => {
    const row = await repo.findGroup(tx, id, true);
    if (!row) throw notFound('Group', id);
    await checkUsersExist(tx, ids);
    const removed = await repo.removeMembersExcept(tx, id, ids);
    const added = await repo.addMembers(tx, ctx.uow.orgId, id, ids);
    const isRenamed =
      row.display_name !== attributes.displayName || row.external_id !== attributes.externalId;
    if (!isRenamed && added.count === 0 && removed.count === 0) unchanged(null);
    await repo.updateGroup(tx, id, { ...attributes, tokenId: ctx.client.tokenId });
    await audit({
      action: 'group.updated',
      targetType: 'group',
      targetId: id,
      changes: {
        ...attributes,
        membersAdded: added.count,
        membersRemoved: removed.count,
        addedSample: added.sample,
        removedSample: removed.sample,
      },
    });
    return null;
  });
  return ctx.uow.read((tx) => presentGroup(ctx, tx, id, projection));
}

function isMembersKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower === 'members' || lower === `${scimUrns.group.toLowerCase()}:members`;
}

/**
 * Apply a PATCH to a group. Member changes are set operations in SQL (add: union; remove by
 * filter, by a list of values as Entra sends, or all), so a group of any size is never loaded.
 * Returns the group when the request asked for attributes, else null (204).
 */
export async function patchGroup(
  ctx: ScimContext,
  id: string,
  body: unknown,
  query: z.output<typeof scimProjectionQuerySchema>,
): Promise<JsonObject | null> {
  if (!isResourceId(id)) throw notFound('Group', id);
  const operations = parsePatchRequest(body);
  await writeIfChanged<null>(ctx.uow, async ({ tx, audit }, unchanged) => {
    const row = await repo.findGroup(tx, id, true);
    if (!row) throw notFound('Group', id);
    let doc: JsonObject = {
      displayName: row.display_name,
      ...(row.external_id !== null ? { externalId: row.external_id } : {}),
    };
    const added: repo.MemberDelta = { count: 0, sample: [] };
    const removed: repo.MemberDelta = { count: 0, sample: [] };
    const count = (total: repo.MemberDelta, step: repo.MemberDelta) => {
      total.count += step.count;
      total.sample = [...total.sample, ...step.sample].slice(0, 20);
    };
    const changeMembers = async (
      op: PatchOperation['op'],
      filter: Filter | null,
      value: unknown,
    ) => {
      if (op === 'remove') {
        if (filter) {
          const condition = compileValueFilter(filter, repo.memberSubAttribute, 'members');
          count(removed, await repo.removeMembersWhere(tx, id, condition));
        } else if (value === undefined || value === null) {
          count(removed, await repo.removeMembersWhere(tx, id, null));
        } else {
          // Entra removes members with path "members" and the list of those to remove.
          count(removed, await repo.removeMembers(tx, id, memberIds(value, 'value')));
        }
        return;
      }
      if (filter) {
        throw new AppError(
          'scim.invalid_path',
          `${op} members with path "members" and a list of values, not a filter`,
        );
      }
      const ids = memberIds(value, 'value');
      await checkUsersExist(tx, ids);
      if (op === 'replace') count(removed, await repo.removeMembersExcept(tx, id, ids));
      count(added, await repo.addMembers(tx, ctx.uow.orgId, id, ids));
    };
    for (const operation of operations) {
      if (operation.path === null) {
        if (!isJsonObject(operation.value)) {
          throw invalidValue(`A ${operation.op} without a path takes an object of attributes`);
        }
        const rest: JsonObject = {};
        for (const [key, value] of Object.entries(operation.value)) {
          if (isMembersKey(key)) await changeMembers(operation.op, null, value);
          else rest[key] = value;
        }
        if (Object.keys(rest).length > 0) {
          doc = applyPatch(doc, [{ ...operation, value: rest }], groupResource);
        }
        continue;
      }
      const target = resolvePatchTarget(groupResource, operation.path, operation.pathText ?? '');
      if (target.def?.name === 'members') {
        if (target.sub) {
          throw new AppError(
            'scim.invalid_path',
            'Members are added or removed whole; their attributes cannot be changed',
          );
        }
        await changeMembers(operation.op, target.filter, operation.value);
      } else {
        doc = applyPatch(doc, [operation], groupResource);
      }
    }
    const attributes = groupAttributes(normaliseResource(groupResource, doc).doc);
    const isRenamed =
      row.display_name !== attributes.displayName || row.external_id !== attributes.externalId;
    if (!isRenamed && added.count === 0 && removed.count === 0) unchanged(null);
    if (isRenamed) await repo.updateGroup(tx, id, { ...attributes, tokenId: ctx.client.tokenId });
    else await repo.touchGroup(tx, id, ctx.client.tokenId);
    await audit({
      action: 'group.updated',
      targetType: 'group',
      targetId: id,
      changes: {
        ...(isRenamed ? attributes : { displayName: row.display_name }),
        membersAdded: added.count,
        membersRemoved: removed.count,
        addedSample: added.sample,
        removedSample: removed.sample,
      },
    });
    return null;
  });
  const projection = parseProjection(query);
  if (projection.attributes === null && projection.excluded.length === 0) return null;
  return ctx.uow.read((tx) => presentGroup(ctx, tx, id, projection));
}

/** Delete a group; its memberships go with it. */
export async function deleteGroup(ctx: ScimContext, id: string): Promise<void> {
  if (!isResourceId(id)) throw notFound('Group', id);
  await ctx.uow.write(async ({ tx, audit }) => {
    const row = await repo.findGroup(tx, id, true);
    if (!row) throw notFound('Group', id);
    await repo.deleteGroup(tx, id);
    await audit({
      action: 'group.deleted',
      targetType: 'group',
      targetId: id,
      changes: { displayName: row.display_name, externalId: row.external_id },
    });
  });
}
