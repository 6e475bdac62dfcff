import { scimUrns } from '@steward/contracts';
import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { ScimGroupsTable } from '../../platform/db/schema.ts';
import type { AttrPath } from './scim-filter.ts';
import { findAttribute, groupResource, idAttribute, metaAttribute } from './scim-schema.ts';
import {
  column,
  invalidFilter,
  scalar,
  type Condition,
  type ResolvedAttribute,
  type ScalarAttribute,
} from './scim-sql.ts';
import type { ListOrder } from './scim-users.repo.ts';

/** A row of `scim_groups`. */
export type GroupRow = Selectable<ScimGroupsTable>;

/** A member as listed: the person's id and name. */
export interface MemberRow {
  id: string;
  displayName: string;
}

/** What happened to a group's members: how many, and the first few ids (for the audit log). */
export interface MemberDelta {
  count: number;
  sample: string[];
}

/** Sub-attributes of a membership row, for filters on members (alias `gm`). */
export function memberSubAttribute(name: string): ScalarAttribute {
  const lower = name.toLowerCase();
  if (lower === 'value') return scalar(column('gm.person_id'), 'uuid', true);
  if (lower === 'display') {
    return scalar(sql`(SELECT mp.display_name FROM people mp WHERE mp.id = gm.person_id)`);
  }
  if (lower === 'type') return scalar(sql`'User'`);
  throw invalidFilter(`members has no ${name} to filter on`);
}

const membersAttribute: ResolvedAttribute = {
  kind: 'multi',
  name: 'members',
  present: sql<boolean>`EXISTS (SELECT 1 FROM scim_group_members gm WHERE gm.group_id = g.id)`,
  exists: (build) =>
    sql<boolean>`EXISTS (SELECT 1 FROM scim_group_members gm
      WHERE gm.group_id = g.id AND ${build(memberSubAttribute)})`,
};

/** What a Group attribute path means in SQL (for filters and sortBy). */
export function resolveGroupAttribute(path: AttrPath): ResolvedAttribute {
  if (path.urn !== null && path.urn !== scimUrns.group) {
    throw invalidFilter(`${path.urn} is not a schema of groups`);
  }
  const name = (path.attr ?? '').toLowerCase();
  if (name === idAttribute.name.toLowerCase()) return scalar(column('g.id'), 'uuid', true);
  if (name === 'externalid') return scalar(column('g.external_id'), 'string', true);
  if (name === 'displayname') return scalar(column('g.display_name'));
  if (name === 'members') return membersAttribute;
  if (name === metaAttribute.name) {
    const sub = path.sub?.toLowerCase();
    if (sub === 'created') return scalar(column('g.created_at'), 'dateTime');
    if (sub === 'lastmodified') return scalar(column('g.updated_at'), 'dateTime');
    if (sub === 'resourcetype') return scalar(sql`'Group'`, 'string', true);
    throw invalidFilter('Filter on meta.created, meta.lastModified or meta.resourceType');
  }
  const known = findAttribute(groupResource.core.attributes, path.attr ?? '');
  throw invalidFilter(
    known ? `${known.name} cannot be filtered on` : `Unknown attribute "${path.attr ?? ''}"`,
  );
}

/** Resolve a sort attribute of groups. */
export function groupSortExpression(path: AttrPath): ScalarAttribute {
  const resolved = resolveGroupAttribute(path);
  if (resolved.kind !== 'scalar') throw invalidFilter('sortBy names a single-valued attribute');
  return resolved;
}

/** A page of groups matching a condition, with the number of all matches. */
export async function findGroupPage(
  tx: Tx,
  condition: Condition | null,
  order: ListOrder | null,
  offset: number,
  limit: number,
): Promise<(GroupRow & { total: string })[]> {
  let query = tx
    .selectFrom('scim_groups as g')
    .selectAll('g')
    .select(sql<string>`count(*) OVER ()`.as('total'));
  if (condition) query = query.where(condition);
  if (order) {
    query = query.orderBy(
      order.descending ? sql`${order.expr} DESC NULLS LAST` : sql`${order.expr} ASC NULLS LAST`,
    );
  }
  return query.orderBy('g.created_at').orderBy('g.id').offset(offset).limit(limit).execute();
}

/** How many groups match a condition. */
export async function countGroups(tx: Tx, condition: Condition | null): Promise<number> {
  let query = tx.selectFrom('scim_groups as g').select(sql<string>`count(*)`.as('n'));
  if (condition) query = query.where(condition);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** One group. */
export async function findGroup(
  tx: Tx,
  id: string,
  forUpdate = false,
): Promise<GroupRow | undefined> {
  let query = tx.selectFrom('scim_groups').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Insert a group. */
export async function insertGroup(
  tx: Tx,
  group: { orgId: string; displayName: string; externalId: string | null; tokenId: string },
): Promise<GroupRow> {
  return tx
    .insertInto('scim_groups')
    .values({
      org_id: group.orgId,
      display_name: group.displayName,
      external_id: group.externalId,
      scim_token_id: group.tokenId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Change a group's name and external id. */
export async function updateGroup(
  tx: Tx,
  id: string,
  group: { displayName: string; externalId: string | null; tokenId: string },
): Promise<void> {
  await tx
    .updateTable('scim_groups')
    .set({
      display_name: group.displayName,
      external_id: group.externalId,
      scim_token_id: group.tokenId,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Mark a group changed (its members changed). */
export async function touchGroup(tx: Tx, id: string, tokenId: string): Promise<void> {
  await tx
    .updateTable('scim_groups')
    .set({ updated_at: new Date(), scim_token_id: tokenId })
    .where('id', '=', id)
    .execute();
}

/** Delete a group (its memberships go with it). */
export async function deleteGroup(tx: Tx, id: string): Promise<boolean> {
  const result = await tx.deleteFrom('scim_groups').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The members of each of these groups, by name. */
export async function findMembersOfGroups(
  tx: Tx,
  groupIds: readonly string[],
): Promise<Map<string, MemberRow[]>> {
  const members = new Map<string, MemberRow[]>();
  if (groupIds.length === 0) return members;
  const rows = await tx
    .selectFrom('scim_group_members as gm')
    .innerJoin('people as p', 'p.id', 'gm.person_id')
    .select(['gm.group_id', 'p.id', 'p.display_name'])
    .where('gm.group_id', '=', sql<string>`ANY(${[...groupIds]}::uuid[])`)
    .orderBy('p.display_name')
    .orderBy('p.id')
    .execute();
  for (const row of rows) {
    const list = members.get(row.group_id) ?? [];
    list.push({ id: row.id, displayName: row.display_name });
    members.set(row.group_id, list);
  }
  return members;
}

/** Of these ids, up to five that are no user a SCIM client can see. */
export async function findUnknownUsers(tx: Tx, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    SELECT x.id FROM unnest(${[...ids]}::uuid[]) AS x(id)
     WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = x.id
                         AND p.scim_user_name IS NOT NULL AND p.scim_removed_at IS NULL)
     LIMIT 5`.execute(tx);
  return rows.map((r) => r.id);
}

function delta(rows: { n: string; sample: string[] | null }[]): MemberDelta {
  const row = rows[0];
  return { count: Number(row?.n ?? 0), sample: row?.sample ?? [] };
}

/** Add members (set union, in SQL); returns who was not a member before. */
export async function addMembers(
  tx: Tx,
  orgId: string,
  groupId: string,
  ids: readonly string[],
): Promise<MemberDelta> {
  if (ids.length === 0) return { count: 0, sample: [] };
  const { rows } = await sql<{ n: string; sample: string[] | null }>`
    WITH added AS (
      INSERT INTO scim_group_members (org_id, group_id, person_id)
      SELECT ${orgId}::uuid, ${groupId}::uuid, x.id FROM unnest(${[...ids]}::uuid[]) AS x(id)
      ON CONFLICT DO NOTHING
      RETURNING person_id)
    SELECT count(*) AS n, (array_agg(person_id))[1:20]::text[] AS sample FROM added`.execute(tx);
  return delta(rows);
}

/** Remove these members (set difference, in SQL). */
export async function removeMembers(
  tx: Tx,
  groupId: string,
  ids: readonly string[],
): Promise<MemberDelta> {
  if (ids.length === 0) return { count: 0, sample: [] };
  const { rows } = await sql<{ n: string; sample: string[] | null }>`
    WITH removed AS (
      DELETE FROM scim_group_members
       WHERE group_id = ${groupId}::uuid AND person_id = ANY(${[...ids]}::uuid[])
      RETURNING person_id)
    SELECT count(*) AS n, (array_agg(person_id))[1:20]::text[] AS sample FROM removed`.execute(tx);
  return delta(rows);
}

/** Remove the members a condition on `gm` selects (all of them when null). */
export async function removeMembersWhere(
  tx: Tx,
  groupId: string,
  condition: Condition | null,
): Promise<MemberDelta> {
  const { rows } = await sql<{ n: string; sample: string[] | null }>`
    WITH removed AS (
      DELETE FROM scim_group_members gm
       WHERE gm.group_id = ${groupId}::uuid AND ${condition ?? sql<boolean>`true`}
      RETURNING gm.person_id)
    SELECT count(*) AS n, (array_agg(person_id))[1:20]::text[] AS sample FROM removed`.execute(tx);
  return delta(rows);
}

/** Remove every member not in `ids` (the other half of replacing the member list). */
export async function removeMembersExcept(
  tx: Tx,
  groupId: string,
  ids: readonly string[],
): Promise<MemberDelta> {
  const { rows } = await sql<{ n: string; sample: string[] | null }>`
    WITH removed AS (
      DELETE FROM scim_group_members
       WHERE group_id = ${groupId}::uuid AND NOT (person_id = ANY(${[...ids]}::uuid[]))
      RETURNING person_id)
    SELECT count(*) AS n, (array_agg(person_id))[1:20]::text[] AS sample FROM removed`.execute(tx);
  return delta(rows);
}
