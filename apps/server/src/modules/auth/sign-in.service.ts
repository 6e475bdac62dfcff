import {
  mfaChallengeMinutes,
  type Me,
  type MfaMethod,
  type Role,
  type mfaRequiredSchema,
  type mfaVerifySchema,
  type signInSchema,
} from '@steward/contracts';
import type { z } from 'zod';
import type { Actor } from '../../platform/audit/audit-writer.ts';
import { recordInstallationEvent } from '../../platform/audit/installation-log.ts';
import {
  createUnitOfWork,
  type UnitOfWork,
  type WriteScope,
} from '../../platform/audit/unit-of-work.ts';
import { verifyPassword } from '../../platform/crypto/passwords.ts';
import { generateSecret, hashSecret } from '../../platform/crypto/tokens.ts';
import type { Db } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  accountLockedUntil,
  assertIpAllowed,
  clearAccountFailures,
  recordAccountFailure,
  recordIpFailure,
} from '../lockout/index.ts';
import { isTotpEnabled, verifySecondFactor } from '../mfa/index.ts';
import { hasPasskey } from '../passkeys/index.ts';
import {
  isMfaRequiredFor,
  isPasswordSignInAllowed,
  readSecurityPolicy,
} from '../security-policy/index.ts';
import { findUser, updateUserRow } from '../users/index.ts';
import * as authRepo from './auth.repo.ts';
import { openSession, readMe, type AuthDeps, type NewSession } from './auth.service.ts';
import * as repo from './sign-in.repo.ts';

/** The outcome of a correct password: a session, or a pending sign-in awaiting its second factor. */
export type SignInOutcome =
  | { kind: 'session'; session: NewSession }
  | {
      kind: 'mfa';
      cookieValue: string;
      expiresAt: Date;
      result: z.output<typeof mfaRequiredSchema>;
    };

/** The audit actor of a sign-in by a known user, with the method they used. */
export function userActor(
  requestActor: Actor,
  user: { id: string; email: string },
  authMethod: Actor['authMethod'] = 'password',
): Actor {
  return { ...requestActor, type: 'user', id: user.id, label: user.email, authMethod };
}

/** A unit of work in the signing-in user's org. */
export function unitFor(deps: AuthDeps, orgId: string, actor: Actor): UnitOfWork {
  return createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
}

/**
 * Open a session once `checkFirst` (run in the same transaction) passes; records
 * `auth.signed_in` with the actor's method. Null when the check refused.
 */
export async function startSession(
  uow: UnitOfWork,
  deps: AuthDeps,
  userId: string,
  checkFirst: (scope: WriteScope) => Promise<boolean>,
): Promise<NewSession | null> {
  return uow.write(async (scope) => {
    if (!(await checkFirst(scope))) return null;
    const { tx, audit } = scope;
    const authMethod = uow.actor.authMethod;
    const user = await findUser(tx, userId);
    if (!user) throw new AppError('auth.invalid_credentials');
    const policy = await readSecurityPolicy(tx, deps.session);
    const mfaEnrolmentRequired =
      isMfaRequiredFor(policy, user.role as Role) &&
      !(await isTotpEnabled(tx, userId)) &&
      !(await hasPasskey(tx, userId));
    const session = await openSession(tx, deps, { id: userId, orgId: uow.orgId }, uow.actor, {
      authMethod,
      mfaEnrolmentRequired,
      lifetime: policy,
    });
    await clearAccountFailures(tx, userId);
    await updateUserRow(tx, userId, { lastSignInAt: new Date() });
    await audit({
      action: 'auth.signed_in',
      targetType: 'user',
      targetId: userId,
      changes: { method: authMethod, ...(mfaEnrolmentRequired ? { mfaEnrolmentRequired } : {}) },
    });
    const me: Me = await readMe(
      tx,
      userId,
      'session',
      null,
      session.csrfToken,
      mfaEnrolmentRequired,
    );
    return { cookieValue: session.cookieValue, expiresAt: session.expiresAt, me };
  });
}

/**
 * Sign in with email and password. Unknown emails, wrong passwords, disabled and locked accounts
 * get the same answer after similar work; failures on known accounts are audited and counted.
 * A user with TOTP or a passkey gets a pending sign-in (5 minutes) instead of a session.
 */
/** Record a failure no organisation can be told about in the installation's security log. */
export async function recordUnattributedFailure(
  db: Db,
  actor: Actor,
  method: string,
  reason: string,
): Promise<void> {
  await recordInstallationEvent(db, {
    kind: 'auth.sign_in_failed',
    ip: actor.ip,
    userAgent: actor.userAgent,
    requestId: actor.requestId,
    detail: { method, reason },
  });
}

export async function signIn(
  deps: AuthDeps,
  requestActor: Actor,
  input: z.output<typeof signInSchema>,
  onUnknownAccount: (email: string) => void,
): Promise<SignInOutcome> {
  if (requestActor.ip) await assertIpAllowed(deps.db, requestActor.ip);
  const account = await authRepo.findUserByEmail(deps.db, input.email);
  const isPasswordRight = await verifyPassword(account?.password_hash ?? null, input.password);
  if (!account) {
    await recordIpFailure(deps.db, requestActor.ip);
    await recordUnattributedFailure(deps.db, requestActor, 'password', 'unknown_account');
    onUnknownAccount(input.email);
    throw new AppError('auth.invalid_credentials');
  }
  const actor = userActor(requestActor, { id: account.id, email: input.email });
  const uow = unitFor(deps, account.org_id, actor);
  const state = await uow.read(async (tx) => ({
    lockedUntil: await accountLockedUntil(tx, account.id),
    hasTotp: await isTotpEnabled(tx, account.id),
    hasPasskey: await hasPasskey(tx, account.id),
    policy: await readSecurityPolicy(tx, deps.session),
  }));
  const reason = state.lockedUntil
    ? 'account_locked'
    : !isPasswordRight
      ? 'wrong_password'
      : account.status !== 'active'
        ? 'account_disabled'
        : null;
  if (reason) {
    await uow.write(async (scope) => {
      await scope.audit({
        action: 'auth.sign_in_failed',
        targetType: 'user',
        targetId: account.id,
        changes: { method: 'password', reason },
      });
      if (reason === 'wrong_password') {
        await recordAccountFailure(
          scope,
          { orgId: account.org_id, userId: account.id },
          'password',
        );
      }
    });
    if (reason !== 'account_disabled') await recordIpFailure(deps.db, requestActor.ip);
    throw new AppError('auth.invalid_credentials');
  }
  // Checked after the password so the refusal tells a guesser nothing about the account.
  if (!isPasswordSignInAllowed(state.policy, account.id)) {
    const reason = state.policy.ssoRequired ? 'sso_required' : 'method_not_allowed';
    await uow.write((scope) =>
      scope.audit({
        action: 'auth.sign_in_failed',
        targetType: 'user',
        targetId: account.id,
        changes: { method: 'password', reason },
      }),
    );
    throw new AppError(`auth.${reason}`);
  }
  if (state.hasTotp || state.hasPasskey) {
    const methods: MfaMethod[] = [
      ...(state.hasTotp ? (['totp', 'recovery_code'] as const) : []),
      ...(state.hasPasskey ? (['passkey'] as const) : []),
    ];
    const cookieValue = generateSecret('', 32);
    const expiresAt = new Date(Date.now() + mfaChallengeMinutes * 60_000);
    await uow.write(async ({ tx, audit }) => {
      await repo.insertChallenge(tx, {
        orgId: account.org_id,
        userId: account.id,
        tokenHash: hashSecret(cookieValue),
        ip: actor.ip,
        userAgent: actor.userAgent,
        expiresAt,
        firstFactor: 'password',
      });
      await audit({
        action: 'auth.mfa_challenged',
        targetType: 'user',
        targetId: account.id,
        changes: { method: 'password', methods },
      });
    });
    return {
      kind: 'mfa',
      cookieValue,
      expiresAt,
      result: {
        status: 'mfa_required',
        methods,
        expiresAt: expiresAt.toISOString(),
      },
    };
  }
  const session = await startSession(uow, deps, account.id, () => Promise.resolve(true));
  if (!session) throw new AppError('auth.invalid_credentials');
  return { kind: 'session', session };
}

/**
 * Complete a pending sign-in with a TOTP code or a recovery code. The pending sign-in is
 * consumed and a new session (a new id) is issued; wrong codes are audited and counted.
 */
export async function completeMfaSignIn(
  deps: AuthDeps,
  requestActor: Actor,
  cookieValue: string | undefined,
  input: z.output<typeof mfaVerifySchema>,
): Promise<NewSession> {
  if (requestActor.ip) await assertIpAllowed(deps.db, requestActor.ip);
  const challenge = cookieValue ? await repo.findChallenge(deps.db, hashSecret(cookieValue)) : null;
  if (
    !challenge ||
    challenge.expires_at.getTime() <= Date.now() ||
    challenge.user_status !== 'active'
  ) {
    await recordIpFailure(deps.db, requestActor.ip);
    const method = input.code !== undefined ? 'totp' : 'recovery_code';
    await recordUnattributedFailure(deps.db, requestActor, method, 'pending_sign_in_invalid');
    throw new AppError('auth.mfa_challenge_invalid');
  }
  const actor = userActor(requestActor, { id: challenge.user_id, email: challenge.user_email });
  const uow = unitFor(deps, challenge.org_id, actor);
  const user = { orgId: challenge.org_id, userId: challenge.user_id };
  const attempted = input.code !== undefined ? 'totp' : 'recovery_code';
  const session = await startSession(uow, deps, challenge.user_id, async (scope) => {
    const isLocked = (await accountLockedUntil(scope.tx, user.userId)) !== null;
    const method = isLocked
      ? null
      : await verifySecondFactor(scope.tx, deps.secrets, user.userId, input);
    if (method && (await repo.consumeChallenge(scope.tx, challenge.id))) {
      // The actor is shared with the audit writer: from here on it records the full method.
      actor.authMethod = `${challenge.first_factor}+${method}`;
      return true;
    }
    await scope.audit({
      action: 'auth.mfa_failed',
      targetType: 'user',
      targetId: user.userId,
      changes: { method: attempted, reason: isLocked ? 'account_locked' : 'wrong_code' },
    });
    if (!isLocked) await recordAccountFailure(scope, user, attempted);
    return false;
  });
  if (!session) {
    await recordIpFailure(deps.db, requestActor.ip);
    throw new AppError('auth.mfa_code_invalid', undefined, [
      {
        path: attempted === 'totp' ? 'code' : 'recoveryCode',
        message: 'This code is not valid',
      },
    ]);
  }
  return session;
}
