import { accountFailureLimit } from '../lockout/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  goodPassword,
  seedOrg,
  seedUser,
  signInSession,
  type BrowserSession,
  type SeededUser,
  asSession,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let orgId: string;
const newPassword = 'amber-quarry-lantern-58';

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Larkspur Works');
});

afterAll(async () => {
  await t.close();
});

function changePassword(
  headers: Record<string, string>,
  payload: { currentPassword: string; newPassword: string },
) {
  return t.http.inject({ method: 'PUT', url: '/api/v1/me/password', headers, payload });
}

async function isAlive(s: BrowserSession): Promise<boolean> {
  const res = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers: asSession(s) });
  return res.statusCode === 200;
}

function signInStatus(email: string, password: string) {
  return t.http
    .inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } })
    .then((res) => res.statusCode);
}

async function eventsFor(action: string, targetId: string) {
  return t.pools.owner
    .selectFrom('audit_events')
    .select(['actor_type', 'actor_id', 'auth_method', 'changes'])
    .where('action', '=', action)
    .where('target_id', '=', targetId)
    .orderBy('seq')
    .execute();
}

describe('changing your own password', () => {
  let alice: SeededUser;

  beforeAll(async () => {
    alice = await seedUser(t, orgId, 'contributor');
  });

  it('sets the new password, ends the other sessions, keeps this one, and audits', async () => {
    const current = await signInSession(t, alice.email);
    const other = await signInSession(t, alice.email);
    const res = await changePassword(asSession(current), {
      currentPassword: goodPassword,
      newPassword,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ok: true, sessionsRevoked: 1 });

    expect(await isAlive(current)).toBe(true);
    expect(await isAlive(other)).toBe(false);
    expect(await signInStatus(alice.email, goodPassword)).toBe(401);
    expect(await signInStatus(alice.email, newPassword)).toBe(200);

    expect(await eventsFor('auth.password_changed', alice.id)).toEqual([
      {
        actor_type: 'user',
        actor_id: alice.id,
        auth_method: 'password',
        changes: { sessionsRevoked: 1 },
      },
    ]);
    const audit = await t.pools.owner.selectFrom('audit_events').select('changes').execute();
    expect(JSON.stringify(audit)).not.toContain(newPassword);
    expect(JSON.stringify(audit)).not.toContain(goodPassword);
  });
});

describe('refusals', () => {
  let bob: SeededUser;
  let session: BrowserSession;

  beforeAll(async () => {
    bob = await seedUser(t, orgId, 'employee');
    session = await signInSession(t, bob.email);
  });

  it.each([
    ['too short', 'short-pw', 'request.invalid'],
    ['common', 'qwertyuiop123', 'auth.weak_password'],
    ['containing the email', 'BOBX-is-me-truly', 'auth.weak_password'],
    ['containing the org name', 'my larkspur works pass', 'auth.weak_password'],
    ['the current one', goodPassword, 'password.unchanged'],
  ])('refuses a new password that is %s with a newPassword field error', async (_, pw, code) => {
    const candidate = pw.replace('BOBX', bob.email.split('@')[0] ?? '');
    const res = await changePassword(asSession(session), {
      currentPassword: goodPassword,
      newPassword: candidate,
    });
    expect(res.statusCode, res.body).toBe(400);
    const problem = res.json<{ code: string; errors: { path: string }[] }>();
    expect(problem.code).toBe(code);
    expect(problem.errors.map((e) => e.path)).toEqual(['newPassword']);
    expect(await signInStatus(bob.email, goodPassword)).toBe(200);
  });

  it('refuses unknown fields', async () => {
    const res = await t.http.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers: asSession(session),
      payload: { currentPassword: goodPassword, newPassword, userId: bob.id },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string }>().code).toBe('request.invalid');
  });

  it('refuses API tokens', async () => {
    const res = await changePassword(bearer(bob), { currentPassword: goodPassword, newPassword });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string }>().code).toBe('password.browser_only');
  });

  it('refuses callers without a session with 401', async () => {
    const res = await changePassword({}, { currentPassword: goodPassword, newPassword });
    expect(res.statusCode).toBe(401);
    expect(res.json<{ code: string }>().code).toBe('auth.unauthenticated');
  });

  it('needs the CSRF token from a cookie caller', async () => {
    const res = await changePassword(
      { cookie: session.cookie },
      { currentPassword: goodPassword, newPassword },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json<{ code: string }>().code).toBe('request.csrf_failed');
    expect(await signInStatus(bob.email, goodPassword)).toBe(200);
  });

  it('tells people without a password to use a reset or SSO', async () => {
    const carol = await seedUser(t, orgId, 'employee');
    const carolSession = await signInSession(t, carol.email);
    await t.pools.owner
      .updateTable('users')
      .set({ password_hash: null })
      .where('id', '=', carol.id)
      .execute();
    const res = await changePassword(asSession(carolSession), {
      currentPassword: goodPassword,
      newPassword,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('password.not_set');
  });
});

describe('a wrong current password', () => {
  let dave: SeededUser;
  let session: BrowserSession;

  beforeAll(async () => {
    dave = await seedUser(t, orgId, 'contributor');
    session = await signInSession(t, dave.email);
  });

  const wrongAttempt = () =>
    changePassword(asSession(session), { currentPassword: 'not-my-password-1', newPassword });

  it('is refused with a field error, audited and counted like a failed sign-in', async () => {
    const res = await wrongAttempt();
    expect(res.statusCode).toBe(400);
    const problem = res.json<{ code: string; errors: { path: string }[] }>();
    expect(problem.code).toBe('password.current_wrong');
    expect(problem.errors.map((e) => e.path)).toEqual(['currentPassword']);
    expect(await eventsFor('auth.password_change_failed', dave.id)).toEqual([
      {
        actor_type: 'user',
        actor_id: dave.id,
        auth_method: 'password',
        changes: { reason: 'wrong_password' },
      },
    ]);
    const lockout = await t.pools.owner
      .selectFrom('user_lockouts')
      .select('failures')
      .where('user_id', '=', dave.id)
      .executeTakeFirstOrThrow();
    expect(lockout.failures).toBe(1);
  });

  it('locks the account at the limit: sign-in and further changes are refused', async () => {
    for (let i = 1; i < accountFailureLimit; i += 1) {
      expect((await wrongAttempt()).statusCode).toBe(400);
    }
    expect(await eventsFor('auth.account_locked', dave.id)).toHaveLength(1);
    expect(await signInStatus(dave.email, goodPassword)).toBe(401);

    const res = await changePassword(asSession(session), {
      currentPassword: goodPassword,
      newPassword,
    });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    const failures = await eventsFor('auth.password_change_failed', dave.id);
    expect(failures.at(-1)?.changes).toEqual({ reason: 'account_locked' });
    expect(await eventsFor('auth.password_changed', dave.id)).toEqual([]);
  });
});
