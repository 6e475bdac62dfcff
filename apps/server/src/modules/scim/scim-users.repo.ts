import { scimUrns } from '@steward/contracts';
import { sql, type CompiledQuery, type RawBuilder } from 'kysely';
import { compileOnce, sendPrepared, type Tx } from '../../platform/db/pools.ts';
import type { PersonRow } from '../people/index.ts';
import type { AttrPath } from './scim-filter.ts';
import {
  coreAttributes,
  findAttribute,
  userResource,
  enterpriseUserSchema,
  stewardUserSchema,
  type AttributeDef,
} from './scim-schema.ts';
import {
  column,
  invalidFilter,
  loweredColumn,
  scalar,
  type Condition,
  type ResolvedAttribute,
  type ScalarAttribute,
} from './scim-sql.ts';

/** A person as the SCIM service sees it, with their manager's name. */
export type ScimUserRow = PersonRow & { manager_name: string | null };

/** An order for a list: an expression and a direction. */
export interface ListOrder {
  expr: RawBuilder<unknown>;
  descending: boolean;
}

function jsonText(path: string[]): RawBuilder<unknown> {
  return sql`(p.scim_resource #>> ${path}::text[])`;
}

function jsonArray(path: string[], def: AttributeDef): ResolvedAttribute {
  const array = sql`coalesce(p.scim_resource #> ${path}::text[], '[]'::jsonb)`;
  return {
    kind: 'multi',
    name: def.name,
    present: sql<boolean>`jsonb_array_length(${array}) > 0`,
    exists: (build) =>
      sql<boolean>`EXISTS (SELECT 1 FROM jsonb_array_elements(${array}) AS el(v) WHERE ${build(
        (name) => {
          const sub = findAttribute(def.subAttributes, name);
          if (!sub) throw invalidFilter(`${def.name} has no ${name}`);
          return sub.type === 'boolean'
            ? scalar(sql`(el.v ->> ${sub.name}::text)::boolean`, 'boolean')
            : scalar(sql`(el.v ->> ${sub.name}::text)`, 'string', sub.caseExact);
        },
      )})`,
  };
}

const groupsAttribute: ResolvedAttribute = {
  kind: 'multi',
  name: 'groups',
  present: sql<boolean>`EXISTS (SELECT 1 FROM scim_group_members gm WHERE gm.person_id = p.id)`,
  exists: (build) =>
    sql<boolean>`EXISTS (SELECT 1 FROM scim_group_members gm JOIN scim_groups g ON g.id = gm.group_id
      WHERE gm.person_id = p.id AND ${build((name) => {
        const lower = name.toLowerCase();
        if (lower === 'value') return scalar(column('g.id'), 'uuid', true);
        if (lower === 'display') return scalar(column('g.display_name'));
        if (lower === 'type') return scalar(sql`'direct'`);
        throw invalidFilter(`groups has no ${name} to filter on`);
      })})`,
};

function complexOrSimple(path: string[], def: AttributeDef, sub: string | null): ResolvedAttribute {
  if (def.multiValued) return jsonArray(path, def);
  if (def.type === 'complex') {
    const subDef = sub === null ? undefined : findAttribute(def.subAttributes, sub);
    if (!subDef) {
      throw invalidFilter(
        `${def.name} has sub-attributes: filter on one, e.g. ${def.name}.${def.subAttributes?.[0]?.name ?? ''}`,
      );
    }
    return scalar(jsonText([...path, subDef.name]), 'string', subDef.caseExact);
  }
  if (def.type === 'boolean') return scalar(sql`(${jsonText(path)})::boolean`, 'boolean');
  return scalar(jsonText(path), 'string', def.caseExact);
}

function resolveCore(path: AttrPath): ResolvedAttribute {
  const def = findAttribute(coreAttributes(userResource), path.attr ?? '');
  if (!def) throw invalidFilter(`Unknown attribute "${path.attr ?? ''}"`);
  switch (def.name) {
    case 'id':
      return scalar(column('p.id'), 'uuid', true);
    case 'externalId':
      return scalar(column('p.scim_external_id'), 'string', true);
    case 'userName':
      return loweredColumn('p.scim_user_name_key');
    case 'active':
      return scalar(sql`(p.status <> 'departed')`, 'boolean');
    case 'meta': {
      const sub = path.sub?.toLowerCase();
      if (sub === 'created') return scalar(column('p.created_at'), 'dateTime');
      if (sub === 'lastmodified') return scalar(column('p.updated_at'), 'dateTime');
      if (sub === 'resourcetype') return scalar(sql`'User'`, 'string', true);
      throw invalidFilter('Filter on meta.created, meta.lastModified or meta.resourceType');
    }
    case 'groups':
      return groupsAttribute;
    case 'password':
      throw invalidFilter('password cannot be filtered on');
    default:
      return complexOrSimple([def.name], def, path.sub);
  }
}

function resolveEnterprise(path: AttrPath): ResolvedAttribute {
  const def = findAttribute(enterpriseUserSchema.attributes, path.attr ?? '');
  if (!def) throw invalidFilter(`Unknown attribute "${path.urn ?? ''}:${path.attr ?? ''}"`);
  if (def.name === 'employeeNumber') return loweredColumn('p.employee_number_key');
  if (def.name === 'department') return loweredColumn('p.department_key');
  if (def.name === 'manager') {
    const sub = (path.sub ?? 'value').toLowerCase();
    if (sub === 'value') return scalar(column('p.manager_ref'), 'string', true);
    if (sub === 'displayname') {
      return scalar(sql`(SELECT m.display_name FROM people m WHERE m.id = p.manager_id)`);
    }
    throw invalidFilter(`manager has no ${path.sub ?? ''}`);
  }
  return complexOrSimple([scimUrns.enterpriseUser, def.name], def, path.sub);
}

function resolveSteward(path: AttrPath): ResolvedAttribute {
  const def = findAttribute(stewardUserSchema.attributes, path.attr ?? '');
  if (!def) throw invalidFilter(`Unknown attribute "${path.urn ?? ''}:${path.attr ?? ''}"`);
  switch (def.name) {
    case 'employmentType':
      return scalar(column('p.employment_type'));
    case 'startDate':
      return scalar(sql`to_char(p.start_date, 'YYYY-MM-DD')`);
    case 'endDate':
      return scalar(sql`to_char(p.end_date, 'YYYY-MM-DD')`);
    default:
      return scalar(column('p.status'));
  }
}

/** What a User attribute path means in SQL (for filters and sortBy). */
export function resolveUserAttribute(path: AttrPath): ResolvedAttribute {
  if (path.urn === scimUrns.enterpriseUser) return resolveEnterprise(path);
  if (path.urn === scimUrns.stewardUser) return resolveSteward(path);
  if (path.urn !== null && path.urn !== scimUrns.user) {
    throw invalidFilter(`${path.urn} is not a schema of users`);
  }
  return resolveCore(path);
}

function selectUsers(tx: Tx) {
  return tx
    .selectFrom('people as p')
    .leftJoin('people as m', 'm.id', 'p.manager_id')
    .selectAll('p')
    .select('m.display_name as manager_name')
    .where('p.scim_user_name', 'is not', null)
    .where('p.scim_removed_at', 'is', null);
}

/**
 * A page of users matching a condition, with the number of all matches. The page is chosen on
 * narrow rows first, so only its users are read whole and joined to their managers.
 */
export async function findUserPage(
  tx: Tx,
  condition: Condition | null,
  order: ListOrder | null,
  offset: number,
  limit: number,
): Promise<(ScimUserRow & { total: string })[]> {
  return findUserPageQuery(tx, condition, order, offset, limit).execute();
}

function findUserPageQuery(
  tx: Tx,
  condition: Condition | null,
  order: ListOrder | null,
  offset: number,
  limit: number,
) {
  const ordering = order
    ? sql`${order.expr} ${order.descending ? sql`DESC` : sql`ASC`} NULLS LAST, p.created_at, p.id`
    : sql`p.created_at, p.id`;
  return tx
    .with('page', (db) => {
      let query = db
        .selectFrom('people as p')
        .select([
          'p.id',
          sql<string>`count(*) OVER ()`.as('total'),
          sql<string>`row_number() OVER (ORDER BY ${ordering})`.as('ord'),
        ])
        .where('p.scim_user_name', 'is not', null)
        .where('p.scim_removed_at', 'is', null);
      if (condition) query = query.where(condition);
      return query.orderBy('ord').offset(offset).limit(limit);
    })
    .selectFrom('page')
    .innerJoin('people as p', 'p.id', 'page.id')
    .leftJoin('people as m', 'm.id', 'p.manager_id')
    .selectAll('p')
    .select(['m.display_name as manager_name', 'page.total'])
    .orderBy('page.ord');
}

/** How many users match a condition. */
export async function countUsers(tx: Tx, condition: Condition | null): Promise<number> {
  let query = tx
    .selectFrom('people as p')
    .select(sql<string>`count(*)`.as('n'))
    .where('p.scim_user_name', 'is not', null)
    .where('p.scim_removed_at', 'is', null);
  if (condition) query = query.where(condition);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One user visible to SCIM clients. */
export async function findUser(tx: Tx, id: string): Promise<ScimUserRow | undefined> {
  return selectUsers(tx).where('p.id', '=', id).executeTakeFirst();
}

/** One user visible to SCIM clients, locked for the rest of the transaction. */
export async function findUserForUpdate(tx: Tx, id: string): Promise<PersonRow | undefined> {
  return tx
    .selectFrom('people')
    .selectAll()
    .where('id', '=', id)
    .where('scim_user_name', 'is not', null)
    .where('scim_removed_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

const adoptableQuery = compileOnce((db, email: string) =>
  db
    .selectFrom('people')
    .selectAll()
    .where('email', '=', email)
    .where(sql<boolean>`source IN ('csv', 'manual')`)
    .where('scim_user_name', 'is', null)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .forUpdate(),
);

/**
 * A person entered by hand or from CSV with this work email, whom SCIM may take over (locked).
 * The lookup is sent before the first await, so statements sent right after it share its round
 * trip (see sendPrepared).
 */
export async function findAdoptable(tx: Tx, email: string): Promise<PersonRow | undefined> {
  return (await sendPrepared(tx, adoptableQuery(email) as CompiledQuery<PersonRow>)).rows[0];
}

const anyAdoptableQuery = compileOnce((db, email: string) =>
  db
    .selectFrom('people')
    .select(sql<number>`1`.as('found'))
    .where('email', '=', email)
    .where(sql<boolean>`source IN ('csv', 'manual')`)
    .where('scim_user_name', 'is', null)
    .limit(1),
);

/**
 * Whether someone entered by hand or from CSV has this work email (nothing is locked). Sent
 * before the first await, so statements sent right after it share its round trip.
 */
export async function hasAdoptable(tx: Tx, email: string): Promise<boolean> {
  return (await sendPrepared(tx, anyAdoptableQuery(email))).rows.length > 0;
}

/** The name of a person (for a manager's displayName). */
export async function findDisplayName(tx: Tx, id: string | null): Promise<string | null> {
  if (id === null) return null;
  const row = await tx
    .selectFrom('people')
    .select('display_name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.display_name ?? null;
}

/** The groups of each of these people. */
export async function findGroupsOfPeople(
  tx: Tx,
  personIds: readonly string[],
): Promise<Map<string, { id: string; displayName: string }[]>> {
  const groups = new Map<string, { id: string; displayName: string }[]>();
  if (personIds.length === 0) return groups;
  const rows = await tx
    .selectFrom('scim_group_members as gm')
    .innerJoin('scim_groups as g', 'g.id', 'gm.group_id')
    .select(['gm.person_id', 'g.id', 'g.display_name'])
    .where('gm.person_id', '=', sql<string>`ANY(${[...personIds]}::uuid[])`)
    .orderBy('g.display_name')
    .execute();
  for (const row of rows) {
    const list = groups.get(row.person_id) ?? [];
    list.push({ id: row.id, displayName: row.display_name });
    groups.set(row.person_id, list);
  }
  return groups;
}

/** Take a person out of every group; returns how many memberships ended. */
export async function removeFromAllGroups(tx: Tx, personId: string): Promise<number> {
  const result = await tx
    .deleteFrom('scim_group_members')
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Whether this is a PostgreSQL unique violation of the userName index. */
export function isUserNameTaken(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'people_scim_user_name_key';
}

/** Resolve a sort attribute to an expression (single-valued attributes only). */
export function userSortExpression(path: AttrPath): ScalarAttribute {
  const resolved = resolveUserAttribute(path);
  if (resolved.kind !== 'scalar') throw invalidFilter('sortBy names a single-valued attribute');
  return resolved;
}
