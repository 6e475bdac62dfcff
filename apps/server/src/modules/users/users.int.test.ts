import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signInSession, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { seedRoleTrio } from '../sessions/session-fixtures.ts';

let t: TestApp;
let owner: SeededUser;
let admin: SeededUser;
let contributor: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  ({ owner, admin, contributor } = await seedRoleTrio(t, 'Users Org'));
});

afterAll(async () => {
  await t.close();
});

const newUser = (email: string, role = 'contributor') => ({
  email,
  name: 'Casey Contributor',
  role,
  password: 'amber-kettle-orbit-19',
});

describe('users', () => {
  it('creates a user (201), audits it in the same transaction, and the user can sign in', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin),
      payload: newUser('casey@example.test'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json<{ id: string; role: string; status: string }>();
    expect(user).toMatchObject({ role: 'contributor', status: 'active' });
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'user.created')
      .where('target_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(event.actor_type).toBe('token');
    expect(event.auth_method).toBe('token');
    expect(event.changes).toEqual({
      email: 'casey@example.test',
      name: 'Casey Contributor',
      role: 'contributor',
    });
    expect(JSON.stringify(event)).not.toContain('amber-kettle');
    const session = await signInSession(t, 'casey@example.test', 'amber-kettle-orbit-19');
    expect(session.csrfToken.length).toBeGreaterThan(20);
  });

  it('forbids a contributor (403) and writes nothing', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(contributor),
      payload: newUser('nope@example.test'),
    });
    expect(res.statusCode).toBe(403);
    const found = await t.pools.owner
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'nope@example.test')
      .execute();
    expect(found).toEqual([]);
  });

  it('refuses a duplicate email with 409 and leaves the existing user untouched', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin),
      payload: newUser(admin.email, 'owner'),
    });
    expect(res.statusCode).toBe(403);
    const dup = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin),
      payload: newUser(admin.email),
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({
      code: 'user.email_taken',
      errors: [{ path: 'email' }],
    });
  });

  it('refuses weak passwords with the reason', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin),
      payload: { ...newUser('weak@example.test'), password: 'password1234' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'auth.weak_password',
      detail: expect.stringContaining('common') as string,
    });
  });

  it('lets an admin change role and status but not grant or touch owner', async () => {
    const created = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin),
      payload: newUser('mover@example.test'),
    });
    const id = created.json<{ id: string }>().id;
    const promote = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: bearer(admin),
      payload: { role: 'security_manager' },
    });
    expect(promote.statusCode).toBe(200);
    expect(promote.json<{ role: string }>().role).toBe('security_manager');
    const toOwner = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: bearer(admin),
      payload: { role: 'owner' },
    });
    expect(toOwner.statusCode).toBe(403);
    const touchOwner = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${owner.id}`,
      headers: bearer(admin),
      payload: { status: 'disabled' },
    });
    expect(touchOwner.statusCode).toBe(403);
    const disable = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${id}`,
      headers: bearer(admin),
      payload: { status: 'disabled' },
    });
    expect(disable.json<{ status: string }>().status).toBe('disabled');
    const signIn = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: 'mover@example.test', password: 'amber-kettle-orbit-19' },
    });
    expect(signIn.statusCode).toBe(401);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'user.updated')
      .where('target_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(event.map((e) => e.changes)).toEqual([
      { role: { from: 'contributor', to: 'security_manager' } },
      { status: { from: 'active', to: 'disabled' } },
    ]);
  });

  it('keeps at least one active owner', async () => {
    const res = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${owner.id}`,
      headers: bearer(owner),
      payload: { role: 'admin' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ code: string }>().code).toBe('user.last_owner');
  });

  it('refuses an empty change', async () => {
    const res = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      headers: bearer(admin),
      payload: {},
    });
    expect(res.statusCode).toBe(400);
  });

  it('lists roles with their permissions', async () => {
    const res = await t.http.inject({
      method: 'GET',
      url: '/api/v1/roles',
      headers: bearer(contributor),
    });
    const items = res.json<{ items: { role: string; permissions: string[] }[] }>().items;
    expect(items.map((i) => i.role)).toEqual([
      'owner',
      'admin',
      'security_manager',
      'contributor',
      'auditor',
      'employee',
    ]);
    expect(items.find((i) => i.role === 'employee')?.permissions).toEqual([]);
  });
});
