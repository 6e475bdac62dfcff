import type { Tx } from '../../platform/db/pools.ts';

/** A check row as the API shows it. */
export interface CheckRow {
  id: string;
  key: string;
  name: string;
  description: string;
  latest_status: 'pass' | 'fail' | null;
  latest_summary: string | null;
  latest_observed_at: Date | null;
}

const checkColumns = [
  'id',
  'key',
  'name',
  'description',
  'latest_status',
  'latest_summary',
  'latest_observed_at',
] as const;

/** Every check of the org, by key. */
export async function findChecks(tx: Tx): Promise<CheckRow[]> {
  return tx.selectFrom('checks').select(checkColumns).orderBy('key').execute();
}

/** One check by key. */
export async function findCheckByKey(tx: Tx, key: string): Promise<CheckRow | undefined> {
  return tx.selectFrom('checks').select(checkColumns).where('key', '=', key).executeTakeFirst();
}

/** The controls linked to each check (all checks when `checkIds` is omitted). */
export async function findCheckControls(
  tx: Tx,
  checkIds?: readonly string[],
): Promise<Map<string, { id: string; ref: string; title: string; status: string }[]>> {
  const result = new Map<string, { id: string; ref: string; title: string; status: string }[]>();
  if (checkIds?.length === 0) return result;
  let query = tx
    .selectFrom('control_checks as cc')
    .innerJoin('controls as c', 'c.id', 'cc.control_id')
    .select(['cc.check_id', 'c.id', 'c.ref', 'c.title', 'c.status'])
    .orderBy('c.ref');
  if (checkIds !== undefined) query = query.where('cc.check_id', 'in', checkIds);
  for (const row of await query.execute()) {
    const list = result.get(row.check_id) ?? [];
    list.push({ id: row.id, ref: row.ref, title: row.title, status: row.status });
    result.set(row.check_id, list);
  }
  return result;
}

/** Insert a check. */
export async function insertCheck(
  tx: Tx,
  values: { orgId: string; key: string; name: string; description: string },
): Promise<CheckRow> {
  return tx
    .insertInto('checks')
    .values({
      org_id: values.orgId,
      key: values.key,
      name: values.name,
      description: values.description,
    })
    .returning(checkColumns)
    .executeTakeFirstOrThrow();
}

/** Insert checks by key, keeping those that exist; returns the id of every key. */
export async function upsertChecks(
  tx: Tx,
  orgId: string,
  checks: readonly { key: string; name: string; description: string }[],
): Promise<Map<string, string>> {
  if (checks.length === 0) return new Map();
  await tx
    .insertInto('checks')
    .values(
      checks.map((c) => ({ org_id: orgId, key: c.key, name: c.name, description: c.description })),
    )
    .onConflict((oc) => oc.columns(['org_id', 'key']).doNothing())
    .execute();
  const rows = await tx
    .selectFrom('checks')
    .select(['id', 'key'])
    .where(
      'key',
      'in',
      checks.map((c) => c.key),
    )
    .execute();
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** The control ids a check proves. */
export async function findCheckControlIds(tx: Tx, checkId: string): Promise<string[]> {
  const rows = await tx
    .selectFrom('control_checks')
    .select('control_id')
    .where('check_id', '=', checkId)
    .execute();
  return rows.map((r) => r.control_id);
}

/** Store a check result. */
export async function insertCheckResult(
  tx: Tx,
  values: {
    orgId: string;
    checkId: string;
    status: 'pass' | 'fail';
    summary: string;
    details: Record<string, unknown>;
    observedAt: Date;
  },
): Promise<{ id: string }> {
  return tx
    .insertInto('check_results')
    .values({
      org_id: values.orgId,
      check_id: values.checkId,
      status: values.status,
      summary: values.summary,
      details: JSON.stringify(values.details),
      observed_at: values.observedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Make a result the check's latest, unless a later observation is already recorded. */
export async function updateLatestResult(
  tx: Tx,
  checkId: string,
  values: { status: 'pass' | 'fail'; summary: string; observedAt: Date },
): Promise<boolean> {
  const result = await tx
    .updateTable('checks')
    .set({
      latest_status: values.status,
      latest_summary: values.summary,
      latest_observed_at: values.observedAt,
    })
    .where('id', '=', checkId)
    .where((eb) =>
      eb.or([
        eb('latest_observed_at', 'is', null),
        eb('latest_observed_at', '<=', values.observedAt),
      ]),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Record a check result as evidence of the controls the check proves. */
export async function insertCheckEvidence(
  tx: Tx,
  values: {
    id: string;
    orgId: string;
    title: string;
    description: string;
    checkResultId: string;
    collectedAt: Date;
    day: string;
    suppliedByUserId: string | null;
    suppliedBy: string;
    controlIds: readonly string[];
  },
): Promise<void> {
  await tx
    .insertInto('evidence')
    .values({
      id: values.id,
      org_id: values.orgId,
      lineage_id: values.id,
      version: 1,
      kind: 'check_result',
      title: values.title,
      description: values.description,
      check_result_id: values.checkResultId,
      file_sha256: null,
      file_name: null,
      media_type: null,
      url: null,
      collected_at: values.collectedAt,
      effective_from: values.day,
      effective_to: values.day,
      supplied_by_user_id: values.suppliedByUserId,
      supplied_by: values.suppliedBy,
      task_id: null,
    })
    .execute();
  if (values.controlIds.length === 0) return;
  await tx
    .insertInto('evidence_controls')
    .values(
      values.controlIds.map((controlId) => ({
        org_id: values.orgId,
        evidence_id: values.id,
        control_id: controlId,
      })),
    )
    .execute();
}
