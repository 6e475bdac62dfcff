import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, seedUser, injectAs, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { withOrg } from '../../platform/db/pools.ts';

let t: TestApp;
let orgId: string;
let admin: SeededUser;
let systemOwner: SeededUser;
let boss: SeededUser;
let systemId: string;

interface Item {
  externalId: string;
  reviewer: { id: string };
  reviewerSource: string;
  entitlements: { kind: string; name: string; isPrivileged: boolean }[];
}

async function call(user: SeededUser, method: string, url: string, payload?: unknown) {
  const res = await injectAs(t, user, method as 'GET', url, payload);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<Record<string, unknown>>();
}

async function createPerson(body: Record<string, unknown>): Promise<string> {
  return (await call(admin, 'POST', '/api/v1/people', body)).id as string;
}

async function accountId(externalId: string): Promise<string> {
  const row = await t.pools.owner
    .selectFrom('system_accounts')
    .select('id')
    .where('system_id', '=', systemId)
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  t = await createTestApp();
  orgId = await seedOrg(t, 'Launch Org', { withProgram: true });
  admin = await seedUser(t, orgId, 'admin');
  systemOwner = await seedUser(t, orgId, 'contributor');
  boss = await seedUser(t, orgId, 'employee');
  const bossPerson = await createPerson({ displayName: 'The Boss', email: boss.email });
  const worker = await createPerson({
    displayName: 'Wendy Worker',
    email: 'wendy@example.test',
    managerId: bossPerson,
  });
  const ownerPerson = await createPerson({ displayName: 'Olga Owner', email: systemOwner.email });
  systemId = (
    await call(admin, 'POST', '/api/v1/systems', {
      name: 'Billing',
      environment: 'production',
      holdsCustomerData: true,
      signInMethod: 'local',
      connectorKind: 'push',
      ownerUserId: systemOwner.id,
    })
  ).id as string;
  await call(admin, 'PUT', `/api/v1/systems/${systemId}/accounts`, {
    accounts: [
      {
        externalId: 'wendy',
        email: 'wendy@example.test',
        entitlements: [
          { kind: 'role', name: 'writer' },
          { kind: 'group', name: 'finance' },
          { kind: 'role', name: 'admin', privileged: true },
        ],
      },
      // Held by the system owner through the person it is linked to, not by its own email.
      { externalId: 'olga-alias', email: 'alias@example.test' },
      // Wendy's account, but signed in with her manager's address: her manager holds it.
      { externalId: 'shared-with-boss', email: boss.email },
      { externalId: 'batch-job' },
    ],
  });
  await call(admin, 'PUT', `/api/v1/accounts/${await accountId('olga-alias')}/link`, {
    personId: ownerPerson,
  });
  await call(admin, 'PUT', `/api/v1/accounts/${await accountId('shared-with-boss')}/link`, {
    personId: worker,
  });
}, 120_000);

afterAll(async () => {
  await t.close();
});

describe('launching a campaign', () => {
  it('gives each account to its holder’s manager, else the system owner, else the launcher — never the holder', async () => {
    const campaign = await call(admin, 'POST', '/api/v1/access-reviews', {
      name: 'Managers review',
      systemIds: [systemId],
      reviewerRule: 'manager',
      dueOn: '2099-01-01',
    });
    expect(campaign.progress).toMatchObject({ items: 4, decided: 0 });
    const page = await call(admin, 'GET', `/api/v1/access-reviews/${String(campaign.id)}/items`);
    const byAccount = new Map((page.items as Item[]).map((i) => [i.externalId, i]));
    expect(byAccount.get('wendy')).toMatchObject({
      reviewer: { id: boss.id },
      reviewerSource: 'manager',
    });
    // Entitlements are copied sorted by kind, then name.
    expect(byAccount.get('wendy')?.entitlements).toEqual([
      { kind: 'group', name: 'finance', isPrivileged: false },
      { kind: 'role', name: 'admin', isPrivileged: true },
      { kind: 'role', name: 'writer', isPrivileged: false },
    ]);
    expect(byAccount.get('olga-alias')).toMatchObject({
      reviewer: { id: admin.id },
      reviewerSource: 'campaign_owner',
      entitlements: [],
    });
    expect(byAccount.get('shared-with-boss')).toMatchObject({
      reviewer: { id: systemOwner.id },
      reviewerSource: 'system_owner',
    });
    expect(byAccount.get('batch-job')).toMatchObject({
      reviewer: { id: systemOwner.id },
      reviewerSource: 'system_owner',
    });
    const events = await t.pools.owner
      .selectFrom('audit_events')
      .select('changes')
      .where('org_id', '=', orgId)
      .where('action', '=', 'access_review.launched')
      .where('target_id', '=', String(campaign.id))
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]?.changes).toMatchObject({ items: 4, reviewerRule: 'manager' });
  });

  it('refuses items naming an account, system, campaign or reviewer the organisation does not have', async () => {
    const other = await seedOrg(t, 'Other Launch Org');
    const stranger = await seedUser(t, other, 'admin');
    const item = await t.pools.owner
      .selectFrom('access_review_items')
      .selectAll()
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    const insertLike = (changes: Record<string, string>) =>
      withOrg(t.pools.app, orgId, async (tx) => {
        const values = { ...item, id: crypto.randomUUID(), ...changes };
        await sql`
          INSERT INTO access_review_items (id, org_id, campaign_id, system_id, account_id,
            external_id, account_status, is_privileged, reviewer_user_id, reviewer_source)
          VALUES (${values.id}, ${values.org_id}, ${values.campaign_id}, ${values.system_id},
            ${values.account_id}, ${values.external_id}, 'active', false,
            ${values.reviewer_user_id}, 'campaign_owner')`.execute(tx);
      });
    // An account that arrived after the launch, so only the part named below is wrong.
    await call(admin, 'PUT', `/api/v1/systems/${systemId}/accounts`, {
      accounts: [
        { externalId: 'wendy', email: 'wendy@example.test' },
        { externalId: 'olga-alias', email: 'alias@example.test' },
        { externalId: 'shared-with-boss', email: boss.email },
        { externalId: 'batch-job' },
        { externalId: 'late-joiner' },
      ],
    });
    const late = { account_id: await accountId('late-joiner') };
    const refused = (what: string) => ({
      code: '23503',
      message: expect.stringContaining(what) as unknown,
    });
    await expect(insertLike({ account_id: crypto.randomUUID() })).rejects.toMatchObject(
      refused('account'),
    );
    await expect(insertLike({ campaign_id: crypto.randomUUID() })).rejects.toMatchObject(
      refused('campaign'),
    );
    await expect(insertLike({ ...late, system_id: crypto.randomUUID() })).rejects.toMatchObject(
      refused('system'),
    );
    await expect(insertLike({ ...late, reviewer_user_id: stranger.id })).rejects.toMatchObject(
      refused('reviewer'),
    );
    // The same row with every reference in the organisation is accepted.
    await insertLike(late);
    // A change to a reviewer outside the organisation is refused too.
    await expect(
      withOrg(t.pools.app, orgId, (tx) =>
        sql`UPDATE access_review_items SET reviewer_user_id = ${stranger.id}
             WHERE id = ${item.id}`.execute(tx),
      ),
    ).rejects.toMatchObject(refused('reviewer'));
    const count = await t.pools.owner
      .selectFrom('access_review_items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(5);
  });
});
