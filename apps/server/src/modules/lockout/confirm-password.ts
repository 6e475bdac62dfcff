import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { verifyPassword } from '../../platform/crypto/passwords.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { recordAccountFailure } from './lockout.service.ts';

/**
 * Check a password a signed-in user re-enters to confirm a sensitive change (removing a second
 * factor). A wrong one is audited and counts toward the account lock, like a failed sign-in.
 */
export async function confirmPassword(
  uow: UnitOfWork,
  user: { id: string; passwordHash: string | null },
  password: string,
  context: string,
): Promise<void> {
  if (await verifyPassword(user.passwordHash, password)) return;
  await uow.write(async (scope) => {
    await scope.audit({
      action: 'auth.mfa_failed',
      targetType: 'user',
      targetId: user.id,
      changes: { method: 'password', context },
    });
    await recordAccountFailure(scope, { orgId: uow.orgId, userId: user.id }, 'password');
  });
  throw new AppError('auth.invalid_credentials', 'The password is wrong', [
    { path: 'password', message: 'The password is wrong' },
  ]);
}
