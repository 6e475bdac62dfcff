import {
  recoveryCodeCount,
  type MfaMethod,
  type MfaStatus,
  type Role,
  type removeTotpSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import type { SecretBox } from '../../platform/crypto/envelope.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { confirmPassword, recordAccountFailure } from '../lockout/index.ts';
import {
  isMfaRequiredFor,
  readSecurityPolicy,
  type PolicyDefaults,
} from '../security-policy/index.ts';
import { findUser } from '../users/index.ts';
import * as repo from './mfa.repo.ts';
import * as totp from './totp.ts';

/** What the MFA service needs. */
export interface MfaDeps {
  secrets: SecretBox;
  policyDefaults: PolicyDefaults;
}

/** The purpose a user's TOTP seed is sealed for: a seed copied to another user does not open. */
export function totpPurpose(userId: string): string {
  return `totp:${userId}`;
}

/** Whether a user has confirmed TOTP. */
export async function isTotpEnabled(tx: Tx, userId: string): Promise<boolean> {
  return (await repo.findTotp(tx, userId))?.confirmed_at != null;
}

/** Ids of the org's users with MFA. */
export async function mfaEnabledUserIds(tx: Tx): Promise<Set<string>> {
  return new Set(await repo.listTotpUserIds(tx));
}

async function checkTotp(tx: Tx, secrets: SecretBox, userId: string, code: string) {
  const row = await repo.findTotp(tx, userId);
  if (!row) return false;
  const secret = await secrets.openSecret(totpPurpose(userId), row.sealed_secret);
  const step = totp.matchTotpStep(secret, code);
  return step !== null && (await repo.claimStep(tx, userId, step));
}

/**
 * Check a second factor of a user with confirmed TOTP: a code (each time step works once) or an
 * unused recovery code (then spent). Returns the method that passed, or null.
 */
export async function verifySecondFactor(
  tx: Tx,
  secrets: SecretBox,
  userId: string,
  input: { code?: string | undefined; recoveryCode?: string | undefined },
): Promise<MfaMethod | null> {
  if (!(await isTotpEnabled(tx, userId))) return null;
  if (input.code !== undefined) {
    return (await checkTotp(tx, secrets, userId, input.code)) ? 'totp' : null;
  }
  if (input.recoveryCode !== undefined) {
    const isUsed = await repo.useRecoveryCode(
      tx,
      userId,
      totp.hashRecoveryCode(input.recoveryCode),
    );
    return isUsed ? 'recovery_code' : null;
  }
  return null;
}

function browserUser(identity: Identity): string {
  if (identity.kind !== 'session') throw new AppError('mfa.browser_only');
  return identity.userId;
}

async function newRecoveryCodes(tx: Tx, user: { orgId: string; userId: string }) {
  const codes = Array.from({ length: recoveryCodeCount }, () => totp.newRecoveryCode());
  await repo.replaceRecoveryCodes(tx, user, codes.map(totp.hashRecoveryCode));
  return codes;
}

/** The caller's second factors, and whether the org's policy requires one for them. */
export async function getMfaStatus(
  uow: UnitOfWork,
  deps: MfaDeps,
  identity: Identity,
): Promise<MfaStatus> {
  return uow.read(async (tx) => {
    const row = await repo.findTotp(tx, identity.userId);
    const user = await findUser(tx, identity.userId);
    const policy = await readSecurityPolicy(tx, deps.policyDefaults);
    return {
      totp: {
        isEnabled: row?.confirmed_at != null,
        enabledAt: row?.confirmed_at?.toISOString() ?? null,
      },
      recoveryCodesRemaining: await repo.countRecoveryCodes(tx, identity.userId),
      isRequiredByPolicy: user ? isMfaRequiredFor(policy, user.role as Role) : false,
    };
  });
}

/** Start TOTP enrolment: a fresh secret, sealed at rest, awaiting its first code. */
export async function startTotpEnrolment(
  uow: UnitOfWork,
  deps: MfaDeps,
  identity: Identity,
): Promise<{ secret: string; otpauthUri: string; qrCodeDataUrl: string }> {
  const userId = browserUser(identity);
  const secret = totp.newTotpSecret();
  const sealedSecret = await deps.secrets.sealSecret(totpPurpose(userId), secret);
  await uow.write(async ({ tx, audit }) => {
    if (await isTotpEnabled(tx, userId)) throw new AppError('mfa.already_enabled');
    await repo.savePendingTotp(tx, { orgId: uow.orgId, userId, sealedSecret });
    await audit({ action: 'mfa.totp_enrolment_started', targetType: 'user', targetId: userId });
  });
  const otpauthUri = totp.totpUri(secret, identity.label);
  return { secret, otpauthUri, qrCodeDataUrl: await totp.qrCodeDataUrl(otpauthUri) };
}

async function recordFailure(
  scope: WriteScope,
  user: { orgId: string; userId: string },
  context: string,
  countsTowardsLock: boolean,
): Promise<null> {
  await scope.audit({
    action: 'auth.mfa_failed',
    targetType: 'user',
    targetId: user.userId,
    changes: { method: 'totp', context },
  });
  if (countsTowardsLock) await recordAccountFailure(scope, user, 'totp');
  return null;
}

function invalidCode(): AppError {
  return new AppError('mfa.code_invalid', undefined, [
    { path: 'code', message: 'This code is not valid' },
  ]);
}

/** Finish enrolment with the first valid code; returns the recovery codes, shown this once. */
export async function confirmTotpEnrolment(
  uow: UnitOfWork,
  deps: MfaDeps,
  identity: Identity,
  code: string,
): Promise<{ codes: string[] }> {
  const userId = browserUser(identity);
  const result = await uow.read(async (tx) => repo.findTotp(tx, userId));
  if (!result) throw new AppError('mfa.enrolment_not_started');
  if (result.confirmed_at) throw new AppError('mfa.already_enabled');
  const user = { orgId: uow.orgId, userId };
  const codes = await uow.write(async (scope) => {
    if (!(await checkTotp(scope.tx, deps.secrets, userId, code))) {
      return recordFailure(scope, user, 'enrolment', false);
    }
    await repo.confirmTotp(scope.tx, userId);
    const fresh = await newRecoveryCodes(scope.tx, user);
    await repo.liftEnrolmentRequirement(scope.tx, userId);
    await scope.audit({
      action: 'mfa.totp_enrolled',
      targetType: 'user',
      targetId: userId,
      changes: { recoveryCodes: fresh.length },
    });
    return fresh;
  });
  if (!codes) throw invalidCode();
  return { codes };
}

/** Remove TOTP and recovery codes after a fresh proof (password or current code). */
export async function removeTotp(
  uow: UnitOfWork,
  deps: MfaDeps,
  identity: Identity,
  input: z.output<typeof removeTotpSchema>,
): Promise<void> {
  const userId = browserUser(identity);
  const state = await uow.read(async (tx) => ({
    user: await findUser(tx, userId),
    isEnabled: await isTotpEnabled(tx, userId),
    policy: await readSecurityPolicy(tx, deps.policyDefaults),
  }));
  if (!state.user) throw new AppError('auth.unauthenticated');
  if (!state.isEnabled) throw new AppError('mfa.not_enabled');
  if (isMfaRequiredFor(state.policy, state.user.role as Role)) {
    throw new AppError('mfa.required_by_policy');
  }
  if (input.password !== undefined) {
    const user = { id: userId, passwordHash: state.user.password_hash };
    await confirmPassword(uow, user, input.password, 'remove_totp');
  }
  const isRemoved = await uow.write(async (scope) => {
    const code = input.password === undefined ? input.code : undefined;
    if (code !== undefined && !(await checkTotp(scope.tx, deps.secrets, userId, code))) {
      return recordFailure(scope, { orgId: uow.orgId, userId }, 'remove_totp', true);
    }
    await repo.deleteTotp(scope.tx, userId);
    await scope.audit({
      action: 'mfa.totp_removed',
      targetType: 'user',
      targetId: userId,
      changes: { proof: input.password !== undefined ? 'password' : 'totp' },
    });
    return true;
  });
  if (!isRemoved) throw invalidCode();
}

/** Replace the recovery codes after a current code; the old ones stop working. */
export async function regenerateRecoveryCodes(
  uow: UnitOfWork,
  deps: MfaDeps,
  identity: Identity,
  code: string,
): Promise<{ codes: string[] }> {
  const userId = browserUser(identity);
  if (!(await uow.read((tx) => isTotpEnabled(tx, userId)))) throw new AppError('mfa.not_enabled');
  const user = { orgId: uow.orgId, userId };
  const codes = await uow.write(async (scope) => {
    if (!(await checkTotp(scope.tx, deps.secrets, userId, code))) {
      return recordFailure(scope, user, 'recovery_codes', true);
    }
    const fresh = await newRecoveryCodes(scope.tx, user);
    await scope.audit({
      action: 'mfa.recovery_codes_generated',
      targetType: 'user',
      targetId: userId,
      changes: { count: fresh.length },
    });
    return fresh;
  });
  if (!codes) throw invalidCode();
  return { codes };
}
