import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  goodPassword,
  seedOrg,
  seedUser,
  signInSession,
  type BrowserSession,
  type SeededUser,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { totpCodeAt } from './totp.ts';

let acceptedCode = '';
let t: TestApp;
let admin: SeededUser;
let owner: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  const orgId = await seedOrg(t, 'MFA Org');
  admin = await seedUser(t, orgId, 'admin');
  owner = await seedUser(t, orgId, 'owner');
});

afterAll(async () => {
  await t.close();
});

const stepMs = 30_000;

function hasOathtool(): boolean {
  try {
    execFileSync('oathtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | null {
  const header = res.headers['set-cookie'];
  const all = Array.isArray(header)
    ? (header as string[])
    : typeof header === 'string'
      ? [header]
      : [];
  const found = all.find((c) => c.startsWith(`${name}=`));
  return found ? (found.split(';')[0] ?? null) : null;
}

async function signIn(email: string, password = goodPassword) {
  return t.http.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password },
  });
}

async function verify(pending: string | null, payload: Record<string, string>) {
  return t.http.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa',
    headers: pending ? { cookie: pending } : {},
    payload,
  });
}

async function write(
  session: BrowserSession,
  method: 'POST' | 'DELETE' | 'PUT',
  url: string,
  payload?: unknown,
) {
  return t.http.inject({
    method,
    url,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function enrol(session: BrowserSession): Promise<{ secret: string; codes: string[] }> {
  const started = await write(session, 'POST', '/api/v1/me/mfa/totp');
  expect(started.statusCode, started.body).toBe(201);
  const { secret } = started.json<{ secret: string }>();
  const confirmed = await write(session, 'POST', '/api/v1/me/mfa/totp/confirm', {
    code: totpCodeAt(secret, Date.now()),
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { secret, codes: confirmed.json<{ codes: string[] }>().codes };
}

async function eventsFor(userId: string) {
  return t.pools.owner
    .selectFrom('audit_events')
    .select(['action', 'auth_method', 'changes'])
    .where('target_id', '=', userId)
    .orderBy('seq')
    .execute();
}

describe('TOTP enrolment and sign-in', () => {
  let user: SeededUser;
  let secret: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    user = await seedUser(t, admin.orgId, 'contributor');
  });

  it('starts enrolment with a secret, an otpauth URI and a QR code, sealed at rest', async () => {
    const session = await signInSession(t, user.email);
    const started = await write(session, 'POST', '/api/v1/me/mfa/totp');
    expect(started.statusCode, started.body).toBe(201);
    const body = started.json<{ secret: string; otpauthUri: string; qrCodeDataUrl: string }>();
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.otpauthUri).toContain(`secret=${body.secret}`);
    expect(body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Steward:/);
    expect(body.qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    const row = await t.pools.owner
      .selectFrom('mfa_totp')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.sealed_secret).toMatch(/^stw-enc-v1\./);
    expect(row.sealed_secret).not.toContain(body.secret);
    expect(row.confirmed_at).toBeNull();

    const valid = [-1, 0, 1].map((k) => totpCodeAt(body.secret, Date.now() + k * stepMs));
    const wrongCode = ['000000', '111111', '222222', '333333'].find((c) => !valid.includes(c));
    const wrong = await write(session, 'POST', '/api/v1/me/mfa/totp/confirm', { code: wrongCode });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ code: string }>().code).toBe('mfa.code_invalid');
    const bad = await write(session, 'POST', '/api/v1/me/mfa/totp/confirm', { code: '12ab' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('code');

    const confirmed = await write(session, 'POST', '/api/v1/me/mfa/totp/confirm', {
      code: totpCodeAt(body.secret, Date.now()),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    recoveryCodes = confirmed.json<{ codes: string[] }>().codes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    secret = body.secret;
    const status = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me/mfa',
      headers: { cookie: session.cookie },
    });
    expect(status.json()).toMatchObject({
      totp: { isEnabled: true },
      recoveryCodesRemaining: 10,
      isRequiredByPolicy: false,
    });
    const stored = await t.pools.owner
      .selectFrom('mfa_recovery_codes')
      .select('code_hash')
      .where('user_id', '=', user.id)
      .execute();
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]?.replaceAll('-', ''));
  });

  it.skipIf(!hasOathtool())(
    'generates the same codes as Debian oathtool (independent RFC 6238 implementation)',
    () => {
      const at = Date.UTC(2026, 0, 2, 3, 4, 5);
      const expected = execFileSync(
        'oathtool',
        ['--totp', '-b', '--now', '2026-01-02 03:04:05 UTC', secret],
        { encoding: 'utf8' },
      ).trim();
      expect(totpCodeAt(secret, at)).toBe(expected);
    },
  );

  it('asks for the second factor after a correct password, without a session', async () => {
    const res = await signIn(user.email);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'mfa_required',
      methods: ['totp', 'recovery_code'],
    });
    expect(cookieOf(res, 'steward_session')).toBeNull();
    const pending = cookieOf(res, 'steward_mfa_pending');
    expect(pending).not.toBeNull();
    const asSession = `steward_session=${pending?.split('=')[1] ?? ''}`;
    for (const cookie of [pending ?? '', asSession]) {
      const me = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
      expect(me.statusCode).toBe(401);
    }
  });

  it('completes sign-in with a TOTP code, rotating to a new session recorded as password+totp', async () => {
    const res = await signIn(user.email);
    const pending = cookieOf(res, 'steward_mfa_pending');
    acceptedCode = totpCodeAt(secret, Date.now() + stepMs);
    const done = await verify(pending, { code: acceptedCode });
    expect(done.statusCode, done.body).toBe(200);
    const cookie = cookieOf(done, 'steward_session');
    expect(cookie).not.toBeNull();
    const me = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: cookie ?? '' },
    });
    expect(me.statusCode).toBe(200);
    const session = await t.pools.owner
      .selectFrom('sessions')
      .select('auth_method')
      .where('user_id', '=', user.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(session.auth_method).toBe('password+totp');
    const events = await eventsFor(user.id);
    expect(events.at(-1)).toMatchObject({
      action: 'auth.signed_in',
      auth_method: 'password+totp',
      changes: { method: 'password+totp' },
    });
    const again = await verify(pending, { code: totpCodeAt(secret, Date.now() + stepMs) });
    expect(again.statusCode).toBe(401);
    expect(again.json<{ code: string }>().code).toBe('auth.mfa_challenge_invalid');
  });

  it('refuses a replayed code and audits the failure', async () => {
    const res = await signIn(user.email);
    // The very code accepted before: computing it again could land in the next time step.
    const replay = await verify(cookieOf(res, 'steward_mfa_pending'), { code: acceptedCode });
    expect(replay.statusCode).toBe(401);
    expect(replay.json<{ code: string }>().code).toBe('auth.mfa_code_invalid');
    expect(cookieOf(replay, 'steward_session')).toBeNull();
    expect((await eventsFor(user.id)).at(-1)).toMatchObject({
      action: 'auth.mfa_failed',
      changes: { method: 'totp', reason: 'wrong_code' },
    });
  });

  it('accepts a recovery code once', async () => {
    const code = (recoveryCodes[0] ?? '').toUpperCase();
    const first = await signIn(user.email);
    const ok = await verify(cookieOf(first, 'steward_mfa_pending'), { recoveryCode: code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await eventsFor(user.id)).at(-1)).toMatchObject({
      action: 'auth.signed_in',
      auth_method: 'password+recovery_code',
    });
    const second = await signIn(user.email);
    const reused = await verify(cookieOf(second, 'steward_mfa_pending'), { recoveryCode: code });
    expect(reused.statusCode).toBe(401);
    expect(reused.json<{ code: string }>().code).toBe('auth.mfa_code_invalid');
  });

  it('refuses a forged, missing or malformed pending sign-in', async () => {
    const forged = await verify('steward_mfa_pending=forged-value', { code: '123456' });
    expect(forged.statusCode).toBe(401);
    expect(forged.json<{ code: string }>().code).toBe('auth.mfa_challenge_invalid');
    const missing = await verify(null, { code: '123456' });
    expect(missing.json<{ code: string }>().code).toBe('auth.mfa_challenge_invalid');
    const both = await verify(null, { code: '123456', recoveryCode: 'abcd-efgh-ijkl-mnop' });
    expect(both.statusCode).toBe(400);
    expect(both.json<{ code: string }>().code).toBe('request.invalid');
  });

  it('removes TOTP only with the right password, and refuses API tokens', async () => {
    const res = await signIn(user.email);
    const done = await verify(cookieOf(res, 'steward_mfa_pending'), {
      recoveryCode: recoveryCodes[1] ?? '',
    });
    const session: BrowserSession = {
      cookie: cookieOf(done, 'steward_session') ?? '',
      csrfToken: done.json<{ csrfToken: string }>().csrfToken,
      setCookie: '',
    };
    const byToken = await t.http.inject({
      method: 'DELETE',
      url: '/api/v1/me/mfa/totp',
      headers: bearer(user),
      payload: { password: goodPassword },
    });
    expect(byToken.json<{ code: string }>().code).toBe('mfa.browser_only');
    const wrong = await write(session, 'DELETE', '/api/v1/me/mfa/totp', { password: 'nope' });
    expect(wrong.statusCode).toBe(401);
    const removed = await write(session, 'DELETE', '/api/v1/me/mfa/totp', {
      password: goodPassword,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const actions = (await eventsFor(user.id)).map((e) => e.action);
    expect(actions).toContain('mfa.totp_removed');
    expect(actions).toContain('mfa.totp_enrolled');
    expect(actions).toContain('mfa.totp_enrolment_started');
    const plain = await signIn(user.email);
    expect(cookieOf(plain, 'steward_session')).not.toBeNull();
  });
});

describe('lockout', () => {
  it('locks an account after 5 failures with the same answer, shows it to admins, who unlock it', async () => {
    const user = await seedUser(t, admin.orgId, 'auditor');
    const wrongAnswers: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await signIn(user.email, 'wrong-password-attempt');
      expect(res.statusCode).toBe(401);
      wrongAnswers.push(res.json<{ code: string }>().code);
    }
    const locked = await signIn(user.email);
    expect(locked.statusCode).toBe(401);
    const strip = (body: string) => {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      delete parsed.requestId;
      return parsed;
    };
    const wrong = await signIn('nobody-here@example.test', 'wrong-password-attempt');
    expect(strip(locked.body)).toEqual(strip(wrong.body));
    expect(locked.headers['retry-after']).toBeUndefined();
    const actions = (await eventsFor(user.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.sign_in_failed')).toHaveLength(6);
    expect(actions).toContain('auth.account_locked');

    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/users/security',
      headers: bearer(admin),
    });
    const entry = list
      .json<{ items: { userId: string; lockedUntil: string | null }[] }>()
      .items.find((i) => i.userId === user.id);
    expect(entry?.lockedUntil).not.toBeNull();

    const byAuditor = await t.http.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/unlock`,
      headers: bearer(user),
    });
    expect(byAuditor.statusCode).toBe(403);
    const unlocked = await t.http.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/unlock`,
      headers: bearer(admin),
    });
    expect(unlocked.statusCode, unlocked.body).toBe(200);
    expect(unlocked.json()).toMatchObject({
      userId: user.id,
      lockedUntil: null,
      failedAttempts: 0,
    });
    expect((await eventsFor(user.id)).map((e) => e.action)).toContain('user.unlocked');
    expect((await signIn(user.email)).statusCode).toBe(200);
  });

  it('answers 404 when unlocking an unknown user', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users/00000000-0000-4000-8000-000000000000/unlock',
      headers: bearer(admin),
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('org security policy', () => {
  it('lets the owner change it (audited), not an admin, and refuses bad input with field paths', async () => {
    const policy = {
      mfaRequiredRoles: ['owner', 'admin'],
      sessionIdleMinutes: 30,
      sessionMaxHours: 8,
      allowedSignInMethods: ['password'],
    };
    const byAdmin = await t.http.inject({
      method: 'PUT',
      url: '/api/v1/org/security-policy',
      headers: bearer(admin),
      payload: policy,
    });
    expect(byAdmin.statusCode).toBe(403);
    const bad = await t.http.inject({
      method: 'PUT',
      url: '/api/v1/org/security-policy',
      headers: bearer(owner),
      payload: { ...policy, sessionIdleMinutes: 1, allowedSignInMethods: ['sso'] },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['sessionIdleMinutes', 'allowedSignInMethods']));
    const ok = await t.http.inject({
      method: 'PUT',
      url: '/api/v1/org/security-policy',
      headers: bearer(owner),
      payload: policy,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject(policy);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'org.security_policy_updated')
      .executeTakeFirstOrThrow();
    expect(event.changes).toMatchObject({ sessionIdleMinutes: { to: 30 } });
    const read = await t.http.inject({
      method: 'GET',
      url: '/api/v1/org/security-policy',
      headers: bearer(admin),
    });
    expect(read.json()).toMatchObject(policy);
  });

  it('sends a user whose role needs MFA to enrolment before anything else', async () => {
    const user = await seedUser(t, admin.orgId, 'admin');
    const res = await signIn(user.email);
    expect(res.json()).toMatchObject({ mfaEnrolmentRequired: true });
    const session: BrowserSession = {
      cookie: cookieOf(res, 'steward_session') ?? '',
      csrfToken: res.json<{ csrfToken: string }>().csrfToken,
      setCookie: '',
    };
    const row = await t.pools.owner
      .selectFrom('sessions')
      .select(['idle_timeout_minutes', 'expires_at', 'mfa_enrolment_required'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row.idle_timeout_minutes).toBe(30);
    expect(row.mfa_enrolment_required).toBe(true);
    expect(row.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(8 * 3_600_000);
    const users = await t.http.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie: session.cookie },
    });
    expect(users.statusCode).toBe(403);
    expect(users.json<{ code: string }>().code).toBe('auth.mfa_enrolment_required');
    const me = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: session.cookie },
    });
    expect(me.json()).toMatchObject({ mfaEnrolmentRequired: true });
    const byToken = await t.http.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: bearer(user),
    });
    expect(byToken.statusCode).toBe(200);

    const { secret } = await enrol(session);
    const after = await t.http.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie: session.cookie },
    });
    expect(after.statusCode).toBe(200);
    const remove = await write(session, 'DELETE', '/api/v1/me/mfa/totp', {
      code: totpCodeAt(secret, Date.now() + stepMs),
    });
    expect(remove.statusCode).toBe(409);
    expect(remove.json<{ code: string }>().code).toBe('mfa.required_by_policy');
  });
});
