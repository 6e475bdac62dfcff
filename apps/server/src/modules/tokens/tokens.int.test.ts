import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let manager: SeededUser;
let employee: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  const orgId = await seedOrg(t);
  manager = await seedUser(t, orgId, 'security_manager');
  employee = await seedUser(t, orgId, 'employee');
});

afterAll(async () => {
  await t.close();
});

describe('API tokens', () => {
  it('creates a token shown once, stored only as its hash, carrying the chosen role', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(manager),
      payload: { name: 'ci pipeline', role: 'contributor', expiresInDays: 30 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { token, secret } = res.json<{
      token: { id: string; role: string; prefix: string; expiresAt: string };
      secret: string;
    }>();
    expect(secret).toMatch(/^stw_[A-Za-z0-9_-]{40,}$/);
    expect(secret.startsWith(token.prefix)).toBe(true);
    const row = await t.pools.owner
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash.equals(createHash('sha256').update(secret).digest())).toBe(true);
    expect(JSON.stringify(row)).not.toContain(secret.slice(10));
    const me = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(me.json<{ permissions: string[]; authMethod: string }>()).toMatchObject({
      authMethod: 'token',
    });
    expect(me.json<{ permissions: string[] }>().permissions).not.toContain('audit.read');
    const list = await t.http.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: bearer(manager),
    });
    const listed = list
      .json<{ items: { id: string; lastUsedAt: string | null }[] }>()
      .items.find((i) => i.id === token.id);
    expect(listed?.lastUsedAt).not.toBeNull();
    expect(list.body).not.toContain(secret);
  });

  it('refuses a role above the creator’s (403) and bad input (400)', async () => {
    const high = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(manager),
      payload: { name: 'x', role: 'admin' },
    });
    expect(high.statusCode).toBe(403);
    expect(high.json<{ code: string }>().code).toBe('token.role_too_high');
    const bad = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(manager),
      payload: { name: '', expiresInDays: 9999 },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'expiresInDays']));
  });

  it('forbids employees (self-service only)', async () => {
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(employee),
      payload: { name: 'x' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('revokes a token so it stops authenticating; another user cannot revoke it', async () => {
    const created = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(manager),
      payload: { name: 'short-lived' },
    });
    const { token, secret } = created.json<{ token: { id: string }; secret: string }>();
    const other = await seedUser(t, manager.orgId, 'admin');
    const foreign = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${token.id}`,
      headers: bearer(other),
    });
    expect(foreign.statusCode).toBe(404);
    const revoke = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${token.id}`,
      headers: bearer(manager),
    });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
    const use = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(use.statusCode).toBe(401);
  });

  it('refuses an expired token', async () => {
    const created = await t.http.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: bearer(manager),
      payload: { name: 'expiring' },
    });
    const { token, secret } = created.json<{ token: { id: string }; secret: string }>();
    await t.pools.owner
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', token.id)
      .execute();
    const use = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(use.statusCode).toBe(401);
  });

  it('never lets a token exceed its creator after the creator is demoted', async () => {
    const admin = await seedUser(t, manager.orgId, 'admin');
    await t.pools.owner
      .updateTable('users')
      .set({ role: 'auditor' })
      .where('id', '=', admin.id)
      .execute();
    const res = await t.http.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: bearer(admin),
      payload: {
        email: 'z@z.test',
        name: 'Z',
        role: 'employee',
        password: 'violet-anchor-moss-31',
      },
    });
    expect(res.statusCode).toBe(403);
  });
});
