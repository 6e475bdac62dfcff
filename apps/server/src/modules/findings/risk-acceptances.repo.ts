import type { Tx } from '../../platform/db/pools.ts';

function selectAcceptances(tx: Tx) {
  return tx
    .selectFrom('risk_acceptances as r')
    .innerJoin('findings as f', 'f.id', 'r.finding_id')
    .innerJoin('assets as a', 'a.id', 'f.asset_id')
    .leftJoin('users as d', 'd.id', 'r.decided_by_user_id')
    .selectAll('r')
    .select(['f.title as finding_title', 'f.severity as finding_severity', 'a.name as asset_name'])
    .select('d.name as decided_by_name');
}

/** A risk acceptance with its finding's title and severity. */
export type RiskAcceptanceRow = Awaited<
  ReturnType<ReturnType<typeof selectAcceptances>['executeTakeFirstOrThrow']>
>;

/** Risk acceptances, newest first. */
export async function findRiskAcceptances(
  tx: Tx,
  filters: { status?: string | undefined; findingId?: string | undefined },
  limit: number,
): Promise<RiskAcceptanceRow[]> {
  let query = selectAcceptances(tx).orderBy('r.created_at', 'desc').orderBy('r.id').limit(limit);
  if (filters.status !== undefined) query = query.where('r.status', '=', filters.status as never);
  if (filters.findingId !== undefined) query = query.where('r.finding_id', '=', filters.findingId);
  return query.execute();
}

/** One risk acceptance, locked for a decision when asked. */
export async function findRiskAcceptance(
  tx: Tx,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<RiskAcceptanceRow | undefined> {
  let query = selectAcceptances(tx).where('r.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('r');
  return query.executeTakeFirst();
}

/** Whether a finding has a pending request or a current acceptance. */
export async function hasCurrentAcceptance(tx: Tx, findingId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('risk_acceptances')
    .select('id')
    .where('finding_id', '=', findingId)
    .where('status', 'in', ['pending', 'approved'])
    .executeTakeFirst();
  return row !== undefined;
}

/** Store a request. */
export async function insertRiskAcceptance(
  tx: Tx,
  values: {
    orgId: string;
    findingId: string;
    requestedByUserId: string | null;
    requestedBy: string;
    justification: string;
    expiresOn: string;
    now: Date;
  },
): Promise<string> {
  const row = await tx
    .insertInto('risk_acceptances')
    .values({
      org_id: values.orgId,
      finding_id: values.findingId,
      requested_by_user_id: values.requestedByUserId,
      requested_by: values.requestedBy,
      justification: values.justification,
      expires_on: values.expiresOn,
      created_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Record a decision (or an expiry, or a revocation) on an acceptance. */
export async function updateRiskAcceptanceStatus(
  tx: Tx,
  id: string,
  values: {
    status: 'approved' | 'rejected' | 'expired' | 'revoked';
    decidedByUserId?: string | null;
    decidedAt?: Date;
    note?: string | null;
  },
): Promise<void> {
  await tx
    .updateTable('risk_acceptances')
    .set({
      status: values.status,
      ...(values.decidedAt !== undefined
        ? {
            decided_at: values.decidedAt,
            decided_by_user_id: values.decidedByUserId ?? null,
            decision_note: values.note ?? null,
          }
        : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** The approved acceptance of a finding, if any. */
export async function findApprovedAcceptance(
  tx: Tx,
  findingId: string,
): Promise<{ id: string } | undefined> {
  return tx
    .selectFrom('risk_acceptances')
    .select('id')
    .where('finding_id', '=', findingId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
}

/** Approved acceptances whose last day is before `today`. */
export async function findExpiredAcceptances(
  tx: Tx,
  today: string,
): Promise<{ id: string; finding_id: string; expires_on: string }[]> {
  return tx
    .selectFrom('risk_acceptances')
    .select(['id', 'finding_id', 'expires_on'])
    .where('status', '=', 'approved')
    .where('expires_on', '<', today)
    .orderBy('expires_on')
    .forUpdate()
    .execute();
}
