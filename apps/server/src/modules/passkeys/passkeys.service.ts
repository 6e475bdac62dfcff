import {
  passkeyChallengeMinutes,
  passkeyRecentSignInMinutes,
  type Passkey,
  type Role,
  type registerPasskeySchema,
  type removePasskeySchema,
} from '@steward/contracts';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { z } from 'zod';
import type { UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import type { Db, Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { confirmPassword } from '../lockout/index.ts';
import { isTotpEnabled } from '../mfa/index.ts';
import {
  isMfaRequiredFor,
  readSecurityPolicy,
  type PolicyDefaults,
} from '../security-policy/index.ts';
import { findUser } from '../users/index.ts';
import * as repo from './passkeys.repo.ts';
import * as webauthn from './webauthn.ts';

/** What the passkeys service needs. */
export interface PasskeyDeps {
  db: Db;
  relyingParty: webauthn.RelyingParty;
  policyDefaults: PolicyDefaults;
}

/** The API shape of a stored passkey. */
export function toPasskey(row: repo.PasskeyRow): Passkey {
  return {
    id: row.id,
    name: row.name,
    transports: row.transports,
    isBackedUp: row.is_backed_up,
    isMultiDevice: row.device_type === 'multiDevice',
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

/** Whether a user has at least one passkey. */
export async function hasPasskey(tx: Tx, userId: string): Promise<boolean> {
  return (await repo.listPasskeys(tx, userId)).length > 0;
}

/** Ids of the org's users with a passkey. */
export async function passkeyUserIds(tx: Tx): Promise<Set<string>> {
  return new Set(await repo.listPasskeyUserIds(tx));
}

function browserSession(identity: Identity): string {
  if (identity.kind !== 'session' || !identity.sessionId) throw new AppError('mfa.browser_only');
  return identity.sessionId;
}

function registrationBinding(sessionId: string): string {
  return `register:${sessionId}`;
}

/** The caller's passkeys. */
export async function listOwnPasskeys(uow: UnitOfWork, identity: Identity): Promise<Passkey[]> {
  const rows = await uow.read((tx) => repo.listPasskeys(tx, identity.userId));
  return rows.map(toPasskey);
}

/** Start a registration: creation options whose challenge is bound to this session. */
export async function startRegistration(uow: UnitOfWork, deps: PasskeyDeps, identity: Identity) {
  const sessionId = browserSession(identity);
  const { user, existing } = await uow.read(async (tx) => ({
    user: await findUser(tx, identity.userId),
    existing: await repo.listPasskeys(tx, identity.userId),
  }));
  if (!user) throw new AppError('auth.unauthenticated');
  const options = await webauthn.registrationOptions(
    deps.relyingParty,
    { id: user.id, email: user.email, name: user.name },
    existing,
  );
  await repo.issueChallenge(
    deps.db,
    registrationBinding(sessionId),
    options.challenge,
    passkeyChallengeMinutes,
  );
  return options;
}

/**
 * Finish a registration: the challenge is taken (single use), the attestation verified against
 * our origin and RP ID with user verification, and the passkey stored. A refused answer is
 * audited. Holding a passkey satisfies the MFA enrolment requirement.
 */
export async function registerPasskey(
  uow: UnitOfWork,
  deps: PasskeyDeps,
  identity: Identity,
  input: z.output<typeof registerPasskeySchema>,
): Promise<Passkey> {
  const sessionId = browserSession(identity);
  const userId = identity.userId;
  const challenge = await repo.takeChallenge(deps.db, registrationBinding(sessionId));
  if (!challenge) throw new AppError('passkey.challenge_invalid');
  const info = await webauthn.checkRegistration(
    deps.relyingParty,
    input.credential as unknown as RegistrationResponseJSON,
    challenge,
  );
  if (!info) {
    await uow.write((scope) =>
      scope.audit({
        action: 'auth.passkey_failed',
        targetType: 'user',
        targetId: userId,
        changes: { context: 'registration', reason: 'invalid_attestation' },
      }),
    );
    throw new AppError('passkey.invalid_response', undefined, [
      { path: 'credential', message: 'The authenticator answer could not be verified' },
    ]);
  }
  if (await repo.findPasskeyOwner(deps.db, info.credential.id)) {
    throw new AppError('passkey.already_registered');
  }
  const row = await uow.write(async ({ tx, audit }) => {
    const stored = await repo.insertPasskey(tx, {
      orgId: uow.orgId,
      userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      counter: info.credential.counter,
      transports: info.credential.transports ?? [],
      aaguid: info.aaguid,
      deviceType: info.credentialDeviceType,
      isBackedUp: info.credentialBackedUp,
      name: input.name,
    });
    await repo.liftEnrolmentRequirement(tx, userId);
    await audit({
      action: 'passkey.registered',
      targetType: 'passkey',
      targetId: stored.id,
      changes: {
        userId,
        name: stored.name,
        aaguid: stored.aaguid,
        deviceType: stored.device_type,
        isBackedUp: stored.is_backed_up,
        transports: stored.transports,
      },
    });
    return stored;
  });
  return toPasskey(row);
}

/** Rename one of the caller's passkeys. */
export async function renameOwnPasskey(
  uow: UnitOfWork,
  identity: Identity,
  id: string,
  name: string,
): Promise<Passkey> {
  browserSession(identity);
  return uow.write(async ({ tx, audit }) => {
    const before = await repo.findPasskey(tx, identity.userId, id);
    if (!before) throw new AppError('passkey.not_found');
    const after = await repo.renamePasskey(tx, id, name);
    if (!after) throw new AppError('passkey.not_found');
    await audit({
      action: 'passkey.renamed',
      targetType: 'passkey',
      targetId: id,
      changes: { name: { from: before.name, to: after.name } },
    });
    return toPasskey(after);
  });
}

/**
 * Remove one of the caller's passkeys. Needs a fresh proof: a session signed in within
 * `passkeyRecentSignInMinutes`, or the password. The last second factor of someone the policy
 * requires MFA of stays.
 */
export async function removeOwnPasskey(
  uow: UnitOfWork,
  deps: PasskeyDeps,
  identity: Identity,
  id: string,
  input: z.output<typeof removePasskeySchema>,
): Promise<void> {
  const sessionId = browserSession(identity);
  const userId = identity.userId;
  const state = await uow.read(async (tx) => ({
    user: await findUser(tx, userId),
    passkey: await repo.findPasskey(tx, userId, id),
    passkeyCount: (await repo.listPasskeys(tx, userId)).length,
    hasTotp: await isTotpEnabled(tx, userId),
    policy: await readSecurityPolicy(tx, deps.policyDefaults),
    signedInAt: await repo.sessionCreatedAt(tx, sessionId),
  }));
  if (!state.user) throw new AppError('auth.unauthenticated');
  if (!state.passkey) throw new AppError('passkey.not_found');
  const isLastFactor = !state.hasTotp && state.passkeyCount <= 1;
  if (isLastFactor && isMfaRequiredFor(state.policy, state.user.role as Role)) {
    throw new AppError('mfa.required_by_policy');
  }
  const recentSince = Date.now() - passkeyRecentSignInMinutes * 60_000;
  const isRecent = state.signedInAt !== null && state.signedInAt.getTime() >= recentSince;
  if (input.password === undefined && !isRecent) {
    throw new AppError('passkey.reauthentication_required', undefined, [
      { path: 'password', message: 'Enter your password' },
    ]);
  }
  if (input.password !== undefined) {
    const user = { id: userId, passwordHash: state.user.password_hash };
    await confirmPassword(uow, user, input.password, 'remove_passkey');
  }
  const passkey = state.passkey;
  await uow.write(async ({ tx, audit }) => {
    await repo.deletePasskey(tx, passkey.id);
    await audit({
      action: 'passkey.removed',
      targetType: 'passkey',
      targetId: passkey.id,
      changes: {
        userId,
        name: passkey.name,
        proof: input.password !== undefined ? 'password' : 'recent_sign_in',
      },
    });
  });
}
