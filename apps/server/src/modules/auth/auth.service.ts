import { rolePermissions, type Me, type Role, type setupSchema } from '@steward/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Actor, AuditWriter } from '../../platform/audit/audit-writer.ts';
import { genesisHash } from '../../platform/audit/chain.ts';
import {
  createUnitOfWork,
  type UnitOfWork,
  type WriteScope,
} from '../../platform/audit/unit-of-work.ts';
import type { Identity } from '../../platform/authz/identity.ts';
import type { SecretBox } from '../../platform/crypto/envelope.ts';
import { hashPassword } from '../../platform/crypto/passwords.ts';
import { findPasswordProblem } from '../../platform/crypto/password-policy.ts';
import { generateSecret, hashSecret } from '../../platform/crypto/tokens.ts';
import type { Db, Tx } from '../../platform/db/pools.ts';
import { AppError } from '../../platform/errors/app-error.ts';
import { defaultMfaRequiredRoles } from '../security-policy/index.ts';
import { insertUser, toUser } from '../users/index.ts';
import * as repo from './auth.repo.ts';

/** What the auth service needs. */
export interface AuthDeps {
  db: Db;
  auditWriter: AuditWriter;
  /** Installation defaults; an org's security policy overrides them. */
  session: { idleMinutes: number; maxHours: number };
  secrets: SecretBox;
  /** Runs in the setup transaction once the org and its owner exist (gives the org its program). */
  onOrgCreated?: OrgCreatedHook;
}

/** Work done in the transaction that creates an org, after its owner exists. */
export type OrgCreatedHook = (
  scope: Pick<WriteScope, 'tx' | 'audit'>,
  org: { id: string; ownerId: string },
) => Promise<void>;

/** A new session: the cookie value (secret) and the identity it grants. */
export interface NewSession {
  cookieValue: string;
  expiresAt: Date;
  me: Me;
}

/** The outcome of setup: the owner, and a session when setup was done through the browser. */
export interface SetupResult {
  me: Me;
  session: NewSession | null;
}

/** Build the `/me` answer for a user inside their org. */
export async function readMe(
  tx: Tx,
  userId: string,
  authMethod: Me['authMethod'],
  role: Role | null,
  csrfToken: string | null,
  mfaEnrolmentRequired = false,
): Promise<Me> {
  const user = await repo.findUserWithOrg(tx, userId);
  return toMe(user, authMethod, role, csrfToken, mfaEnrolmentRequired);
}

function toMe(
  user: Awaited<ReturnType<typeof repo.findUserWithOrg>>,
  authMethod: Me['authMethod'],
  role: Role | null,
  csrfToken: string | null,
  mfaEnrolmentRequired: boolean,
): Me {
  if (!user) throw new AppError('auth.unauthenticated');
  const effectiveRole = role ?? (user.role as Role);
  return {
    user: toUser(user),
    org: { id: user.org_id, name: user.org_name, createdAt: user.org_created_at.toISOString() },
    permissions: [...rolePermissions[effectiveRole]],
    authMethod,
    csrfToken,
    mfaEnrolmentRequired,
  };
}

/** The caller's identity, org and permissions. */
export async function getMe(uow: UnitOfWork, identity: Identity): Promise<Me> {
  // One statement: it travels with the transaction's BEGIN and COMMIT in one round trip.
  const [user] = await uow.readQuery(repo.userWithOrgQuery(identity.userId));
  return toMe(
    user,
    identity.kind,
    identity.role,
    identity.csrfToken,
    identity.mfaEnrolmentRequired,
  );
}

/** How a new session came to be, and how long it may live. */
export interface SessionOptions {
  authMethod?: string;
  mfaEnrolmentRequired?: boolean;
  /** The org's policy lifetimes; the installation defaults without one. */
  lifetime?: { sessionIdleMinutes: number; sessionMaxHours: number };
  /** What an SSO identity provider said about how the person authenticated. */
  idp?: { amr: string[]; acr: string | null };
}

/** Create a session row; returns the cookie value (shown to the browser only). */
export async function openSession(
  tx: Tx,
  deps: Pick<AuthDeps, 'session'>,
  user: { id: string; orgId: string },
  actor: Actor,
  options: SessionOptions = {},
): Promise<{ cookieValue: string; csrfToken: string; expiresAt: Date }> {
  const cookieValue = generateSecret('', 32);
  const csrfToken = randomBytes(24).toString('base64url');
  const maxHours = options.lifetime?.sessionMaxHours ?? deps.session.maxHours;
  const idleMinutes = options.lifetime?.sessionIdleMinutes ?? deps.session.idleMinutes;
  const expiresAt = new Date(Date.now() + maxHours * 3_600_000);
  await repo.insertSession(tx, {
    orgId: user.orgId,
    userId: user.id,
    tokenHash: hashSecret(cookieValue),
    csrfToken,
    authMethod: options.authMethod ?? 'password',
    ip: actor.ip,
    userAgent: actor.userAgent,
    idleTimeoutMinutes: idleMinutes,
    expiresAt,
    mfaEnrolmentRequired: options.mfaEnrolmentRequired ?? false,
    idp: options.idp,
  });
  return { cookieValue, csrfToken, expiresAt };
}

/** Whether first-run setup has happened. */
export function isSetUp(deps: Pick<AuthDeps, 'db'>): Promise<boolean> {
  return repo.isSetUp(deps.db);
}

/**
 * First run: create the organisation and its owner, then sign the owner in. Refused once any
 * organisation exists.
 */
export async function setUp(
  deps: Omit<AuthDeps, 'secrets'>,
  requestActor: Actor,
  input: z.output<typeof setupSchema>,
  options: { openSession: boolean },
): Promise<SetupResult> {
  if (await repo.isSetUp(deps.db)) throw new AppError('setup.already_done');
  const problem = findPasswordProblem(input.password, {
    email: input.email,
    orgName: input.orgName,
  });
  if (problem)
    throw new AppError('auth.weak_password', problem, [{ path: 'password', message: problem }]);
  const passwordHash = await hashPassword(input.password);
  const orgId = randomUUID();
  const actor: Actor =
    requestActor.type === 'system'
      ? { ...requestActor }
      : { ...requestActor, type: 'user', label: input.email, authMethod: 'password' };
  const uow = createUnitOfWork({ db: deps.db, auditWriter: deps.auditWriter, orgId, actor });
  return uow.write(async ({ tx, audit }) => {
    await repo.lockSetup(tx);
    if (await repo.isSetUp(tx)) throw new AppError('setup.already_done');
    await repo.insertOrg(tx, { id: orgId, name: input.orgName }, genesisHash);
    const user = await insertUser(tx, {
      orgId,
      email: input.email,
      name: input.name,
      role: 'owner',
      passwordHash,
    });
    if (actor.type === 'user') actor.id = user.id;
    await audit({
      action: 'org.created',
      targetType: 'org',
      targetId: orgId,
      changes: { name: input.orgName },
    });
    await audit({
      action: 'user.created',
      targetType: 'user',
      targetId: user.id,
      changes: { email: user.email, name: user.name, role: user.role },
    });
    await deps.onOrgCreated?.({ tx, audit }, { id: orgId, ownerId: user.id });
    if (!options.openSession)
      return { me: await readMe(tx, user.id, 'session', 'owner', null), session: null };
    // A new org has the default policy, so its owner enrols in MFA before anything else.
    const mfaEnrolmentRequired = defaultMfaRequiredRoles.includes('owner');
    const session = await openSession(tx, deps, { id: user.id, orgId }, actor, {
      mfaEnrolmentRequired,
    });
    await audit({
      action: 'auth.signed_in',
      targetType: 'user',
      targetId: user.id,
      changes: { method: 'password', mfaEnrolmentRequired },
    });
    const me = await readMe(
      tx,
      user.id,
      'session',
      'owner',
      session.csrfToken,
      mfaEnrolmentRequired,
    );
    return { me, session: { cookieValue: session.cookieValue, expiresAt: session.expiresAt, me } };
  });
}

/** End the caller's session. */
export async function signOut(uow: UnitOfWork, identity: Identity): Promise<void> {
  const sessionId = identity.sessionId;
  if (!sessionId) {
    throw new AppError('request.invalid', 'API tokens are revoked, not signed out');
  }
  await uow.write(async ({ tx, audit }) => {
    await repo.revokeSession(tx, sessionId);
    await audit({ action: 'auth.signed_out', targetType: 'session', targetId: sessionId });
  });
}
