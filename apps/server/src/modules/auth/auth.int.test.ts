import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodPassword } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
const owner = {
  orgName: 'Acme Cloud',
  name: 'Olivia Owner',
  email: 'Olivia@Acme.test',
  password: goodPassword,
};

beforeAll(async () => {
  t = await createTestApp();
});

afterAll(async () => {
  await t.close();
});

async function actions(): Promise<string[]> {
  const rows = await t.pools.owner
    .selectFrom('audit_events')
    .select('action')
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

describe('first-run setup', () => {
  it('reports not set up, refuses a weak password, then creates the org and signs the owner in', async () => {
    const status = await t.http.inject({ method: 'GET', url: '/api/v1/setup' });
    expect(status.json()).toEqual({ isSetUp: false });

    const weak = await t.http.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { ...owner, password: 'acme cloud rocks!' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json<{ code: string }>().code).toBe('auth.weak_password');

    const res = await t.http.inject({ method: 'POST', url: '/api/v1/setup', payload: owner });
    expect(res.statusCode, res.body).toBe(201);
    const me = res.json<{
      user: { email: string; role: string };
      org: { name: string };
      csrfToken: string;
    }>();
    expect(me.user).toMatchObject({ email: 'olivia@acme.test', role: 'owner' });
    expect(me.org.name).toBe('Acme Cloud');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^steward_session=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(await actions()).toEqual([
      'org.created',
      'user.created',
      'program.seeded',
      'auth.signed_in',
    ]);
  });

  it('refuses a second setup with 409', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { ...owner, email: 'x@y.test' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('setup.already_done');
    const status = await t.http.inject({ method: 'GET', url: '/api/v1/setup' });
    expect(status.json()).toEqual({ isSetUp: true });
  });
});

describe('sign-in and sign-out', () => {
  it('signs in with the right password, case-insensitively by email', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'OLIVIA@acme.test', password: goodPassword },
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    const me = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json<{ user: { lastSignInAt: string | null } }>().user.lastSignInAt).not.toBeNull();
  });

  it('gives the same answer for a wrong password and an unknown email, and audits the known one', async () => {
    const wrong = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: owner.email, password: 'not-the-password-at-all' },
    });
    const unknown = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'ghost@acme.test', password: 'not-the-password-at-all' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (body: string) => {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      delete parsed.requestId;
      return parsed;
    };
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const failed = await t.pools.owner
      .selectFrom('audit_events')
      .select(['changes', 'ip'])
      .where('action', '=', 'auth.sign_in_failed')
      .execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.changes).toMatchObject({ reason: 'wrong_password' });
  });

  it('revokes the session on sign-out so the cookie stops working', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: owner.email, password: goodPassword },
    });
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    const csrf = res.json<{ csrfToken: string }>().csrfToken;
    const out = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(200);
    const after = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(await actions()).toContain('auth.signed_out');
  });

  it('refuses a tampered session cookie', async () => {
    const res = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: 'steward_session=forged-value' },
    });
    expect(res.statusCode).toBe(401);
  });
});
