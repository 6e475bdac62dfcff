import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type {
  PoliciesTable,
  PolicyReviewsTable,
  PolicyVersionsTable,
} from '../../platform/db/schema.ts';
import { findUserRefs, type UserRef } from '../../platform/db/user-refs.repo.ts';

/** Users of the org by id, and how a record names one. */
export { findUserRefs as findUsers, type UserRef };

/** A stored policy. */
export type PolicyRow = Selectable<PoliciesTable>;

/** A stored policy version. */
export type VersionRow = Selectable<PolicyVersionsTable>;

/** A stored review record. */
export type ReviewRow = Selectable<PolicyReviewsTable>;

/** Acknowledgement counts of one version. */
export interface CoverageRow {
  version_id: string;
  requested: number;
  acknowledged: number;
  on_time: number;
  overdue: number;
}

/** Policies of the org, oldest first; one when `id` is given. */
export async function findPolicies(tx: Tx, id?: string): Promise<PolicyRow[]> {
  let query = tx.selectFrom('policies').selectAll().orderBy('title').orderBy('id');
  if (id !== undefined) query = query.where('id', '=', id);
  return query.execute();
}

/** A policy by key. */
export async function findPolicyByKey(tx: Tx, key: string): Promise<PolicyRow | undefined> {
  return tx.selectFrom('policies').selectAll().where('key', '=', key).executeTakeFirst();
}

/** Lock a policy row for a change of its versions (one writer at a time per policy). */
export async function lockPolicy(tx: Tx, id: string): Promise<PolicyRow | undefined> {
  return tx.selectFrom('policies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Active users of the org among these ids. */
export async function findActiveUserIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .selectFrom('users')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .where('status', '=', 'active')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Controls linked to each policy. */
export async function findPolicyControls(
  tx: Tx,
  policyIds: readonly string[],
): Promise<Map<string, { id: string; ref: string; title: string }[]>> {
  const out = new Map<string, { id: string; ref: string; title: string }[]>();
  if (policyIds.length === 0) return out;
  const rows = await tx
    .selectFrom('policy_controls as pc')
    .innerJoin('controls as c', 'c.id', 'pc.control_id')
    .select(['pc.policy_id', 'c.id', 'c.ref', 'c.title'])
    .where('pc.policy_id', 'in', policyIds)
    .orderBy('c.ref')
    .execute();
  for (const r of rows) {
    const list = out.get(r.policy_id) ?? [];
    list.push({ id: r.id, ref: r.ref, title: r.title });
    out.set(r.policy_id, list);
  }
  return out;
}

/** Ids among these that are controls of the org. */
export async function findControlIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.selectFrom('controls').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Controls of the org by ref. */
export async function findControlIdsByRef(tx: Tx, refs: readonly string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const rows = await tx
    .selectFrom('controls')
    .select('id')
    .where('ref', 'in', refs)
    .where('archived_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** Replace the controls linked to a policy. */
export async function setPolicyControls(
  tx: Tx,
  orgId: string,
  policyId: string,
  controlIds: readonly string[],
): Promise<void> {
  await tx.deleteFrom('policy_controls').where('policy_id', '=', policyId).execute();
  if (controlIds.length === 0) return;
  await tx
    .insertInto('policy_controls')
    .values(controlIds.map((id) => ({ org_id: orgId, policy_id: policyId, control_id: id })))
    .execute();
}

/** Insert a policy. */
export async function insertPolicy(
  tx: Tx,
  values: {
    orgId: string;
    key: string;
    title: string;
    ownerId: string | null;
    approverIds: string[];
    audience: string;
    audienceValues: string[];
    reviewCadenceMonths: number;
    templateKey: string | null;
  },
): Promise<PolicyRow> {
  return tx
    .insertInto('policies')
    .values({
      org_id: values.orgId,
      key: values.key,
      title: values.title,
      owner_id: values.ownerId,
      approver_ids: values.approverIds,
      audience: values.audience,
      audience_values: values.audienceValues,
      review_cadence_months: values.reviewCadenceMonths,
      template_key: values.templateKey,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Change a policy's columns. */
export async function updatePolicy(
  tx: Tx,
  id: string,
  values: Partial<{
    title: string;
    owner_id: string | null;
    approver_ids: string[];
    audience: string;
    audience_values: string[];
    review_cadence_months: number;
    next_review_on: string | null;
    retired_at: Date;
  }>,
): Promise<void> {
  await tx
    .updateTable('policies')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Versions of a policy, newest first. */
export async function findVersions(tx: Tx, policyIds: readonly string[]): Promise<VersionRow[]> {
  if (policyIds.length === 0) return [];
  return tx
    .selectFrom('policy_versions')
    .selectAll()
    .where('policy_id', 'in', policyIds)
    .orderBy('policy_id')
    .orderBy('number', 'desc')
    .execute();
}

/** A version by id. */
export async function findVersion(tx: Tx, id: string): Promise<VersionRow | undefined> {
  return tx.selectFrom('policy_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Insert a draft version. */
export async function insertVersion(
  tx: Tx,
  values: {
    orgId: string;
    policyId: string;
    number: number;
    body: string;
    changeSummary: string;
    createdByUserId: string | null;
    evidenceId?: string | null;
    fileFormat?: string | null;
  },
): Promise<VersionRow> {
  return tx
    .insertInto('policy_versions')
    .values({
      org_id: values.orgId,
      policy_id: values.policyId,
      number: values.number,
      body: values.body,
      change_summary: values.changeSummary,
      created_by_user_id: values.createdByUserId,
      evidence_id: values.evidenceId ?? null,
      file_format: values.fileFormat ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Change a version's columns (the database refuses changes to a published version). */
export async function updateVersion(
  tx: Tx,
  id: string,
  values: Partial<{
    status: string;
    body: string;
    change_summary: string;
    is_material: boolean | null;
    approvals: string;
    submitted_at: Date;
    published_at: Date;
    published_by_user_id: string | null;
    ended_at: Date;
    evidence_id: string | null;
    file_format: string | null;
  }>,
): Promise<VersionRow> {
  return tx
    .updateTable('policy_versions')
    .set(values)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Versions in review, oldest submission first. */
export async function findVersionsInReview(tx: Tx): Promise<VersionRow[]> {
  return tx
    .selectFrom('policy_versions')
    .selectAll()
    .where('status', '=', 'in_review')
    .orderBy('submitted_at')
    .execute();
}

/** Review records of a policy, newest first. */
export async function findReviews(tx: Tx, policyId: string): Promise<ReviewRow[]> {
  return tx
    .selectFrom('policy_reviews')
    .selectAll()
    .where('policy_id', '=', policyId)
    .orderBy('reviewed_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/** Insert a review record. */
export async function insertReview(
  tx: Tx,
  values: {
    orgId: string;
    policyId: string;
    versionId: string | null;
    reviewedOn: string;
    reviewerId: string | null;
    outcome: 'no_change' | 'new_version';
    note: string;
  },
): Promise<void> {
  await tx
    .insertInto('policy_reviews')
    .values({
      org_id: values.orgId,
      policy_id: values.policyId,
      version_id: values.versionId,
      reviewed_on: values.reviewedOn,
      reviewer_id: values.reviewerId,
      outcome: values.outcome,
      note: values.note,
    })
    .execute();
}

/**
 * Acknowledgement counts per version; `today` decides what is overdue. Read from the counts the
 * database keeps per version and deadline, not by counting every request.
 */
export async function findCoverage(
  tx: Tx,
  versionIds: readonly string[],
  today: string,
): Promise<Map<string, CoverageRow>> {
  if (versionIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('policy_coverage_counts')
    .select([
      'version_id',
      sql<string>`sum(requested)`.as('requested'),
      sql<string>`sum(acknowledged)`.as('acknowledged'),
      sql<string>`sum(on_time)`.as('on_time'),
      sql<string>`coalesce(sum(requested - acknowledged) FILTER (WHERE due_on < ${today}::date), 0)`.as(
        'overdue',
      ),
    ])
    .where('version_id', 'in', versionIds)
    .groupBy('version_id')
    .execute();
  return new Map(
    rows.map((r) => [
      r.version_id,
      {
        version_id: r.version_id,
        requested: Number(r.requested),
        acknowledged: Number(r.acknowledged),
        on_time: Number(r.on_time),
        overdue: Number(r.overdue),
      },
    ]),
  );
}

function audienceUsers(policy: PolicyRow) {
  // The audience in Steward users; departments come from the people directory's link to users.
  const base = sql`SELECT u.id FROM users u WHERE u.status = 'active'`;
  if (policy.audience === 'roles') {
    return sql`${base} AND u.role = ANY(${policy.audience_values}::text[])`;
  }
  if (policy.audience === 'departments') {
    return sql`${base} AND EXISTS (SELECT 1 FROM people p WHERE p.user_id = u.id
      AND p.status <> 'departed' AND p.department = ANY(${policy.audience_values}::text[]))`;
  }
  return base;
}

/**
 * Ask every member of the policy's audience without a request for this version to acknowledge it
 * by `dueOn`, in one statement (an audience of thousands must not take a round trip each).
 */
export async function requestAcknowledgements(
  tx: Tx,
  orgId: string,
  policy: PolicyRow,
  versionId: string,
  dueOn: string,
): Promise<number> {
  const result = await sql`
    INSERT INTO policy_acknowledgements (org_id, policy_id, version_id, user_id, due_on)
    SELECT ${orgId}::uuid, ${policy.id}::uuid, ${versionId}::uuid, a.id, ${dueOn}::date
    FROM (${audienceUsers(policy)}) a
    ON CONFLICT (version_id, user_id) DO NOTHING`.execute(tx);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Carry the requests of the previous version over to a minor new version: acknowledgements keep
 * their time (method carried_forward), open requests keep their deadline.
 */
export async function carryAcknowledgementsForward(
  tx: Tx,
  orgId: string,
  fromVersionId: string,
  toVersionId: string,
): Promise<number> {
  const result = await sql`
    INSERT INTO policy_acknowledgements
      (org_id, policy_id, version_id, user_id, requested_at, due_on, acknowledged_at, method)
    SELECT ${orgId}::uuid, policy_id, ${toVersionId}::uuid, user_id, requested_at, due_on,
      acknowledged_at, CASE WHEN acknowledged_at IS NULL THEN NULL ELSE 'carried_forward' END
    FROM policy_acknowledgements
    WHERE version_id = ${fromVersionId}::uuid
    ON CONFLICT (version_id, user_id) DO NOTHING`.execute(tx);
  return Number(result.numAffectedRows ?? 0n);
}

/** A person's acknowledgement requests for versions still in force, with the version body. */
export async function findMyAcknowledgements(tx: Tx, userId: string, versionId?: string) {
  let query = tx
    .selectFrom('policy_acknowledgements as a')
    .innerJoin('policy_versions as v', 'v.id', 'a.version_id')
    .innerJoin('policies as p', 'p.id', 'a.policy_id')
    .select([
      'a.id',
      'a.policy_id',
      'a.version_id',
      'a.due_on',
      'a.acknowledged_at',
      'v.status',
      'v.number',
      'v.body',
      'v.evidence_id',
      'v.file_format',
      'v.published_at',
      'p.title',
    ])
    .where('a.user_id', '=', userId)
    .orderBy('a.acknowledged_at', (ob) => ob.desc().nullsFirst())
    .orderBy('a.due_on')
    .orderBy('p.title');
  query =
    versionId === undefined
      ? query.where('v.status', '=', 'published')
      : query.where('a.version_id', '=', versionId);
  return query.execute();
}

/** Record an acknowledgement (once). */
export async function markAcknowledged(tx: Tx, id: string, at: Date): Promise<boolean> {
  const result = await tx
    .updateTable('policy_acknowledgements')
    .set({ acknowledged_at: at, method: 'web' })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The stored file of an evidence item a version points at. */
export interface VersionFileRow {
  id: string;
  file_name: string | null;
  media_type: string | null;
  size_bytes: string | null;
  file_sha256: string | null;
  deleted_at: Date | null;
}

/** The evidence files of these evidence ids. */
export async function findEvidenceFiles(
  tx: Tx,
  evidenceIds: readonly string[],
): Promise<Map<string, VersionFileRow>> {
  if (evidenceIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('evidence')
    .select(['id', 'file_name', 'media_type', 'size_bytes', 'file_sha256', 'deleted_at'])
    .where('id', 'in', [...new Set(evidenceIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Whether the user was asked to acknowledge this version (any time). */
export async function hasAcknowledgementRequest(
  tx: Tx,
  userId: string,
  versionId: string,
): Promise<boolean> {
  const row = await tx
    .selectFrom('policy_acknowledgements')
    .select('id')
    .where('user_id', '=', userId)
    .where('version_id', '=', versionId)
    .executeTakeFirst();
  return row !== undefined;
}
