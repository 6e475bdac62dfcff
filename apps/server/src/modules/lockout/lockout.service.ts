import type { UserSecurity } from '@steward/contracts';
import type { UnitOfWork, WriteScope } from '../../platform/audit/unit-of-work.ts';
import type { Db, Tx } from '../../platform/db/pools.ts';
import { AppError, RetryLaterError } from '../../platform/errors/app-error.ts';
import * as repo from './lockout.repo.ts';

/** Failed sign-in, MFA or recovery attempts on one account before it locks. */
export const accountFailureLimit = 5;

/** Failed attempts from one IP within 15 minutes before it locks. */
export const ipFailureLimit = 20;

/** Lock durations in minutes: each lock within a day lasts the next step, then the last. */
export const lockMinutes = [1, 5, 15, 60] as const;

/** What kind of attempt failed. */
export type FailureKind = 'password' | 'totp' | 'recovery_code' | 'passkey';

/** Until when an account is locked, or null when it is not. */
export async function accountLockedUntil(tx: Tx, userId: string): Promise<Date | null> {
  const row = await repo.findLockout(tx, userId);
  const until = row?.locked_until ?? null;
  return until && until.getTime() > Date.now() ? until : null;
}

/**
 * Count a failure on an account inside the caller's audited write; reaching the limit locks the
 * account for the next step of the ladder and records `auth.account_locked`.
 */
export async function recordAccountFailure(
  scope: WriteScope,
  user: { orgId: string; userId: string },
  kind: FailureKind,
): Promise<void> {
  const row = await repo.addFailure(scope.tx, user);
  if (row.failures < accountFailureLimit) return;
  const minutes = lockMinutes[Math.min(row.lock_level, lockMinutes.length - 1)] ?? 60;
  const locked = await repo.lock(scope.tx, user.userId, minutes);
  await scope.audit({
    action: 'auth.account_locked',
    targetType: 'user',
    targetId: user.userId,
    changes: { after: kind, minutes, lockedUntil: locked.locked_until?.toISOString() ?? null },
  });
}

/** Forget an account's failures after a successful sign-in. */
export async function clearAccountFailures(tx: Tx, userId: string): Promise<void> {
  await repo.clear(tx, userId);
}

/** Refuse an IP that is locked out, telling it when to come back. */
export async function assertIpAllowed(db: Db, ip: string): Promise<void> {
  const until = await repo.ipLockedUntil(db, ip);
  if (!until) return;
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  throw new RetryLaterError(
    'request.rate_limited',
    seconds,
    'Too many failed sign-in attempts from this address; try again later',
  );
}

/** Count a failure from an IP (unknown accounts included). */
export async function recordIpFailure(db: Db, ip: string | null): Promise<void> {
  if (ip) await repo.addIpFailure(db, ip, ipFailureLimit, lockMinutes);
}

function toUserSecurity(
  userId: string,
  isMfaEnabled: boolean,
  row: { failures: number; locked_until: Date | null } | undefined,
): UserSecurity {
  const until = row?.locked_until ?? null;
  return {
    userId,
    isMfaEnabled,
    failedAttempts: row?.failures ?? 0,
    lockedUntil: until && until.getTime() > Date.now() ? until.toISOString() : null,
  };
}

/** MFA and lock state of every user of the org. */
export async function listUserSecurity(
  uow: UnitOfWork,
  mfaEnabledUserIds: (tx: Tx) => Promise<Set<string>>,
): Promise<UserSecurity[]> {
  return uow.read(async (tx) => {
    const users = await tx.selectFrom('users').select('id').orderBy('name').execute();
    const locks = new Map((await repo.listLockouts(tx)).map((r) => [r.user_id, r]));
    const withMfa = await mfaEnabledUserIds(tx);
    return users.map((u) => toUserSecurity(u.id, withMfa.has(u.id), locks.get(u.id)));
  });
}

/** Lift a user's lock and clear their failed attempts. */
export async function unlockUser(
  uow: UnitOfWork,
  userId: string,
  isMfaEnabled: (tx: Tx, userId: string) => Promise<boolean>,
): Promise<UserSecurity> {
  return uow.write(async ({ tx, audit }) => {
    const user = await tx
      .selectFrom('users')
      .select('id')
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw new AppError('user.not_found');
    const before = await repo.findLockout(tx, userId);
    await repo.clear(tx, userId);
    await audit({
      action: 'user.unlocked',
      targetType: 'user',
      targetId: userId,
      changes: {
        failedAttempts: before?.failures ?? 0,
        lockedUntil: before?.locked_until?.toISOString() ?? null,
      },
    });
    return toUserSecurity(userId, await isMfaEnabled(tx, userId), undefined);
  });
}
