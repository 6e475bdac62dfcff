import type {
  EmploymentType,
  Person,
  PersonChange,
  PersonSource,
  PersonStatus,
} from '@steward/contracts';
import {
  sql,
  type CompiledQuery,
  type Insertable,
  type Kysely,
  type Selectable,
  type Updateable,
} from 'kysely';
import { compileOnce, sendPrepared, type Tx } from '../../platform/db/pools.ts';
import type { Database, PeopleTable } from '../../platform/db/schema.ts';

/** A row of `people`. */
export type PersonRow = Selectable<PeopleTable>;

/** A row of `people` with the name of the person's manager. */
export type PersonWithManager = PersonRow & { manager_name: string | null };

/** Map a row to the API shape. */
export function toPerson(row: PersonWithManager): Person {
  return {
    id: row.id,
    displayName: row.display_name,
    givenName: row.given_name,
    familyName: row.family_name,
    email: row.email,
    employeeNumber: row.employee_number,
    department: row.department,
    title: row.title,
    manager:
      row.manager_id && row.manager_name !== null
        ? { id: row.manager_id, displayName: row.manager_name }
        : null,
    managerRef: row.manager_id ? null : row.manager_ref,
    employmentType: row.employment_type as EmploymentType | null,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status as PersonStatus,
    source: row.source as PersonSource,
    userId: row.user_id,
    scimUserName: row.scim_user_name,
    isRemovedByIdp: row.scim_removed_at !== null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function selectPeople(tx: Tx) {
  return tx
    .selectFrom('people as p')
    .leftJoin('people as m', 'm.id', 'p.manager_id')
    .selectAll('p')
    .select('m.display_name as manager_name');
}

/** One person with their manager's name. */
export async function findPerson(tx: Tx, id: string): Promise<PersonWithManager | undefined> {
  return selectPeople(tx).where('p.id', '=', id).executeTakeFirst();
}

/** One person, locked for the rest of the transaction. */
export async function findPersonForUpdate(tx: Tx, id: string): Promise<PersonRow | undefined> {
  return tx.selectFrom('people').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Filters of the people list. */
export interface PeopleFilters {
  status?: string | undefined;
  source?: string | undefined;
  department?: string | undefined;
  managerId?: string | undefined;
  q?: string | undefined;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page of people by (name, id), starting after `after`. */
export async function findPeoplePage(
  tx: Tx,
  filters: PeopleFilters,
  after: { name: string; id: string } | null,
  limit: number,
): Promise<PersonWithManager[]> {
  let query = selectPeople(tx);
  if (filters.status !== undefined) query = query.where('p.status', '=', filters.status);
  if (filters.source !== undefined) query = query.where('p.source', '=', filters.source);
  if (filters.department !== undefined) {
    query = query.where('p.department_key', '=', filters.department.toLowerCase());
  }
  if (filters.managerId !== undefined) query = query.where('p.manager_id', '=', filters.managerId);
  if (filters.q !== undefined && filters.q !== '') {
    const pattern = likePattern(filters.q);
    query = query.where((eb) =>
      eb.or([
        eb('p.display_name', 'ilike', pattern),
        eb('p.email', 'ilike', pattern),
        eb('p.employee_number', 'ilike', pattern),
      ]),
    );
  }
  if (after) {
    query = query.where(sql<boolean>`(p.display_name, p.id) > (${after.name}, ${after.id}::uuid)`);
  }
  return query.orderBy('p.display_name').orderBy('p.id').limit(limit).execute();
}

/** Insert a person. */
export async function insertPerson(tx: Tx, values: Insertable<PeopleTable>): Promise<PersonRow> {
  return tx.insertInto('people').values(values).returningAll().executeTakeFirstOrThrow();
}

type RecordedChange = Omit<PersonChangeInput, 'orgId' | 'personId'>;

function buildInsertRecorded(
  db: Kysely<Database>,
  values: Insertable<PeopleTable> & { org_id: string },
  kind: unknown,
  source: unknown,
  actorLabel: unknown,
  changes: unknown,
) {
  return db
    .with('p', (qb) => qb.insertInto('people').values(values).returningAll())
    .with('c', (qb) =>
      qb
        .insertInto('person_changes')
        .columns(['org_id', 'person_id', 'kind', 'source', 'actor_label', 'changes'])
        .expression((eb) =>
          eb
            .selectFrom('p')
            .select([
              'p.org_id',
              'p.id',
              sql<string>`${kind}::text`.as('kind'),
              sql<string>`${source}::text`.as('source'),
              sql<string | null>`${actorLabel}::text`.as('actor_label'),
              sql<string>`${changes}::jsonb`.as('changes'),
            ]),
        ),
    )
    .with('l', (qb) =>
      qb
        .updateTable('people as w')
        .from('p')
        .set({ manager_id: sql`p.id` })
        .where('w.manager_id', 'is', null)
        .where('w.manager_ref', 'is not', null)
        .where(
          sql<boolean>`w.manager_ref IN (p.id::text, p.scim_external_id, p.employee_number, p.email)`,
        )
        .whereRef('w.id', '<>', 'p.id'),
    )
    .selectFrom('p')
    .selectAll();
}

// One compiled statement per set of columns written (a source writes the same ones each time):
// building the statement costs more CPU than PostgreSQL spends running it.
const insertRecordedByColumns = new Map<string, (...args: unknown[]) => CompiledQuery<PersonRow>>();
const maxInsertShapes = 64;

function insertRecordedQuery(
  values: Insertable<PeopleTable> & { org_id: string },
  change: RecordedChange,
): CompiledQuery<PersonRow> {
  const columns = Object.keys(values)
    .filter((column) => values[column as keyof typeof values] !== undefined)
    .sort();
  const key = columns.join(',');
  let compiled = insertRecordedByColumns.get(key);
  if (!compiled) {
    compiled = compileOnce((db, ...args: unknown[]) =>
      buildInsertRecorded(
        db,
        Object.fromEntries(
          columns.map((column, i) => [column, args[i]]),
        ) as Insertable<PeopleTable> & {
          org_id: string;
        },
        args[columns.length],
        args[columns.length + 1],
        args[columns.length + 2],
        args[columns.length + 3],
      ),
    );
    if (insertRecordedByColumns.size >= maxInsertShapes) insertRecordedByColumns.clear();
    insertRecordedByColumns.set(key, compiled);
  }
  return compiled(
    ...columns.map((column) => values[column as keyof typeof values]),
    change.kind,
    change.source,
    change.actorLabel,
    JSON.stringify(change.changes),
  );
}

/**
 * Insert a person and the first entry of their change trail in one statement, and link the
 * people whose manager reference names the new person. The statement is sent before the first
 * await: statements sent right after it share its round trip (see sendPrepared).
 */
export async function insertPersonRecorded(
  tx: Tx,
  values: Insertable<PeopleTable> & { org_id: string },
  change: RecordedChange,
): Promise<PersonRow> {
  const row = (await sendPrepared(tx, insertRecordedQuery(values, change))).rows[0];
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Update a person. */
export async function updatePerson(
  tx: Tx,
  id: string,
  values: Updateable<PeopleTable>,
): Promise<PersonRow> {
  return tx
    .updateTable('people')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** One entry of the change trail, as inserted. */
export interface PersonChangeInput {
  orgId: string;
  personId: string;
  kind: PersonChange['kind'];
  source: PersonSource;
  actorLabel: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
}

/** Append entries to the change trail. */
export async function insertPersonChanges(
  tx: Tx,
  changes: readonly PersonChangeInput[],
): Promise<void> {
  for (let i = 0; i < changes.length; i += 1000) {
    await tx
      .insertInto('person_changes')
      .values(
        changes.slice(i, i + 1000).map((c) => ({
          org_id: c.orgId,
          person_id: c.personId,
          kind: c.kind,
          source: c.source,
          actor_label: c.actorLabel,
          changes: JSON.stringify(c.changes),
        })),
      )
      .execute();
  }
}

/** A person's change trail, newest first. */
export async function listPersonChanges(
  tx: Tx,
  personId: string,
  limit: number,
): Promise<PersonChange[]> {
  const rows = await tx
    .selectFrom('person_changes')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: Number(r.seq),
    occurredAt: r.occurred_at.toISOString(),
    kind: r.kind as PersonChange['kind'],
    source: r.source as PersonSource,
    actorLabel: r.actor_label,
    changes: r.changes as PersonChange['changes'],
  }));
}

/** The SCIM groups a person belongs to, by name. */
export async function findGroupsOfPerson(
  tx: Tx,
  personId: string,
): Promise<{ id: string; displayName: string }[]> {
  return tx
    .selectFrom('scim_group_members as gm')
    .innerJoin('scim_groups as g', 'g.id', 'gm.group_id')
    .select(['g.id as id', 'g.display_name as displayName'])
    .where('gm.person_id', '=', personId)
    .orderBy('g.display_name')
    .execute();
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The person a manager reference names: by id, then external id, then employee number, then
 * email. Null when none matches (the reference is kept until someone does).
 */
export async function findManagerByRef(
  tx: Tx,
  ref: string,
  selfId: string | null,
): Promise<string | null> {
  const isId = uuidPattern.test(ref);
  const row = await tx
    .selectFrom('people')
    .select('id')
    .where((eb) =>
      eb.or([
        ...(isId ? [eb('id', '=', ref)] : []),
        eb('scim_external_id', '=', ref),
        eb('employee_number_key', '=', ref.toLowerCase()),
        eb('email', '=', ref.toLowerCase()),
      ]),
    )
    .$if(selfId !== null, (q) => q.where('id', '<>', selfId ?? ''))
    .orderBy(
      sql`CASE WHEN id::text = ${ref} THEN 0 WHEN scim_external_id = ${ref} THEN 1
               WHEN employee_number_key = ${ref.toLowerCase()} THEN 2 ELSE 3 END`,
    )
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Point people whose manager reference names this person at them; returns how many. */
export async function linkWaitingReports(
  tx: Tx,
  person: Pick<PersonRow, 'id' | 'scim_external_id' | 'employee_number' | 'email'>,
): Promise<number> {
  const refs = [person.id, person.scim_external_id, person.employee_number, person.email].filter(
    (r): r is string => r !== null && r !== '',
  );
  const result = await tx
    .updateTable('people')
    .set({ manager_id: person.id })
    .where('manager_id', 'is', null)
    .where('manager_ref', 'in', refs)
    .where('id', '<>', person.id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** People with any of these emails. */
export async function findPeopleByEmails(tx: Tx, emails: readonly string[]): Promise<PersonRow[]> {
  if (emails.length === 0) return [];
  return tx
    .selectFrom('people')
    .selectAll()
    .where('email', '=', sql<string>`ANY(${[...emails]}::text[])`)
    .execute();
}

/** Email addresses of people by id. */
export async function findEmailsByIds(
  tx: Tx,
  ids: readonly string[],
): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .selectFrom('people')
    .select(['id', 'email'])
    .where('id', '=', sql<string>`ANY(${[...ids]}::uuid[])`)
    .execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}
