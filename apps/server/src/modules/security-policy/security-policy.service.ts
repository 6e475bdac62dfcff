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
import { AppError, type FieldError } from '../../platform/errors/app-error.ts';
import { findUser } from '../users/index.ts';
import * as repo from './security-policy.repo.ts';

/** Installation defaults a policy starts from: session lifetimes come from configuration. */
export interface PolicyDefaults {
  idleMinutes: number;
  maxHours: number;
  /** Whether the org has a working SSO configuration (SSO can only be required then). */
  isSsoConfigured?: (tx: Tx) => Promise<boolean>;
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
      // A passkey with user verification is phishing-resistant MFA on its own, so it is on by default.
      allowedSignInMethods: ['password', 'passkey'],
      ssoRequired: false,
      breakGlassOwnerId: null,
      updatedAt: null,
    };
  }
  return {
    mfaRequiredRoles: roles.filter((r) => row.mfa_required_roles.includes(r)),
    sessionIdleMinutes: row.session_idle_minutes,
    sessionMaxHours: row.session_max_hours,
    allowedSignInMethods: row.allowed_sign_in_methods as SignInMethod[],
    ssoRequired: row.sso_required,
    breakGlassOwnerId: row.break_glass_user_id,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Whether the policy requires MFA for a role. */
export function isMfaRequiredFor(policy: SecurityPolicy, role: Role): boolean {
  return policy.mfaRequiredRoles.includes(role);
}

/** Whether the policy lets this user sign in with a password (SSO required: only the break-glass owner). */
export function isPasswordSignInAllowed(policy: SecurityPolicy, userId: string): boolean {
  if (!policy.allowedSignInMethods.includes('password')) return false;
  return !policy.ssoRequired || policy.breakGlassOwnerId === userId;
}

async function findSsoPolicyProblems(
  tx: Tx,
  defaults: PolicyDefaults,
  input: z.output<typeof updateSecurityPolicySchema>,
): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  if (input.breakGlassOwnerId) {
    const user = await findUser(tx, input.breakGlassOwnerId);
    if (user?.role !== 'owner' || user.status !== 'active') {
      problems.push({ path: 'breakGlassOwnerId', message: 'Choose an active owner' });
    }
  }
  if (!input.ssoRequired) return problems;
  if (!input.allowedSignInMethods.includes('sso')) {
    problems.push({ path: 'allowedSignInMethods', message: 'Allow SSO to require it' });
  }
  if (!input.breakGlassOwnerId) {
    problems.push({ path: 'breakGlassOwnerId', message: 'Name a break-glass owner' });
  }
  if (!(await defaults.isSsoConfigured?.(tx))) {
    problems.push({ path: 'ssoRequired', message: 'Configure and enable SSO first' });
  }
  return problems;
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
    const problems = await findSsoPolicyProblems(tx, defaults, input);
    if (problems.length > 0) {
      throw new AppError('request.invalid', problems[0]?.message, problems);
    }
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
      'ssoRequired',
      'breakGlassOwnerId',
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
