import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { startTestIdp, type TestIdp } from '../../../test/oidc-idp.ts';
import { totpCodeAt } from '../mfa/totp.ts';

let t: TestApp;
let idp: TestIdp;
let orgId: string;
let owner: SeededUser;
const stepMs = 30_000;
const email = 'carol@corp.test';

function setCookies(res: { headers: Record<string, unknown> }): string[] {
  return [res.headers['set-cookie'] ?? []].flat().map(String);
}

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  return setCookies(res)
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];
}

/** SSO through the real in-process provider; the IdP reports a password only (no MFA there). */
async function signInWithSso() {
  idp.nextLogin = { accountId: 'carol', amr: ['pwd'] };
  const start = await t.http.inject({
    method: 'POST',
    url: '/api/v1/auth/sso/start',
    payload: { orgId },
  });
  expect(start.statusCode, start.body).toBe(200);
  const url = await idp.authorize(start.json<{ authorizationUrl: string }>().authorizationUrl);
  const res = await t.http.inject({
    method: 'GET',
    url: url.pathname + url.search,
    headers: { cookie: String(start.headers['set-cookie']).split(';')[0] ?? '' },
  });
  expect(res.statusCode, res.body).toBe(302);
  return {
    location: String(res.headers.location),
    session: cookieOf(res, 'steward_session'),
    pending: cookieOf(res, 'steward_mfa_pending'),
  };
}

async function completeMfa(pending: string | undefined, payload: Record<string, string>) {
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa',
    headers: { cookie: pending ?? '' },
    payload,
  });
  expect(res.statusCode, res.body).toBe(200);
  return cookieOf(res, 'steward_session') ?? '';
}

async function methodOf(sessionCookie: string): Promise<{ session: string; event: string }> {
  const me = await t.http.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { cookie: sessionCookie },
  });
  const userId = me.json<{ user: { id: string } }>().user.id;
  const session = await t.pools.owner
    .selectFrom('sessions')
    .select('auth_method')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  const event = await t.pools.owner
    .selectFrom('audit_events')
    .select(['auth_method', 'changes'])
    .where('target_id', '=', userId)
    .where('action', '=', 'auth.signed_in')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  expect(event.changes).toEqual({ method: event.auth_method });
  return { session: session.auth_method, event: event.auth_method };
}

beforeAll(async () => {
  t = await createTestApp();
  idp = await startTestIdp(new URL('/api/v1/auth/sso/callback', t.config.publicUrl).href);
  orgId = await seedOrg(t);
  owner = await seedUser(t, orgId, 'owner');
  idp.accounts.set('carol', { email, email_verified: true, name: 'Carol' });
  const sso = await t.http.inject({
    method: 'PUT',
    url: '/api/v1/org/sso',
    headers: bearer(owner),
    payload: {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      isEnabled: true,
      provisioning: 'jit',
      defaultRole: 'contributor',
      allowedDomains: ['corp.test'],
    },
  });
  expect(sso.statusCode, sso.body).toBe(200);
  const policy = await t.http.inject({
    method: 'PUT',
    url: '/api/v1/org/security-policy',
    headers: bearer(owner),
    payload: {
      mfaRequiredRoles: [],
      sessionIdleMinutes: 60,
      sessionMaxHours: 12,
      allowedSignInMethods: ['password', 'sso'],
    },
  });
  expect(policy.statusCode, policy.body).toBe(200);
});

afterAll(async () => {
  await idp.close();
  await t.close();
});

describe('the method recorded when MFA completes an SSO sign-in', () => {
  let secret = '';
  let recoveryCodes: string[] = [];

  it('enrols TOTP for a user provisioned by SSO', async () => {
    const first = await signInWithSso();
    expect(first.location).toBe('/');
    const cookie = first.session ?? '';
    const me = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    const headers = { cookie, 'x-csrf-token': me.json<{ csrfToken: string }>().csrfToken };
    const started = await t.http.inject({ method: 'POST', url: '/api/v1/me/mfa/totp', headers });
    expect(started.statusCode, started.body).toBe(201);
    secret = started.json<{ secret: string }>().secret;
    const confirmed = await t.http.inject({
      method: 'POST',
      url: '/api/v1/me/mfa/totp/confirm',
      headers,
      payload: { code: totpCodeAt(secret, Date.now()) },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    recoveryCodes = confirmed.json<{ codes: string[] }>().codes;
  });

  it('records sso+totp after a TOTP code', async () => {
    const sso = await signInWithSso();
    expect(sso.location).toBe('/sign-in/mfa');
    expect(sso.session).toBeUndefined();
    const challenge = await t.pools.owner
      .selectFrom('sign_in_challenges')
      .select('first_factor')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(challenge.first_factor).toBe('sso');
    const session = await completeMfa(sso.pending, {
      code: totpCodeAt(secret, Date.now() + stepMs),
    });
    expect(await methodOf(session)).toEqual({ session: 'sso+totp', event: 'sso+totp' });
  });

  it('records sso+recovery_code after a recovery code', async () => {
    const sso = await signInWithSso();
    const session = await completeMfa(sso.pending, { recoveryCode: recoveryCodes[0] ?? '' });
    expect(await methodOf(session)).toEqual({
      session: 'sso+recovery_code',
      event: 'sso+recovery_code',
    });
  });
});
