import type { passkeySignInSchema } from '@steward/contracts';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { z } from 'zod';
import type { Actor } from '../../platform/audit/audit-writer.ts';
import type { WriteScope } from '../../platform/audit/unit-of-work.ts';
import { generateSecret, hashSecret } from '../../platform/crypto/tokens.ts';
import type { Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  accountLockedUntil,
  assertIpAllowed,
  recordAccountFailure,
  recordIpFailure,
} from '../lockout/index.ts';
import {
  findPasskeyOwner,
  issueSignInChallenge,
  takeSignInChallenge,
  verifyPasskeyAssertion,
  type RelyingParty,
} from '../passkeys/index.ts';
import { readSecurityPolicy } from '../security-policy/index.ts';
import type { AuthDeps, NewSession } from './auth.service.ts';
import { recordUnattributedFailure, startSession, unitFor, userActor } from './sign-in.service.ts';
import * as repo from './sign-in.repo.ts';

/** What passkey sign-in needs besides the auth dependencies. */
export type PasskeySignInDeps = AuthDeps & { relyingParty: RelyingParty };

type Credential = z.output<typeof passkeySignInSchema>['credential'];

function browserBinding(cookieValue: string): string {
  return `sign_in:${hashSecret(cookieValue).toString('hex')}`;
}

function secondFactorBinding(pendingId: string): string {
  return `mfa:${pendingId}`;
}

/**
 * Options for a usernameless passkey sign-in: any discoverable passkey may answer. The challenge
 * is bound to a fresh random value the route hands to the browser as a cookie.
 */
export async function startPasskeySignIn(deps: PasskeySignInDeps) {
  const cookieValue = generateSecret('', 32);
  const options = await issueSignInChallenge(deps, browserBinding(cookieValue), null);
  return { cookieValue, options };
}

async function findPending(deps: PasskeySignInDeps, requestActor: Actor, cookieValue?: string) {
  const pending = cookieValue ? await repo.findChallenge(deps.db, hashSecret(cookieValue)) : null;
  if (!pending || pending.expires_at.getTime() <= Date.now() || pending.user_status !== 'active') {
    await recordIpFailure(deps.db, requestActor.ip);
    await recordUnattributedFailure(deps.db, requestActor, 'passkey', 'pending_sign_in_invalid');
    throw new AppError('auth.mfa_challenge_invalid');
  }
  return pending;
}

/** Options for the second factor of a pending password sign-in: that user's passkeys only. */
export async function startPasskeySecondFactor(
  deps: PasskeySignInDeps,
  requestActor: Actor,
  pendingCookie: string | undefined,
) {
  const pending = await findPending(deps, requestActor, pendingCookie);
  const actor = userActor(requestActor, { id: pending.user_id, email: pending.user_email });
  return unitFor(deps, pending.org_id, actor).read((tx) =>
    issueSignInChallenge(deps, secondFactorBinding(pending.id), { tx, userId: pending.user_id }),
  );
}

async function refuse(
  scope: WriteScope,
  user: { orgId: string; userId: string },
  changes: Record<string, unknown>,
  countsTowardsLock: boolean,
): Promise<false> {
  await scope.audit({
    action: 'auth.passkey_failed',
    targetType: 'user',
    targetId: user.userId,
    changes,
  });
  if (countsTowardsLock) await recordAccountFailure(scope, user, 'passkey');
  return false;
}

async function checkPasskey(
  tx: Tx,
  deps: PasskeySignInDeps,
  userId: string,
  credential: Credential,
  challenge: string,
) {
  if ((await accountLockedUntil(tx, userId)) !== null) return 'account_locked' as const;
  const result = await verifyPasskeyAssertion(tx, deps.relyingParty, {
    userId,
    credential: credential as unknown as AuthenticationResponseJSON,
    challenge,
  });
  return result.failure;
}

/**
 * Sign in with a passkey as the first factor. The challenge is taken first (single use); the
 * credential's owner is found across orgs; the org must allow passkey sign-in; the assertion is
 * checked (origin, RP ID, user verification, signature, a growing counter). User verification
 * makes it multi-factor, so the session is complete. Failures on a known user are audited and
 * counted like wrong passwords.
 */
export async function signInWithPasskey(
  deps: PasskeySignInDeps,
  requestActor: Actor,
  cookieValue: string | undefined,
  input: z.output<typeof passkeySignInSchema>,
  onUnknownCredential: () => void,
): Promise<NewSession> {
  if (requestActor.ip) await assertIpAllowed(deps.db, requestActor.ip);
  const challenge = cookieValue
    ? await takeSignInChallenge(deps.db, browserBinding(cookieValue))
    : null;
  if (!challenge) {
    await recordIpFailure(deps.db, requestActor.ip);
    throw new AppError('passkey.challenge_invalid');
  }
  const owner = await findPasskeyOwner(deps.db, input.credential.id);
  if (!owner) {
    await recordIpFailure(deps.db, requestActor.ip);
    await recordUnattributedFailure(deps.db, requestActor, 'passkey', 'unknown_credential');
    onUnknownCredential();
    throw new AppError('auth.passkey_invalid');
  }
  const actor = userActor(requestActor, { id: owner.user_id, email: owner.user_email }, 'passkey');
  const uow = unitFor(deps, owner.org_id, actor);
  const user = { orgId: owner.org_id, userId: owner.user_id };
  const refusal = { isByPolicy: false };
  const session = await startSession(uow, deps, owner.user_id, async (scope) => {
    const policy = await readSecurityPolicy(scope.tx, deps.session);
    if (!policy.allowedSignInMethods.includes('passkey')) {
      refusal.isByPolicy = true;
      return refuse(scope, user, { step: 'sign_in', reason: 'method_not_allowed' }, false);
    }
    if (owner.user_status !== 'active') {
      return refuse(scope, user, { step: 'sign_in', reason: 'account_disabled' }, false);
    }
    const failure = await checkPasskey(scope.tx, deps, owner.user_id, input.credential, challenge);
    if (!failure) return true;
    return refuse(
      scope,
      user,
      { step: 'sign_in', reason: failure, passkeyId: owner.id },
      failure !== 'account_locked',
    );
  });
  if (session) return session;
  if (refusal.isByPolicy) throw new AppError('auth.passkey_not_allowed');
  await recordIpFailure(deps.db, requestActor.ip);
  throw new AppError('auth.passkey_invalid');
}

/**
 * Complete a pending sign-in with a passkey of that user. The passkey challenge and the
 * pending sign-in are each consumed once; a new session is issued with method `password+passkey`
 * (`sso+passkey` after an SSO first factor).
 */
export async function completeMfaWithPasskey(
  deps: PasskeySignInDeps,
  requestActor: Actor,
  pendingCookie: string | undefined,
  input: z.output<typeof passkeySignInSchema>,
): Promise<NewSession> {
  if (requestActor.ip) await assertIpAllowed(deps.db, requestActor.ip);
  const pending = await findPending(deps, requestActor, pendingCookie);
  const challenge = await takeSignInChallenge(deps.db, secondFactorBinding(pending.id));
  if (!challenge) throw new AppError('passkey.challenge_invalid');
  const actor = userActor(requestActor, { id: pending.user_id, email: pending.user_email });
  const uow = unitFor(deps, pending.org_id, actor);
  const user = { orgId: pending.org_id, userId: pending.user_id };
  const session = await startSession(uow, deps, pending.user_id, async (scope) => {
    const failure = await checkPasskey(
      scope.tx,
      deps,
      pending.user_id,
      input.credential,
      challenge,
    );
    if (!failure && (await repo.consumeChallenge(scope.tx, pending.id))) {
      // The actor is shared with the audit writer: from here on it records the full method.
      actor.authMethod = `${pending.first_factor}+passkey`;
      return true;
    }
    return refuse(
      scope,
      user,
      { step: 'second_factor', reason: failure ?? 'challenge_consumed' },
      failure !== null && failure !== 'account_locked',
    );
  });
  if (!session) {
    await recordIpFailure(deps.db, requestActor.ip);
    throw new AppError('auth.passkey_invalid');
  }
  return session;
}
