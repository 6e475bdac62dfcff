import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  goodPassword,
  seedOrg,
  seedUser,
  signInSession,
  asSession,
  type BrowserSession,
  type SeededUser,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { SoftwareAuthenticator } from '../../../test/software-authenticator.ts';

let t: TestApp;
let orgId: string;
let owner: SeededUser;
const rp = { origin: 'http://localhost:8080', rpId: 'localhost' };

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: rp.origin });
  orgId = await seedOrg(t, 'Passkey Org');
  owner = await seedUser(t, orgId, 'owner');
});

afterAll(async () => {
  await t.close();
});

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | null {
  const header = res.headers['set-cookie'];
  const all = Array.isArray(header)
    ? (header as string[])
    : typeof header === 'string'
      ? [header]
      : [];
  const found = all.find((c) => c.startsWith(`${name}=`) && !c.startsWith(`${name}=;`));
  return found ? (found.split(';')[0] ?? null) : null;
}

function post(url: string, payload: unknown, headers: Record<string, string> = {}) {
  return t.http.inject({
    method: 'POST',
    url,
    headers,
    payload: payload as Record<string, unknown>,
  });
}

async function events(userId: string, action: string) {
  return t.pools.owner
    .selectFrom('audit_events')
    .select(['action', 'auth_method', 'changes'])
    .where('action', '=', action)
    .where((eb) => eb.or([eb('target_id', '=', userId), eb('actor_id', '=', userId)]))
    .orderBy('seq')
    .execute();
}

async function register(
  session: BrowserSession,
  authenticator: SoftwareAuthenticator,
  name: string,
) {
  const options = await post('/api/v1/me/passkeys/options', undefined, asSession(session));
  expect(options.statusCode, options.body).toBe(200);
  const answer = authenticator.register(options.json());
  return post('/api/v1/me/passkeys', { name, credential: answer }, asSession(session));
}

async function passkeyOptions(step: 'sign_in' | 'second_factor' = 'sign_in', cookie?: string) {
  const res = await post('/api/v1/auth/passkey/options', { step }, cookie ? { cookie } : {});
  expect(res.statusCode, res.body).toBe(200);
  return {
    options: res.json<{ challenge: string }>(),
    cookie: cookieOf(res, 'steward_passkey_pending'),
  };
}

async function allowPasskeys(methods: string[]) {
  const session = await signInSession(t, owner.email);
  const res = await t.http.inject({
    method: 'PUT',
    url: '/api/v1/org/security-policy',
    headers: asSession(session),
    payload: {
      mfaRequiredRoles: [],
      sessionIdleMinutes: 60,
      sessionMaxHours: 12,
      allowedSignInMethods: methods,
    },
  });
  expect(res.statusCode, res.body).toBe(200);
}

describe('passkey registration and management', () => {
  let user: SeededUser;
  let session: BrowserSession;
  const authenticator = new SoftwareAuthenticator(rp);

  beforeAll(async () => {
    user = await seedUser(t, orgId, 'contributor');
    session = await signInSession(t, user.email);
  });

  it('registers a passkey and lists it without key material', async () => {
    const res = await register(session, authenticator, 'Laptop');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'Laptop',
      transports: ['internal'],
      lastUsedAt: null,
    });
    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me/passkeys',
      headers: asSession(session),
    });
    expect(list.json<{ items: { name: string }[] }>().items.map((p) => p.name)).toEqual(['Laptop']);
    expect(list.body).not.toContain('public');
    const [event] = await events(user.id, 'passkey.registered');
    expect(event?.changes).toMatchObject({ name: 'Laptop', userId: user.id });
  });

  it('registers several passkeys', async () => {
    const res = await register(session, new SoftwareAuthenticator(rp), 'Phone');
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses a reused registration challenge', async () => {
    const options = await post('/api/v1/me/passkeys/options', undefined, asSession(session));
    const answer = new SoftwareAuthenticator(rp).register(options.json());
    const first = await post(
      '/api/v1/me/passkeys',
      { name: 'Key', credential: answer },
      asSession(session),
    );
    expect(first.statusCode, first.body).toBe(201);
    const again = await post(
      '/api/v1/me/passkeys',
      { name: 'Key', credential: answer },
      asSession(session),
    );
    expect(again.statusCode).toBe(400);
    expect(again.json<{ code: string }>().code).toBe('passkey.challenge_invalid');
  });

  it('refuses and audits an answer made for another origin, or without user verification', async () => {
    for (const tamper of [
      { origin: 'https://evil.example' },
      { isUserVerified: false },
      { rpId: 'evil.example' },
    ]) {
      const options = await post('/api/v1/me/passkeys/options', undefined, asSession(session));
      const answer = new SoftwareAuthenticator(rp).register(options.json(), tamper);
      const res = await post(
        '/api/v1/me/passkeys',
        { name: 'Forged', credential: answer },
        asSession(session),
      );
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({
        code: 'passkey.invalid_response',
        errors: [{ path: 'credential' }],
      });
    }
    expect(await events(user.id, 'auth.passkey_failed')).toHaveLength(3);
  });

  it('answers bad input with field paths, and refuses API tokens', async () => {
    const bad = await post(
      '/api/v1/me/passkeys',
      { name: '', credential: { id: '!' } },
      asSession(session),
    );
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'credential.id']));
    const token = await post('/api/v1/me/passkeys/options', undefined, bearer(user));
    expect(token.json<{ code: string }>().code).toBe('mfa.browser_only');
  });

  it('renames a passkey, and finds no passkey of someone else', async () => {
    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me/passkeys',
      headers: asSession(session),
    });
    const id = list.json<{ items: { id: string }[] }>().items[0]?.id ?? '';
    const res = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/me/passkeys/${id}`,
      headers: asSession(session),
      payload: { name: 'Work laptop' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ name: string }>().name).toBe('Work laptop');
    expect(await events(user.id, 'passkey.renamed')).toHaveLength(1);
    const other = await signInSession(t, owner.email);
    const foreign = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/me/passkeys/${id}`,
      headers: asSession(other),
      payload: { name: 'Mine now' },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('removes a passkey after a recent sign-in, and asks for the password later', async () => {
    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me/passkeys',
      headers: asSession(session),
    });
    const [first, second] = list.json<{ items: { id: string }[] }>().items;
    const recent = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/me/passkeys/${first?.id ?? ''}`,
      headers: asSession(session),
      payload: {},
    });
    expect(recent.statusCode, recent.body).toBe(200);
    await t.pools.owner
      .updateTable('sessions')
      .set({ created_at: new Date(Date.now() - 3_600_000) } as never)
      .where('user_id', '=', user.id)
      .execute();
    const url = `/api/v1/me/passkeys/${second?.id ?? ''}`;
    const stale = await t.http.inject({
      method: 'DELETE',
      url,
      headers: asSession(session),
      payload: {},
    });
    expect(stale.statusCode).toBe(403);
    expect(stale.json<{ code: string }>().code).toBe('passkey.reauthentication_required');
    const wrong = await t.http.inject({
      method: 'DELETE',
      url,
      headers: asSession(session),
      payload: { password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await t.http.inject({
      method: 'DELETE',
      url,
      headers: asSession(session),
      payload: { password: goodPassword },
    });
    expect(right.statusCode, right.body).toBe(200);
    const removed = await events(user.id, 'passkey.removed');
    expect(removed.map((e) => (e.changes as { proof: string }).proof)).toEqual([
      'recent_sign_in',
      'password',
    ]);
  });
});

describe('signing in with a passkey', () => {
  let user: SeededUser;
  const authenticator = new SoftwareAuthenticator(rp);

  beforeAll(async () => {
    user = await seedUser(t, orgId, 'admin');
    const session = await signInSession(t, user.email);
    expect((await register(session, authenticator, 'Laptop')).statusCode).toBe(201);
  });

  async function signIn(
    tamper = {},
    reuse?: { cookie: string | null; options: { challenge: string } },
  ) {
    const { options, cookie } = reuse ?? (await passkeyOptions());
    const credential = authenticator.authenticate(options, tamper);
    return post('/api/v1/auth/passkey/verify', { credential }, cookie ? { cookie } : {});
  }

  it('is refused while the policy does not allow passkey sign-in', async () => {
    const res = await signIn();
    expect(res.statusCode).toBe(403);
    expect(res.json<{ code: string }>().code).toBe('auth.passkey_not_allowed');
    expect(cookieOf(res, 'steward_session')).toBeNull();
    const [event] = await events(user.id, 'auth.passkey_failed');
    expect(event?.changes).toMatchObject({ reason: 'method_not_allowed' });
  });

  it('signs in without a username once allowed, as multi-factor, audited with method passkey', async () => {
    await allowPasskeys(['password', 'passkey']);
    const res = await signIn();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ user: { id: string } }>().user.id).toBe(user.id);
    expect(cookieOf(res, 'steward_session')).not.toBeNull();
    const [event] = await events(user.id, 'auth.signed_in').then((e) => e.slice(-1));
    expect(event).toMatchObject({ auth_method: 'passkey', changes: { method: 'passkey' } });
  });

  it('refuses a reused challenge', async () => {
    const first = await passkeyOptions();
    expect((await signIn({}, first)).statusCode).toBe(200);
    const again = await signIn({}, first);
    expect(again.statusCode).toBe(400);
    expect(again.json<{ code: string }>().code).toBe('passkey.challenge_invalid');
  });

  it('refuses forged answers with an audit event and no session', async () => {
    const before = (await events(user.id, 'auth.passkey_failed')).length;
    const wrongOrigin = await signIn({ origin: 'https://evil.example' });
    const noUv = await signIn({ isUserVerified: false });
    const { options, cookie } = await passkeyOptions();
    const forged = authenticator.authenticate(options);
    forged.response.signature = Buffer.from('forged').toString('base64url');
    const badSignature = await post(
      '/api/v1/auth/passkey/verify',
      { credential: forged },
      cookie ? { cookie } : {},
    );
    for (const res of [wrongOrigin, noUv, badSignature]) {
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json<{ code: string }>().code).toBe('auth.passkey_invalid');
      expect(cookieOf(res, 'steward_session')).toBeNull();
    }
    const failures = await events(user.id, 'auth.passkey_failed');
    expect(failures.length - before).toBe(3);
    await t.pools.owner.deleteFrom('user_lockouts').where('user_id', '=', user.id).execute();
  });

  it('refuses a counter that goes backwards, and audits it', async () => {
    const res = await signIn({ counter: 1 });
    expect(res.statusCode).toBe(401);
    const last = (await events(user.id, 'auth.passkey_failed')).at(-1);
    expect(last?.changes).toMatchObject({ reason: 'counter_regression' });
    authenticator.counter = 100;
    expect((await signIn()).statusCode).toBe(200);
  });

  it('refuses unknown credentials and a missing challenge cookie', async () => {
    const { options, cookie } = await passkeyOptions();
    const stranger = new SoftwareAuthenticator(rp).authenticate(options);
    const unknown = await post(
      '/api/v1/auth/passkey/verify',
      { credential: stranger },
      cookie ? { cookie } : {},
    );
    expect(unknown.json<{ code: string }>().code).toBe('auth.passkey_invalid');
    const noCookie = await post('/api/v1/auth/passkey/verify', {
      credential: authenticator.authenticate(options),
    });
    expect(noCookie.json<{ code: string }>().code).toBe('passkey.challenge_invalid');
  });

  it('locks the account after repeated failures, like wrong passwords', async () => {
    for (let i = 0; i < 5; i += 1) await signIn({ origin: 'https://evil.example' });
    const locked = await signIn();
    expect(locked.statusCode).toBe(401);
    expect(await events(user.id, 'auth.account_locked')).not.toHaveLength(0);
    await t.pools.owner.deleteFrom('user_lockouts').where('user_id', '=', user.id).execute();
  });

  it('completes a password sign-in as the second factor', async () => {
    const password = await post('/api/v1/auth/sign-in', {
      email: user.email,
      password: goodPassword,
    });
    expect(password.json()).toMatchObject({ status: 'mfa_required', methods: ['passkey'] });
    const pending = cookieOf(password, 'steward_mfa_pending') ?? '';
    const { options } = await passkeyOptions('second_factor', pending);
    const credential = authenticator.authenticate(options);
    const res = await post('/api/v1/auth/mfa/passkey', { credential }, { cookie: pending });
    expect(res.statusCode, res.body).toBe(200);
    const [event] = await events(user.id, 'auth.signed_in').then((e) => e.slice(-1));
    expect(event?.auth_method).toBe('password+passkey');
    const replay = await post('/api/v1/auth/mfa/passkey', { credential }, { cookie: pending });
    expect(replay.statusCode).toBe(401);
  });

  it('refuses a second factor without a pending sign-in', async () => {
    const res = await post('/api/v1/auth/passkey/options', { step: 'second_factor' });
    expect(res.json<{ code: string }>().code).toBe('auth.mfa_challenge_invalid');
  });
});
