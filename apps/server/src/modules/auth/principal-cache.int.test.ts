import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  bearer,
  goodPassword,
  seedOrg,
  seedUser,
  signInSession,
  type SeededUser,
  asSession,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { changeFeedOf, withOrg } from '../../platform/db/pools.ts';
import { liftEnrolmentRequirement } from '../mfa/mfa.repo.ts';
import { allowPasswordOnlySessions } from '../sessions/session-fixtures.ts';
import { principalCacheTtlMs } from './principal-cache.ts';

// Credentials are kept for a few seconds between requests; these tests prove that every change
// that ends or alters what a credential grants takes effect on the very next request when this
// process made it, and within the documented bound when another process did.

let t: TestApp;
let orgId: string;
let owner: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Principal Cache Org');
  owner = await seedUser(t, orgId, 'owner');
  await allowPasswordOnlySessions(t, owner);
});

afterAll(async () => {
  await t.close();
});

async function meStatus(headers: Record<string, string>): Promise<number> {
  const res = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers });
  return res.statusCode;
}

async function permissionsOf(headers: Record<string, string>): Promise<string[]> {
  const res = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ permissions: string[] }>().permissions;
}

/** Use a credential a few times so its principal is certainly kept. */
async function warm(headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < 3; i += 1) expect(await meStatus(headers)).toBe(200);
}

describe('principal cache', () => {
  it('is listening on the pools, so credentials are kept between requests', async () => {
    await warm(bearer(owner));
    expect(changeFeedOf(t.pools.app)?.isListening).toBe(true);
  });

  it('refuses a revoked API token on the next request', async () => {
    const user = await seedUser(t, orgId, 'admin');
    await warm(bearer(user));
    const listed = await t.http.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: bearer(user),
    });
    const [token] = listed.json<{ items: { id: string }[] }>().items;
    const revoked = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${token?.id ?? ''}`,
      headers: bearer(user),
    });
    expect(revoked.statusCode, revoked.body).toBeLessThan(300);
    expect(await meStatus(bearer(user))).toBe(401);
  });

  it('refuses a session cookie right after sign-out', async () => {
    const user = await seedUser(t, orgId, 'contributor');
    const session = await signInSession(t, user.email);
    await warm(asSession(session));
    const out = await t.http.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: asSession(session),
    });
    expect(out.statusCode, out.body).toBe(200);
    expect(await meStatus(asSession(session))).toBe(401);
  });

  it('refuses a session revoked by an administrator on its next request', async () => {
    const user = await seedUser(t, orgId, 'contributor');
    const session = await signInSession(t, user.email);
    await warm(asSession(session));
    const revoked = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/users/${user.id}/sessions`,
      headers: bearer(owner),
    });
    expect(revoked.statusCode, revoked.body).toBeLessThan(300);
    expect(await meStatus(asSession(session))).toBe(401);
  });

  it("applies a role change to the next request of the user's session and token", async () => {
    const user = await seedUser(t, orgId, 'admin');
    const session = await signInSession(t, user.email);
    await warm(asSession(session));
    await warm(bearer(user));
    expect(await permissionsOf(bearer(user))).toContain('users.manage');
    const changed = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: bearer(owner),
      payload: { role: 'auditor' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    // A role change signs the user's sessions out.
    expect(await meStatus(asSession(session))).toBe(401);
    // The token keeps its own role only up to its creator's current one.
    expect(await permissionsOf(bearer(user))).not.toContain('users.manage');
  });

  it('refuses every credential of a deactivated user on the next request', async () => {
    const user = await seedUser(t, orgId, 'contributor');
    const session = await signInSession(t, user.email);
    await warm(asSession(session));
    await warm(bearer(user));
    const disabled = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: bearer(owner),
      payload: { status: 'disabled' },
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(await meStatus(asSession(session))).toBe(401);
    expect(await meStatus(bearer(user))).toBe(401);
  });

  it('signs out the other sessions at once when the password changes', async () => {
    const user = await seedUser(t, orgId, 'contributor');
    const kept = await signInSession(t, user.email);
    const other = await signInSession(t, user.email);
    await warm(asSession(other));
    const changed = await t.http.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers: asSession(kept),
      payload: { currentPassword: goodPassword, newPassword: 'another-lantern-meadow-43' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await meStatus(asSession(other))).toBe(401);
    expect(await meStatus(asSession(kept))).toBe(200);
  });

  it('applies a lifted MFA enrolment requirement on the next request', async () => {
    const user = await seedUser(t, orgId, 'contributor');
    const session = await signInSession(t, user.email);
    await t.pools.owner
      .updateTable('sessions')
      .set({ mfa_enrolment_required: true })
      .where('user_id', '=', user.id)
      .execute();
    const blocked = await t.http.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: asSession(session),
    });
    expect(blocked.json<{ code: string }>().code).toBe('auth.mfa_enrolment_required');
    await warm(asSession(session));
    await withOrg(t.pools.app, orgId, (tx) => liftEnrolmentRequirement(tx, user.id));
    const me = await t.http.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: asSession(session),
    });
    expect(me.json<{ mfaEnrolmentRequired: boolean }>().mfaEnrolmentRequired).toBe(false);
  });

  it('applies a change made directly in the database by this process at once', async () => {
    const user = await seedUser(t, orgId, 'contributor');
    await warm(bearer(user));
    await t.pools.owner
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('user_id', '=', user.id)
      .execute();
    expect(await meStatus(bearer(user))).toBe(401);
  });

  it('applies a change made by another process within the documented bound', async () => {
    const user = await seedUser(t, orgId, 'contributor');
    await warm(bearer(user));
    const elsewhere = new pg.Client({ connectionString: t.databaseUrl });
    await elsewhere.connect();
    try {
      await elsewhere.query(`UPDATE users SET status = 'disabled' WHERE id = $1`, [user.id]);
    } finally {
      await elsewhere.end();
    }
    await vi.waitFor(async () => {
      expect(await meStatus(bearer(user))).toBe(401);
    }, principalCacheTtlMs);
  });
});
