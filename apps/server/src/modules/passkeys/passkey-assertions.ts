import { passkeyChallengeMinutes } from '@steward/contracts';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Db, Tx } from '../../platform/db/pools.ts';
import * as repo from './passkeys.repo.ts';
import * as webauthn from './webauthn.ts';

/** Whose credential a sign-in presents, before its org is known. */
export type { PasskeyOwner } from './passkeys.repo.ts';

/** Why a passkey sign-in step was refused (recorded in `auth.passkey_failed`). */
export type PasskeyFailure =
  | 'unknown_credential'
  | 'counter_regression'
  | 'user_handle_mismatch'
  | 'invalid_assertion'
  | 'counter_race';

/**
 * Issue request options for a sign-in step, their challenge bound to `binding` (a hash of the
 * browser's pending cookie, or a pending sign-in); `allowedFor` limits them to one user's
 * passkeys (second factor), otherwise any discoverable passkey may answer.
 */
export async function issueSignInChallenge(
  deps: { db: Db; relyingParty: webauthn.RelyingParty },
  binding: string,
  allowed: { tx: Tx; userId: string } | null,
) {
  const rows = allowed ? await repo.listPasskeys(allowed.tx, allowed.userId) : [];
  const options = await webauthn.authenticationOptions(deps.relyingParty, rows);
  await repo.issueChallenge(deps.db, binding, options.challenge, passkeyChallengeMinutes);
  return options;
}

/** Take the challenge bound to `binding`: it works once, then is gone. */
export function takeSignInChallenge(db: Db, binding: string): Promise<string | null> {
  return repo.takeChallenge(db, binding);
}

/** Find which user a credential belongs to (the narrow cross-tenant lookup). */
export function findPasskeyOwner(db: Db, credentialId: string) {
  return repo.findPasskeyOwner(db, credentialId);
}

/**
 * Verify a sign-in assertion inside the org's transaction and record the use (counter, backup
 * state, last use). Returns null on success, or why it was refused.
 */
export async function verifyPasskeyAssertion(
  tx: Tx,
  relyingParty: webauthn.RelyingParty,
  input: { userId: string; credential: AuthenticationResponseJSON; challenge: string },
): Promise<{ failure: PasskeyFailure | null; passkeyId: string | null }> {
  const passkey = (await repo.listPasskeys(tx, input.userId)).find(
    (p) => p.credential_id === input.credential.id,
  );
  if (!passkey) return { failure: 'unknown_credential', passkeyId: null };
  const check = await webauthn.checkAssertion(
    relyingParty,
    input.credential,
    input.challenge,
    passkey,
  );
  if (!check.ok) return { failure: check.reason, passkeyId: passkey.id };
  const isRecorded = await repo.recordUse(tx, passkey.id, check);
  return { failure: isRecorded ? null : 'counter_race', passkeyId: passkey.id };
}
