import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';

const isNotSuperseded = sql<boolean>`NOT EXISTS (
  SELECT 1 FROM evidence n WHERE n.lineage_id = e.lineage_id AND n.version > e.version
)`;

/** A control with what the status rules and the readiness roll-up need. */
export interface ControlStatusRow {
  id: string;
  ref: string;
  section: number | null;
  status: string;
  status_reason: string;
  is_in_scope: boolean;
}

/** Controls to refresh (all of the org's, or the given ids). */
export async function findControlsForStatus(
  tx: Tx,
  ids: readonly string[] | 'all',
): Promise<ControlStatusRow[]> {
  if (ids !== 'all' && ids.length === 0) return [];
  let query = tx
    .selectFrom('controls')
    .select([
      'id',
      'ref',
      'section',
      'status',
      'status_reason',
      sql<boolean>`archived_at IS NULL AND implementation_status <> 'not_applicable'`.as(
        'is_in_scope',
      ),
    ]);
  if (ids !== 'all') query = query.where('id', 'in', ids);
  return query.execute();
}

/** Checks linked to the controls, with their latest result. */
export async function findCheckProofs(tx: Tx, ids: readonly string[] | 'all') {
  let query = tx
    .selectFrom('control_checks as cc')
    .innerJoin('checks as c', 'c.id', 'cc.check_id')
    .select([
      'cc.control_id',
      'c.name',
      'c.latest_status',
      'c.latest_summary',
      'c.latest_observed_at',
    ]);
  if (ids !== 'all') query = query.where('cc.control_id', 'in', ids);
  return query.execute();
}

/** Active evidence tasks of the controls, with the latest end of current evidence linked to the task. */
export async function findTaskProofs(tx: Tx, ids: readonly string[] | 'all', today: string) {
  let query = tx
    .selectFrom('evidence_tasks as t')
    .select((eb) => [
      't.id',
      't.control_id',
      't.title',
      't.next_due_on',
      't.grace_days',
      eb
        .selectFrom('evidence as e')
        .whereRef('e.task_id', '=', 't.id')
        .where('e.deleted_at', 'is', null)
        .where('e.kind', '<>', 'check_result')
        .where('e.effective_from', '<=', today)
        .where('e.effective_to', '>=', today)
        .where(isNotSuperseded)
        .select((inner) => inner.fn.max('e.effective_to').as('until'))
        .as('evidence_until'),
    ])
    .where('t.is_active', '=', true);
  if (ids !== 'all') query = query.where('t.control_id', 'in', ids);
  return query.execute();
}

/** Per control, the latest end of current evidence linked to it (latest versions, not deleted). */
export async function findControlEvidenceUntil(
  tx: Tx,
  ids: readonly string[] | 'all',
  today: string,
): Promise<Map<string, string>> {
  let query = tx
    .selectFrom('evidence_controls as ec')
    .innerJoin('evidence as e', 'e.id', 'ec.evidence_id')
    .select(['ec.control_id', (eb) => eb.fn.max('e.effective_to').as('until')])
    .where('e.deleted_at', 'is', null)
    // A check's result proves the control through the check itself, never as task evidence.
    .where('e.kind', '<>', 'check_result')
    .where('e.effective_from', '<=', today)
    .where('e.effective_to', '>=', today)
    .where(isNotSuperseded)
    .groupBy('ec.control_id');
  if (ids !== 'all') query = query.where('ec.control_id', 'in', ids);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.control_id, r.until]));
}

/** Store a control's new status. */
export async function updateControlStatus(
  tx: Tx,
  id: string,
  values: { status: string; reason: string; isStatusChange: boolean },
): Promise<void> {
  await tx
    .updateTable('controls')
    .set({
      status: values.status,
      status_reason: values.reason,
      ...(values.isStatusChange ? { status_changed_at: new Date() } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Record the day's status of controls (the latest computation of the day wins). */
export async function upsertStatusDays(
  tx: Tx,
  orgId: string,
  day: string,
  rows: { controlId: string; status: string; reason: string }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000);
    await tx
      .insertInto('control_status_days')
      .values(
        batch.map((r) => ({
          org_id: orgId,
          control_id: r.controlId,
          day,
          status: r.status,
          reason: r.reason,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['control_id', 'day']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          reason: eb.ref('excluded.reason'),
        })),
      )
      .execute();
  }
}

/** Statuses of in-scope controls with their section, for the readiness roll-up. */
export async function findScopedStatuses(tx: Tx) {
  return tx
    .selectFrom('controls')
    .select(['id', 'section', 'status'])
    .where('archived_at', 'is', null)
    .where('implementation_status', '<>', 'not_applicable')
    .execute();
}

/** Which in-scope controls satisfy requirements of which framework, with the requirement mappings. */
export async function findRequirementLinks(tx: Tx) {
  return tx
    .selectFrom('control_requirements as cr')
    .innerJoin('requirements as r', 'r.id', 'cr.requirement_id')
    .select(['cr.control_id', 'r.framework_id', 'r.mappings'])
    .execute();
}

/** Store the day's readiness per scope. */
export async function upsertReadinessDays(
  tx: Tx,
  orgId: string,
  day: string,
  rows: { scope: string; passing: number; total: number }[],
): Promise<void> {
  // Scopes recorded earlier today that have nothing left in them (an archived last control, a
  // removed framework) drop to zero rather than keep a stale figure.
  const present = new Set(rows.map((r) => r.scope));
  const earlier = await tx
    .selectFrom('readiness_days')
    .select('scope')
    .where('day', '=', day)
    .execute();
  const all = [
    ...rows,
    ...earlier
      .filter((r) => !present.has(r.scope))
      .map((r) => ({ scope: r.scope, passing: 0, total: 0 })),
  ];
  if (all.length === 0) return;
  await tx
    .insertInto('readiness_days')
    .values(all.map((r) => ({ org_id: orgId, day, ...r })))
    .onConflict((oc) =>
      oc.columns(['org_id', 'scope', 'day']).doUpdateSet((eb) => ({
        passing: eb.ref('excluded.passing'),
        total: eb.ref('excluded.total'),
      })),
    )
    .execute();
}
