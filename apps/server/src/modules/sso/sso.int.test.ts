import type { Role } from '@steward/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { startTestIdp, type TestIdp } from '../../../test/oidc-idp.ts';

let t: TestApp;
let idp: TestIdp;
let orgId: string;
let owner: SeededUser;
let admin: SeededUser;
let contributor: SeededUser;

function ssoBody(overrides: Record<string, unknown> = {}) {
  return {
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    isEnabled: true,
    provisioning: 'jit',
    defaultRole: 'contributor' as Role,
    allowedDomains: ['corp.test'],
    ...overrides,
  };
}

function putSso(user: SeededUser, payload: Record<string, unknown>) {
  return t.http.inject({ method: 'PUT', url: '/api/v1/org/sso', headers: bearer(user), payload });
}

function putPolicy(payload: Record<string, unknown>) {
  return t.http.inject({
    method: 'PUT',
    url: '/api/v1/org/security-policy',
    headers: bearer(owner),
    payload: {
      mfaRequiredRoles: [],
      sessionIdleMinutes: 60,
      sessionMaxHours: 12,
      allowedSignInMethods: ['password', 'sso'],
      ...payload,
    },
  });
}

async function startSso(body: Record<string, unknown> = { orgId }) {
  const res = await t.http.inject({ method: 'POST', url: '/api/v1/auth/sso/start', payload: body });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  return { authorizationUrl: res.json<{ authorizationUrl: string }>().authorizationUrl, cookie };
}

async function callback(url: URL, cookie: string) {
  const res = await t.http.inject({
    method: 'GET',
    url: url.pathname + url.search,
    headers: { cookie },
  });
  expect(res.statusCode, res.body).toBe(302);
  const setCookie = [res.headers['set-cookie'] ?? []].flat();
  return {
    location: String(res.headers.location),
    sessionCookie: setCookie.find((c) => c.startsWith('steward_session='))?.split(';')[0],
  };
}

async function signInWithSso(accountId: string, options: { amr?: string[]; acr?: string } = {}) {
  idp.nextLogin = { accountId, ...options };
  const { authorizationUrl, cookie } = await startSso();
  return callback(await idp.authorize(authorizationUrl), cookie);
}

async function lastEvent(action: string) {
  return t.pools.owner
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('action', '=', action)
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await createTestApp();
  idp = await startTestIdp(new URL('/api/v1/auth/sso/callback', t.config.publicUrl).href);
  orgId = await seedOrg(t);
  owner = await seedUser(t, orgId, 'owner');
  admin = await seedUser(t, orgId, 'admin');
  contributor = await seedUser(t, orgId, 'contributor');
  idp.accounts.set('alice', { email: 'alice@corp.test', email_verified: true, name: 'Alice' });
  idp.accounts.set('eve', { email: 'eve@corp.test', email_verified: false, name: 'Eve' });
  idp.accounts.set('bob', { email: 'bob@corp.test', email_verified: true, name: 'Bob' });
});

afterAll(async () => {
  await idp.close();
  await t.close();
});

describe('SSO configuration', () => {
  it('is refused to admins (org.manage) and checks input with field paths', async () => {
    expect((await putSso(admin, ssoBody())).statusCode).toBe(403);
    const bad = await putSso(owner, ssoBody({ issuer: 'not a url', defaultRole: 'owner' }));
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['issuer', 'defaultRole']));
  });

  it('answers 502 with a clear problem when discovery fails at the issuer', async () => {
    const res = await putSso(owner, ssoBody({ issuer: 'http://127.0.0.1:9/' }));
    expect(res.statusCode).toBe(502);
    expect(res.json<{ code: string }>().code).toBe('sso.discovery_failed');
  });

  it('seals the client secret and never returns it', async () => {
    const res = await putSso(owner, ssoBody());
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain(idp.clientSecret);
    expect(res.json<{ config: { isClientSecretSet: boolean } }>().config.isClientSecretSet).toBe(
      true,
    );
    const get = await t.http.inject({
      method: 'GET',
      url: '/api/v1/org/sso',
      headers: bearer(owner),
    });
    expect(get.body).not.toContain(idp.clientSecret);
    const row = await t.pools.owner
      .selectFrom('oidc_configs')
      .selectAll()
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(row.sealed_client_secret).toMatch(/^stw-enc-v1\./);
    expect(row.sealed_client_secret).not.toContain(idp.clientSecret);
    const keep = await putSso(owner, ssoBody({ clientSecret: undefined }));
    expect(keep.statusCode, keep.body).toBe(200);
    const audit = await lastEvent('org.sso_updated');
    expect(JSON.stringify(audit.changes)).not.toContain(idp.clientSecret);
  });

  it('refuses SSO sign-in until the policy allows it', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sso/start',
      payload: { orgId },
    });
    expect(res.json<{ code: string }>().code).toBe('auth.method_not_allowed');
    expect((await putPolicy({})).statusCode).toBe(200);
  });
});

describe('SSO sign-in through a real OpenID provider', () => {
  it('provisions a new user just in time and records amr/acr', async () => {
    const result = await signInWithSso('alice', { amr: ['pwd', 'mfa'], acr: 'urn:test:loa:2' });
    expect(result.location).toBe('/');
    expect(result.sessionCookie).toBeDefined();
    const me = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: result.sessionCookie ?? '' },
    });
    expect(me.json<{ user: { email: string; role: string } }>().user).toMatchObject({
      email: 'alice@corp.test',
      role: 'contributor',
    });
    const event = await lastEvent('auth.signed_in');
    expect(event.auth_method).toBe('sso');
    expect(event.changes).toMatchObject({
      method: 'sso',
      amr: ['pwd', 'mfa'],
      acr: 'urn:test:loa:2',
    });
    const session = await t.pools.owner
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.auth_method', 'sessions.idp_amr', 'sessions.idp_acr'])
      .where('users.email', '=', 'alice@corp.test')
      .executeTakeFirstOrThrow();
    expect(session).toEqual({
      auth_method: 'sso',
      idp_amr: ['pwd', 'mfa'],
      idp_acr: 'urn:test:loa:2',
    });
  });

  it('starts from a work email domain too', async () => {
    const { authorizationUrl } = await startSso({ email: 'someone@corp.test' });
    expect(authorizationUrl).toContain('code_challenge_method=S256');
    const unknown = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sso/start',
      payload: { email: 'someone@elsewhere.test' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses a wrong state and a replayed callback', async () => {
    idp.nextLogin = { accountId: 'alice' };
    const { authorizationUrl, cookie } = await startSso();
    const url = await idp.authorize(authorizationUrl);
    const forged = new URL(url);
    forged.searchParams.set('state', 'forged-state');
    expect((await callback(forged, cookie)).location).toBe(
      '/sign-in?sso_error=auth.sso_state_invalid',
    );
    expect((await callback(url, cookie)).location).toBe('/');
    const replay = await callback(url, cookie);
    expect(replay.location).toBe('/sign-in?sso_error=auth.sso_state_invalid');
    expect(replay.sessionCookie).toBeUndefined();
  });

  it('refuses a callback in another browser (no login CSRF)', async () => {
    idp.nextLogin = { accountId: 'alice' };
    const { authorizationUrl } = await startSso();
    const result = await callback(await idp.authorize(authorizationUrl), 'steward_sso=other');
    expect(result.location).toBe('/sign-in?sso_error=auth.sso_state_invalid');
  });

  it('refuses an id token with a wrong nonce', async () => {
    idp.nextLogin = { accountId: 'alice' };
    const { authorizationUrl, cookie } = await startSso();
    const tampered = new URL(authorizationUrl);
    tampered.searchParams.set('nonce', 'not-the-nonce-steward-kept');
    const result = await callback(await idp.authorize(tampered.href), cookie);
    expect(result.location).toBe('/sign-in?sso_error=auth.sso_failed');
    expect(result.sessionCookie).toBeUndefined();
    expect((await lastEvent('auth.sign_in_failed')).changes).toMatchObject({ method: 'sso' });
  });

  it('refuses an expired id token', async () => {
    idp.idTokenTtlSeconds = -120;
    try {
      const result = await signInWithSso('alice');
      expect(result.location).toBe('/sign-in?sso_error=auth.sso_failed');
      expect(result.sessionCookie).toBeUndefined();
    } finally {
      idp.idTokenTtlSeconds = 300;
    }
  });

  it('refuses an unverified email with an audit event and no session', async () => {
    const result = await signInWithSso('eve');
    expect(result.location).toBe('/sign-in?sso_error=auth.sso_email_unverified');
    expect(result.sessionCookie).toBeUndefined();
    expect((await lastEvent('auth.sign_in_failed')).changes).toMatchObject({
      method: 'sso',
      reason: 'email_unverified',
      email: 'eve@corp.test',
    });
    const users = await t.pools.owner
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'eve@corp.test')
      .execute();
    expect(users).toEqual([]);
  });

  it('refuses unknown people when the org is invite-only', async () => {
    expect(
      (await putSso(owner, ssoBody({ provisioning: 'invite_only', clientSecret: undefined })))
        .statusCode,
    ).toBe(200);
    const result = await signInWithSso('bob');
    expect(result.location).toBe('/sign-in?sso_error=auth.sso_user_unknown');
    expect((await signInWithSso('alice')).location).toBe('/');
  });
});

describe('policy: SSO required with a break-glass owner', () => {
  it('needs a break-glass owner, then refuses password sign-in to everyone else', async () => {
    const missing = await putPolicy({ ssoRequired: true });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ errors: { path: string }[] }>().errors.map((e) => e.path)).toContain(
      'breakGlassOwnerId',
    );
    const notOwner = await putPolicy({ ssoRequired: true, breakGlassOwnerId: admin.id });
    expect(notOwner.statusCode).toBe(400);
    const ok = await putPolicy({ ssoRequired: true, breakGlassOwnerId: owner.id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ssoRequired: true, breakGlassOwnerId: owner.id });

    const refused = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: contributor.email, password: 'correct-lantern-meadow-42' },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ code: string }>().code).toBe('auth.sso_required');
    const breakGlass = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: owner.email, password: 'correct-lantern-meadow-42' },
    });
    expect(breakGlass.statusCode, breakGlass.body).toBe(200);

    const remove = await t.http.inject({
      method: 'DELETE',
      url: '/api/v1/org/sso',
      headers: bearer(owner),
    });
    expect(remove.json<{ code: string }>().code).toBe('sso.required_by_policy');
    expect((await signInWithSso('alice')).location).toBe('/');
  });
});
