import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';

// Pages of the audit log are kept by the head of the org's chain: these tests prove a kept page
// is never answered once the log has grown, nor to another org.

let t: TestApp;
let owner: SeededUser;
let auditor: SeededUser;
let otherAuditor: SeededUser;

async function createToken(name: string): Promise<void> {
  const created = await t.http.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: bearer(owner),
    payload: { name, expiresInDays: 1 },
  });
  expect(created.statusCode, created.body).toBe(201);
}

beforeAll(async () => {
  t = await createTestApp();
  const orgId = await seedOrg(t, 'Audit Pages Org');
  owner = await seedUser(t, orgId, 'owner');
  auditor = await seedUser(t, orgId, 'auditor');
  for (const name of ['first', 'second', 'third']) await createToken(name);
  const otherOrgId = await seedOrg(t, 'Other Audit Pages Org');
  otherAuditor = await seedUser(t, otherOrgId, 'auditor');
});

afterAll(async () => {
  await t.close();
});

type Page = {
  items: { id: string; seq: number; action: string; occurredAt: string }[];
  nextBefore: number | null;
};

async function readPage(user: SeededUser, query = 'limit=5'): Promise<Page> {
  const res = await t.http.inject({
    method: 'GET',
    url: `/api/v1/audit-events?${query}`,
    headers: bearer(user),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
}

describe('audit log pages', () => {
  it('answers the same page while the log is unchanged, and the grown log at once', async () => {
    const before = await readPage(auditor);
    expect(await readPage(auditor)).toEqual(before);
    await createToken('grows the log');
    const after = await readPage(auditor);
    expect(after.items[0]?.action).toBe('token.created');
    expect(after.items[0]?.seq).toBeGreaterThan(before.items[0]?.seq ?? Infinity);
    // The event as stored, its time written as the API always writes it.
    const row = await t.pools.owner
      .selectFrom('audit_events')
      .select(['id', 'occurred_at'])
      .where('seq', '=', String(after.items[0]?.seq))
      .where('org_id', '=', auditor.orgId)
      .executeTakeFirstOrThrow();
    expect(after.items[0]?.id).toBe(row.id);
    expect(after.items[0]?.occurredAt).toBe(row.occurred_at.toISOString());
  });

  it('keeps pages of different queries and orgs apart', async () => {
    const mine = await readPage(auditor, 'limit=3');
    expect(mine.nextBefore).not.toBeNull();
    const theirs = await readPage(otherAuditor, 'limit=3');
    const mineIds = new Set(mine.items.map((item) => item.id));
    expect(theirs.items.some((item) => mineIds.has(item.id))).toBe(false);
    const filtered = await readPage(auditor, 'limit=3&action=token.');
    expect(filtered.items.every((item) => item.action.startsWith('token.'))).toBe(true);
    const next = await readPage(auditor, `limit=3&before=${String(mine.nextBefore)}`);
    expect(next.items.every((item) => item.seq < (mine.nextBefore ?? 0))).toBe(true);
  });
});
