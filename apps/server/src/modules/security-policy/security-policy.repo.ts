import type { Selectable } from 'kysely';
import type { Tx } from '../../platform/db/pools.ts';
import type { OrgSecurityPoliciesTable } from '../../platform/db/schema.ts';

/** The org's stored policy, if it was ever saved. */
export async function findPolicy(
  tx: Tx,
): Promise<Selectable<OrgSecurityPoliciesTable> | undefined> {
  return tx.selectFrom('org_security_policies').selectAll().executeTakeFirst();
}

/** Insert or replace the org's policy. */
export async function savePolicy(
  tx: Tx,
  orgId: string,
  values: {
    mfaRequiredRoles: string[];
    sessionIdleMinutes: number;
    sessionMaxHours: number;
    allowedSignInMethods: string[];
    ssoRequired: boolean;
    breakGlassOwnerId: string | null;
  },
): Promise<Selectable<OrgSecurityPoliciesTable>> {
  const row = {
    mfa_required_roles: values.mfaRequiredRoles,
    session_idle_minutes: values.sessionIdleMinutes,
    session_max_hours: values.sessionMaxHours,
    allowed_sign_in_methods: values.allowedSignInMethods,
    sso_required: values.ssoRequired,
    break_glass_user_id: values.breakGlassOwnerId,
    updated_at: new Date(),
  };
  return tx
    .insertInto('org_security_policies')
    .values({ org_id: orgId, ...row })
    .onConflict((oc) => oc.column('org_id').doUpdateSet(row))
    .returningAll()
    .executeTakeFirstOrThrow();
}
