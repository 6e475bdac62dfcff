import {
  roles,
  type Role,
  type SecurityPolicy,
  type SignInMethod,
  type updateSecurityPolicySchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Tx } from '../../platform/db/pools.ts';
import * as repo from './security-policy.repo.ts';

/** Installation defaults a policy starts from: session lifetimes come from configuration. */
export interface PolicyDefaults {
  idleMinutes: number;
  maxHours: number;
}

/** Roles that need MFA until an owner changes the policy. */
export const defaultMfaRequiredRoles: readonly Role[] = ['owner', 'admin', 'security_manager'];

/** The org's policy in force: the saved one, or the defaults. */
export async function readSecurityPolicy(
  tx: Tx,
  defaults: PolicyDefaults,
): Promise<SecurityPolicy> {
  const row = await repo.findPolicy(tx);
  if (!row) {
    return {
      mfaRequiredRoles: [...defaultMfaRequiredRoles],
      sessionIdleMinutes: defaults.idleMinutes,
      sessionMaxHours: defaults.maxHours,
      allowedSignInMethods: ['password'],
      updatedAt: null,
    };
  }
  return {
    mfaRequiredRoles: roles.filter((r) => row.mfa_required_roles.includes(r)),
    sessionIdleMinutes: row.session_idle_minutes,
    sessionMaxHours: row.session_max_hours,
    allowedSignInMethods: row.allowed_sign_in_methods as SignInMethod[],
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Whether the policy requires MFA for a role. */
export function isMfaRequiredFor(policy: SecurityPolicy, role: Role): boolean {
  return policy.mfaRequiredRoles.includes(role);
}

/** Read the org's policy. */
export function getSecurityPolicy(
  uow: UnitOfWork,
  defaults: PolicyDefaults,
): Promise<SecurityPolicy> {
  return uow.read((tx) => readSecurityPolicy(tx, defaults));
}

/** Replace the org's policy, recording what changed. */
export async function updateSecurityPolicy(
  uow: UnitOfWork,
  defaults: PolicyDefaults,
  input: z.output<typeof updateSecurityPolicySchema>,
): Promise<SecurityPolicy> {
  return uow.write(async ({ tx, audit }) => {
    const before = await readSecurityPolicy(tx, defaults);
    await repo.savePolicy(tx, uow.orgId, {
      ...input,
      mfaRequiredRoles: roles.filter((r) => input.mfaRequiredRoles.includes(r)),
    });
    const after = await readSecurityPolicy(tx, defaults);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const key of [
      'mfaRequiredRoles',
      'sessionIdleMinutes',
      'sessionMaxHours',
      'allowedSignInMethods',
    ] as const) {
      if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
        changes[key] = { from: before[key], to: after[key] };
      }
    }
    await audit({
      action: 'org.security_policy_updated',
      targetType: 'org',
      targetId: uow.orgId,
      changes,
    });
    return after;
  });
}
