import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, seedOrg, seedUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { scimHeaders, seedScimToken } from '../../../test/people-factories.ts';
import { scimTokenCacheMs } from './scim-token-cache.ts';

let t: TestApp;
let orgId: string;

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Cached Org');
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await t.close();
});

async function listUsers(secret: string): Promise<number> {
  const res = await t.http.inject({
    method: 'GET',
    url: '/scim/v2/Users',
    headers: scimHeaders({ secret }),
  });
  return res.statusCode;
}

describe('SCIM token lookups', () => {
  it('trust a token for at most a second when another process revokes it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await seedScimToken(t, orgId, 'Revoked elsewhere');
    expect(await listUsers(token.secret)).toBe(200);
    // As `steward scim tokens revoke` does from its own process: this server is not told.
    await t.pools.owner
      .updateTable('scim_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', token.id)
      .execute();
    expect(await listUsers(token.secret)).toBe(200);
    vi.setSystemTime(Date.now() + scimTokenCacheMs + 1);
    expect(await listUsers(token.secret)).toBe(401);
  });

  it('refuse a token revoked through this server at once', async () => {
    const token = await seedScimToken(t, orgId, 'Revoked here');
    expect(await listUsers(token.secret)).toBe(200);
    const admin = await seedUser(t, orgId, 'admin');
    const revoked = await t.http.inject({
      method: 'DELETE',
      url: `/api/v1/scim/tokens/${token.id}`,
      headers: bearer(admin),
    });
    expect(revoked.statusCode).toBe(200);
    expect(await listUsers(token.secret)).toBe(401);
  });
});
