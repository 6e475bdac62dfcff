import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  seedOrg,
  seedUser,
  signInSession,
  type SeededUser,
} from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

// `GET /api/v1/me` is answered from the answers of the last few seconds: these tests prove an
// answer is kept, and that every change to what it shows (the user's row, the org's row, a new
// sign-in) is answered on the very next request, per credential and per org.

let t: TestApp;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Me Answers Org');
});

afterAll(async () => {
  await t.close();
});

interface MeAnswer {
  user: { id: string; name: string; email: string; lastSignInAt: string | null };
  org: { id: string; name: string };
  permissions: string[];
  authMethod: string;
  csrfToken: string | null;
}

async function me(headers: Record<string, string>): Promise<MeAnswer> {
  const res = await t.http.inject({ method: 'GET', url: '/api/v1/me', headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<MeAnswer>();
}

async function renameUser(user: SeededUser, name: string): Promise<void> {
  await t.pools.owner.updateTable('users').set({ name }).where('id', '=', user.id).execute();
}

describe('GET /api/v1/me answers', () => {
  it('keeps an answer while nothing it shows changes', async () => {
    const user = await seedUser(t, orgId, 'contributor');
    const first = await me(bearer(user));
    // With the announcement switched off, a changed name is not seen: the answer was kept.
    await sql`ALTER TABLE users DISABLE TRIGGER users_announce_principal_change`.execute(
      t.pools.owner,
    );
    try {
      await renameUser(user, 'Renamed Quietly');
      expect(await me(bearer(user))).toEqual(first);
    } finally {
      await sql`ALTER TABLE users ENABLE TRIGGER users_announce_principal_change`.execute(
        t.pools.owner,
      );
    }
    await renameUser(user, 'Renamed Aloud');
    expect((await me(bearer(user))).user.name).toBe('Renamed Aloud');
  });

  it("shows a change to the user's row on the next request", async () => {
    const user = await seedUser(t, orgId, 'contributor');
    expect((await me(bearer(user))).user.name).not.toBe('New Name');
    await renameUser(user, 'New Name');
    expect((await me(bearer(user))).user.name).toBe('New Name');
  });

  it("shows a change to the org's row on the next request", async () => {
    const user = await seedUser(t, orgId, 'auditor');
    expect((await me(bearer(user))).org.name).toBe('Me Answers Org');
    await t.pools.owner
      .updateTable('orgs')
      .set({ name: 'Me Answers Org Renamed' })
      .where('id', '=', orgId)
      .execute();
    expect((await me(bearer(user))).org.name).toBe('Me Answers Org Renamed');
  });

  it("shows a new sign-in to the user's API token on the next request", async () => {
    const user = await seedUser(t, orgId, 'owner');
    const before = await me(bearer(user));
    await signInSession(t, user.email);
    const after = await me(bearer(user));
    expect(after.user.lastSignInAt).not.toBeNull();
    expect(after.user.lastSignInAt).not.toBe(before.user.lastSignInAt);
  });

  it('answers each credential and each org with its own answer', async () => {
    const user = await seedUser(t, orgId, 'owner');
    const session = await signInSession(t, user.email);
    const byToken = await me(bearer(user));
    const bySession = await me({ cookie: session.cookie });
    expect(byToken.authMethod).toBe('token');
    expect(byToken.csrfToken).toBeNull();
    expect(bySession.authMethod).toBe('session');
    expect(bySession.csrfToken).toBe(session.csrfToken);
    const otherOrgId = await seedOrg(t, 'Other Me Answers Org');
    const other = await seedUser(t, otherOrgId, 'owner');
    const theirs = await me(bearer(other));
    expect(theirs.org.id).toBe(otherOrgId);
    expect(theirs.user.id).toBe(other.id);
    expect((await me(bearer(user))).org.id).toBe(orgId);
  });
});
