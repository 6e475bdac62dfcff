import type { changePasswordSchema } from '@steward/contracts';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import { hashPassword, verifyPassword } from '../../platform/crypto/passwords.ts';
import { findPasswordProblem } from '../../platform/crypto/password-policy.ts';
import type { Db } from '../../platform/db/pools.ts';
import { AppError, RetryLaterError } from '../../platform/errors/app-error.ts';
import {
  accountLockedUntil,
  clearAccountFailures,
  recordAccountFailure,
  recordIpFailure,
} from '../lockout/index.ts';
import { revokeUserSessions } from '../sessions/index.ts';
import { findUser, updateUserRow } from '../users/index.ts';
import * as repo from './account.repo.ts';

/** What the account service needs. */
export interface AccountDeps {
  db: Db;
}

function currentPasswordWrong(): AppError {
  return new AppError('password.current_wrong', undefined, [
    { path: 'currentPassword', message: 'This is not your current password' },
  ]);
}

function newPasswordProblem(code: 'auth.weak_password' | 'password.unchanged', message: string) {
  return new AppError(code, message, [{ path: 'newPassword', message }]);
}

async function recordFailure(
  uow: UnitOfWork,
  userId: string,
  reason: 'wrong_password' | 'account_locked',
): Promise<void> {
  await uow.write(async (scope) => {
    await scope.audit({
      action: 'auth.password_change_failed',
      targetType: 'user',
      targetId: userId,
      changes: { reason },
    });
    if (reason === 'wrong_password') {
      await recordAccountFailure(scope, { orgId: uow.orgId, userId }, 'password');
    }
  });
}

/**
 * Change the caller's own password from a signed-in browser. A wrong current password is audited
 * and counted towards the account's lock like a failed sign-in; a locked account is refused
 * without checking. The new hash, the end of every other session of the user and the audit
 * event commit together; the caller's session stays. Returns how many sessions ended.
 */
export async function changePassword(
  deps: AccountDeps,
  uow: UnitOfWork,
  identity: Identity,
  input: z.output<typeof changePasswordSchema>,
): Promise<{ sessionsRevoked: number }> {
  if (identity.kind !== 'session' || !identity.sessionId) {
    throw new AppError('password.browser_only');
  }
  const userId = identity.userId;
  const state = await uow.read(async (tx) => ({
    user: await findUser(tx, userId),
    orgName: await repo.findOrgName(tx),
    lockedUntil: await accountLockedUntil(tx, userId),
  }));
  if (!state.user) throw new AppError('auth.unauthenticated');
  const storedHash = state.user.password_hash;
  if (storedHash === null) throw new AppError('password.not_set');
  if (state.lockedUntil) {
    await recordFailure(uow, userId, 'account_locked');
    const seconds = Math.max(1, Math.ceil((state.lockedUntil.getTime() - Date.now()) / 1000));
    throw new RetryLaterError(
      'request.rate_limited',
      seconds,
      'Too many wrong passwords on your account; try again later',
    );
  }
  if (!(await verifyPassword(storedHash, input.currentPassword))) {
    await recordFailure(uow, userId, 'wrong_password');
    await recordIpFailure(deps.db, uow.actor.ip);
    throw currentPasswordWrong();
  }
  if (input.newPassword === input.currentPassword) {
    throw newPasswordProblem('password.unchanged', 'Choose a password you are not using now');
  }
  const problem = findPasswordProblem(input.newPassword, {
    email: state.user.email,
    orgName: state.orgName,
  });
  if (problem) throw newPasswordProblem('auth.weak_password', problem);
  const passwordHash = await hashPassword(input.newPassword);
  return uow.write(async ({ tx, audit }) => {
    const locked = await repo.lockPasswordHash(tx, userId);
    // Another change committed since the check: the password just verified is no longer current.
    if (locked?.password_hash !== storedHash) throw currentPasswordWrong();
    await updateUserRow(tx, userId, { passwordHash });
    const sessionsRevoked = await revokeUserSessions(tx, userId, identity.sessionId);
    await clearAccountFailures(tx, userId);
    await audit({
      action: 'auth.password_changed',
      targetType: 'user',
      targetId: userId,
      changes: { sessionsRevoked },
    });
    return { sessionsRevoked };
  });
}
