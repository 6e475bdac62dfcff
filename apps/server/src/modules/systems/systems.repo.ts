import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type {
  AccessProfilesTable,
  SystemSyncsTable,
  SystemsTable,
} from '../../platform/db/schema.ts';
import type { NormalEntitlement, PlannedChange, StoredAccount } from './account-sync.ts';
import { findUserRefs, type UserRef } from '../../platform/db/user-refs.repo.ts';

/** Users of the org by id, and how a record names one. */
export { findUserRefs as findUsers, type UserRef };

/** A stored system. */
export type SystemRow = Selectable<SystemsTable>;

/** A stored sync. */
export type SyncRow = Selectable<SystemSyncsTable>;

/** A stored role profile. */
export type ProfileRow = Selectable<AccessProfilesTable>;

/** Rows written per statement. */
const batchSize = 1000;

function chunks<T>(items: readonly T[], size = batchSize): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// Names that say an account is not one person's: admin, root, test, shared, service and kin,
// alone or followed by a separator or digits (admin2, test_user, shared-finance).
const genericNamePattern =
  '^(admin|administrator|root|test|tester|testing|shared|service|svc|guest|demo|support|ops|sa|sysadmin|superuser|temp|tmp|default|dba)([^a-z].*)?$';

/** Systems of the org by name; one when `id` is given. */
export async function findSystems(
  tx: Tx,
  filter: { id?: string; q?: string; environment?: string; includeRetired?: boolean } = {},
): Promise<SystemRow[]> {
  let query = tx
    .selectFrom('systems')
    .selectAll()
    .orderBy(sql`lower(name)`)
    .orderBy('id');
  if (filter.id !== undefined) query = query.where('id', '=', filter.id);
  if (filter.environment !== undefined) query = query.where('environment', '=', filter.environment);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where('name', 'ilike', pattern);
  }
  if (!filter.includeRetired && filter.id === undefined)
    query = query.where('retired_at', 'is', null);
  return query.execute();
}

/** Lock a system for a sync or a change (one writer at a time per system). */
export async function lockSystem(tx: Tx, id: string): Promise<SystemRow | undefined> {
  return tx.selectFrom('systems').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** A system with this name (case-insensitive), other than `exceptId`. */
export async function findSystemIdByName(
  tx: Tx,
  name: string,
  exceptId?: string,
): Promise<string | undefined> {
  let query = tx
    .selectFrom('systems')
    .select('id')
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst())?.id;
}

/** Whether a user of the org is active. */
export async function isActiveUser(tx: Tx, id: string): Promise<boolean> {
  const row = await tx
    .selectFrom('users')
    .select('id')
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/** Insert a system. */
export async function insertSystem(
  tx: Tx,
  values: Omit<SystemRow, 'created_at' | 'updated_at' | 'connector_settings'> & {
    connector_settings: Record<string, unknown>;
  },
): Promise<void> {
  await tx
    .insertInto('systems')
    .values({ ...values, connector_settings: JSON.stringify(values.connector_settings) })
    .execute();
}

/** Change a system. */
export async function updateSystem(
  tx: Tx,
  id: string,
  values: Partial<Omit<SystemRow, 'id' | 'org_id' | 'created_at' | 'connector_settings'>> & {
    connector_settings?: Record<string, unknown>;
  },
): Promise<void> {
  const { connector_settings, ...rest } = values;
  await tx
    .updateTable('systems')
    .set({
      ...rest,
      ...(connector_settings === undefined
        ? {}
        : { connector_settings: JSON.stringify(connector_settings) }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Systems whose scheduled sync is due. */
export async function findDueSystems(tx: Tx, now: Date): Promise<SystemRow[]> {
  return tx
    .selectFrom('systems')
    .selectAll()
    .where('retired_at', 'is', null)
    .where('next_sync_at', '<=', now)
    .where('connector_kind', 'in', ['postgresql', 'scim'])
    .orderBy('next_sync_at')
    .execute();
}

/** Record a sync. */
export async function insertSync(
  tx: Tx,
  values: {
    id: string;
    org_id: string;
    system_id: string;
    source: string;
    trigger: string;
    actor_label: string | null;
    started_at: Date;
    finished_at: Date;
    status: 'succeeded' | 'failed';
    counts: Record<string, number>;
    error: string | null;
  },
): Promise<SyncRow> {
  return tx
    .insertInto('system_syncs')
    .values({ ...values, counts: JSON.stringify(values.counts) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Syncs of a system, newest first; one when `syncId` is given. */
export async function findSyncs(tx: Tx, systemId: string, syncId?: string): Promise<SyncRow[]> {
  let query = tx
    .selectFrom('system_syncs')
    .selectAll()
    .where('system_id', '=', systemId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200);
  if (syncId !== undefined) query = query.where('id', '=', syncId);
  return query.execute();
}

/** An account change as listed. */
export interface ChangeRow {
  account_id: string;
  external_id: string;
  kind: string;
  occurred_at: Date;
  changes: Record<string, unknown>;
}

/** Changes recorded by a sync, or for an account, newest first. */
export async function findChanges(
  tx: Tx,
  by: { syncId: string } | { accountId: string },
  limit = 2000,
): Promise<ChangeRow[]> {
  let query = tx
    .selectFrom('system_account_changes as c')
    .innerJoin('system_accounts as a', 'a.id', 'c.account_id')
    .select(['c.account_id', 'a.external_id', 'c.kind', 'c.occurred_at', 'c.changes'])
    .orderBy('c.seq', 'desc')
    .limit(limit);
  query =
    'syncId' in by
      ? query.where('c.sync_id', '=', by.syncId)
      : query.where('c.account_id', '=', by.accountId);
  return query.execute();
}

/** The accounts of a system with their entitlements, as a sync compares them. */
export async function loadStoredAccounts(tx: Tx, systemId: string): Promise<StoredAccount[]> {
  const accounts = await tx
    .selectFrom('system_accounts')
    .select([
      'id',
      'external_id',
      'username',
      'email',
      'display_name',
      'status',
      'is_privileged',
      'mfa_enabled',
      'last_sign_in_at',
      'valid_until',
      'digest',
    ])
    .where('system_id', '=', systemId)
    .execute();
  const entitlements = await tx
    .selectFrom('account_entitlements')
    .select(['account_id', 'kind', 'name', 'is_privileged'])
    .where('system_id', '=', systemId)
    .execute();
  const byAccount = new Map<string, NormalEntitlement[]>();
  for (const e of entitlements) {
    const list = byAccount.get(e.account_id) ?? [];
    list.push({
      kind: e.kind as NormalEntitlement['kind'],
      name: e.name,
      privileged: e.is_privileged,
    });
    byAccount.set(e.account_id, list);
  }
  return accounts.map((a) => ({
    id: a.id,
    externalId: a.external_id,
    username: a.username,
    email: a.email,
    displayName: a.display_name,
    status: a.status as StoredAccount['status'],
    privileged: a.is_privileged,
    mfaEnabled: a.mfa_enabled,
    lastSignInAt: a.last_sign_in_at?.toISOString() ?? null,
    validUntil: a.valid_until?.toISOString() ?? null,
    digest: a.digest,
    entitlements: byAccount.get(a.id) ?? [],
  }));
}

/**
 * Apply a planned sync in the caller's transaction, a statement per batch: insert new accounts,
 * rewrite changed ones and their entitlements, mark missing ones removed (their entitlements go;
 * the change trail keeps them), and append the change trail. Unchanged accounts are not written:
 * an account not removed was in the system's latest successful sync, which dates its sighting.
 */
export async function applySyncPlan(
  tx: Tx,
  ctx: { orgId: string; systemId: string; syncId: string; now: Date },
  changes: readonly (PlannedChange & { accountId: string })[],
): Promise<void> {
  const now = ctx.now.toISOString();
  const added = changes.filter((c) => c.kind === 'added');
  const updated = changes.filter((c) => c.kind !== 'added' && c.kind !== 'removed');
  const removed = changes.filter((c) => c.kind === 'removed');
  const row = (c: PlannedChange & { accountId: string }) => {
    const n = c.next;
    if (!n) throw new Error('planned change without its account');
    return {
      id: c.accountId,
      external_id: n.externalId,
      username: n.username,
      email: n.email,
      display_name: n.displayName,
      status: n.status,
      is_privileged: n.privileged,
      mfa_enabled: n.mfaEnabled,
      last_sign_in_at: n.lastSignInAt,
      valid_until: n.validUntil,
      digest: n.digest,
    };
  };
  for (const batch of chunks(added)) {
    await sql`
      INSERT INTO system_accounts (id, org_id, system_id, external_id, username, email,
        display_name, status, is_privileged, mfa_enabled, last_sign_in_at, valid_until, digest,
        first_seen_at, last_seen_at, disabled_at, last_sync_id)
      SELECT v.id, ${ctx.orgId}::uuid, ${ctx.systemId}::uuid, v.external_id, v.username, v.email,
        v.display_name, v.status, v.is_privileged, v.mfa_enabled, v.last_sign_in_at,
        v.valid_until, v.digest, ${now}::timestamptz, ${now}::timestamptz,
        CASE WHEN v.status = 'disabled' THEN ${now}::timestamptz END, ${ctx.syncId}::uuid
        FROM jsonb_to_recordset(${JSON.stringify(batch.map(row))}::jsonb) AS v(
          id uuid, external_id text, username text, email text, display_name text, status text,
          is_privileged boolean, mfa_enabled boolean, last_sign_in_at timestamptz,
          valid_until timestamptz, digest text)`.execute(tx);
  }
  for (const batch of chunks(updated)) {
    await sql`
      UPDATE system_accounts a
         SET username = v.username, email = v.email, display_name = v.display_name,
             status = v.status, is_privileged = v.is_privileged, mfa_enabled = v.mfa_enabled,
             last_sign_in_at = v.last_sign_in_at, valid_until = v.valid_until, digest = v.digest,
             last_seen_at = ${now}::timestamptz, last_sync_id = ${ctx.syncId}::uuid,
             removed_at = NULL,
             disabled_at = CASE WHEN v.status = 'disabled'
               THEN coalesce(CASE WHEN a.status = 'disabled' THEN a.disabled_at END, ${now}::timestamptz)
               END
        FROM jsonb_to_recordset(${JSON.stringify(batch.map(row))}::jsonb) AS v(
          id uuid, external_id text, username text, email text, display_name text, status text,
          is_privileged boolean, mfa_enabled boolean, last_sign_in_at timestamptz,
          valid_until timestamptz, digest text)
       WHERE a.id = v.id`.execute(tx);
  }
  // Entitlements of changed accounts are replaced; added accounts get theirs.
  const replaced = [...updated, ...removed].map((c) => c.accountId);
  for (const batch of chunks(replaced, 5000)) {
    await sql`DELETE FROM account_entitlements WHERE account_id = ANY(${batch}::uuid[])`.execute(
      tx,
    );
  }
  const entitlementRows = [...added, ...updated].flatMap((c) =>
    (c.next?.entitlements ?? []).map((e) => ({
      account_id: c.accountId,
      kind: e.kind,
      name: e.name,
      is_privileged: e.privileged,
    })),
  );
  for (const batch of chunks(entitlementRows, 5000)) {
    await sql`
      INSERT INTO account_entitlements (org_id, account_id, system_id, kind, name, is_privileged,
        first_seen_at)
      SELECT ${ctx.orgId}::uuid, v.account_id, ${ctx.systemId}::uuid, v.kind, v.name,
        v.is_privileged, ${now}::timestamptz
        FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS v(
          account_id uuid, kind text, name text, is_privileged boolean)`.execute(tx);
  }
  for (const batch of chunks(removed, 5000)) {
    await sql`
      UPDATE system_accounts
         SET status = 'removed', removed_at = ${now}::timestamptz, is_privileged = false,
             last_sync_id = ${ctx.syncId}::uuid
       WHERE id = ANY(${batch.map((c) => c.accountId)}::uuid[])`.execute(tx);
  }
  await insertChanges(
    tx,
    ctx,
    changes.map((c) => ({ account_id: c.accountId, kind: c.kind, changes: c.changes })),
  );
}

/** Append account changes to the trail. */
export async function insertChanges(
  tx: Tx,
  ctx: { orgId: string; systemId: string; syncId: string | null; now: Date },
  rows: readonly { account_id: string; kind: string; changes: Record<string, unknown> }[],
): Promise<void> {
  for (const batch of chunks(rows, 2000)) {
    await sql`
      INSERT INTO system_account_changes (org_id, system_id, account_id, sync_id, occurred_at,
        kind, changes)
      SELECT ${ctx.orgId}::uuid, ${ctx.systemId}::uuid, v.account_id, ${ctx.syncId}::uuid,
        ${ctx.now.toISOString()}::timestamptz, v.kind, v.changes
        FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS v(
          account_id uuid, kind text, changes jsonb)`.execute(tx);
  }
}

/**
 * Match the system's unlinked accounts (not removed, not unlinked by hand) to people: by email,
 * then by username against the SCIM user name or the local part of the work email. A match must
 * be one person; among several with the address, the ones not departed are preferred.
 */
export async function linkAccountsToPeople(
  tx: Tx,
  systemId: string,
): Promise<{ account_id: string; person_id: string; link_method: string }[]> {
  const result = await sql<{ account_id: string; person_id: string; link_method: string }>`
    WITH candidates AS (
      SELECT a.id AS account_id, p.id AS person_id, p.status, 1 AS rank, 'email' AS link_method
        FROM system_accounts a
        JOIN people p ON p.email = a.email
       WHERE a.system_id = ${systemId} AND a.person_id IS NULL AND NOT a.auto_link_disabled
         AND a.status <> 'removed' AND a.email IS NOT NULL
      UNION ALL
      SELECT a.id, p.id, p.status, 2, 'username'
        FROM system_accounts a
        JOIN people p ON p.scim_user_name_key = lower(a.username)
       WHERE a.system_id = ${systemId} AND a.person_id IS NULL AND NOT a.auto_link_disabled
         AND a.status <> 'removed' AND a.username IS NOT NULL
      UNION
      -- Separate equality joins (not one OR) so each can be hashed at size.
      SELECT a.id, p.id, p.status, 2, 'username'
        FROM system_accounts a
        JOIN people p ON split_part(p.email, '@', 1) = lower(a.username)
       WHERE a.system_id = ${systemId} AND a.person_id IS NULL AND NOT a.auto_link_disabled
         AND a.status <> 'removed' AND a.username IS NOT NULL
    ), best AS (
      -- The best kind of match, then people still with the company before departed ones.
      SELECT DISTINCT ON (account_id) account_id, rank, (status = 'departed') AS departed
        FROM candidates ORDER BY account_id, rank, (status = 'departed')
    ), chosen AS (
      SELECT c.account_id, min(c.person_id::text)::uuid AS person_id, min(c.link_method) AS link_method
        FROM candidates c
        JOIN best b ON b.account_id = c.account_id AND b.rank = c.rank
         AND b.departed = (c.status = 'departed')
       GROUP BY c.account_id
      HAVING count(DISTINCT c.person_id) = 1
    )
    UPDATE system_accounts a
       SET person_id = chosen.person_id, link_method = chosen.link_method
      FROM chosen
     WHERE a.id = chosen.account_id
    RETURNING a.id AS account_id, a.person_id, a.link_method`.execute(tx);
  return result.rows.map((r) => ({
    account_id: r.account_id,
    person_id: r.person_id,
    link_method: r.link_method,
  }));
}

/** An account row with its names, computed flags and entitlement count. */
export interface AccountListRow {
  id: string;
  system_id: string;
  system_name: string;
  external_id: string;
  username: string | null;
  email: string | null;
  display_name: string | null;
  account_type: string;
  service_owner_user_id: string | null;
  person_id: string | null;
  person_name: string | null;
  person_status: string | null;
  link_method: string | null;
  status: string;
  is_privileged: boolean;
  privilege_justification: string | null;
  mfa_enabled: boolean | null;
  last_sign_in_at: Date | null;
  valid_until: Date | null;
  first_seen_at: Date;
  last_seen_at: Date;
  disabled_at: Date | null;
  removed_at: Date | null;
  entitlement_count: number;
  orphaned: boolean;
  shared: boolean;
  privileged_without_mfa: boolean;
  dormant: boolean;
  excess: boolean;
}

/** Filters of the account list. */
export interface AccountFilter {
  id?: string;
  systemId?: string;
  personId?: string;
  status?: string;
  flag?: string;
  privileged?: boolean;
  q?: string;
  after?: { systemName: string; externalId: string; id: string };
  limit?: number;
}

/**
 * The profiles a person holds: assigned, or matching their department (and title when set).
 * Used as a correlated subquery on `p` (people).
 */
const heldProfiles = sql`
  SELECT ap.id FROM access_profiles ap
   WHERE EXISTS (SELECT 1 FROM access_profile_people pp
                  WHERE pp.profile_id = ap.id AND pp.person_id = p.id)
      OR (ap.match_department IS NOT NULL AND lower(ap.match_department) = p.department_key
          AND (ap.match_title IS NULL OR lower(ap.match_title) = lower(p.title)))`;

/** Whether an entitlement `e` of an account is outside every profile its person `p` holds. */
export const entitlementIsExcess = sql<boolean>`(
  EXISTS (${heldProfiles})
  AND NOT EXISTS (
    SELECT 1 FROM access_profile_entitlements ape
     WHERE ape.system_id = e.system_id AND ape.kind = e.kind AND ape.name = e.name
       AND ape.profile_id IN (${heldProfiles})))`;

function flagColumns(dormantDays: number, now: Date): RawBuilder<unknown> {
  return sql`
    (a.status = 'active' AND (
      (a.account_type = 'user' AND (a.person_id IS NULL OR p.status = 'departed'))
      OR (a.account_type = 'service' AND a.service_owner_user_id IS NULL))) AS orphaned,
    (a.status = 'active' AND a.account_type = 'user' AND (
      lower(coalesce(a.username, a.external_id)) ~ ${genericNamePattern}
      OR (a.email IS NOT NULL AND split_part(a.email, '@', 1) ~ ${genericNamePattern})
      OR (a.email IS NOT NULL AND (SELECT count(*) FROM people sp
                                    WHERE sp.email = a.email AND sp.status <> 'departed') > 1)
    )) AS shared,
    (a.status = 'active' AND a.is_privileged AND a.account_type = 'user'
      AND coalesce(a.mfa_enabled, s.mfa_enforced) IS NOT TRUE) AS privileged_without_mfa,
    (a.status = 'active' AND a.last_sign_in_at IS NOT NULL
      AND a.last_sign_in_at < ${now.toISOString()}::timestamptz - make_interval(days => ${dormantDays}::int)) AS dormant,
    (a.status <> 'removed' AND p.id IS NOT NULL AND EXISTS (
      SELECT 1 FROM account_entitlements e WHERE e.account_id = a.id AND ${entitlementIsExcess}
    )) AS excess`;
}

/** Accounts with their flags, by system name and external id. */
export async function findAccounts(
  tx: Tx,
  filter: AccountFilter,
  dormantDays: number,
  now: Date,
): Promise<AccountListRow[]> {
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (filter.id) conditions.push(sql`a.id = ${filter.id}`);
  if (filter.systemId) conditions.push(sql`a.system_id = ${filter.systemId}`);
  if (filter.personId) conditions.push(sql`a.person_id = ${filter.personId}`);
  if (filter.status) conditions.push(sql`a.status = ${filter.status}`);
  if (filter.privileged !== undefined) conditions.push(sql`a.is_privileged = ${filter.privileged}`);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(a.external_id ILIKE ${pattern} OR a.username ILIKE ${pattern}
      OR a.email ILIKE ${pattern} OR a.display_name ILIKE ${pattern})`);
  }
  if (filter.after) {
    conditions.push(
      sql`(s.name, a.external_id, a.id) > (${filter.after.systemName}, ${filter.after.externalId}, ${filter.after.id}::uuid)`,
    );
  }
  const flagFilter = filter.flag === undefined ? sql`true` : sql`${sql.ref(`f.${filter.flag}`)}`;
  const result = await sql<AccountListRow>`
    SELECT f.* FROM (
      SELECT a.id, a.system_id, s.name AS system_name, a.external_id, a.username, a.email,
             a.display_name, a.account_type, a.service_owner_user_id, a.person_id,
             p.display_name AS person_name, p.status AS person_status, a.link_method, a.status,
             a.is_privileged, a.privilege_justification, a.mfa_enabled, a.last_sign_in_at,
             a.valid_until, a.first_seen_at,
             CASE WHEN a.status = 'removed' THEN a.last_seen_at
                  ELSE greatest(a.last_seen_at, s.last_success_at) END AS last_seen_at,
             a.disabled_at, a.removed_at,
             (SELECT count(*)::int FROM account_entitlements ce WHERE ce.account_id = a.id)
               AS entitlement_count,
             ${flagColumns(dormantDays, now)}
        FROM system_accounts a
        JOIN (SELECT sy.*, (SELECT max(ss.finished_at) FROM system_syncs ss
                             WHERE ss.system_id = sy.id AND ss.status = 'succeeded')
                             AS last_success_at
                FROM systems sy) s ON s.id = a.system_id
        LEFT JOIN people p ON p.id = a.person_id
       WHERE ${sql.join(conditions, sql` AND `)}
    ) f
    WHERE ${flagFilter}
    ORDER BY f.system_name, f.external_id, f.id
    LIMIT ${filter.limit ?? 100}`.execute(tx);
  return result.rows;
}

/** Account counts of a system. */
export interface SystemAccountCounts {
  active: number;
  disabled: number;
  removed: number;
  privileged: number;
  flagged: number;
  orphaned: number;
  shared: number;
}

/** Account counts per system: by status, privileged, flagged with any flag, orphaned, shared. */
export async function countAccountsBySystem(
  tx: Tx,
  systemIds: readonly string[],
  dormantDays: number,
  now: Date,
): Promise<Map<string, SystemAccountCounts>> {
  const out = new Map<string, SystemAccountCounts>();
  if (systemIds.length === 0) return out;
  const result = await sql<SystemAccountCounts & { system_id: string }>`
    SELECT f.system_id,
           count(*) FILTER (WHERE f.status = 'active')::int AS active,
           count(*) FILTER (WHERE f.status = 'disabled')::int AS disabled,
           count(*) FILTER (WHERE f.status = 'removed')::int AS removed,
           count(*) FILTER (WHERE f.status = 'active' AND f.is_privileged)::int AS privileged,
           count(*) FILTER (WHERE f.orphaned OR f.shared OR f.privileged_without_mfa OR f.dormant
                              OR f.excess)::int AS flagged,
           count(*) FILTER (WHERE f.orphaned)::int AS orphaned,
           count(*) FILTER (WHERE f.shared)::int AS shared
      FROM (
        SELECT a.system_id, a.status, a.is_privileged, ${flagColumns(dormantDays, now)}
          FROM system_accounts a
          JOIN systems s ON s.id = a.system_id
          LEFT JOIN people p ON p.id = a.person_id
         WHERE a.system_id IN (${sql.join([...systemIds])})
      ) f
     GROUP BY f.system_id`.execute(tx);
  for (const r of result.rows) out.set(r.system_id, r);
  return out;
}

/** An entitlement of an account, with whether the person's profiles allow it. */
export interface EntitlementRow {
  kind: string;
  name: string;
  is_privileged: boolean;
  first_seen_at: Date;
  excess: boolean;
}

/** The entitlements of an account. */
export async function findEntitlements(tx: Tx, accountId: string): Promise<EntitlementRow[]> {
  const result = await sql<EntitlementRow>`
    SELECT e.kind, e.name, e.is_privileged, e.first_seen_at,
           (p.id IS NOT NULL AND ${entitlementIsExcess}) AS excess
      FROM account_entitlements e
      JOIN system_accounts a ON a.id = e.account_id
      LEFT JOIN people p ON p.id = a.person_id
     WHERE e.account_id = ${accountId}
     ORDER BY e.kind, e.name`.execute(tx);
  return result.rows;
}

/** The entitlement catalogue of a system with the count of active accounts holding each. */
export async function findSystemEntitlements(
  tx: Tx,
  systemId: string,
): Promise<{ kind: string; name: string; privileged: boolean; accounts: number }[]> {
  const result = await sql<{ kind: string; name: string; privileged: boolean; accounts: number }>`
    SELECT e.kind, e.name, bool_or(e.is_privileged) AS privileged,
           count(*) FILTER (WHERE a.status = 'active')::int AS accounts
      FROM account_entitlements e
      JOIN system_accounts a ON a.id = e.account_id
     WHERE e.system_id = ${systemId}
     GROUP BY e.kind, e.name
     ORDER BY e.kind, e.name`.execute(tx);
  return result.rows;
}

/** The org's dormancy setting. */
export async function findDormantDays(tx: Tx): Promise<number> {
  const row = await tx.selectFrom('system_settings').select('dormant_days').executeTakeFirst();
  return row?.dormant_days ?? 90;
}

/** Store the org's settings. */
export async function upsertSettings(tx: Tx, orgId: string, dormantDays: number): Promise<void> {
  await tx
    .insertInto('system_settings')
    .values({ org_id: orgId, dormant_days: dormantDays })
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({ dormant_days: dormantDays, updated_at: new Date() }),
    )
    .execute();
}

/** Role profiles; one when `id` is given. */
export async function findProfiles(tx: Tx, id?: string): Promise<ProfileRow[]> {
  let query = tx
    .selectFrom('access_profiles')
    .selectAll()
    .orderBy(sql`lower(name)`);
  if (id !== undefined) query = query.where('id', '=', id);
  return query.execute();
}

/** People and entitlements of role profiles. */
export async function findProfileParts(tx: Tx, profileIds: readonly string[]) {
  if (profileIds.length === 0) return { people: [], entitlements: [] };
  const people = await tx
    .selectFrom('access_profile_people as pp')
    .innerJoin('people as p', 'p.id', 'pp.person_id')
    .select(['pp.profile_id', 'p.id', 'p.display_name'])
    .where('pp.profile_id', 'in', profileIds)
    .orderBy('p.display_name')
    .execute();
  const entitlements = await tx
    .selectFrom('access_profile_entitlements as e')
    .innerJoin('systems as s', 's.id', 'e.system_id')
    .select(['e.profile_id', 'e.system_id', 's.name as system_name', 'e.kind', 'e.name'])
    .where('e.profile_id', 'in', profileIds)
    .orderBy('s.name')
    .orderBy('e.kind')
    .orderBy('e.name')
    .execute();
  return { people, entitlements };
}

/** A profile with this name (case-insensitive), other than `exceptId`. */
export async function findProfileIdByName(
  tx: Tx,
  name: string,
  exceptId?: string,
): Promise<string | undefined> {
  let query = tx
    .selectFrom('access_profiles')
    .select('id')
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst())?.id;
}

/** Replace a profile's people and entitlements. */
export async function replaceProfileParts(
  tx: Tx,
  orgId: string,
  profileId: string,
  personIds: readonly string[],
  entitlements: readonly { systemId: string; kind: string; name: string }[],
): Promise<void> {
  await tx.deleteFrom('access_profile_people').where('profile_id', '=', profileId).execute();
  await tx.deleteFrom('access_profile_entitlements').where('profile_id', '=', profileId).execute();
  for (const batch of chunks([...new Set(personIds)])) {
    await tx
      .insertInto('access_profile_people')
      .values(batch.map((person_id) => ({ org_id: orgId, profile_id: profileId, person_id })))
      .execute();
  }
  const unique = [
    ...new Map(entitlements.map((e) => [`${e.systemId}:${e.kind}:${e.name}`, e])).values(),
  ];
  for (const batch of chunks(unique)) {
    await tx
      .insertInto('access_profile_entitlements')
      .values(
        batch.map((e) => ({
          org_id: orgId,
          profile_id: profileId,
          system_id: e.systemId,
          kind: e.kind,
          name: e.name,
        })),
      )
      .execute();
  }
}

/** Ids among these that are people of the org. */
export async function findPersonIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .selectFrom('people')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** Ids among these that are systems of the org. */
export async function findSystemIds(tx: Tx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .selectFrom('systems')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}
