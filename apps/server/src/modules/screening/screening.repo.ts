import type { Tx } from '../../platform/db/pools.ts';
import type { ScreeningRules } from './screening-rules.ts';
import { findUserRefs } from '../../platform/db/user-refs.repo.ts';

/** Users of the org by id. */
export { findUserRefs as findUsers };

/** A person of the directory with their screening record, if any. */
export interface PersonScreeningRow {
  id: string;
  display_name: string;
  email: string | null;
  department: string | null;
  title: string | null;
  employment_type: string | null;
  status: string;
  start_date: string | null;
  country: string | null;
  override: string | null;
  override_reason: string | null;
  screening_status: string | null;
  completed_on: string | null;
  provider: string | null;
  updated_at: Date | null;
  updated_by_user_id: string | null;
}

/** The org's rules, or null when never set. */
export async function findSettings(tx: Tx): Promise<(ScreeningRules & { updatedAt: Date }) | null> {
  const row = await tx
    .selectFrom('screening_settings')
    .select(['is_required_for_everyone', 'role_rules', 'restricted_countries', 'updated_at'])
    .executeTakeFirst();
  if (!row) return null;
  return {
    isRequiredForEveryone: row.is_required_for_everyone,
    roleRules: row.role_rules,
    restrictedCountries: row.restricted_countries,
    updatedAt: row.updated_at,
  };
}

/** Replace the org's rules. */
export async function upsertSettings(tx: Tx, orgId: string, rules: ScreeningRules): Promise<void> {
  const values = {
    is_required_for_everyone: rules.isRequiredForEveryone,
    role_rules: JSON.stringify(rules.roleRules),
    restricted_countries: JSON.stringify(rules.restrictedCountries),
  };
  await tx
    .insertInto('screening_settings')
    .values({ org_id: orgId, ...values })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

function selectPeople(tx: Tx) {
  return tx
    .selectFrom('people as p')
    .leftJoin('screening_records as s', 's.person_id', 'p.id')
    .select([
      'p.id',
      'p.display_name',
      'p.email',
      'p.department',
      'p.title',
      'p.employment_type',
      'p.status',
      'p.start_date',
      's.country',
      's.override',
      's.override_reason',
      's.status as screening_status',
      's.completed_on',
      's.provider',
      's.updated_at',
      's.updated_by_user_id',
    ]);
}

/** People with their records, by name; departed people only when asked. */
export async function findPeople(
  tx: Tx,
  options: { includeDeparted: boolean },
): Promise<PersonScreeningRow[]> {
  let query = selectPeople(tx).orderBy('p.display_name').orderBy('p.id');
  if (!options.includeDeparted) query = query.where('p.status', '<>', 'departed');
  return query.execute();
}

/** One person with their record. */
export async function findPerson(tx: Tx, id: string): Promise<PersonScreeningRow | undefined> {
  return selectPeople(tx).where('p.id', '=', id).executeTakeFirst();
}

/** People who started within the range, with their records. */
export async function findHires(tx: Tx, from: string, to: string): Promise<PersonScreeningRow[]> {
  return selectPeople(tx)
    .where('p.start_date', '>=', from)
    .where('p.start_date', '<=', to)
    .orderBy('p.start_date')
    .orderBy('p.display_name')
    .execute();
}

/** Write a person's record. */
export async function upsertRecord(
  tx: Tx,
  values: {
    orgId: string;
    personId: string;
    country: string | null;
    override: string | null;
    overrideReason: string;
    status: string;
    completedOn: string | null;
    provider: string;
    userId: string;
  },
): Promise<void> {
  const row = {
    country: values.country,
    override: values.override,
    override_reason: values.overrideReason,
    status: values.status,
    completed_on: values.completedOn,
    provider: values.provider,
    updated_by_user_id: values.userId,
  };
  await tx
    .insertInto('screening_records')
    .values({ org_id: values.orgId, person_id: values.personId, ...row })
    .onConflict((oc) =>
      oc.columns(['org_id', 'person_id']).doUpdateSet({ ...row, updated_at: new Date() }),
    )
    .execute();
}

/** A stored audit. */
export interface AuditRow {
  id: string;
  quarter: string;
  hired: number;
  covered: number;
  note: string;
  entries: Record<string, unknown>[];
  recorded_at: Date;
  recorded_by_user_id: string | null;
  evidence_id: string | null;
}

const auditColumns = [
  'id',
  'quarter',
  'hired',
  'covered',
  'note',
  'entries',
  'recorded_at',
  'recorded_by_user_id',
  'evidence_id',
] as const;

/** Audits, newest first. */
export async function findAudits(tx: Tx): Promise<AuditRow[]> {
  return tx
    .selectFrom('screening_audits')
    .select(auditColumns)
    .orderBy('recorded_at', 'desc')
    .execute();
}

/** Store an audit. */
export async function insertAudit(
  tx: Tx,
  values: {
    id: string;
    orgId: string;
    quarter: string;
    hired: number;
    covered: number;
    note: string;
    entries: unknown[];
    userId: string;
    evidenceId: string | null;
  },
): Promise<AuditRow> {
  return tx
    .insertInto('screening_audits')
    .values({
      id: values.id,
      org_id: values.orgId,
      quarter: values.quarter,
      hired: values.hired,
      covered: values.covered,
      note: values.note,
      entries: JSON.stringify(values.entries),
      recorded_by_user_id: values.userId,
      evidence_id: values.evidenceId,
    })
    .returning(auditColumns)
    .executeTakeFirstOrThrow();
}
