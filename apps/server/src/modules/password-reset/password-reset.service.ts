import { passwordResetMinutes } from '@steward/contracts';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { hashPassword } from '../../platform/crypto/passwords.ts';
import { findPasswordProblem } from '../../platform/crypto/password-policy.ts';
import { generateSecret, hashSecret } from '../../platform/crypto/tokens.ts';
import type { Db } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { composeMail } from '../../platform/mail/compose.ts';
import type { MailOutbox } from '../../platform/mail/mail.jobs.ts';
import { findUserByEmail } from '../auth/index.ts';
import { revokeUserSessions } from '../sessions/index.ts';
import { findUser, updateUserRow } from '../users/index.ts';
import * as repo from './password-reset.repo.ts';

/** What the password reset service needs. */
export interface PasswordResetDeps {
  db: Db;
  auditWriter: AuditWriter;
  outbox: MailOutbox;
  publicUrl: URL;
}

function resetLink(publicUrl: URL, token: string): string {
  const url = new URL('/reset-password', publicUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * Email a single-use reset link to an active account. The caller always gets the same answer;
 * requests for known accounts are audited (with whether a link was sent), unknown ones logged.
 */
export async function requestPasswordReset(
  deps: PasswordResetDeps,
  actor: Actor,
  email: string,
  log: { onUnknownAccount: () => void; onMailNotQueued: (error: unknown) => void },
): Promise<void> {
  const account = await findUserByEmail(deps.db, email);
  if (!account) {
    log.onUnknownAccount();
    return;
  }
  const uow = createUnitOfWork({
    db: deps.db,
    auditWriter: deps.auditWriter,
    orgId: account.org_id,
    actor,
    onAfterCommitError: log.onMailNotQueued,
  });
  await uow.write(async ({ tx, audit, afterCommit }) => {
    const user = await findUser(tx, account.id);
    if (!user || user.status !== 'active') {
      await audit({
        action: 'auth.password_reset_requested',
        targetType: 'user',
        targetId: account.id,
        changes: { mailed: false, reason: `account_${user?.status ?? 'missing'}` },
      });
      return;
    }
    const token = generateSecret('', 32);
    await repo.insertReset(tx, {
      orgId: account.org_id,
      userId: user.id,
      tokenHash: hashSecret(token),
      expiresAt: new Date(Date.now() + passwordResetMinutes * 60_000),
    });
    await audit({
      action: 'auth.password_reset_requested',
      targetType: 'user',
      targetId: user.id,
      changes: { mailed: true },
    });
    const orgName = await repo.findOrgName(tx);
    const message = composeMail({
      to: user.email,
      subject: 'Reset your Steward password',
      greeting: `Hello ${user.name},`,
      paragraphs: [
        `Someone, hopefully you, asked to reset the password of ${user.email} in ${orgName} on Steward.`,
        `The link below works once and expires in ${passwordResetMinutes} minutes. Setting a new password signs you out everywhere.`,
      ],
      action: { label: 'Choose a new password', url: resetLink(deps.publicUrl, token) },
      footer: 'If you did not ask for this, ignore this email: your password stays as it is.',
    });
    afterCommit(() => deps.outbox.send(message));
  });
}

/**
 * Set a new password with an emailed token: the token is used up, every other unused link of the
 * account too, and every session of the account ends. Expired and used tokens are audited.
 */
export async function confirmPasswordReset(
  deps: PasswordResetDeps,
  requestActor: Actor,
  input: { token: string; password: string },
): Promise<void> {
  const reset = await repo.findResetByTokenHash(deps.db, hashSecret(input.token));
  if (!reset) throw new AppError('auth.link_invalid');
  const actor: Actor = {
    ...requestActor,
    type: 'user',
    id: reset.user_id,
    authMethod: 'email_link',
  };
  const uow = createUnitOfWork({
    db: deps.db,
    auditWriter: deps.auditWriter,
    orgId: reset.org_id,
    actor,
  });
  const context = await uow.read(async (tx) => ({
    user: await findUser(tx, reset.user_id),
    orgName: await repo.findOrgName(tx),
  }));
  actor.label = context.user?.email ?? null;
  const failure = reset.used_at
    ? ('auth.link_used' as const)
    : reset.expires_at.getTime() <= Date.now()
      ? ('auth.link_expired' as const)
      : context.user?.status !== 'active'
        ? ('auth.link_invalid' as const)
        : null;
  if (failure) {
    await uow.write(({ audit }) =>
      audit({
        action: 'auth.password_reset_failed',
        targetType: 'user',
        targetId: reset.user_id,
        changes: { reason: failure.replace('auth.link_', 'link_') },
      }),
    );
    throw new AppError(failure);
  }
  const problem = findPasswordProblem(input.password, {
    ...(context.user ? { email: context.user.email } : {}),
    orgName: context.orgName,
  });
  if (problem) {
    throw new AppError('auth.weak_password', problem, [{ path: 'password', message: problem }]);
  }
  const passwordHash = await hashPassword(input.password);
  await uow.write(async ({ tx, audit }) => {
    const locked = await repo.lockReset(tx, reset.id);
    if (!locked || locked.used_at) throw new AppError('auth.link_used');
    await repo.useAllResets(tx, reset.user_id);
    await updateUserRow(tx, reset.user_id, { passwordHash });
    const revoked = await revokeUserSessions(tx, reset.user_id, null);
    await audit({
      action: 'auth.password_reset',
      targetType: 'user',
      targetId: reset.user_id,
      changes: { sessionsRevoked: revoked },
    });
  });
}
