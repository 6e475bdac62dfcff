import type { Role } from '@steward/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../src/platform/audit/audit-writer.ts';
import { genesisHash } from '../src/platform/audit/chain.ts';
import { createUnitOfWork } from '../src/platform/audit/unit-of-work.ts';
import { hashPassword } from '../src/platform/crypto/passwords.ts';
import { insertOrg } from '../src/modules/auth/auth.repo.ts';
import { createToken } from '../src/modules/tokens/tokens.service.ts';
import { insertUser } from '../src/modules/users/users.repo.ts';
import type { TestApp } from './harness.ts';
import { seedProgram } from '../src/modules/program/index.ts';

/** The actor factories write as. */
export const seedActor: Actor = {
  type: 'system',
  id: null,
  label: 'test-seed',
  authMethod: 'system',
  requestId: null,
  ip: null,
  userAgent: null,
};

/** A password that passes the policy. */
export const goodPassword = 'correct-lantern-meadow-42';

let passwordHash: Promise<string> | undefined;

/** A seeded user with an API token. */
export interface SeededUser {
  id: string;
  orgId: string;
  email: string;
  role: Role;
  token: string;
}

/**
 * Create an organisation (as setup would, but allowed more than once). Its security policy
 * requires MFA of no role unless `mfaRequiredRoles` says otherwise, so tests can sign people in
 * with a password alone; the default policy is tested where setup creates the org.
 */
export async function seedOrg(
  t: TestApp,
  name = `Org ${randomBytes(3).toString('hex')}`,
  options: { mfaRequiredRoles?: Role[]; withProgram?: boolean } = {},
): Promise<string> {
  const orgId = randomUUID();
  const uow = createUnitOfWork({
    db: t.pools.app,
    auditWriter: t.auditWriter,
    orgId,
    actor: seedActor,
  });
  await uow.write(async ({ tx, audit }) => {
    await insertOrg(tx, { id: orgId, name }, genesisHash);
    await tx
      .insertInto('org_security_policies')
      .values({
        org_id: orgId,
        mfa_required_roles: options.mfaRequiredRoles ?? [],
        session_idle_minutes: t.config.session.idleMinutes,
        session_max_hours: t.config.session.maxHours,
        allowed_sign_in_methods: ['password'],
        updated_at: new Date(),
      })
      .execute();
    await audit({ action: 'org.created', targetType: 'org', targetId: orgId, changes: { name } });
    // The default program is what setup gives an org; most tests need a bare org instead.
    if (options.withProgram) await seedProgram({ tx, audit }, orgId, null);
  });
  return orgId;
}

/** Create a user with a role in an org, and an API token carrying that role. */
export async function seedUser(t: TestApp, orgId: string, role: Role): Promise<SeededUser> {
  passwordHash ??= hashPassword(goodPassword);
  const email = `${role}-${randomBytes(4).toString('hex')}@example.test`;
  const uow = createUnitOfWork({
    db: t.pools.app,
    auditWriter: t.auditWriter,
    orgId,
    actor: seedActor,
  });
  const hash = await passwordHash;
  const user = await uow.write(async ({ tx, audit }) => {
    const row = await insertUser(tx, {
      orgId,
      email,
      name: `Test ${role}`,
      role,
      passwordHash: hash,
    });
    await audit({ action: 'user.created', targetType: 'user', targetId: row.id });
    return row;
  });
  const { secret } = await createToken(
    uow,
    { userId: user.id, role },
    { name: 'test', expiresInDays: 1 },
  );
  return { id: user.id, orgId, email, role, token: secret };
}

/** Headers for an API token. */
export function bearer(user: { token: string }): Record<string, string> {
  return { authorization: `Bearer ${user.token}` };
}

/** Send one request through the app under test as `user` (its API token); `payload` is the JSON body. */
export function injectAs(
  t: TestApp,
  user: { token: string },
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  return t.http.inject({
    method,
    url,
    headers: bearer(user),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** The status code `user` is answered with for one request (see injectAs). */
export async function statusAs(
  t: TestApp,
  user: { token: string },
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<number> {
  return (await injectAs(t, user, method, url, payload)).statusCode;
}

/** A browser-like session: the cookie header and the CSRF token to echo on writes. */
export interface BrowserSession {
  cookie: string;
  csrfToken: string;
  setCookie: string;
}

/** The headers a browser session sends on a state-changing request: its cookie and CSRF token. */
export function asSession(s: BrowserSession): Record<string, string> {
  return { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
}

/** Sign in through the API as a browser would. */
export async function signInSession(
  t: TestApp,
  email: string,
  password = goodPassword,
): Promise<BrowserSession> {
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0] ?? '';
  return { cookie, csrfToken: res.json<{ csrfToken: string }>().csrfToken, setCookie };
}
