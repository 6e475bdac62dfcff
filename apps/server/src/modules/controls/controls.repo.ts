import type { Control, ControlStatus } from '@steward/contracts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';

/** Filters of the control list, as the repo applies them. */
export interface ControlFilters {
  status?: ControlStatus | undefined;
  section?: number | undefined;
  ownerId?: string | undefined;
  frameworkId?: string | undefined;
  q?: string | undefined;
  asOf?: string | undefined;
  includeArchived?: boolean | undefined;
  ids?: readonly string[] | undefined;
}

/** A control row with its owner, counts, and (with `asOf`) its recorded status of that day. */
export interface ControlRow {
  id: string;
  ref: string;
  title: string;
  description: string;
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
  section: number | null;
  implementation_status: string;
  status: string;
  status_reason: string;
  status_changed_at: Date;
  archived_at: Date | null;
  requirement_count: string | number | null;
  check_count: string | number | null;
  task_count: string | number | null;
  evidence_count: string | number | null;
  as_of?: { status: string; reason: string; day: string } | null;
}

// Evidence `e` is current when no newer version of its lineage exists.
const isLatestVersion = sql<boolean>`NOT EXISTS (
  SELECT 1 FROM evidence n WHERE n.lineage_id = e.lineage_id AND n.version > e.version)`;

// Evidence that no longer counts: deleted, or with a newer version of its lineage.
const inactiveEvidence = sql`(
  SELECT d.id FROM evidence d WHERE d.deleted_at IS NOT NULL
  UNION ALL
  SELECT p.id FROM evidence n
    JOIN evidence p ON p.lineage_id = n.lineage_id AND p.version < n.version
   WHERE n.version > 1)`;

/** Escape LIKE wildcards so a search matches the text literally. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function dayAfter(day: string): Date {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

/**
 * Controls matching the filters in one query: owner joined, requirement/check/task/evidence
 * counts from grouped passes over the link tables (hash joins, no per-control probing), and with
 * `asOf` the status recorded that day or the latest earlier day.
 */
export async function findControls(tx: Tx, f: ControlFilters): Promise<ControlRow[]> {
  const asOf = f.asOf;
  const ids = f.ids;
  if (ids?.length === 0) return [];
  // With ids the grouped passes are narrowed to them, so a detail page stays an index read.
  const narrowed = ids ?? [];
  const requirementCounts = tx
    .selectFrom('control_requirements')
    .select((eb) => ['control_id', eb.fn.countAll<string>().as('n')])
    .groupBy('control_id')
    .$if(ids !== undefined, (qb) => qb.where('control_id', 'in', narrowed));
  const checkCounts = tx
    .selectFrom('control_checks')
    .select((eb) => ['control_id', eb.fn.countAll<string>().as('n')])
    .groupBy('control_id')
    .$if(ids !== undefined, (qb) => qb.where('control_id', 'in', narrowed));
  const taskCounts = tx
    .selectFrom('evidence_tasks')
    .select((eb) => ['control_id', eb.fn.countAll<string>().as('n')])
    .where('is_active', '=', true)
    .groupBy('control_id')
    .$if(ids !== undefined, (qb) => qb.where('control_id', 'in', narrowed));
  // Links, less those to deleted or superseded evidence: that set is small and found through
  // partial indexes, so the evidence rows themselves are never joined.
  const evidenceCounts = tx
    .selectFrom('evidence_controls')
    .select((eb) => ['control_id', eb.fn.countAll<string>().as('n')])
    .where(sql<boolean>`evidence_id NOT IN ${inactiveEvidence}`)
    .groupBy('control_id')
    .$if(ids !== undefined, (qb) => qb.where('control_id', 'in', narrowed));
  let query = tx
    .selectFrom('controls as c')
    .leftJoin('users as u', 'u.id', 'c.owner_id')
    .leftJoin(requirementCounts.as('rq'), 'rq.control_id', 'c.id')
    .leftJoin(checkCounts.as('ck'), 'ck.control_id', 'c.id')
    .leftJoin(taskCounts.as('tk'), 'tk.control_id', 'c.id')
    .leftJoin(evidenceCounts.as('ev'), 'ev.control_id', 'c.id')
    .select([
      'c.id',
      'c.ref',
      'c.title',
      'c.description',
      'c.owner_id',
      'c.section',
      'c.implementation_status',
      'c.status',
      'c.status_reason',
      'c.status_changed_at',
      'c.archived_at',
      'rq.n as requirement_count',
      'ck.n as check_count',
      'tk.n as task_count',
      'ev.n as evidence_count',
    ])
    .select(['u.name as owner_name', 'u.email as owner_email'])
    .$if(asOf !== undefined, (qb) =>
      qb.select(
        sql<{ status: string; reason: string; day: string } | null>`(
          SELECT json_build_object('status', d.status, 'reason', d.reason, 'day', d.day)
            FROM control_status_days d
           WHERE d.control_id = c.id AND d.day <= ${asOf ?? null}::date
           ORDER BY d.day DESC LIMIT 1)`.as('as_of'),
      ),
    );
  if (ids !== undefined) query = query.where('c.id', 'in', ids);
  if (asOf !== undefined) {
    // A control created after the day did not exist then; one archived later was still live.
    const end = dayAfter(asOf);
    query = query.where('c.created_at', '<', end);
    if (f.includeArchived !== true) {
      query = query.where((eb) =>
        eb.or([eb('c.archived_at', 'is', null), eb('c.archived_at', '>=', end)]),
      );
    }
  } else if (f.includeArchived !== true) {
    query = query.where('c.archived_at', 'is', null);
  }
  if (f.status !== undefined && asOf === undefined) query = query.where('c.status', '=', f.status);
  if (f.section !== undefined) query = query.where('c.section', '=', f.section);
  if (f.ownerId !== undefined) query = query.where('c.owner_id', '=', f.ownerId);
  if (f.frameworkId !== undefined) {
    const frameworkId = f.frameworkId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('control_requirements as fr')
          .innerJoin('requirements as r', 'r.id', 'fr.requirement_id')
          .select(sql`1`.as('one'))
          .whereRef('fr.control_id', '=', 'c.id')
          .where('r.framework_id', '=', frameworkId),
      ),
    );
  }
  if (f.q !== undefined && f.q !== '') {
    const pattern = likePattern(f.q);
    query = query.where((eb) =>
      eb.or([
        eb('c.ref', 'ilike', pattern),
        eb('c.title', 'ilike', pattern),
        eb('c.description', 'ilike', pattern),
      ]),
    );
  }
  const rows = (await query.execute()) as ControlRow[];
  if (f.status !== undefined && asOf !== undefined) {
    return rows.filter((row) => statusAsOf(row).status === f.status);
  }
  return rows;
}

/** The status a row shows: the recorded one of the `asOf` day, or the current one. */
export function statusAsOf(row: ControlRow): {
  status: string;
  reason: string;
  day: string | null;
} {
  if (row.as_of === undefined) {
    return { status: row.status, reason: row.status_reason, day: null };
  }
  if (row.as_of === null) {
    return { status: 'not_proved', reason: 'No status was recorded by that day', day: null };
  }
  return row.as_of;
}

/** Map a row to the API shape. */
export function toControl(row: ControlRow): Control {
  const shown = statusAsOf(row);
  return {
    id: row.id,
    ref: row.ref,
    title: row.title,
    description: row.description,
    owner:
      row.owner_id === null
        ? null
        : { id: row.owner_id, name: row.owner_name ?? '', email: row.owner_email ?? '' },
    section: row.section,
    implementationStatus: row.implementation_status as Control['implementationStatus'],
    status: shown.status as ControlStatus,
    statusReason: shown.reason,
    statusChangedAt:
      shown.day === null
        ? row.status_changed_at.toISOString()
        : new Date(`${shown.day}T00:00:00Z`).toISOString(),
    archived: row.archived_at !== null,
    requirementCount: Number(row.requirement_count ?? 0),
    checkCount: Number(row.check_count ?? 0),
    taskCount: Number(row.task_count ?? 0),
    evidenceCount: Number(row.evidence_count ?? 0),
  };
}

/** Sort controls by annex section (none last), then by reference with numbers in order. */
export function compareControls(
  a: { section: number | null; ref: string },
  b: { section: number | null; ref: string },
): number {
  return (
    (a.section ?? 99) - (b.section ?? 99) || a.ref.localeCompare(b.ref, 'en', { numeric: true })
  );
}

/** Labels of the requirements each control satisfies, for the CSV export. */
export async function findRequirementLabels(
  tx: Tx,
  controlIds: readonly string[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (controlIds.length === 0) return result;
  const rows = await tx
    .selectFrom('control_requirements as cr')
    .innerJoin('requirements as r', 'r.id', 'cr.requirement_id')
    .select(['cr.control_id', 'r.label'])
    .where('cr.control_id', 'in', controlIds)
    .orderBy('r.framework_id')
    .orderBy('r.sort_order')
    .execute();
  for (const row of rows) {
    const labels = result.get(row.control_id) ?? [];
    labels.push(row.label);
    result.set(row.control_id, labels);
  }
  return result;
}

/** A control's id and ref, by reference. */
export async function findControlByRef(
  tx: Tx,
  ref: string,
): Promise<{ id: string; ref: string } | undefined> {
  return tx.selectFrom('controls').select(['id', 'ref']).where('ref', '=', ref).executeTakeFirst();
}

/** A control's editable columns, locked for the rest of the transaction. */
export async function lockControl(tx: Tx, id: string) {
  return tx
    .selectFrom('controls')
    .select([
      'id',
      'ref',
      'title',
      'description',
      'owner_id',
      'section',
      'implementation_status',
      'archived_at',
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Which of these ids are users of the org. */
export async function findUserIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('users').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Which of these ids are requirements of the org. */
export async function findRequirementIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('requirements').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Which of these ids are controls of the org. */
export async function findControlIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('controls').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Insert a control. */
export async function insertControl(
  tx: Tx,
  values: {
    orgId: string;
    ref: string;
    title: string;
    description: string;
    ownerId: string | null;
    section: number | null;
    implementationStatus: string;
  },
): Promise<string> {
  const row = await tx
    .insertInto('controls')
    .values({
      org_id: values.orgId,
      ref: values.ref,
      title: values.title,
      description: values.description,
      owner_id: values.ownerId,
      section: values.section,
      implementation_status: values.implementationStatus,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Change a control's columns. */
export async function updateControl(
  tx: Tx,
  id: string,
  values: {
    ref?: string;
    title?: string;
    description?: string;
    owner_id?: string | null;
    section?: number | null;
    implementation_status?: string;
    archived_at?: Date | null;
  },
): Promise<void> {
  await tx
    .updateTable('controls')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The requirement ids a control satisfies. */
export async function findControlRequirementIds(tx: Tx, controlId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('control_requirements')
    .select('requirement_id')
    .where('control_id', '=', controlId)
    .execute();
  return rows.map((r) => r.requirement_id);
}

/** Link requirements to controls (pairs already linked are left alone). */
export async function insertControlRequirements(
  tx: Tx,
  orgId: string,
  pairs: readonly { controlId: string; requirementId: string }[],
): Promise<void> {
  for (let i = 0; i < pairs.length; i += 1000) {
    await tx
      .insertInto('control_requirements')
      .values(
        pairs.slice(i, i + 1000).map((p) => ({
          org_id: orgId,
          control_id: p.controlId,
          requirement_id: p.requirementId,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Unlink requirements from a control. */
export async function deleteControlRequirements(
  tx: Tx,
  controlId: string,
  requirementIds: readonly string[],
): Promise<void> {
  if (requirementIds.length === 0) return;
  await tx
    .deleteFrom('control_requirements')
    .where('control_id', '=', controlId)
    .where('requirement_id', 'in', requirementIds)
    .execute();
}

/** Checks by key. */
export async function findChecksByKey(
  tx: Tx,
  keys: readonly string[],
): Promise<{ id: string; key: string }[]> {
  if (keys.length === 0) return [];
  return tx.selectFrom('checks').select(['id', 'key']).where('key', 'in', keys).execute();
}

/** The check ids linked to a control. */
export async function findControlCheckIds(tx: Tx, controlId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('control_checks')
    .select('check_id')
    .where('control_id', '=', controlId)
    .execute();
  return rows.map((r) => r.check_id);
}

/** Link checks to controls (pairs already linked are left alone). */
export async function insertControlChecks(
  tx: Tx,
  orgId: string,
  pairs: readonly { controlId: string; checkId: string }[],
): Promise<void> {
  for (let i = 0; i < pairs.length; i += 1000) {
    await tx
      .insertInto('control_checks')
      .values(
        pairs.slice(i, i + 1000).map((p) => ({
          org_id: orgId,
          control_id: p.controlId,
          check_id: p.checkId,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Unlink checks from a control. */
export async function deleteControlChecks(
  tx: Tx,
  controlId: string,
  checkIds: readonly string[],
): Promise<void> {
  if (checkIds.length === 0) return;
  await tx
    .deleteFrom('control_checks')
    .where('control_id', '=', controlId)
    .where('check_id', 'in', checkIds)
    .execute();
}

/** Requirements a control satisfies, with their framework's name. */
export async function findControlRequirements(tx: Tx, controlId: string) {
  return tx
    .selectFrom('control_requirements as cr')
    .innerJoin('requirements as r', 'r.id', 'cr.requirement_id')
    .innerJoin('frameworks as f', 'f.id', 'r.framework_id')
    .select([
      'r.id',
      'r.framework_id',
      'r.ref',
      'r.label',
      'r.title',
      'r.body',
      'r.guidance',
      'r.section',
      'r.group_title',
      'r.parent_ref',
      'r.mappings',
      'f.name as framework_name',
    ])
    .where('cr.control_id', '=', controlId)
    .orderBy('f.created_at')
    .orderBy('r.sort_order')
    .execute();
}

/** Checks linked to a control. */
export async function findControlChecks(tx: Tx, controlId: string) {
  return tx
    .selectFrom('control_checks as cc')
    .innerJoin('checks as k', 'k.id', 'cc.check_id')
    .select([
      'k.id',
      'k.key',
      'k.name',
      'k.description',
      'k.latest_status',
      'k.latest_summary',
      'k.latest_observed_at',
    ])
    .where('cc.control_id', '=', controlId)
    .orderBy('k.key')
    .execute();
}

/** Evidence tasks of a control (active first, then by due date), with their owners. */
export async function findControlTasks(tx: Tx, controlId: string) {
  return tx
    .selectFrom('evidence_tasks as t')
    .leftJoin('users as u', 'u.id', 't.owner_id')
    .select([
      't.id',
      't.title',
      't.description',
      't.owner_id',
      'u.name as owner_name',
      'u.email as owner_email',
      't.cadence_months',
      't.grace_days',
      't.next_due_on',
      't.state',
      't.last_completed_at',
      't.is_active',
    ])
    .where('t.control_id', '=', controlId)
    .orderBy('t.is_active', 'desc')
    .orderBy('t.next_due_on')
    .execute();
}

/** How many latest-version evidence items a control page shows at most. */
export const controlEvidenceLimit = 200;

/** Latest versions of the evidence linked to a control, not deleted, newest first. */
export async function findControlEvidence(tx: Tx, controlId: string) {
  return tx
    .selectFrom('evidence_controls as ec')
    .innerJoin('evidence as e', 'e.id', 'ec.evidence_id')
    .selectAll('e')
    .where('ec.control_id', '=', controlId)
    .where('e.deleted_at', 'is', null)
    .where(isLatestVersion)
    .orderBy('e.collected_at', 'desc')
    .orderBy('e.id')
    .limit(controlEvidenceLimit)
    .execute();
}

/** The controls each evidence item is linked to, by reference. */
export async function findEvidenceControls(
  tx: Tx,
  evidenceIds: readonly string[],
): Promise<Map<string, { id: string; ref: string; title: string; status: ControlStatus }[]>> {
  const result = new Map<
    string,
    { id: string; ref: string; title: string; status: ControlStatus }[]
  >();
  if (evidenceIds.length === 0) return result;
  const rows = await tx
    .selectFrom('evidence_controls as ec')
    .innerJoin('controls as c', 'c.id', 'ec.control_id')
    .select(['ec.evidence_id', 'c.id', 'c.ref', 'c.title', 'c.status'])
    .where('ec.evidence_id', 'in', evidenceIds)
    .orderBy('c.ref')
    .execute();
  for (const row of rows) {
    const list = result.get(row.evidence_id) ?? [];
    list.push({ id: row.id, ref: row.ref, title: row.title, status: row.status as ControlStatus });
    result.set(row.evidence_id, list);
  }
  return result;
}

/** The org's evidence retention and task due window (the defaults when never saved). */
export async function findProgramRules(
  tx: Tx,
): Promise<{ retentionDays: number; dueWindowDays: number }> {
  const row = await tx
    .selectFrom('program_settings')
    .select(['evidence_retention_days', 'task_due_window_days'])
    .executeTakeFirst();
  return {
    retentionDays: row?.evidence_retention_days ?? 1095,
    dueWindowDays: row?.task_due_window_days ?? 30,
  };
}

/** Promises confirmed as kept by a control. */
export async function findControlPromises(tx: Tx, controlId: string) {
  return tx
    .selectFrom('promise_controls as pc')
    .innerJoin('promises as p', 'p.id', 'pc.promise_id')
    .select(['p.id', 'p.annex_id', 'p.ref', 'p.body'])
    .where('pc.control_id', '=', controlId)
    .where('pc.is_confirmed', '=', true)
    .orderBy('p.annex_id')
    .orderBy('p.sort_order')
    .execute();
}

/** A control's recorded status per day since `from`, oldest first. */
export async function findStatusHistory(tx: Tx, controlId: string, from: string) {
  return tx
    .selectFrom('control_status_days')
    .select(['day', 'status', 'reason'])
    .where('control_id', '=', controlId)
    .where('day', '>=', from)
    .orderBy('day')
    .execute();
}

/**
 * Policies linked to a control with their published version and, when newer, the version in
 * progress.
 */
export async function findControlPolicies(tx: Tx, controlId: string) {
  return tx
    .selectFrom('policy_controls as pc')
    .innerJoin('policies as p', 'p.id', 'pc.policy_id')
    .select((eb) => [
      'p.id',
      'p.key',
      'p.title',
      'p.retired_at',
      eb
        .selectFrom('policy_versions as pv')
        .select('pv.number')
        .whereRef('pv.policy_id', '=', 'p.id')
        .where('pv.status', '=', 'published')
        .orderBy('pv.number', 'desc')
        .limit(1)
        .as('published_number'),
      eb
        .selectFrom('policy_versions as pv')
        .select('pv.number')
        .whereRef('pv.policy_id', '=', 'p.id')
        .orderBy('pv.number', 'desc')
        .limit(1)
        .as('latest_number'),
      eb
        .selectFrom('policy_versions as pv')
        .select('pv.status')
        .whereRef('pv.policy_id', '=', 'p.id')
        .orderBy('pv.number', 'desc')
        .limit(1)
        .as('latest_status'),
    ])
    .where('pc.control_id', '=', controlId)
    .orderBy('p.title')
    .orderBy('p.id')
    .execute();
}

/** Risks a control treats, with the score that counts today (residual once rated). */
export async function findControlRisks(tx: Tx, controlId: string) {
  return tx
    .selectFrom('risk_controls as rc')
    .innerJoin('risks as r', 'r.id', 'rc.risk_id')
    .select([
      'r.id',
      'r.ref',
      'r.title',
      'r.status',
      sql<number>`coalesce(r.residual_likelihood * r.residual_impact, r.inherent_likelihood * r.inherent_impact)`.as(
        'score',
      ),
    ])
    .where('rc.control_id', '=', controlId)
    .orderBy('r.number')
    .execute();
}
