import type { riskQuerySchema } from '@steward/contracts';
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Selectable,
  type SqlBool,
} from 'kysely';
import type { z } from 'zod';
import type { Tx } from '../../platform/db/pools.ts';
import type {
  Database,
  RiskChangesTable,
  RiskRegisterAcceptancesTable,
  RiskRegisterReviewsTable,
  RisksTable,
} from '../../platform/db/schema.ts';
import { scoreBands } from './risk-scoring.ts';
import { findUserRefs, type UserRef } from '../../platform/db/user-refs.repo.ts';

/** Users of the org by id, and how a record names one. */
export { findUserRefs as findUsers, type UserRef };

/** A risk row. */
export type RiskRow = Selectable<RisksTable>;
/** A history row. */
export type RiskChangeRow = Selectable<RiskChangesTable>;
/** An acceptance row with its risk's ref and title. */
export type AcceptanceRow = Selectable<RiskRegisterAcceptancesTable> & {
  risk_ref: string;
  risk_title: string;
};
/** A register review row. */
export type RegisterReviewRow = Selectable<RiskRegisterReviewsTable>;
type RiskQuery = z.output<typeof riskQuerySchema>;
type Eb = ExpressionBuilder<Database, 'risks'>;

const currentScore = sql<number>`(CASE WHEN risks.residual_likelihood IS NOT NULL AND risks.residual_impact IS NOT NULL
  THEN risks.residual_likelihood * risks.residual_impact
  ELSE risks.inherent_likelihood * risks.inherent_impact END)`;
const inherentScore = sql<number>`(risks.inherent_likelihood * risks.inherent_impact)`;

function filtersOf(eb: Eb, q: RiskQuery, today: string): Expression<SqlBool>[] {
  const where: Expression<SqlBool>[] = [];
  if (q.status?.length) where.push(eb('risks.status', 'in', q.status));
  if (q.category) where.push(eb(sql`lower(risks.category)`, '=', q.category.toLowerCase()));
  if (q.ownerUserId) where.push(eb('risks.owner_user_id', '=', q.ownerUserId));
  if (q.treatment?.length) where.push(eb('risks.treatment', 'in', q.treatment));
  if (q.band?.length) {
    where.push(
      eb.or(
        q.band.map((b) =>
          eb.and([
            eb(currentScore, '>=', scoreBands[b].min),
            eb(currentScore, '<=', scoreBands[b].max),
          ]),
        ),
      ),
    );
  }
  if (q.overdue !== undefined) {
    const overdue = eb.and([eb('risks.status', '<>', 'closed'), eb('risks.review_on', '<', today)]);
    where.push(q.overdue ? overdue : eb.not(overdue));
  }
  if (q.heat && q.likelihood !== undefined && q.impact !== undefined) {
    if (q.heat === 'inherent') {
      where.push(eb('risks.inherent_likelihood', '=', q.likelihood));
      where.push(eb('risks.inherent_impact', '=', q.impact));
    } else {
      // The residual map places risks not yet rated residually at their inherent cell.
      where.push(
        eb(sql`coalesce(risks.residual_likelihood, risks.inherent_likelihood)`, '=', q.likelihood),
      );
      where.push(eb(sql`coalesce(risks.residual_impact, risks.inherent_impact)`, '=', q.impact));
      where.push(
        eb.or([
          eb.and([
            eb('risks.residual_likelihood', 'is not', null),
            eb('risks.residual_impact', 'is not', null),
          ]),
          eb.and([
            eb('risks.residual_likelihood', 'is', null),
            eb('risks.residual_impact', 'is', null),
          ]),
        ]),
      );
    }
  }
  if (q.q) {
    const pattern = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      eb.or([
        eb('risks.title', 'ilike', pattern),
        eb('risks.description', 'ilike', pattern),
        eb('risks.ref', 'ilike', pattern),
        eb('risks.category', 'ilike', pattern),
      ]),
    );
  }
  return where;
}

const sortColumns = {
  ref: sql`risks.number`,
  title: sql`lower(risks.title)`,
  score: currentScore,
  inherentScore,
  reviewOn: sql`risks.review_on`,
  updatedAt: sql`risks.updated_at`,
} as const;

/** A page of risks matching the filters, in the requested order, with the matching total. */
export async function findRisksPage(
  tx: Tx,
  q: RiskQuery,
  today: string,
  page: { limit: number; offset: number },
): Promise<{ rows: RiskRow[]; total: number }> {
  const direction = q.order === 'asc' ? sql`ASC` : sql`DESC`;
  const rows = await tx
    .selectFrom('risks')
    .selectAll('risks')
    .where((eb) => eb.and(filtersOf(eb, q, today)))
    .orderBy(sql`${sortColumns[q.sort]} ${direction}`)
    .orderBy('risks.number', 'asc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await tx
    .selectFrom('risks')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where((eb) => eb.and(filtersOf(eb, q, today)))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

/** Ratings of every risk not closed. */
export async function findOpenRatings(
  tx: Tx,
): Promise<
  Pick<
    RiskRow,
    'inherent_likelihood' | 'inherent_impact' | 'residual_likelihood' | 'residual_impact'
  >[]
> {
  return tx
    .selectFrom('risks')
    .select(['inherent_likelihood', 'inherent_impact', 'residual_likelihood', 'residual_impact'])
    .where('status', '<>', 'closed')
    .execute();
}

/** A risk by id, optionally locked for a change. */
export async function findRisk(
  tx: Tx,
  id: string,
  forUpdate = false,
): Promise<RiskRow | undefined> {
  let query = tx.selectFrom('risks').selectAll().where('id', '=', id);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Every risk not closed (for the checks and the register snapshot). */
export async function findLiveRisks(tx: Tx): Promise<RiskRow[]> {
  return tx
    .selectFrom('risks')
    .selectAll()
    .where('status', '<>', 'closed')
    .orderBy('number')
    .execute();
}

/** Count risks by status. */
export async function countByStatus(tx: Tx): Promise<Map<string, number>> {
  const rows = await tx
    .selectFrom('risks')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** The next risk number of the org, serialised per org so two creations never share one. */
export async function nextRiskNumber(tx: Tx, orgId: string): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`risks:${orgId}`}))`.execute(tx);
  const row = await tx
    .selectFrom('risks')
    .select((eb) => eb.fn.max('number').as('n'))
    .executeTakeFirst();
  return (row?.n ?? 0) + 1;
}

/** Insert a risk. */
export async function insertRisk(
  tx: Tx,
  values: Omit<
    RiskRow,
    'id' | 'created_at' | 'updated_at' | 'last_reviewed_on' | 'status' | 'treatment_completed_on'
  >,
): Promise<RiskRow> {
  return tx.insertInto('risks').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Update a risk's columns (updated_at moves on). */
export async function updateRisk(
  tx: Tx,
  id: string,
  values: Partial<Omit<RiskRow, 'id' | 'org_id' | 'number' | 'ref' | 'created_at'>>,
): Promise<void> {
  await tx
    .updateTable('risks')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Append a history entry. */
export async function insertChange(
  tx: Tx,
  values: {
    orgId: string;
    riskId: string;
    kind: string;
    changes: Record<string, { from: unknown; to: unknown }>;
    note: string;
    actorUserId: string | null;
    actor: string;
  },
): Promise<void> {
  await tx
    .insertInto('risk_changes')
    .values({
      org_id: values.orgId,
      risk_id: values.riskId,
      kind: values.kind,
      changes: JSON.stringify(values.changes),
      note: values.note,
      actor_user_id: values.actorUserId,
      actor: values.actor,
    })
    .execute();
}

/** History of a risk, newest first. */
export async function findChanges(tx: Tx, riskId: string): Promise<RiskChangeRow[]> {
  return tx
    .selectFrom('risk_changes')
    .selectAll()
    .where('risk_id', '=', riskId)
    .orderBy('changed_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Whether a user of the org is active. */
export async function isActiveUser(tx: Tx, id: string): Promise<boolean> {
  const row = await tx
    .selectFrom('users')
    .select('id')
    .where('id', '=', id)
    .where('status', '<>', 'disabled')
    .executeTakeFirst();
  return row !== undefined;
}

/** Ids of the given controls that exist in the org and are not archived. */
export async function findControlIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .selectFrom('controls')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .where('archived_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Controls linked to a risk. */
export async function findRiskControls(
  tx: Tx,
  riskId: string,
): Promise<{ id: string; ref: string; title: string; status: string }[]> {
  return tx
    .selectFrom('risk_controls')
    .innerJoin('controls', 'controls.id', 'risk_controls.control_id')
    .select(['controls.id', 'controls.ref', 'controls.title', 'controls.status'])
    .where('risk_controls.risk_id', '=', riskId)
    .orderBy('controls.ref')
    .execute();
}

/** Number of linked controls per risk. */
export async function countControls(
  tx: Tx,
  riskIds: readonly string[],
): Promise<Map<string, number>> {
  if (riskIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('risk_controls')
    .select(['risk_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('risk_id', 'in', riskIds)
    .groupBy('risk_id')
    .execute();
  return new Map(rows.map((r) => [r.risk_id, Number(r.n)]));
}

/** Link controls; returns the ids newly linked. */
export async function linkControls(
  tx: Tx,
  orgId: string,
  riskId: string,
  controlIds: readonly string[],
): Promise<string[]> {
  if (controlIds.length === 0) return [];
  const rows = await tx
    .insertInto('risk_controls')
    .values(
      controlIds.map((controlId) => ({ org_id: orgId, risk_id: riskId, control_id: controlId })),
    )
    .onConflict((oc) => oc.columns(['risk_id', 'control_id']).doNothing())
    .returning('control_id')
    .execute();
  return rows.map((r) => r.control_id);
}

/** Unlink a control; whether it was linked. */
export async function unlinkControl(tx: Tx, riskId: string, controlId: string): Promise<boolean> {
  const result = await tx
    .deleteFrom('risk_controls')
    .where('risk_id', '=', riskId)
    .where('control_id', '=', controlId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The review cadence of the org's register (12 months until set). */
export async function findReviewCadence(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom('risk_settings')
    .select('review_cadence_months')
    .executeTakeFirst();
  return row?.review_cadence_months ?? 12;
}

/** Store the register's review cadence. */
export async function upsertReviewCadence(tx: Tx, orgId: string, months: number): Promise<void> {
  await tx
    .insertInto('risk_settings')
    .values({ org_id: orgId, review_cadence_months: months })
    .onConflict((oc) =>
      oc
        .column('org_id')
        .doUpdateSet({ review_cadence_months: months, updated_at: sql<Date>`now()` }),
    )
    .execute();
}

function acceptancesQuery(tx: Tx) {
  return tx
    .selectFrom('risk_register_acceptances as a')
    .innerJoin('risks', 'risks.id', 'a.risk_id')
    .selectAll('a')
    .select(['risks.ref as risk_ref', 'risks.title as risk_title']);
}

/** Acceptances of the given risks (all when omitted), newest first. */
export async function findAcceptances(
  tx: Tx,
  filter: { riskId?: string; status?: string },
): Promise<AcceptanceRow[]> {
  let query = acceptancesQuery(tx);
  if (filter.riskId) query = query.where('a.risk_id', '=', filter.riskId);
  if (filter.status) {
    query = query.where('a.status', '=', filter.status as AcceptanceRow['status']);
  }
  return query.orderBy('a.requested_at', 'desc').orderBy('a.id').limit(1000).execute();
}

/** One acceptance, optionally locked. */
export async function findAcceptance(
  tx: Tx,
  id: string,
  forUpdate = false,
): Promise<AcceptanceRow | undefined> {
  let query = acceptancesQuery(tx).where('a.id', '=', id);
  if (forUpdate) query = query.forUpdate('a');
  return query.executeTakeFirst();
}

/** The pending request or the latest approved acceptance of each risk. */
export async function findCurrentAcceptances(
  tx: Tx,
  riskIds: readonly string[],
): Promise<Map<string, { id: string; status: AcceptanceRow['status']; expires_on: string }>> {
  if (riskIds.length === 0) return new Map();
  const rows = await tx
    .selectFrom('risk_register_acceptances')
    .select(['id', 'risk_id', 'status', 'expires_on'])
    .where('risk_id', 'in', riskIds)
    .where('status', 'in', ['pending', 'approved'])
    .orderBy('requested_at', 'asc')
    .execute();
  const map = new Map<
    string,
    { id: string; status: AcceptanceRow['status']; expires_on: string }
  >();
  for (const r of rows) {
    const existing = map.get(r.risk_id);
    // A pending request is what needs attention; otherwise the newest approval is in force.
    if (existing?.status === 'pending' && r.status !== 'pending') continue;
    map.set(r.risk_id, { id: r.id, status: r.status, expires_on: r.expires_on });
  }
  return map;
}

/** Insert an acceptance request. */
export async function insertAcceptance(
  tx: Tx,
  values: {
    orgId: string;
    riskId: string;
    requestedByUserId: string;
    justification: string;
    expiresOn: string;
  },
): Promise<string> {
  const row = await tx
    .insertInto('risk_register_acceptances')
    .values({
      org_id: values.orgId,
      risk_id: values.riskId,
      requested_by_user_id: values.requestedByUserId,
      justification: values.justification,
      expires_on: values.expiresOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Decide an acceptance request. */
export async function decideAcceptance(
  tx: Tx,
  id: string,
  values: { status: 'approved' | 'rejected'; decidedByUserId: string; note: string },
): Promise<void> {
  await tx
    .updateTable('risk_register_acceptances')
    .set({
      status: values.status,
      decided_by_user_id: values.decidedByUserId,
      decided_at: sql<Date>`now()`,
      decision_note: values.note,
    })
    .where('id', '=', id)
    .execute();
}

/** Earlier approvals of a risk end when a newer one is approved (they are replaced). */
export async function expireOtherApprovals(tx: Tx, riskId: string, keepId: string): Promise<void> {
  await tx
    .updateTable('risk_register_acceptances')
    .set({ status: 'expired' })
    .where('risk_id', '=', riskId)
    .where('status', '=', 'approved')
    .where('id', '<>', keepId)
    .execute();
}

/** Approved acceptances past their expiry. */
export async function findLapsedApprovals(tx: Tx, today: string): Promise<AcceptanceRow[]> {
  return acceptancesQuery(tx)
    .where('a.status', '=', 'approved')
    .where('a.expires_on', '<', today)
    .orderBy('a.expires_on')
    .execute();
}

/** Mark an acceptance expired. */
export async function markExpired(tx: Tx, id: string): Promise<void> {
  await tx
    .updateTable('risk_register_acceptances')
    .set({ status: 'expired' })
    .where('id', '=', id)
    .execute();
}

/**
 * Risks not closed, treated by acceptance, whose latest decided acceptance has run out (marked
 * expired, or approved with its expiry passed before the daily job saw it).
 */
export async function findLapsedAcceptedRisks(
  tx: Tx,
  today: string,
): Promise<{ ref: string; title: string; expires_on: string }[]> {
  const rows = await sql<{ ref: string; title: string; expires_on: string }>`
    SELECT r.ref, r.title, to_char(a.expires_on, 'YYYY-MM-DD') AS expires_on
    FROM risks r
    JOIN LATERAL (
      SELECT status, expires_on FROM risk_register_acceptances
      WHERE risk_id = r.id AND status IN ('approved', 'expired')
      ORDER BY decided_at DESC, requested_at DESC LIMIT 1
    ) a ON true
    WHERE r.status <> 'closed' AND r.treatment = 'accept'
      AND (a.status = 'expired' OR a.expires_on < ${today}::date)
    ORDER BY r.number`.execute(tx);
  return rows.rows;
}

/** Insert a register review. */
export async function insertRegisterReview(
  tx: Tx,
  values: {
    id: string;
    orgId: string;
    kind: RegisterReviewRow['kind'];
    reviewedOn: string;
    reviewerUserId: string;
    note: string;
    snapshot: Record<string, unknown>;
    evidenceId: string | null;
  },
): Promise<RegisterReviewRow> {
  return tx
    .insertInto('risk_register_reviews')
    .values({
      id: values.id,
      org_id: values.orgId,
      kind: values.kind,
      reviewed_on: values.reviewedOn,
      reviewer_user_id: values.reviewerUserId,
      note: values.note,
      snapshot: JSON.stringify(values.snapshot),
      evidence_id: values.evidenceId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Register reviews, newest first. */
export async function findRegisterReviews(tx: Tx): Promise<RegisterReviewRow[]> {
  return tx
    .selectFrom('risk_register_reviews')
    .selectAll()
    .orderBy('reviewed_on', 'desc')
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}

/**
 * Record a register review as evidence (a link to the review in Steward) for a task and its
 * control, effective from today for the task's cadence.
 */
export async function insertReviewEvidence(
  tx: Tx,
  values: {
    id: string;
    orgId: string;
    title: string;
    description: string;
    url: string;
    collectedAt: Date;
    effectiveFrom: string;
    effectiveTo: string;
    suppliedByUserId: string;
    suppliedBy: string;
    taskId: string;
    controlId: string;
  },
): Promise<void> {
  await tx
    .insertInto('evidence')
    .values({
      id: values.id,
      org_id: values.orgId,
      lineage_id: values.id,
      version: 1,
      kind: 'link',
      title: values.title,
      description: values.description,
      file_sha256: null,
      file_name: null,
      media_type: null,
      size_bytes: null,
      url: values.url,
      check_result_id: null,
      collected_at: values.collectedAt,
      effective_from: values.effectiveFrom,
      effective_to: values.effectiveTo,
      supplied_by_user_id: values.suppliedByUserId,
      supplied_by: values.suppliedBy,
      task_id: values.taskId,
      deleted_at: null,
      deleted_by_user_id: null,
    })
    .execute();
  await tx
    .insertInto('evidence_controls')
    .values({ org_id: values.orgId, evidence_id: values.id, control_id: values.controlId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
