import type {
  EmploymentType,
  Person,
  PersonChange,
  PersonSource,
  PersonStatus,
  createPersonSchema,
  personDetailSchema,
  personPageSchema,
  personQuerySchema,
  updatePersonSchema,
} from '@steward/contracts';
import type { Insertable, Updateable } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import type { PeopleTable } from '../../platform/db/schema.ts';
import { AppError, type FieldError } from '../../platform/errors/app-error.ts';
import * as repo from './people.repo.ts';

/** The directory fields of a person: what every source writes and the change trail follows. */
export interface PersonFields {
  displayName: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  employeeNumber: string | null;
  department: string | null;
  title: string | null;
  managerId: string | null;
  managerRef: string | null;
  employmentType: EmploymentType | null;
  startDate: string | null;
  endDate: string | null;
  status: PersonStatus;
}

const trackedFields: readonly (keyof PersonFields)[] = [
  'displayName',
  'givenName',
  'familyName',
  'email',
  'employeeNumber',
  'department',
  'title',
  'managerId',
  'managerRef',
  'employmentType',
  'startDate',
  'endDate',
  'status',
];

/** Today's date in UTC, `YYYY-MM-DD`. */
export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The directory fields of a row. */
export function fieldsOf(row: repo.PersonRow): PersonFields {
  return {
    displayName: row.display_name,
    givenName: row.given_name,
    familyName: row.family_name,
    email: row.email,
    employeeNumber: row.employee_number,
    department: row.department,
    title: row.title,
    managerId: row.manager_id,
    managerRef: row.manager_ref,
    employmentType: row.employment_type as EmploymentType | null,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status as PersonStatus,
  };
}

function columnsOf(fields: PersonFields): Updateable<PeopleTable> {
  return {
    display_name: fields.displayName,
    given_name: fields.givenName,
    family_name: fields.familyName,
    email: fields.email,
    employee_number: fields.employeeNumber,
    department: fields.department,
    title: fields.title,
    manager_id: fields.managerId,
    manager_ref: fields.managerRef,
    employment_type: fields.employmentType,
    start_date: fields.startDate,
    end_date: fields.endDate,
    status: fields.status,
  };
}

/** What changed between two versions of a person's fields (`before` null: a new person). */
export function diffFields(
  before: PersonFields | null,
  after: PersonFields,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of trackedFields) {
    const from = before ? before[field] : null;
    const to = after[field];
    if (from !== to) changes[field] = { from, to };
  }
  return changes;
}

/** The kind of change from one status to another. */
export function changeKindOf(
  before: PersonFields | null,
  after: PersonFields,
): PersonChange['kind'] {
  if (!before) return 'created';
  if (before.status !== 'departed' && after.status === 'departed') return 'deactivated';
  if (before.status === 'departed' && after.status !== 'departed') return 'reactivated';
  return 'updated';
}

class Unchanged extends Error {
  constructor(readonly result: unknown) {
    super('nothing to change');
  }
}

/**
 * A write that may find nothing to change: calling `unchanged(result)` ends it without
 * committing anything (so no audit event is needed) and returns `result`.
 */
export async function writeIfChanged<T>(
  uow: UnitOfWork,
  fn: (scope: WriteScope, unchanged: (result: T) => never) => Promise<T>,
): Promise<T> {
  try {
    return await uow.write((scope) =>
      fn(scope, (result) => {
        throw new Unchanged(result);
      }),
    );
  } catch (error) {
    if (error instanceof Unchanged) return error.result as T;
    throw error;
  }
}

/**
 * Told of directory changes in the transaction that records them (joiner, mover and leaver
 * events are derived from them).
 */
export type PersonChangeListener = (
  scope: Pick<WriteScope, 'tx' | 'audit' | 'afterCommit'>,
  orgId: string,
  changes: readonly repo.PersonChangeInput[],
) => Promise<void>;

/** How a person is written: by whom, from which source, and who hears of the change. */
export interface SaveContext {
  tx: Tx;
  orgId: string;
  source: PersonSource;
  actorLabel: string | null;
  onRecorded?: ((changes: readonly repo.PersonChangeInput[]) => Promise<void>) | undefined;
}

/** A save context's `onRecorded` for a listener in a write scope. */
export function notifierOf(
  listener: PersonChangeListener | undefined,
  scope: Pick<WriteScope, 'tx' | 'audit' | 'afterCommit'>,
  orgId: string,
): SaveContext['onRecorded'] {
  return listener ? (changes) => listener(scope, orgId, changes) : undefined;
}

/** The outcome of a save: the row, what changed, and the change recorded (if any). */
export interface SavedPerson {
  row: repo.PersonRow;
  changes: Record<string, { from: unknown; to: unknown }>;
  kind: PersonChange['kind'] | null;
}

/**
 * Write a person's fields (and any other columns the source keeps), recording the change in the
 * trail. People whose manager reference names this person are linked to them.
 */
export async function savePerson(
  context: SaveContext,
  existing: repo.PersonRow | null,
  fields: PersonFields,
  columns: Updateable<PeopleTable> = {},
  kind?: PersonChange['kind'],
): Promise<SavedPerson> {
  const before = existing ? fieldsOf(existing) : null;
  const changes = diffFields(before, fields);
  if (!existing) {
    const created = kind ?? 'created';
    // The id is chosen here so whoever hears of the change can write about the person in the
    // same round trip as the insert, before its answer is back.
    const id = typeof columns.id === 'string' ? columns.id : randomUUID();
    const inserting = repo.insertPersonRecorded(
      context.tx,
      {
        ...(columnsOf(fields) as Insertable<PeopleTable>),
        source: context.source,
        ...(columns as Partial<Insertable<PeopleTable>>),
        id,
        org_id: context.orgId,
      },
      { kind: created, source: context.source, actorLabel: context.actorLabel, changes },
    );
    const notifying = context.onRecorded?.([
      {
        orgId: context.orgId,
        personId: id,
        kind: created,
        source: context.source,
        actorLabel: context.actorLabel,
        changes,
      },
    ]);
    // The insert's failure is the one to report; the listener's statements then fail with it.
    notifying?.catch(() => undefined);
    const row = await inserting;
    await notifying;
    return { row, changes, kind: created };
  }
  const row = await repo.updatePerson(context.tx, existing.id, {
    ...columnsOf(fields),
    ...columns,
  });
  const recorded = kind ?? (Object.keys(changes).length > 0 ? changeKindOf(before, fields) : null);
  if (recorded) {
    const entry: repo.PersonChangeInput = {
      orgId: context.orgId,
      personId: row.id,
      kind: recorded,
      source: context.source,
      actorLabel: context.actorLabel,
      changes,
    };
    await repo.insertPersonChanges(context.tx, [entry]);
    await context.onRecorded?.([entry]);
  }
  const identifiersChanged =
    existing.email !== row.email ||
    existing.employee_number !== row.employee_number ||
    existing.scim_external_id !== row.scim_external_id;
  if (identifiersChanged) await repo.linkWaitingReports(context.tx, row);
  return { row, changes, kind: recorded };
}

/** Resolve a manager reference (id, external id, employee number or email) to a person. */
export async function resolveManager(
  tx: Tx,
  ref: string | null,
  selfId: string | null,
): Promise<string | null> {
  return ref === null ? null : repo.findManagerByRef(tx, ref, selfId);
}

function encodeCursor(row: { display_name: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.display_name, row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(value[1])
    ) {
      return { name: value[0], id: value[1] };
    }
  } catch {
    // Fall through: a cursor that does not decode is the client's mistake.
  }
  throw new AppError('request.invalid', 'The cursor is not valid', [
    { path: 'cursor', message: 'Use the nextCursor of the previous page' },
  ]);
}

/** A page of the directory. */
export async function listPeople(
  uow: UnitOfWork,
  query: z.output<typeof personQuerySchema>,
): Promise<z.output<typeof personPageSchema>> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await uow.read((tx) => repo.findPeoplePage(tx, query, after, query.limit + 1));
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(repo.toPerson),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

/** One person with their change history and groups. */
export async function getPerson(
  uow: UnitOfWork,
  id: string,
): Promise<z.output<typeof personDetailSchema>> {
  return uow.read(async (tx) => {
    const row = await repo.findPerson(tx, id);
    if (!row) throw new AppError('person.not_found');
    return {
      person: repo.toPerson(row),
      changes: await repo.listPersonChanges(tx, id, 200),
      groups: await repo.findGroupsOfPerson(tx, id),
    };
  });
}

async function checkManager(tx: Tx, managerId: string | null, selfId: string | null) {
  if (managerId === null) return;
  if (managerId === selfId) {
    throw new AppError('person.manager_invalid', 'A person cannot be their own manager', [
      { path: 'managerId', message: 'Choose someone else' },
    ]);
  }
  if (!(await repo.findPerson(tx, managerId))) {
    throw new AppError('person.manager_invalid', undefined, [
      { path: 'managerId', message: 'No such person' },
    ]);
  }
}

async function checkEmailFree(tx: Tx, email: string | null, selfId: string | null) {
  if (email === null) return;
  const others = (await repo.findPeopleByEmails(tx, [email])).filter((p) => p.id !== selfId);
  const other = others[0];
  if (other) {
    throw new AppError('person.email_taken', `${other.display_name} already has ${email}`, [
      { path: 'email', message: 'Another person has this email' },
    ]);
  }
}

function checkDates(fields: PersonFields): void {
  if (fields.startDate && fields.endDate && fields.endDate < fields.startDate) {
    throw new AppError('request.invalid', 'The end date is before the start date', [
      { path: 'endDate', message: 'Choose a day on or after the start date' },
    ]);
  }
}

async function auditSaved(
  audit: WriteScope['audit'],
  saved: SavedPerson,
  action: 'person.created' | 'person.updated',
): Promise<void> {
  await audit({
    action,
    targetType: 'person',
    targetId: saved.row.id,
    changes: { source: saved.row.source, ...saved.changes },
  });
  if (saved.kind === 'deactivated') {
    await audit({
      action: 'person.deactivated',
      targetType: 'person',
      targetId: saved.row.id,
      changes: { endDate: saved.row.end_date },
    });
  }
}

async function personOf(tx: Tx, id: string): Promise<Person> {
  const row = await repo.findPerson(tx, id);
  if (!row) throw new AppError('person.not_found');
  return repo.toPerson(row);
}

/** Add a person by hand. */
export async function createPerson(
  uow: UnitOfWork,
  input: z.output<typeof createPersonSchema>,
  onChanges?: PersonChangeListener,
): Promise<Person> {
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const fields: PersonFields = {
      displayName: input.displayName,
      givenName: input.givenName ?? null,
      familyName: input.familyName ?? null,
      email: input.email ?? null,
      employeeNumber: input.employeeNumber ?? null,
      department: input.department ?? null,
      title: input.title ?? null,
      managerId: input.managerId ?? null,
      managerRef: null,
      employmentType: input.employmentType ?? null,
      startDate: input.startDate ?? null,
      endDate: input.endDate ?? (input.status === 'departed' ? todayUtc() : null),
      status: input.status,
    };
    checkDates(fields);
    await checkManager(tx, fields.managerId, null);
    await checkEmailFree(tx, fields.email, null);
    const saved = await savePerson(
      {
        tx,
        orgId: uow.orgId,
        source: 'manual',
        actorLabel: uow.actor.label,
        onRecorded: notifierOf(onChanges, scope, uow.orgId),
      },
      null,
      fields,
    );
    await auditSaved(audit, saved, 'person.created');
    return personOf(tx, saved.row.id);
  });
}

// The identity provider owns everything else about a person it pushes.
const scimEditableFields = new Set(['employmentType', 'startDate', 'endDate', 'status']);

/** Change a person; for SCIM people only what the identity provider does not manage. */
export async function updatePerson(
  uow: UnitOfWork,
  id: string,
  input: z.output<typeof updatePersonSchema>,
  onChanges?: PersonChangeListener,
): Promise<Person> {
  return writeIfChanged(uow, async (scope, unchanged) => {
    const { tx, audit } = scope;
    const existing = await repo.findPersonForUpdate(tx, id);
    if (!existing) throw new AppError('person.not_found');
    const before = fieldsOf(existing);
    if (existing.source === 'scim') {
      const refused: FieldError[] = Object.keys(input)
        .filter((key) => !scimEditableFields.has(key))
        .map((key) => ({ path: key, message: 'Managed by the identity provider' }));
      const isStatusRefused =
        input.status !== undefined &&
        input.status !== before.status &&
        (input.status === 'departed' || before.status === 'departed');
      if (isStatusRefused) {
        refused.push({
          path: 'status',
          message: 'The identity provider decides who is active or departed',
        });
      }
      if (refused.length > 0) {
        throw new AppError(
          'person.managed_by_scim',
          `The identity provider manages ${refused.map((f) => f.path).join(', ')}`,
          refused,
        );
      }
    }
    const status = input.status ?? before.status;
    const isLeaving = status === 'departed' && before.status !== 'departed';
    const isReturning = status !== 'departed' && before.status === 'departed';
    const fields: PersonFields = {
      displayName: input.displayName ?? before.displayName,
      givenName: input.givenName !== undefined ? input.givenName : before.givenName,
      familyName: input.familyName !== undefined ? input.familyName : before.familyName,
      email: input.email !== undefined ? input.email : before.email,
      employeeNumber:
        input.employeeNumber !== undefined ? input.employeeNumber : before.employeeNumber,
      department: input.department !== undefined ? input.department : before.department,
      title: input.title !== undefined ? input.title : before.title,
      managerId: input.managerId !== undefined ? input.managerId : before.managerId,
      managerRef: input.managerId !== undefined ? null : before.managerRef,
      employmentType:
        input.employmentType !== undefined ? input.employmentType : before.employmentType,
      startDate: input.startDate !== undefined ? input.startDate : before.startDate,
      endDate:
        input.endDate !== undefined
          ? input.endDate
          : isLeaving
            ? (before.endDate ?? todayUtc())
            : isReturning
              ? null
              : before.endDate,
      status,
    };
    if (fields.status === 'departed' && fields.endDate === null) {
      throw new AppError('request.invalid', 'A departed person needs an end date', [
        { path: 'endDate', message: 'Give the last working day' },
      ]);
    }
    checkDates(fields);
    if (input.managerId !== undefined) await checkManager(tx, fields.managerId, id);
    if (input.email !== undefined && fields.email !== before.email) {
      await checkEmailFree(tx, fields.email, id);
    }
    if (Object.keys(diffFields(before, fields)).length === 0) unchanged(await personOf(tx, id));
    const saved = await savePerson(
      {
        tx,
        orgId: uow.orgId,
        source: 'manual',
        actorLabel: uow.actor.label,
        onRecorded: notifierOf(onChanges, scope, uow.orgId),
      },
      existing,
      fields,
    );
    await auditSaved(audit, saved, 'person.updated');
    return personOf(tx, id);
  });
}
