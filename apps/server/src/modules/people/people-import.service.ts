import type { PeopleImportResult } from '@steward/contracts';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { parsePeopleCsv, type PeopleCsv, type PeopleCsvRow } from './people-csv.ts';
import * as repo from './people.repo.ts';
import {
  changeKindOf,
  diffFields,
  fieldsOf,
  notifierOf,
  todayUtc,
  type PersonChangeListener,
  type PersonFields,
  type SaveContext,
} from './people.service.ts';

/** A CSV file received for import. */
export interface PeopleCsvFile {
  path: string;
  fileName: string;
  sha256: string;
}

type RowPlan = PeopleImportResult['rows'][number] & {
  existing: repo.PersonRow | null;
  fields: PersonFields | null;
  managerEmail: string | null;
};

function fieldsFor(
  row: PeopleCsvRow,
  columns: PeopleCsv['columns'],
  existing: repo.PersonRow | null,
): PersonFields {
  const v = row.values;
  const before = existing ? fieldsOf(existing) : null;
  // A column the file does not have leaves the field as it is; an empty cell clears it.
  const pick = <K extends keyof PersonFields>(
    column: (typeof columns)[number],
    value: PersonFields[K] | undefined,
    field: K,
  ): PersonFields[K] | null =>
    columns.includes(column) ? (value ?? null) : before ? before[field] : null;
  const status = columns.includes('status')
    ? (v.status ?? before?.status ?? 'active')
    : (before?.status ?? 'active');
  let endDate = pick('end_date', v.end_date, 'endDate');
  // Departed needs a last day: the one given, the one known, or today (once, so a re-import of
  // the same file changes nothing).
  if (status === 'departed' && endDate === null) endDate = before?.endDate ?? todayUtc();
  return {
    displayName: v.name,
    givenName: pick('given_name', v.given_name, 'givenName'),
    familyName: pick('family_name', v.family_name, 'familyName'),
    email: v.email,
    employeeNumber: pick('employee_number', v.employee_number, 'employeeNumber'),
    department: pick('department', v.department, 'department'),
    title: pick('title', v.title, 'title'),
    managerId: before?.managerId ?? null,
    managerRef: before?.managerRef ?? null,
    employmentType: pick('employment_type', v.employment_type, 'employmentType'),
    startDate: pick('start_date', v.start_date, 'startDate'),
    endDate,
    status,
  };
}

async function planImport(tx: Tx, csv: PeopleCsv): Promise<RowPlan[]> {
  const emails = new Set<string>();
  for (const row of csv.rows) {
    if (row.values.email) emails.add(row.values.email);
    if (row.values.manager_email) emails.add(row.values.manager_email);
  }
  const known = await repo.findPeopleByEmails(tx, [...emails]);
  const byEmail = new Map<string, repo.PersonRow[]>();
  for (const person of known) {
    if (person.email) byEmail.set(person.email, [...(byEmail.get(person.email) ?? []), person]);
  }
  const inFile = new Set(csv.rows.map((r) => r.values.email));
  const managerEmails = await repo.findEmailsByIds(
    tx,
    known.map((p) => p.manager_id).filter((id): id is string => id !== null),
  );
  const hasManagerColumn = csv.columns.includes('manager_email');
  return csv.rows.map((row): RowPlan => {
    const errors = [...row.errors];
    const matches = byEmail.get(row.values.email) ?? [];
    if (matches.length > 1) {
      errors.push({ column: 'email', message: 'several people of the directory have this email' });
    }
    const existing = matches.length === 1 ? (matches[0] ?? null) : null;
    if (existing?.source === 'scim') {
      errors.push({
        column: 'email',
        message: 'this person is managed by the identity provider (SCIM); change them there',
      });
    }
    const managerEmail = hasManagerColumn ? (row.values.manager_email ?? null) : null;
    if (
      managerEmail !== null &&
      !inFile.has(managerEmail) &&
      (byEmail.get(managerEmail)?.length ?? 0) === 0
    ) {
      errors.push({
        column: 'manager_email',
        message: `no person with ${managerEmail} in the file or the directory`,
      });
    }
    const base = { row: row.line, email: row.values.email || null, personId: existing?.id ?? null };
    if (errors.length > 0) {
      return {
        ...base,
        action: 'error',
        changes: {},
        errors,
        existing,
        fields: null,
        managerEmail,
      };
    }
    const fields = fieldsFor(row, csv.columns, existing);
    const changes = diffFields(existing ? fieldsOf(existing) : null, fields);
    delete changes.managerId;
    delete changes.managerRef;
    if (hasManagerColumn) {
      const before = existing?.manager_id ? (managerEmails.get(existing.manager_id) ?? null) : null;
      if (before !== managerEmail) changes.managerEmail = { from: before, to: managerEmail };
    }
    const action = !existing ? 'create' : Object.keys(changes).length > 0 ? 'update' : 'unchanged';
    return { ...base, action, changes, errors: [], existing, fields, managerEmail };
  });
}

function summarise(plans: RowPlan[], preview: boolean, applied: boolean): PeopleImportResult {
  const count = (action: RowPlan['action']) => plans.filter((p) => p.action === action).length;
  return {
    preview,
    applied,
    summary: {
      rows: plans.length,
      create: count('create'),
      update: count('update'),
      unchanged: count('unchanged'),
      error: count('error'),
    },
    rows: plans.map((p) => ({
      row: p.row,
      email: p.email,
      action: p.action,
      personId: p.personId,
      changes: p.changes,
      errors: p.errors,
    })),
  };
}

async function applyPlans(
  tx: Tx,
  orgId: string,
  actorLabel: string | null,
  plans: RowPlan[],
  onRecorded: SaveContext['onRecorded'],
): Promise<void> {
  const toWrite = plans.filter((p) => p.action === 'create' || p.action === 'update');
  // New people get their ids first, so that managers created by the same file can be named.
  for (const plan of toWrite) {
    if (plan.action === 'create') plan.personId = randomUUID();
  }
  const idOfEmail = new Map<string, string>();
  for (const plan of plans) {
    if (plan.email && plan.personId) idOfEmail.set(plan.email, plan.personId);
  }
  const otherManagers = [
    ...new Set(
      plans.map((p) => p.managerEmail).filter((e): e is string => e !== null && !idOfEmail.has(e)),
    ),
  ];
  for (const person of await repo.findPeopleByEmails(tx, otherManagers)) {
    if (person.email) idOfEmail.set(person.email, person.id);
  }
  const trail: repo.PersonChangeInput[] = [];
  const managerUpdates: { id: string; managerId: string | null }[] = [];
  for (const plan of toWrite) {
    const { fields, personId: id } = plan;
    if (!fields || !id) continue;
    const isManagerChanged =
      plan.action === 'create' ? plan.managerEmail !== null : 'managerEmail' in plan.changes;
    if (isManagerChanged) {
      fields.managerId = plan.managerEmail ? (idOfEmail.get(plan.managerEmail) ?? null) : null;
      fields.managerRef = null;
      managerUpdates.push({ id, managerId: fields.managerId });
    }
    const columns = {
      display_name: fields.displayName,
      given_name: fields.givenName,
      family_name: fields.familyName,
      email: fields.email,
      employee_number: fields.employeeNumber,
      department: fields.department,
      title: fields.title,
      manager_ref: fields.managerRef,
      employment_type: fields.employmentType,
      start_date: fields.startDate,
      end_date: fields.endDate,
      status: fields.status,
    };
    if (plan.existing) await repo.updatePerson(tx, id, columns);
    else await repo.insertPerson(tx, { ...columns, id, org_id: orgId, source: 'csv' });
    const before = plan.existing ? fieldsOf(plan.existing) : null;
    trail.push({
      orgId,
      personId: id,
      kind: changeKindOf(before, fields),
      source: 'csv',
      actorLabel,
      changes: diffFields(before, fields),
    });
  }
  // Managers last: by now every person of the file exists.
  for (const update of managerUpdates) {
    await tx
      .updateTable('people')
      .set({ manager_id: update.managerId, manager_ref: null })
      .where('id', '=', update.id)
      .execute();
  }
  await repo.insertPersonChanges(tx, trail);
  await onRecorded?.(trail);
  // People pushed over SCIM may name a newcomer as their manager by email.
  const created = toWrite
    .filter((p) => p.action === 'create')
    .map((p) => p.personId)
    .filter((id): id is string => id !== null);
  if (created.length > 0) {
    await tx
      .updateTable('people as w')
      .from('people as m')
      .set({ manager_id: sql`m.id` })
      .where('w.manager_id', 'is', null)
      .whereRef('w.manager_ref', '=', 'm.email')
      .whereRef('w.id', '<>', 'm.id')
      .where('m.id', '=', sql<string>`ANY(${created}::uuid[])`)
      .execute();
  }
}

/**
 * Import people from a CSV file, matched to the directory by email. With `preview`, report per
 * row what would be created, updated or left unchanged (and every problem) without writing.
 * Otherwise apply everything in one transaction, or nothing when any row has a problem;
 * importing the same file again changes nothing.
 */
export async function importPeople(
  uow: UnitOfWork,
  file: PeopleCsvFile,
  preview: boolean,
  onChanges?: PersonChangeListener,
): Promise<PeopleImportResult> {
  const csv = parsePeopleCsv(await readFile(file.path));
  if (preview) {
    return summarise(await uow.read((tx) => planImport(tx, csv)), true, false);
  }
  return uow.write(async (scope) => {
    const { tx, audit } = scope;
    const plans = await planImport(tx, csv);
    const failed = plans.filter((p) => p.action === 'error');
    if (failed.length > 0) {
      const errors = failed.flatMap((p) =>
        p.errors.map((e) => ({
          path: `rows.${String(p.row)}.${e.column}`,
          message: `Row ${String(p.row)}, ${e.column}: ${e.message}`,
        })),
      );
      throw new AppError(
        'people.import_invalid',
        `${String(failed.length)} row${failed.length > 1 ? 's have' : ' has'} problems; nothing was imported. ${errors
          .slice(0, 3)
          .map((e) => e.message)
          .join('; ')}`,
        errors.slice(0, 500),
      );
    }
    await applyPlans(
      tx,
      uow.orgId,
      uow.actor.label,
      plans,
      notifierOf(onChanges, scope, uow.orgId),
    );
    const result = summarise(plans, false, true);
    await audit({
      action: 'people.csv_imported',
      targetType: 'people',
      targetId: null,
      changes: {
        fileName: file.fileName,
        sha256: file.sha256,
        ...result.summary,
      },
    });
    return result;
  });
}
