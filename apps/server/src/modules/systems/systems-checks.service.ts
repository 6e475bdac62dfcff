// The annex checks the inventory proves, computed from systems and accounts: owners and role
// catalogues, standing administrators, shared accounts and single sign-on coverage.
import { sql } from 'kysely';
import type { WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { recordCheckResultIn } from '../controls/index.ts';
import * as repo from './systems.repo.ts';

/** Keys of the annex checks this module records. */
export const systemsCheckKeys = {
  ownersAssigned: 'systems.owners_assigned',
  standingAdminsLimited: 'access.standing_admins_limited',
  sharedAccountsAbsent: 'identity.shared_accounts_absent',
  ssoCoverage: 'identity.sso_coverage',
} as const;

/** One computed check outcome. */
export interface CheckOutcome {
  status: 'pass' | 'fail';
  summary: string;
  details: Record<string, unknown>;
}

function listNames(names: readonly string[]): string {
  return (
    names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${String(names.length - 5)} more` : '')
  );
}

interface ScopeSystem {
  id: string;
  name: string;
  owner_active: boolean;
  catalogue: number;
  admin_limit: number | null;
  admins: number;
  unjustified: number;
  sso_supported: boolean;
  sign_in_method: string;
  connector_kind: string | null;
  unowned_accounts: number;
  shared_accounts: number;
}

// The systems the annex speaks of: production ones and any holding Customer Data.
async function findScopeSystems(tx: Tx, dormantDays: number, now: Date): Promise<ScopeSystem[]> {
  const systems = (await repo.findSystems(tx)).filter(
    (s) => s.environment === 'production' || s.holds_customer_data,
  );
  if (systems.length === 0) return [];
  const ids = systems.map((s) => s.id);
  const stats = await sql<{
    id: string;
    owner_active: boolean;
    catalogue: number;
    admins: number;
    unjustified: number;
  }>`
    SELECT s.id,
           EXISTS (SELECT 1 FROM users u WHERE u.id = s.owner_user_id AND u.status = 'active')
             AS owner_active,
           ((SELECT count(DISTINCT (e.kind, e.name)) FROM account_entitlements e
              WHERE e.system_id = s.id)
            + (SELECT count(*) FROM access_profile_entitlements pe WHERE pe.system_id = s.id))::int
             AS catalogue,
           (SELECT count(*) FROM system_accounts a
             WHERE a.system_id = s.id AND a.status = 'active' AND a.is_privileged)::int AS admins,
           (SELECT count(*) FROM system_accounts a
             WHERE a.system_id = s.id AND a.status = 'active' AND a.is_privileged
               AND a.privilege_justification IS NULL)::int AS unjustified
      FROM systems s
     WHERE s.id IN (${sql.join(ids)})`.execute(tx);
  const byId = new Map(stats.rows.map((r) => [r.id, r]));
  const counts = await repo.countAccountsBySystem(tx, ids, dormantDays, now);
  return systems.map((s) => {
    const st = byId.get(s.id);
    const mine = counts.get(s.id);
    return {
      id: s.id,
      name: s.name,
      owner_active: st?.owner_active ?? false,
      catalogue: st?.catalogue ?? 0,
      admin_limit: s.admin_limit,
      admins: st?.admins ?? 0,
      unjustified: st?.unjustified ?? 0,
      sso_supported: s.sso_supported,
      sign_in_method: s.sign_in_method,
      connector_kind: s.connector_kind,
      unowned_accounts: mine?.orphaned ?? 0,
      shared_accounts: mine?.shared ?? 0,
    };
  });
}

/** Compute the four checks from the org's systems and accounts. */
export async function evaluateSystemsChecks(tx: Tx, now: Date) {
  const dormantDays = await repo.findDormantDays(tx);
  const systems = await findScopeSystems(tx, dormantDays, now);
  const none: CheckOutcome = {
    status: 'fail',
    summary: 'No production or Customer Data system is in the inventory',
    details: { systems: 0 },
  };
  if (systems.length === 0) {
    return {
      ownersAssigned: none,
      standingAdminsLimited: none,
      sharedAccountsAbsent: none,
      ssoCoverage: none,
    };
  }
  const withoutOwner = systems.filter((s) => !s.owner_active).map((s) => s.name);
  const withoutCatalogue = systems.filter((s) => s.catalogue === 0).map((s) => s.name);
  const ownersAssigned: CheckOutcome =
    withoutOwner.length > 0 || withoutCatalogue.length > 0
      ? {
          status: 'fail',
          summary: [
            withoutOwner.length > 0 ? `Without an active owner: ${listNames(withoutOwner)}` : '',
            withoutCatalogue.length > 0
              ? `Without a role catalogue: ${listNames(withoutCatalogue)}`
              : '',
          ]
            .filter((s) => s !== '')
            .join('. '),
          details: { withoutOwner, withoutCatalogue },
        }
      : {
          status: 'pass',
          summary: `All ${String(systems.length)} in-scope systems have an active owner and a role catalogue`,
          details: { systems: systems.length },
        };
  const noLimit = systems.filter((s) => s.admin_limit === null).map((s) => s.name);
  const overLimit = systems
    .filter((s) => s.admin_limit !== null && s.admins > s.admin_limit)
    .map((s) => `${s.name} (${String(s.admins)} of ${String(s.admin_limit)})`);
  const unjustified = systems
    .filter((s) => s.unjustified > 0)
    .map((s) => `${s.name} (${String(s.unjustified)})`);
  const standingAdminsLimited: CheckOutcome =
    noLimit.length + overLimit.length + unjustified.length > 0
      ? {
          status: 'fail',
          summary: [
            overLimit.length > 0
              ? `More administrators than the limit: ${listNames(overLimit)}`
              : '',
            noLimit.length > 0 ? `No administrator limit set: ${listNames(noLimit)}` : '',
            unjustified.length > 0
              ? `Privileged accounts without a justification: ${listNames(unjustified)}`
              : '',
          ]
            .filter((s) => s !== '')
            .join('. '),
          details: { noLimit, overLimit, unjustified },
        }
      : {
          status: 'pass',
          summary: `Every in-scope system is within its administrator limit and each administrator is justified`,
          details: { administrators: systems.reduce((n, s) => n + s.admins, 0) },
        };
  const connected = systems.filter((s) => s.connector_kind !== null);
  const unowned = connected.filter((s) => s.unowned_accounts > 0);
  const shared = connected.filter((s) => s.shared_accounts > 0);
  const sharedAccountsAbsent: CheckOutcome =
    connected.length === 0
      ? {
          status: 'fail',
          summary: 'No in-scope system is connected, so no account can be checked',
          details: { connected: 0 },
        }
      : unowned.length + shared.length > 0
        ? {
            status: 'fail',
            summary: [
              unowned.length > 0
                ? `Accounts without a person or an owned service registration: ${listNames(unowned.map((s) => `${s.name} (${String(s.unowned_accounts)})`))}`
                : '',
              shared.length > 0
                ? `Shared or generic accounts: ${listNames(shared.map((s) => `${s.name} (${String(s.shared_accounts)})`))}`
                : '',
            ]
              .filter((s) => s !== '')
              .join('. '),
            details: {
              unowned: unowned.map((s) => ({ system: s.name, accounts: s.unowned_accounts })),
              shared: shared.map((s) => ({ system: s.name, accounts: s.shared_accounts })),
            },
          }
        : {
            status: 'pass',
            summary: `Every active account on ${String(connected.length)} connected systems belongs to one person or an owned service account`,
            details: { connected: connected.length },
          };
  const outsideSso = systems
    .filter((s) => s.sso_supported && s.sign_in_method !== 'sso')
    .map((s) => s.name);
  const ssoCoverage: CheckOutcome =
    outsideSso.length > 0
      ? {
          status: 'fail',
          summary: `Support single sign-on but use local sign-in: ${listNames(outsideSso)}`,
          details: { outsideSso },
        }
      : {
          status: 'pass',
          summary: `Every in-scope system that supports single sign-on uses it`,
          details: {
            sso: systems.filter((s) => s.sign_in_method === 'sso').length,
            systems: systems.length,
          },
        };
  return { ownersAssigned, standingAdminsLimited, sharedAccountsAbsent, ssoCoverage };
}

/**
 * Record the checks (those the org declared) in the caller's write; a result equal to today's
 * latest is not recorded again. Control statuses follow through the controls module.
 */
export async function recordSystemsChecks(
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  orgId: string,
  now = new Date(),
): Promise<void> {
  const outcome = await evaluateSystemsChecks(scope.tx, now);
  const supplier = { userId: null, label: 'Steward systems inventory' };
  const observedAt = now.toISOString();
  for (const [name, key] of Object.entries(systemsCheckKeys) as [
    keyof typeof systemsCheckKeys,
    string,
  ][]) {
    await recordCheckResultIn(
      scope,
      orgId,
      supplier,
      key,
      { ...outcome[name], observedAt },
      { onlyIfChanged: true },
    );
  }
}
