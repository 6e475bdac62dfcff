import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/pools.ts';

/** Defaults of program settings for an org that never changed them. */
export const defaultProgramSettings = {
  evidence_retention_days: 1095,
  task_due_window_days: 30,
  is_digest_enabled: true,
};

/** The org's program settings (defaults when never set). */
export async function findSettings(tx: Tx) {
  const row = await tx
    .selectFrom('program_settings')
    .select(['evidence_retention_days', 'task_due_window_days', 'is_digest_enabled'])
    .executeTakeFirst();
  return row ?? defaultProgramSettings;
}

/** Insert or change the org's program settings. */
export async function upsertSettings(
  tx: Tx,
  orgId: string,
  values: typeof defaultProgramSettings,
): Promise<void> {
  await tx
    .insertInto('program_settings')
    .values({ org_id: orgId, ...values, updated_at: new Date() })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

/** The readiness recorded for a day, per scope (empty before the day's first change or job). */
export async function findReadinessOfDay(tx: Tx, day: string) {
  return tx
    .selectFrom('readiness_days')
    .select(['scope', 'passing', 'total'])
    .where('day', '=', day)
    .execute();
}

/** Overall readiness per day since `from`. */
export async function findTrend(tx: Tx, from: string) {
  return tx
    .selectFrom('readiness_days')
    .select(['day', 'passing', 'total'])
    .where('scope', '=', 'overall')
    .where('day', '>=', from)
    .orderBy('day')
    .execute();
}

/** In-scope controls per status. */
export async function countStatuses(tx: Tx) {
  return tx
    .selectFrom('controls')
    .select(['status', (eb) => eb.fn.countAll<string>().as('count')])
    .where('archived_at', 'is', null)
    .where('implementation_status', '<>', 'not_applicable')
    .groupBy('status')
    .execute();
}

/** Failing and due controls, failing first, with their owners. */
export async function findAttention(tx: Tx, limit: number) {
  return tx
    .selectFrom('controls as c')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .select([
      'c.id',
      'c.ref',
      'c.title',
      'c.status',
      'c.status_reason',
      'c.section',
      'u.id as owner_id',
      'u.name as owner_name',
      'u.email as owner_email',
    ])
    .where('c.archived_at', 'is', null)
    .where('c.implementation_status', '<>', 'not_applicable')
    .where('c.status', 'in', ['failing', 'due'])
    .orderBy(sql`CASE c.status WHEN 'failing' THEN 0 ELSE 1 END`)
    .orderBy('c.status_changed_at', 'desc')
    .orderBy('c.ref')
    .limit(limit)
    .execute();
}

/** The next active tasks by due date, overdue first. */
export async function findUpcomingTasks(tx: Tx, limit: number) {
  return tx
    .selectFrom('evidence_tasks as t')
    .innerJoin('controls as c', 'c.id', 't.control_id')
    .leftJoin('users as u', 'u.id', 't.owner_id')
    .select([
      't.id',
      't.title',
      't.description',
      't.cadence_months',
      't.grace_days',
      't.next_due_on',
      't.state',
      't.last_completed_at',
      't.is_active',
      'c.id as control_id',
      'c.ref as control_ref',
      'c.title as control_title',
      'c.status as control_status',
      'u.id as owner_id',
      'u.name as owner_name',
      'u.email as owner_email',
    ])
    .where('t.is_active', '=', true)
    .where('t.state', '<>', 'done')
    .orderBy('t.next_due_on')
    .orderBy('t.id')
    .limit(limit)
    .execute();
}

/** Names of the org's frameworks. */
export async function findFrameworkNames(tx: Tx) {
  return tx
    .selectFrom('frameworks')
    .select(['id', 'name', 'source'])
    .orderBy(sql`source = 'builtin'`, 'desc')
    .orderBy('created_at')
    .execute();
}

/** The org's name. */
export async function findOrgName(tx: Tx): Promise<string> {
  const row = await tx.selectFrom('orgs').select('name').executeTakeFirstOrThrow();
  return row.name;
}

/** Orgs created before the program existed (no built-in framework yet), with their first owner. */
export async function findOrgsWithoutProgram(owner: Db) {
  return owner
    .selectFrom('orgs as o')
    .select((eb) => [
      'o.id',
      eb
        .selectFrom('users as u')
        .select('u.id')
        .whereRef('u.org_id', '=', 'o.id')
        .where('u.role', '=', 'owner')
        .orderBy('u.created_at')
        .limit(1)
        .as('owner_id'),
    ])
    .where(
      sql<boolean>`NOT EXISTS (
        SELECT 1 FROM frameworks f WHERE f.org_id = o.id AND f.key = 'steward-annex'
      )`,
    )
    .execute();
}
