import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../src/modules/mfa/totp.ts';
import type { JobRunner } from '../src/platform/jobs/jobs.ts';
import {
  bearer,
  goodPassword,
  seedOrg,
  seedUser,
  signInSession,
  asSession,
  type BrowserSession,
  type SeededUser,
} from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import {
  linkToken,
  smtpEnv,
  startMailCatcher,
  startTestWorker,
  type MailCatcher,
} from './mail-catcher.ts';
import { SoftwareAuthenticator } from './software-authenticator.ts';

const rp = { origin: 'http://localhost:8080', rpId: 'localhost' };
const wrongPassword = 'definitely-not-my-password-19';
const resetPassword = 'granite-whistle-orbit-88';

let t: TestApp;
let catcher: MailCatcher;
let worker: JobRunner;
let orgId: string;
let owner: SeededUser;
let admin: SeededUser;
let person: SeededUser;
const logLines: string[] = [];
/** Every secret the walk-through handles; none may reach an audit event or a log line. */
const secrets = new Set<string>([goodPassword, wrongPassword, resetPassword]);

beforeAll(async () => {
  catcher = await startMailCatcher();
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  t = await createTestApp(
    { ...smtpEnv(catcher), PUBLIC_URL: rp.origin, LOG_LEVEL: 'trace' },
    { logDestination },
  );
  worker = await startTestWorker(t);
  orgId = await seedOrg(t, 'Audited Events Org');
  owner = await seedUser(t, orgId, 'owner');
  admin = await seedUser(t, orgId, 'admin');
  person = await seedUser(t, orgId, 'contributor');
  for (const user of [owner, admin, person]) secrets.add(user.token);
});

afterAll(async () => {
  await worker.stop();
  await t.close();
  await catcher.close();
});

function request(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
) {
  return t.http.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** Remember a session's cookie value and CSRF token as secrets. */
function keep(session: BrowserSession): BrowserSession {
  secrets.add(session.cookie.slice(session.cookie.indexOf('=') + 1));
  secrets.add(session.csrfToken);
  return session;
}

function signIn(email: string, password: string) {
  return request('POST', '/api/v1/auth/sign-in', {}, { email, password });
}

function pendingCookie(res: { headers: Record<string, unknown> }): string {
  const cookie = [res.headers['set-cookie'] ?? []]
    .flat()
    .map(String)
    .find((c) => !c.startsWith('steward_session=') && !/=;/.test(c));
  return cookie?.split(';')[0] ?? '';
}

interface Expected {
  targetId: string;
  actorType?: string;
  actorId?: string | null;
  authMethod: string;
  changes?: Record<string, unknown>;
}

/** The actor of a request made with a seeded user's API token. */
async function viaToken(user: SeededUser) {
  const token = await t.pools.owner
    .selectFrom('api_tokens')
    .select('id')
    .where('user_id', '=', user.id)
    .where('name', '=', 'test')
    .executeTakeFirstOrThrow();
  return { actorType: 'token', actorId: token.id, authMethod: 'token' };
}

/** The newest event of `action` on `targetId` carries the expected actor, method and changes. */
async function expectEvent(action: string, expected: Expected) {
  const event = await t.pools.owner
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('action', '=', action)
    .where('target_id', '=', expected.targetId)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  expect(event, `no ${action} on ${expected.targetId}`).toBeDefined();
  expect({
    actorType: event?.actor_type,
    actorId: event?.actor_id,
    authMethod: event?.auth_method,
  }).toEqual({
    actorType: expected.actorType ?? 'user',
    actorId: expected.actorId === undefined ? null : expected.actorId,
    authMethod: expected.authMethod,
  });
  if (expected.changes) expect(event?.changes).toMatchObject(expected.changes);
  return event;
}

describe('security events are audited with actor, method and target', () => {
  let session: BrowserSession;
  let totpSecret = '';
  let enrolledAt = 0;
  let recoveryCodes: string[] = [];

  it('records a password sign-in and a failed one', async () => {
    session = keep(await signInSession(t, person.email));
    await expectEvent('auth.signed_in', {
      targetId: person.id,
      actorId: person.id,
      authMethod: 'password',
    });
    expect((await signIn(person.email, wrongPassword)).statusCode).toBe(401);
    await expectEvent('auth.sign_in_failed', {
      targetId: person.id,
      actorId: person.id,
      authMethod: 'password',
      changes: { reason: 'wrong_password' },
    });
  });

  it('records TOTP enrolment, sign-ins with TOTP and a recovery code, and removal', async () => {
    const started = await request('POST', '/api/v1/me/mfa/totp', asSession(session));
    expect(started.statusCode, started.body).toBe(201);
    totpSecret = started.json<{ secret: string }>().secret;
    secrets.add(totpSecret);
    enrolledAt = Date.now();
    const confirmed = await request('POST', '/api/v1/me/mfa/totp/confirm', asSession(session), {
      code: totpCodeAt(totpSecret, enrolledAt),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    recoveryCodes = confirmed.json<{ codes: string[] }>().codes;
    for (const code of recoveryCodes) secrets.add(code);
    // Actions in a browser session carry the method the session was opened with.
    const byPerson = { targetId: person.id, actorId: person.id, authMethod: 'password' };
    await expectEvent('mfa.totp_enrolment_started', byPerson);
    await expectEvent('mfa.totp_enrolled', { ...byPerson, changes: { recoveryCodes: 10 } });

    // The enrolment code claimed its time step, so sign-in needs a later one (within ±1 step).
    const step = (ms: number) => Math.floor(ms / 30_000);
    const at = step(Date.now()) > step(enrolledAt) ? Date.now() : enrolledAt + 30_000;
    const first = await signIn(person.email, goodPassword);
    expect(first.json<{ status: string }>().status).toBe('mfa_required');
    const withTotp = await request(
      'POST',
      '/api/v1/auth/mfa',
      { cookie: pendingCookie(first) },
      { code: totpCodeAt(totpSecret, at) },
    );
    expect(withTotp.statusCode, withTotp.body).toBe(200);
    await expectEvent('auth.signed_in', {
      targetId: person.id,
      actorId: person.id,
      authMethod: 'password+totp',
    });

    const second = await signIn(person.email, goodPassword);
    const withRecovery = await request(
      'POST',
      '/api/v1/auth/mfa',
      { cookie: pendingCookie(second) },
      { recoveryCode: recoveryCodes[0] },
    );
    expect(withRecovery.statusCode, withRecovery.body).toBe(200);
    await expectEvent('auth.signed_in', {
      targetId: person.id,
      actorId: person.id,
      authMethod: 'password+recovery_code',
    });

    const removed = await request('DELETE', '/api/v1/me/mfa/totp', asSession(session), {
      password: goodPassword,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    await expectEvent('mfa.totp_removed', byPerson);
  });

  it('records an org security-policy change by the owner', async () => {
    const res = await request('PUT', '/api/v1/org/security-policy', bearer(owner), {
      mfaRequiredRoles: ['auditor'],
      sessionIdleMinutes: 30,
      sessionMaxHours: 8,
      allowedSignInMethods: ['password', 'passkey'],
    });
    expect(res.statusCode, res.body).toBe(200);
    const event = await expectEvent('org.security_policy_updated', {
      targetId: orgId,
      ...(await viaToken(owner)),
    });
    expect(JSON.stringify(event?.changes)).toContain('passkey');
  });

  it('records a passkey added, used to sign in, and removed', async () => {
    const authenticator = new SoftwareAuthenticator(rp);
    const options = await request('POST', '/api/v1/me/passkeys/options', asSession(session));
    expect(options.statusCode, options.body).toBe(200);
    const added = await request('POST', '/api/v1/me/passkeys', asSession(session), {
      name: 'Security key',
      credential: authenticator.register(options.json()),
    });
    expect(added.statusCode, added.body).toBe(201);
    const passkeyId = added.json<{ id: string }>().id;
    await expectEvent('passkey.registered', {
      targetId: passkeyId,
      actorId: person.id,
      authMethod: 'password',
    });

    const signInOptions = await request('POST', '/api/v1/auth/passkey/options', {}, {});
    expect(signInOptions.statusCode, signInOptions.body).toBe(200);
    const verified = await request(
      'POST',
      '/api/v1/auth/passkey/verify',
      { cookie: pendingCookie(signInOptions) },
      { credential: authenticator.authenticate(signInOptions.json()) },
    );
    expect(verified.statusCode, verified.body).toBe(200);
    await expectEvent('auth.signed_in', {
      targetId: person.id,
      actorId: person.id,
      authMethod: 'passkey',
    });

    const removed = await request(
      'DELETE',
      `/api/v1/me/passkeys/${passkeyId}`,
      asSession(session),
      {},
    );
    expect(removed.statusCode, removed.body).toBe(200);
    await expectEvent('passkey.removed', {
      targetId: passkeyId,
      actorId: person.id,
      authMethod: 'password',
    });
  });

  it('records a session revoked by its user and all sessions revoked by an admin', async () => {
    const other = keep(await signInSession(t, person.email));
    const listed = await request('GET', '/api/v1/sessions', { cookie: session.cookie });
    expect(listed.statusCode, listed.body).toBe(200);
    const otherId = listed
      .json<{ items: { id: string; isCurrent: boolean }[] }>()
      .items.find((s) => !s.isCurrent)?.id;
    expect(otherId).toBeDefined();
    const revoked = await request('DELETE', `/api/v1/sessions/${otherId}`, asSession(session));
    expect(revoked.statusCode, revoked.body).toBe(200);
    await expectEvent('session.revoked', {
      targetId: otherId ?? '',
      actorId: person.id,
      authMethod: 'password',
    });
    expect((await request('GET', '/api/v1/me', { cookie: other.cookie })).statusCode).toBe(401);

    const all = await request('DELETE', `/api/v1/users/${person.id}/sessions`, bearer(admin));
    expect(all.statusCode, all.body).toBe(200);
    await expectEvent('user.sessions_revoked', { targetId: person.id, ...(await viaToken(admin)) });
    expect((await request('GET', '/api/v1/me', { cookie: session.cookie })).statusCode).toBe(401);
  });

  it('records a role change by an admin', async () => {
    const res = await request('PATCH', `/api/v1/users/${person.id}`, bearer(admin), {
      role: 'security_manager',
    });
    expect(res.statusCode, res.body).toBe(200);
    const event = await expectEvent('user.updated', {
      targetId: person.id,
      ...(await viaToken(admin)),
    });
    expect(JSON.stringify(event?.changes)).toContain('security_manager');
  });

  it('records an API token created and revoked in a browser session', async () => {
    const ownerSession = keep(await signInSession(t, owner.email));
    const created = await request('POST', '/api/v1/tokens', asSession(ownerSession), {
      name: 'ci',
      expiresInDays: 7,
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token, secret } = created.json<{ token: { id: string }; secret: string }>();
    secrets.add(secret);
    await expectEvent('token.created', {
      targetId: token.id,
      actorId: owner.id,
      authMethod: 'password',
    });
    const revoked = await request('DELETE', `/api/v1/tokens/${token.id}`, asSession(ownerSession));
    expect(revoked.statusCode, revoked.body).toBe(200);
    await expectEvent('token.revoked', {
      targetId: token.id,
      actorId: owner.id,
      authMethod: 'password',
    });
  });

  it('records an account lock and its lifting by an admin', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await signIn(person.email, wrongPassword)).statusCode).toBe(401);
    }
    await expectEvent('auth.account_locked', {
      targetId: person.id,
      actorId: person.id,
      authMethod: 'password',
      changes: { after: 'password' },
    });
    const unlocked = await request('POST', `/api/v1/users/${person.id}/unlock`, bearer(admin));
    expect(unlocked.statusCode, unlocked.body).toBe(200);
    await expectEvent('user.unlocked', { targetId: person.id, ...(await viaToken(admin)) });
    expect((await signIn(person.email, goodPassword)).statusCode).toBe(200);
  });

  it('records a password reset by email link', async () => {
    const requested = await request(
      'POST',
      '/api/v1/auth/password-reset',
      {},
      {
        email: person.email,
      },
    );
    expect(requested.statusCode).toBe(202);
    await expectEvent('auth.password_reset_requested', {
      targetId: person.id,
      actorType: 'anonymous',
      authMethod: 'none',
    });
    const token = linkToken(await catcher.nextMailTo(person.email), '/reset-password');
    secrets.add(token);
    const confirmed = await request(
      'POST',
      '/api/v1/auth/password-reset/confirm',
      {},
      {
        token,
        password: resetPassword,
      },
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    await expectEvent('auth.password_reset', {
      targetId: person.id,
      actorId: person.id,
      authMethod: 'email_link',
    });
  });

  it('never writes a password, token secret, TOTP secret or recovery code to audit or logs', async () => {
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .selectAll()
      .where('org_id', '=', orgId)
      .execute();
    const audit = JSON.stringify(events);
    const logs = logLines.join('');
    expect(events.length).toBeGreaterThan(20);
    expect(logLines.length).toBeGreaterThan(20);
    expect(secrets.size).toBeGreaterThan(15);
    for (const secret of secrets) {
      expect(audit.includes(secret), `audit log holds a secret (${secret.length} chars)`).toBe(
        false,
      );
      expect(logs.includes(secret), `log lines hold a secret (${secret.length} chars)`).toBe(false);
    }
  });
});
