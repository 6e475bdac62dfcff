import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  goodPassword,
  seedUser,
  type BrowserSession,
  type SeededUser,
  asSession,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { allowPasswordOnlySessions, seedRoleTrio } from './session-fixtures.ts';

let t: TestApp;
let owner: SeededUser;
let admin: SeededUser;
let contributor: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  ({ owner, admin, contributor } = await seedRoleTrio(t, 'Sessions Org'));
  // These tests are about sessions, not MFA: let admins and owners use password-only sessions.
  await allowPasswordOnlySessions(t, owner);
});

afterAll(async () => {
  await t.close();
});

async function signIn(email: string, userAgent: string): Promise<BrowserSession> {
  const res = await t.http.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    headers: { 'user-agent': userAgent },
    payload: { email, password: goodPassword },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
  const setCookie = String(res.headers['set-cookie']);
  return {
    cookie: setCookie.split(';')[0] ?? '',
    csrfToken: res.json<{ csrfToken: string }>().csrfToken,
    setCookie,
  };
}

async function isAlive(s: BrowserSession): Promise<boolean> {
  const res = await t.http.inject({
    method: 'GET',
    url: '/api/v1/me',
    headers: { cookie: s.cookie },
  });
  return res.statusCode === 200;
}

interface ListedSession {
  id: string;
  isCurrent: boolean;
  userAgent: string | null;
  ip: string | null;
  authMethod: string;
}

async function listSessions(s: BrowserSession): Promise<ListedSession[]> {
  const res = await t.http.inject({
    method: 'GET',
    url: '/api/v1/sessions',
    headers: { cookie: s.cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: ListedSession[] }>().items;
}

describe('own sessions', () => {
  it('lists the caller’s live sessions with the current one flagged, and revokes another', async () => {
    const laptop = await signIn(contributor.email, 'Laptop Browser');
    const phone = await signIn(contributor.email, 'Phone Browser');
    const items = await listSessions(laptop);
    expect(items).toHaveLength(2);
    expect(items.find((s) => s.isCurrent)?.userAgent).toBe('Laptop Browser');
    expect(items[0]).toMatchObject({ authMethod: 'password', ip: '127.0.0.1' });
    const phoneId = items.find((s) => !s.isCurrent)?.id ?? '';

    const res = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/sessions/${phoneId}`,
      headers: asSession(laptop),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: phoneId, isCurrent: false });
    expect(await isAlive(phone)).toBe(false);
    expect(await isAlive(laptop)).toBe(true);
    expect((await listSessions(laptop)).map((s) => s.id)).not.toContain(phoneId);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select(['actor_id', 'changes'])
      .where('action', '=', 'session.revoked')
      .where('target_id', '=', phoneId)
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_id: contributor.id, changes: { isCurrent: false } });

    const again = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/sessions/${phoneId}`,
      headers: asSession(laptop),
    });
    expect(again.statusCode).toBe(404);
  });

  it('cannot revoke someone else’s session (404) and refuses a malformed id (400)', async () => {
    const mine = await signIn(contributor.email, 'Mine');
    const theirs = await signIn(admin.email, 'Theirs');
    const theirId = (await listSessions(theirs)).find((s) => s.isCurrent)?.id ?? '';
    const res = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/sessions/${theirId}`,
      headers: asSession(mine),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ code: string }>().code).toBe('session.not_found');
    expect(await isAlive(theirs)).toBe(true);
    const bad = await t.http.inject({
      method: 'DELETE',
      url: '/api/v1/sessions/not-a-uuid',
      headers: asSession(mine),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'request.invalid', errors: [{ path: 'params.id' }] });
  });

  it('requires sign-in', async () => {
    const res = await t.http.inject({ method: 'GET', url: '/api/v1/sessions' });
    expect(res.statusCode).toBe(401);
  });
});

describe('admin revocation and privilege change', () => {
  it('lets an admin sign a user out everywhere, audited', async () => {
    const employee = await seedUser(t, owner.orgId, 'employee');
    const a = await signIn(employee.email, 'A');
    const b = await signIn(employee.email, 'B');
    const forbidden = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/users/${employee.id}/sessions`,
      headers: bearer(contributor),
    });
    expect(forbidden.statusCode).toBe(403);
    expect(await isAlive(a)).toBe(true);

    const res = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/users/${employee.id}/sessions`,
      headers: bearer(admin),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ revoked: 2 });
    expect(await isAlive(a)).toBe(false);
    expect(await isAlive(b)).toBe(false);
    const event = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('action', '=', 'user.sessions_revoked')
      .where('target_id', '=', employee.id)
      .executeTakeFirstOrThrow();
    expect(event.changes).toEqual({ count: 2, reason: 'admin' });
  });

  it('refuses to sign out a user above the caller, and unknown users', async () => {
    const above = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/users/${owner.id}/sessions`,
      headers: bearer(admin),
    });
    expect(above.statusCode).toBe(403);
    expect(above.json<{ code: string }>().code).toBe('user.role_too_high');
    const missing = await t.http.inject({
      method: 'DELETE',
      url: '/api/v1/users/00000000-0000-4000-8000-000000000000/sessions',
      headers: bearer(admin),
    });
    expect(missing.statusCode).toBe(404);
  });

  it('ends a user’s sessions when their role changes, in the same transaction as the change', async () => {
    const mover = await seedUser(t, owner.orgId, 'contributor');
    const session = await signIn(mover.email, 'Mover');
    const res = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${mover.id}`,
      headers: bearer(admin),
      payload: { role: 'auditor' },
    });
    expect(res.statusCode).toBe(200);
    expect(await isAlive(session)).toBe(false);
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select(['action', 'request_id', 'changes'])
      .where('target_id', '=', mover.id)
      .where('action', 'in', ['user.updated', 'user.sessions_revoked'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['user.updated', 'user.sessions_revoked']);
    expect(events[0]?.request_id).toBe(events[1]?.request_id);
    expect(events[1]?.changes).toEqual({ count: 1, reason: 'role_changed' });

    const rename = await signIn(mover.email, 'Rename');
    await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${mover.id}`,
      headers: bearer(admin),
      payload: { name: 'Renamed Only' },
    });
    expect(await isAlive(rename)).toBe(true);
  });

  it('spares the editor’s own current session when they change their own role', async () => {
    const second = await seedUser(t, owner.orgId, 'owner');
    const current = await signIn(second.email, 'Current');
    const other = await signIn(second.email, 'Other');
    const res = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${second.id}`,
      headers: asSession(current),
      payload: { role: 'admin' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await isAlive(current)).toBe(true);
    expect(await isAlive(other)).toBe(false);
  });
});
