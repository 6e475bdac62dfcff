import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';

/** A campaign row with its owner. */
export interface CampaignRow {
  id: string;
  name: string;
  owner_user_id: string;
  owner_name: string;
  owner_email: string;
  reviewer_rule: 'system_owner' | 'manager';
  due_on: string;
  status: 'open' | 'closed';
  launched_at: Date;
  launched_by_label: string;
  item_count: number;
  closed_at: Date | null;
  report_evidence_id: string | null;
  report_pdf_evidence_id: string | null;
}

/** Counts of items by outcome. */
export interface ProgressRow {
  items: string;
  decided: string;
  kept: string;
  revoked: string;
  changed: string;
  pending_verification: string;
  verified: string;
}

/** An item row with its system and reviewer. */
export interface ItemRow {
  id: string;
  campaign_id: string;
  system_id: string;
  system_name: string;
  account_id: string;
  external_id: string;
  username: string | null;
  email: string | null;
  display_name: string | null;
  person_id: string | null;
  person_name: string | null;
  account_status: string;
  is_privileged: boolean;
  mfa_enabled: boolean | null;
  last_sign_in_at: Date | null;
  entitlements: { kind: 'role' | 'group' | 'privilege'; name: string; isPrivileged: boolean }[];
  reviewer_user_id: string;
  reviewer_name: string;
  reviewer_email: string;
  reviewer_source: 'system_owner' | 'manager' | 'campaign_owner';
  decision: 'keep' | 'revoke' | 'change' | null;
  reason: string | null;
  decided_by_label: string | null;
  decided_at: Date | null;
  verification: 'not_needed' | 'pending' | 'verified';
  verified_at: Date | null;
  verified_by: 'sync' | 'evidence' | null;
}

/** Item filters as the service resolved them (`reviewer` is a user id). */
export interface ItemFilters {
  itemId?: string | undefined;
  systemId?: string | undefined;
  reviewerId?: string | undefined;
  decision?: 'keep' | 'revoke' | 'change' | 'undecided' | undefined;
  verification?: 'not_needed' | 'pending' | 'verified' | undefined;
  privileged?: boolean | undefined;
  q?: string | undefined;
}

const progressColumns = sql`
  count(*) AS items,
  count(*) FILTER (WHERE i.decision IS NOT NULL) AS decided,
  count(*) FILTER (WHERE i.decision = 'keep') AS kept,
  count(*) FILTER (WHERE i.decision = 'revoke') AS revoked,
  count(*) FILTER (WHERE i.decision = 'change') AS changed,
  count(*) FILTER (WHERE i.verification = 'pending') AS pending_verification,
  count(*) FILTER (WHERE i.verification = 'verified') AS verified`;

const campaignColumns = sql`
  c.id, c.name, c.owner_user_id, u.name AS owner_name, u.email AS owner_email, c.reviewer_rule,
  c.due_on, c.status, c.launched_at, c.launched_by_label, c.item_count, c.closed_at,
  c.report_evidence_id, c.report_pdf_evidence_id`;

/** Campaigns newest first; only those with an item reviewed by `reviewerId` when given. */
export async function findCampaigns(tx: Tx, reviewerId: string | null): Promise<CampaignRow[]> {
  const onlyReviewer =
    reviewerId === null
      ? sql``
      : sql`WHERE EXISTS (SELECT 1 FROM access_review_items i
                           WHERE i.campaign_id = c.id AND i.reviewer_user_id = ${reviewerId})`;
  const result = await sql<CampaignRow>`
    SELECT ${campaignColumns}
      FROM access_review_campaigns c JOIN users u ON u.id = c.owner_user_id
      ${onlyReviewer}
     ORDER BY c.launched_at DESC, c.id
     LIMIT 500`.execute(tx);
  return result.rows;
}

/** One campaign, locked for update when asked. */
export async function findCampaign(
  tx: Tx,
  id: string,
  lock = false,
): Promise<CampaignRow | undefined> {
  const result = await sql<CampaignRow>`
    SELECT ${campaignColumns}
      FROM access_review_campaigns c JOIN users u ON u.id = c.owner_user_id
     WHERE c.id = ${id}
     ${lock ? sql`FOR UPDATE OF c` : sql``}`.execute(tx);
  return result.rows[0];
}

/** The systems of campaigns. */
export async function findCampaignSystems(
  tx: Tx,
  campaignIds: readonly string[],
): Promise<{ campaign_id: string; system_id: string; system_name: string }[]> {
  if (campaignIds.length === 0) return [];
  const result = await sql<{ campaign_id: string; system_id: string; system_name: string }>`
    SELECT campaign_id, system_id, system_name FROM access_review_campaign_systems
     WHERE campaign_id = ANY (${campaignIds}::uuid[])
     ORDER BY system_name, system_id`.execute(tx);
  return result.rows;
}

/** Progress per campaign (optionally only the items of one reviewer). */
export async function countProgress(
  tx: Tx,
  campaignIds: readonly string[],
  reviewerId: string | null,
): Promise<Map<string, ProgressRow>> {
  const counts = new Map<string, ProgressRow>();
  if (campaignIds.length === 0) return counts;
  const result = await sql<ProgressRow & { campaign_id: string }>`
    SELECT i.campaign_id, ${progressColumns}
      FROM access_review_items i
     WHERE i.campaign_id = ANY (${campaignIds}::uuid[])
       ${reviewerId === null ? sql`` : sql`AND i.reviewer_user_id = ${reviewerId}`}
     GROUP BY i.campaign_id`.execute(tx);
  for (const row of result.rows) counts.set(row.campaign_id, row);
  return counts;
}

/** Progress per reviewer of one campaign. */
export async function countProgressByReviewer(
  tx: Tx,
  campaignId: string,
): Promise<(ProgressRow & { user_id: string; name: string; email: string })[]> {
  const result = await sql<ProgressRow & { user_id: string; name: string; email: string }>`
    SELECT u.id AS user_id, u.name, u.email, ${progressColumns}
      FROM access_review_items i JOIN users u ON u.id = i.reviewer_user_id
     WHERE i.campaign_id = ${campaignId}
     GROUP BY u.id, u.name, u.email
     ORDER BY u.name, u.id`.execute(tx);
  return result.rows;
}

/** Systems of the org by id, with their owners (retired ones are not reviewable). */
export async function findSystems(
  tx: Tx,
  ids: readonly string[],
): Promise<{ id: string; name: string; owner_user_id: string | null }[]> {
  const result = await sql<{ id: string; name: string; owner_user_id: string | null }>`
    SELECT id, name, owner_user_id FROM systems
     WHERE id = ANY (${ids}::uuid[]) AND retired_at IS NULL`.execute(tx);
  return result.rows;
}

/** Insert a campaign and its systems. */
export async function insertCampaign(
  tx: Tx,
  values: {
    orgId: string;
    name: string;
    ownerUserId: string;
    reviewerRule: string;
    dueOn: string;
    launchedBy: string;
    systems: readonly { id: string; name: string }[];
  },
): Promise<string> {
  const inserted = await sql<{ id: string }>`
    INSERT INTO access_review_campaigns (org_id, name, owner_user_id, reviewer_rule, due_on,
                                         launched_by_label)
    VALUES (${values.orgId}, ${values.name}, ${values.ownerUserId}, ${values.reviewerRule},
            ${values.dueOn}, ${values.launchedBy})
    RETURNING id`.execute(tx);
  const id = inserted.rows[0]?.id;
  if (id === undefined) throw new Error('campaign insert returned no row');
  await sql`
    INSERT INTO access_review_campaign_systems (org_id, campaign_id, system_id, system_name)
    SELECT ${values.orgId}, ${id}, s.id, s.name
      FROM unnest(${values.systems.map((s) => s.id)}::uuid[], ${values.systems.map((s) => s.name)}::text[])
        AS s(id, name)`.execute(tx);
  return id;
}

/**
 * The accounts under review with the reviewer each gets: the manager's user (manager rule), else
 * the system owner, else the campaign owner — never a user who is the account's holder (matched
 * by email, the account's or its person's). `reviewer_source` is null when nobody else is left.
 *
 * Set-based on purpose: the holder and the manager's user are joined by email once each (a user's
 * email is unique, so each join finds at most one), never looked up per account, so a launch over
 * 100,000 accounts is a few hash joins.
 */
function reviewerPlan(campaignId: string): RawBuilder<unknown> {
  return sql`
    WITH c AS (
      SELECT id, org_id, owner_user_id, reviewer_rule FROM access_review_campaigns
       WHERE id = ${campaignId}
    ), acc AS (
      SELECT a.id, a.system_id, a.external_id, a.username, a.email, a.display_name, a.person_id,
             a.status, a.is_privileged, a.mfa_enabled, a.last_sign_in_at,
             s.owner_user_id AS system_owner, p.display_name AS person_name,
             ha.id AS account_holder, hp.id AS person_holder, mu.id AS manager_user
        FROM access_review_campaign_systems cs
        JOIN system_accounts a ON a.system_id = cs.system_id AND a.status <> 'removed'
        JOIN systems s ON s.id = a.system_id
        LEFT JOIN people p ON p.id = a.person_id
        LEFT JOIN users ha ON ha.email = a.email
        LEFT JOIN users hp ON hp.email = p.email
        LEFT JOIN people m ON m.id = p.manager_id
        LEFT JOIN users mu ON mu.email = m.email AND mu.status = 'active'
       WHERE cs.campaign_id = ${campaignId}
    ), planned AS (
      SELECT acc.*, c.org_id AS campaign_org, c.id AS campaign_id, c.owner_user_id,
             CASE
               WHEN c.reviewer_rule = 'manager' AND acc.manager_user IS NOT NULL
                    AND acc.manager_user IS DISTINCT FROM acc.account_holder
                    AND acc.manager_user IS DISTINCT FROM acc.person_holder THEN 'manager'
               WHEN acc.system_owner IS NOT NULL
                    AND acc.system_owner IS DISTINCT FROM acc.account_holder
                    AND acc.system_owner IS DISTINCT FROM acc.person_holder THEN 'system_owner'
               WHEN c.owner_user_id IS DISTINCT FROM acc.account_holder
                    AND c.owner_user_id IS DISTINCT FROM acc.person_holder THEN 'campaign_owner'
             END AS reviewer_source
        FROM acc CROSS JOIN c
    )`;
}

/** Accounts for which no reviewer other than their holder exists (at most 5, for the error). */
export async function findUnreviewable(
  tx: Tx,
  campaignId: string,
): Promise<{ external_id: string; system_name: string }[]> {
  const result = await sql<{ external_id: string; system_name: string }>`
    ${reviewerPlan(campaignId)}
    SELECT p.external_id, s.name AS system_name
      FROM planned p JOIN systems s ON s.id = p.system_id
     WHERE p.reviewer_source IS NULL
     ORDER BY s.name, p.external_id
     LIMIT 5`.execute(tx);
  return result.rows;
}

/** Accounts (not removed) of the campaign's systems. */
export async function countAccountsInScope(tx: Tx, campaignId: string): Promise<number> {
  const result = await sql<{ n: string }>`
    SELECT count(*) AS n
      FROM access_review_campaign_systems cs
      JOIN system_accounts a ON a.system_id = cs.system_id AND a.status <> 'removed'
     WHERE cs.campaign_id = ${campaignId}`.execute(tx);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Snapshot every account of the campaign's systems that has a reviewer into items; returns how
 * many (fewer than the accounts in scope when some have nobody but their holder to review them).
 * Entitlements are aggregated once per account over the campaign's systems and joined, rather
 * than gathered by a subquery per account.
 */
export async function insertSnapshot(tx: Tx, campaignId: string): Promise<number> {
  // Sorting 500,000 entitlements and hashing 100,000 accounts' worth of them fits in memory with
  // this much; the default spills both to disk. Reset at the end of the transaction.
  await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
  const result = await sql`
    ${reviewerPlan(campaignId)}, ents AS (
      SELECT e.account_id,
             jsonb_agg(jsonb_build_object('kind', e.kind, 'name', e.name,
                                          'isPrivileged', e.is_privileged)
                       ORDER BY e.kind, e.name) AS entitlements
        FROM account_entitlements e
       WHERE e.system_id IN (SELECT cs.system_id FROM access_review_campaign_systems cs
                              WHERE cs.campaign_id = ${campaignId})
       GROUP BY e.account_id
    )
    INSERT INTO access_review_items (
      org_id, campaign_id, system_id, account_id, external_id, username, email, display_name,
      person_id, person_name, account_status, is_privileged, mfa_enabled, last_sign_in_at,
      entitlements, reviewer_user_id, reviewer_source)
    SELECT p.campaign_org, p.campaign_id, p.system_id, p.id, p.external_id, p.username, p.email,
           p.display_name, p.person_id, p.person_name, p.status, p.is_privileged, p.mfa_enabled,
           p.last_sign_in_at, coalesce(ents.entitlements, '[]'),
           CASE p.reviewer_source WHEN 'manager' THEN p.manager_user
                                  WHEN 'system_owner' THEN p.system_owner
                                  ELSE p.owner_user_id END,
           p.reviewer_source
      FROM planned p LEFT JOIN ents ON ents.account_id = p.id
     WHERE p.reviewer_source IS NOT NULL`.execute(tx);
  const count = Number(result.numAffectedRows ?? 0n);
  await sql`UPDATE access_review_campaigns SET item_count = ${count} WHERE id = ${campaignId}`.execute(
    tx,
  );
  return count;
}

function filterSql(campaignId: string, f: ItemFilters): RawBuilder<unknown> {
  const parts = [sql`i.campaign_id = ${campaignId}`];
  if (f.itemId !== undefined) parts.push(sql`i.id = ${f.itemId}`);
  if (f.systemId !== undefined) parts.push(sql`i.system_id = ${f.systemId}`);
  if (f.reviewerId !== undefined) parts.push(sql`i.reviewer_user_id = ${f.reviewerId}`);
  if (f.decision === 'undecided') parts.push(sql`i.decision IS NULL`);
  else if (f.decision !== undefined) parts.push(sql`i.decision = ${f.decision}`);
  if (f.verification !== undefined) parts.push(sql`i.verification = ${f.verification}`);
  if (f.privileged !== undefined) parts.push(sql`i.is_privileged = ${f.privileged}`);
  if (f.q !== undefined) {
    const pattern = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(sql`(i.external_id ILIKE ${pattern} OR i.username ILIKE ${pattern}
                    OR i.email ILIKE ${pattern} OR i.display_name ILIKE ${pattern}
                    OR i.person_name ILIKE ${pattern})`);
  }
  return sql.join(parts, sql` AND `);
}

/** A page of a campaign's items, by system name then account, and the total matching. */
export async function findItems(
  tx: Tx,
  campaignId: string,
  filters: ItemFilters,
  page: { offset: number; limit: number } | null,
): Promise<{ rows: ItemRow[]; total: number }> {
  const where = filterSql(campaignId, filters);
  const rows = await sql<ItemRow>`
    SELECT i.id, i.campaign_id, i.system_id, cs.system_name, i.account_id, i.external_id,
           i.username, i.email, i.display_name, i.person_id, i.person_name, i.account_status,
           i.is_privileged, i.mfa_enabled, i.last_sign_in_at, i.entitlements, i.reviewer_user_id,
           u.name AS reviewer_name, u.email AS reviewer_email, i.reviewer_source, i.decision,
           i.reason, i.decided_by_label, i.decided_at, i.verification, i.verified_at,
           i.verified_by
      FROM access_review_items i
      JOIN access_review_campaign_systems cs
        ON cs.campaign_id = i.campaign_id AND cs.system_id = i.system_id
      JOIN users u ON u.id = i.reviewer_user_id
     WHERE ${where}
     ORDER BY cs.system_name, i.system_id, i.external_id
     ${page === null ? sql`` : sql`OFFSET ${page.offset} LIMIT ${page.limit}`}`.execute(tx);
  if (page === null) return { rows: rows.rows, total: rows.rows.length };
  const total = await sql<{ n: string }>`
    SELECT count(*) AS n FROM access_review_items i WHERE ${where}`.execute(tx);
  return { rows: rows.rows, total: Number(total.rows[0]?.n ?? 0) };
}

/** Items by id within a campaign, for a decision. */
export async function findItemsForDecision(
  tx: Tx,
  campaignId: string,
  ids: readonly string[],
): Promise<
  {
    id: string;
    reviewer_user_id: string;
    holders_email: string | null;
    person_email: string | null;
    verification: string;
  }[]
> {
  const result = await sql<{
    id: string;
    reviewer_user_id: string;
    holders_email: string | null;
    person_email: string | null;
    verification: string;
  }>`
    SELECT i.id, i.reviewer_user_id, i.email AS holders_email, p.email AS person_email,
           i.verification
      FROM access_review_items i LEFT JOIN people p ON p.id = i.person_id
     WHERE i.campaign_id = ${campaignId} AND i.id = ANY (${ids}::uuid[])
     FOR UPDATE OF i`.execute(tx);
  return result.rows;
}

/**
 * Record a decision on items: by ids, or on every undecided item matching the filter that the
 * decider may decide (their own, or all when `anyReviewer`) and does not hold. A revocation or
 * change of an account already disabled or removed on the system is verified at once.
 */
export async function decideItems(
  tx: Tx,
  campaignId: string,
  target: { ids: readonly string[] } | { filters: ItemFilters; anyReviewer: boolean },
  decision: {
    decision: string;
    reason: string | null;
    userId: string;
    label: string;
    email: string;
  },
): Promise<number> {
  const selection =
    'ids' in target
      ? sql`i.campaign_id = ${campaignId} AND i.id = ANY (${target.ids}::uuid[])`
      : sql`${filterSql(campaignId, target.filters)} AND i.decision IS NULL
            ${target.anyReviewer ? sql`` : sql`AND i.reviewer_user_id = ${decision.userId}`}
            AND i.email IS DISTINCT FROM ${decision.email}
            AND NOT EXISTS (SELECT 1 FROM people p WHERE p.id = i.person_id
                             AND p.email = ${decision.email})
            AND i.verification <> 'verified'`;
  const result = await sql`
    UPDATE access_review_items i
       SET decision = ${decision.decision},
           reason = ${decision.reason},
           decided_by_user_id = ${decision.userId},
           decided_by_label = ${decision.label},
           decided_at = now(),
           verification = CASE
             WHEN ${decision.decision} = 'keep' THEN 'not_needed'
             WHEN a.status IN ('disabled', 'removed') THEN 'verified'
             ELSE 'pending' END,
           verified_at = CASE
             WHEN ${decision.decision} <> 'keep' AND a.status IN ('disabled', 'removed') THEN now()
           END,
           verified_by = CASE
             WHEN ${decision.decision} <> 'keep' AND a.status IN ('disabled', 'removed') THEN 'sync'
           END,
           verification_sync_id = CASE
             WHEN ${decision.decision} <> 'keep' AND a.status IN ('disabled', 'removed')
               THEN a.last_sync_id
           END
      FROM system_accounts a
     WHERE a.id = i.account_id AND ${selection}`.execute(tx);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Verify the pending revocations and changes of one system's accounts that a sync shows carried
 * out: a revoked account disabled or gone, a changed one gone, disabled or with entitlements
 * other than those reviewed. Returns the campaigns touched and how many items.
 */
export async function verifyBySync(
  tx: Tx,
  systemId: string,
  syncId: string,
): Promise<{ campaign_id: string; n: string }[]> {
  const result = await sql<{ campaign_id: string; n: string }>`
    WITH done AS (
      UPDATE access_review_items i
         SET verification = 'verified', verified_at = now(), verified_by = 'sync',
             verification_sync_id = ${syncId}
        FROM system_accounts a
       WHERE i.system_id = ${systemId} AND i.verification = 'pending' AND a.id = i.account_id
         AND (a.status IN ('disabled', 'removed')
              OR (i.decision = 'change' AND i.entitlements IS DISTINCT FROM coalesce((
                    SELECT jsonb_agg(jsonb_build_object('kind', e.kind, 'name', e.name,
                                                        'isPrivileged', e.is_privileged)
                                     ORDER BY e.kind, e.name)
                      FROM account_entitlements e WHERE e.account_id = a.id), '[]')))
      RETURNING i.campaign_id
    )
    SELECT campaign_id, count(*) AS n FROM done GROUP BY campaign_id`.execute(tx);
  return result.rows;
}

/** Mark one pending item verified by evidence. */
export async function verifyByEvidence(tx: Tx, itemId: string, evidenceId: string): Promise<void> {
  await sql`
    UPDATE access_review_items
       SET verification = 'verified', verified_at = now(), verified_by = 'evidence',
           verification_evidence_id = ${evidenceId}
     WHERE id = ${itemId} AND verification = 'pending'`.execute(tx);
}

/** Whether live (not deleted) evidence with this id exists. */
export async function isLiveEvidence(tx: Tx, id: string): Promise<boolean> {
  const result = await sql`SELECT 1 FROM evidence WHERE id = ${id} AND deleted_at IS NULL`.execute(
    tx,
  );
  return result.rows.length > 0;
}

/** Close a campaign with its reports (CSV and PDF evidence). */
export async function closeCampaign(
  tx: Tx,
  id: string,
  evidence: { csv: string; pdf: string },
): Promise<void> {
  await sql`
    UPDATE access_review_campaigns
       SET status = 'closed', closed_at = now(), report_evidence_id = ${evidence.csv},
           report_pdf_evidence_id = ${evidence.pdf}
     WHERE id = ${id}`.execute(tx);
}

/** The org's evidence task for quarterly access reviews, when it has one. */
export async function findReviewTask(tx: Tx, key: string): Promise<string | undefined> {
  const result = await sql<{ id: string }>`
    SELECT id FROM evidence_tasks WHERE key = ${key} AND is_active ORDER BY created_at LIMIT 1`.execute(
    tx,
  );
  return result.rows[0]?.id;
}

/** Figures the access review checks read. */
export async function readCheckFigures(
  tx: Tx,
  since: Date,
): Promise<{ unreviewed: string[]; reviewed: string[]; overduePending: number }> {
  const scope = await sql<{ id: string; name: string }>`
    SELECT id, name FROM systems
     WHERE retired_at IS NULL AND (environment = 'production' OR holds_customer_data)
     ORDER BY name`.execute(tx);
  const reviewed = await sql<{ system_id: string }>`
    SELECT DISTINCT cs.system_id
      FROM access_review_campaigns c
      JOIN access_review_campaign_systems cs ON cs.campaign_id = c.id
     WHERE c.status = 'closed' AND c.closed_at >= ${since}`.execute(tx);
  const reviewedIds = new Set(reviewed.rows.map((r) => r.system_id));
  // A revocation is given a week to be carried out and seen by a sync before it counts against.
  const pending = await sql<{ n: string }>`
    SELECT count(*) AS n FROM access_review_items
     WHERE verification = 'pending' AND decided_at < now() - interval '7 days'`.execute(tx);
  return {
    unreviewed: scope.rows.filter((s) => !reviewedIds.has(s.id)).map((s) => s.name),
    reviewed: scope.rows.filter((s) => reviewedIds.has(s.id)).map((s) => s.name),
    overduePending: Number(pending.rows[0]?.n ?? 0),
  };
}
