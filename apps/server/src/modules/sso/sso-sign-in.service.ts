import {
  mfaChallengeMinutes,
  ssoMfaAmrValues,
  ssoRequestMinutes,
  type ErrorCode,
  type Role,
  type ssoCallbackQuerySchema,
  type startSsoSchema,
} from '@steward/contracts';
import * as client from 'openid-client';
import type { z } from 'zod';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { createUnitOfWork, type UnitOfWork } from '../../platform/audit/unit-of-work.ts';
import { generateSecret, hashSecret } from '../../platform/crypto/tokens.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import {
  findUserByEmail,
  insertChallenge,
  openSession,
  readMe,
  type NewSession,
} from '../auth/index.ts';
import { accountLockedUntil, clearAccountFailures } from '../lockout/index.ts';
import { isTotpEnabled } from '../mfa/index.ts';
import { isMfaRequiredFor, readSecurityPolicy } from '../security-policy/index.ts';
import { findUser, insertUser, updateUserRow } from '../users/index.ts';
import { OidcVerificationError, type VerifiedIdToken } from './oidc-client.ts';
import * as repo from './sso.repo.ts';
import { loadClientSettings, redirectUriOf, type SsoDeps } from './sso.service.ts';

/** What SSO sign-in needs beyond the configuration's dependencies. */
export interface SsoSignInDeps extends SsoDeps {
  auditWriter: AuditWriter;
  session: { idleMinutes: number; maxHours: number };
}

/** A refused SSO sign-in: the callback sends the browser to sign-in with this code. */
export class SsoRefusal extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
  }
}

function unitFor(deps: SsoSignInDeps, orgId: string, actor: Actor): UnitOfWork {
  return createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
}

async function resolveOrg(deps: SsoSignInDeps, input: z.output<typeof startSsoSchema>) {
  if (input.orgId) return input.orgId;
  const domain = input.email?.split('@')[1] ?? '';
  const owners = await repo.findDomainOwners(deps.db, [domain]);
  if (!owners[0])
    throw new AppError('sso.not_configured', `No organisation signs in with SSO for ${domain}`);
  return owners[0].org_id;
}

/**
 * Start an SSO sign-in: keep state (hashed), nonce and the PKCE verifier for 10 minutes, bound to
 * this browser by a cookie value, and answer the IdP's authorization URL.
 */
export async function startSsoSignIn(
  deps: SsoSignInDeps,
  requestActor: Actor,
  input: z.output<typeof startSsoSchema>,
): Promise<{ authorizationUrl: string; browserValue: string; expiresAt: Date }> {
  const orgId = await resolveOrg(deps, input);
  const uow = unitFor(deps, orgId, requestActor);
  const org = await uow.read(async (tx) => ({
    client: await loadClientSettings(tx, deps, orgId),
    policy: await readSecurityPolicy(tx, deps.policyDefaults),
  }));
  if (!org.client) throw new AppError('sso.not_configured');
  if (!org.policy.allowedSignInMethods.includes('sso'))
    throw new AppError('auth.method_not_allowed');
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const browserValue = generateSecret('', 32);
  const expiresAt = new Date(Date.now() + ssoRequestMinutes * 60_000);
  const authorizationUrl = await deps.oidc.authorizationUrl(
    { id: orgId, version: org.client.row.updated_at.toISOString(), settings: org.client.settings },
    { redirectUri: redirectUriOf(deps.publicUrl), state, nonce, codeVerifier },
  );
  await uow.write(async ({ tx, audit }) => {
    await repo.insertRequest(tx, {
      orgId,
      stateHash: hashSecret(state),
      browserHash: hashSecret(browserValue),
      nonce,
      codeVerifier,
      expiresAt,
    });
    await audit({
      action: 'auth.sso_started',
      targetType: 'org',
      targetId: orgId,
      changes: { issuer: org.client?.row.issuer },
    });
  });
  return { authorizationUrl, browserValue, expiresAt };
}

/** A session, or Steward's own second factor still to come (the IdP did not attest MFA). */
export type SsoOutcome =
  { kind: 'session'; session: NewSession } | { kind: 'mfa'; cookieValue: string; expiresAt: Date };

/** Whether the IdP's `amr` shows a multi-factor authentication. */
export function isIdpMfa(amr: readonly string[]): boolean {
  return amr.some((value) => (ssoMfaAmrValues as readonly string[]).includes(value));
}

interface Failure {
  code: ErrorCode;
  reason: string;
  userId?: string;
  email?: string | null;
}

async function refuse(uow: UnitOfWork, requestId: string | null, failure: Failure): Promise<never> {
  await uow.write(async ({ tx, audit }) => {
    if (requestId) await repo.consumeRequest(tx, requestId);
    await audit({
      action: 'auth.sign_in_failed',
      targetType: failure.userId ? 'user' : 'org',
      targetId: failure.userId ?? uow.orgId,
      changes: {
        method: 'sso',
        reason: failure.reason,
        ...(failure.email ? { email: failure.email } : {}),
      },
    });
  });
  throw new SsoRefusal(failure.code);
}

/**
 * Finish an SSO sign-in: the state must be live, unused and started by this browser; the code is
 * exchanged and the id token validated; the person is matched by verified email only, provisioned
 * just in time when the org allows it. A session (method `sso`, with the IdP's amr/acr) results.
 */
export async function completeSsoSignIn(
  deps: SsoSignInDeps,
  requestActor: Actor,
  query: z.output<typeof ssoCallbackQuerySchema>,
  browserValue: string | undefined,
): Promise<SsoOutcome> {
  const found = query.state
    ? await repo.findRequestByState(deps.db, hashSecret(query.state))
    : undefined;
  if (!found || !query.state) throw new SsoRefusal('auth.sso_state_invalid');
  const uow = unitFor(deps, found.org_id, { ...requestActor });
  const pending = await uow.read(async (tx) => ({
    request: await tx
      .selectFrom('oidc_sign_in_requests')
      .select(['browser_hash', 'nonce', 'code_verifier'])
      .where('id', '=', found.id)
      .executeTakeFirst(),
    client: await loadClientSettings(tx, deps, found.org_id),
  }));
  const isLive = found.consumed_at === null && found.expires_at.getTime() > Date.now();
  if (!isLive || !pending.request) {
    return refuse(uow, null, { code: 'auth.sso_state_invalid', reason: 'state_expired_or_used' });
  }
  if (!browserValue || !hashSecret(browserValue).equals(pending.request.browser_hash)) {
    return refuse(uow, found.id, { code: 'auth.sso_state_invalid', reason: 'other_browser' });
  }
  if (query.error) {
    return refuse(uow, found.id, { code: 'auth.sso_failed', reason: `idp_error:${query.error}` });
  }
  if (!pending.client) {
    return refuse(uow, found.id, { code: 'sso.not_configured', reason: 'sso_not_configured' });
  }
  const callbackUrl = new URL(redirectUriOf(deps.publicUrl));
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string') callbackUrl.searchParams.set(key, value);
  }
  let idToken: VerifiedIdToken;
  try {
    idToken = await deps.oidc.exchange(
      {
        id: found.org_id,
        version: pending.client.row.updated_at.toISOString(),
        settings: pending.client.settings,
      },
      callbackUrl,
      {
        state: query.state,
        nonce: pending.request.nonce,
        codeVerifier: pending.request.code_verifier,
      },
    );
  } catch (error) {
    if (!(error instanceof OidcVerificationError)) throw error;
    return refuse(uow, found.id, { code: 'auth.sso_failed', reason: error.message.slice(0, 300) });
  }
  const email = idToken.email;
  if (!email || !idToken.isEmailVerified) {
    return refuse(uow, found.id, {
      code: 'auth.sso_email_unverified',
      reason: 'email_unverified',
      email,
    });
  }
  const config = pending.client.row;
  const domain = email.split('@')[1] ?? '';
  if (config.allowed_domains.length > 0 && !config.allowed_domains.includes(domain)) {
    return refuse(uow, found.id, {
      code: 'auth.sso_user_unknown',
      reason: 'domain_not_allowed',
      email,
    });
  }
  const account = await findUserByEmail(deps.db, email);
  if (account && account.org_id !== found.org_id) {
    return refuse(uow, found.id, { code: 'auth.sso_user_unknown', reason: 'other_org', email });
  }
  if (!account && config.provisioning !== 'jit') {
    return refuse(uow, found.id, { code: 'auth.sso_user_unknown', reason: 'invite_only', email });
  }
  if (account) {
    const isLocked = await uow.read(
      async (tx) => (await accountLockedUntil(tx, account.id)) !== null,
    );
    const reason =
      account.status !== 'active'
        ? `account_${account.status}`
        : isLocked
          ? 'account_locked'
          : null;
    if (reason) {
      return refuse(uow, found.id, {
        code: 'auth.sso_user_unknown',
        reason,
        userId: account.id,
        email,
      });
    }
  }
  const actor: Actor = {
    ...requestActor,
    type: 'user',
    id: account?.id ?? null,
    label: email,
    authMethod: 'sso',
  };
  const signedIn = unitFor(deps, found.org_id, actor);
  const idp = { amr: idToken.amr, acr: idToken.acr };
  const session = await signedIn.write(async ({ tx, audit }) => {
    if (!(await repo.consumeRequest(tx, found.id))) throw new SsoRefusal('auth.sso_state_invalid');
    const policy = await readSecurityPolicy(tx, deps.policyDefaults);
    if (!policy.allowedSignInMethods.includes('sso'))
      throw new SsoRefusal('auth.method_not_allowed');
    let userId = account?.id;
    if (!userId) {
      const user = await insertUser(tx, {
        orgId: found.org_id,
        email,
        name: idToken.name ?? email,
        role: config.default_role as Role,
        passwordHash: null,
      });
      userId = user.id;
      actor.id = user.id;
      await audit({
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        changes: {
          email,
          name: user.name,
          role: user.role,
          provisionedBy: 'sso',
          issuer: config.issuer,
        },
      });
    }
    const user = await findUser(tx, userId);
    if (!user) throw new SsoRefusal('auth.sso_user_unknown');
    const isMfaAtIdp = isIdpMfa(idToken.amr);
    if (!isMfaAtIdp && (await isTotpEnabled(tx, userId))) {
      const cookieValue = generateSecret('', 32);
      const expiresAt = new Date(Date.now() + mfaChallengeMinutes * 60_000);
      await insertChallenge(tx, {
        orgId: found.org_id,
        userId,
        tokenHash: hashSecret(cookieValue),
        ip: actor.ip,
        userAgent: actor.userAgent,
        expiresAt,
        firstFactor: 'sso',
      });
      await audit({
        action: 'auth.mfa_challenged',
        targetType: 'user',
        targetId: userId,
        changes: { method: 'sso', issuer: config.issuer, amr: idp.amr, acr: idp.acr },
      });
      return { kind: 'mfa' as const, cookieValue, expiresAt };
    }
    const mfaEnrolmentRequired = !isMfaAtIdp && isMfaRequiredFor(policy, user.role as Role);
    const opened = await openSession(tx, deps, { id: userId, orgId: found.org_id }, actor, {
      authMethod: 'sso',
      mfaEnrolmentRequired,
      lifetime: policy,
      idp,
    });
    await clearAccountFailures(tx, userId);
    await updateUserRow(tx, userId, { lastSignInAt: new Date() });
    await audit({
      action: 'auth.signed_in',
      targetType: 'user',
      targetId: userId,
      changes: {
        method: 'sso',
        issuer: config.issuer,
        amr: idp.amr,
        acr: idp.acr,
        ...(mfaEnrolmentRequired ? { mfaEnrolmentRequired } : {}),
      },
    });
    const me = await readMe(tx, userId, 'session', null, opened.csrfToken, mfaEnrolmentRequired);
    return {
      kind: 'session' as const,
      session: { cookieValue: opened.cookieValue, expiresAt: opened.expiresAt, me },
    };
  });
  return session;
}
