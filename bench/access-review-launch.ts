// Access review at size: launching a campaign over 50 systems holding 100,000 accounts with
// 500,000 entitlements (target <= 10 s for the snapshot and reviewer assignment), through the API
// of a started Steward. The inventory is written in bulk with the owner connection: how it got
// there (connectors, pushes) is measured elsewhere.
import { createToken, type createUnitOfWork, type Db } from '@steward/server';
import { sql } from 'kysely';
import { figure, heading, note, since } from './lib.ts';

const systemCount = 50;
const accountsPerSystem = 2_000;
const entitlementsPerAccount = 5;

/** Seed the inventory and time the launch of one campaign over all of it. */
export async function benchCampaignLaunch(options: {
  base: string;
  owner: Db;
  orgId: string;
  uow: ReturnType<typeof createUnitOfWork>;
  userId: string;
}): Promise<void> {
  const accounts = systemCount * accountsPerSystem;
  const entitlements = accounts * entitlementsPerAccount;
  heading(
    `access review: launch over ${String(systemCount)} systems, ${accounts.toLocaleString('en-US')} accounts, ${entitlements.toLocaleString('en-US')} entitlements`,
  );
  let started = performance.now();
  const { owner, orgId } = options;
  const systems = await sql<{ id: string }>`
    INSERT INTO systems (org_id, name, environment, holds_customer_data, sign_in_method,
                         owner_user_id, connector_kind)
    SELECT ${orgId}, 'Review bench system ' || n, 'production', true, 'sso', ${options.userId}, 'push'
      FROM generate_series(1, ${systemCount}) AS n
    RETURNING id`.execute(owner);
  const systemIds = systems.rows.map((r) => r.id);
  // Accounts named like the SCIM-pushed people, so half of them belong to a person.
  await sql`
    INSERT INTO system_accounts (org_id, system_id, external_id, username, email, person_id,
                                 link_method, is_privileged, digest)
    SELECT ${orgId}, s.id, 'acct' || lpad(n::text, 5, '0'), 'acct' || n,
           'person' || lpad(n::text, 5, '0') || '@bench.example', p.id,
           CASE WHEN p.id IS NOT NULL THEN 'email' END, n % 50 = 0, md5(s.id::text || n)
      FROM unnest(${systemIds}::uuid[]) AS s(id)
      CROSS JOIN generate_series(1, ${accountsPerSystem}) AS n
      LEFT JOIN people p ON p.org_id = ${orgId}
                        AND p.email = 'person' || lpad(n::text, 5, '0') || '@bench.example'`.execute(
    owner,
  );
  await sql`
    INSERT INTO account_entitlements (org_id, account_id, system_id, kind, name, is_privileged)
    SELECT ${orgId}, a.id, a.system_id, CASE WHEN k = 1 THEN 'role' ELSE 'group' END,
           'entitlement-' || k || '-' || (abs(hashtext(a.external_id)) % 7), k = 1 AND a.is_privileged
      FROM system_accounts a CROSS JOIN generate_series(1, ${entitlementsPerAccount}) AS k
     WHERE a.system_id = ANY (${systemIds}::uuid[])`.execute(owner);
  await sql`ANALYZE system_accounts`.execute(owner);
  await sql`ANALYZE account_entitlements`.execute(owner);
  await sql`ANALYZE people`.execute(owner);
  figure('bulk seed of the inventory + ANALYZE', since(started), 'ms');

  const { secret } = await createToken(
    options.uow,
    { userId: options.userId, role: 'owner' },
    { name: 'bench access reviews', role: 'admin', expiresInDays: 1 },
  );
  started = performance.now();
  const response = await fetch(`${options.base}/api/v1/access-reviews`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Bench quarterly review',
      systemIds,
      reviewerRule: 'manager',
      dueOn: '2099-12-31',
    }),
  });
  const elapsed = since(started);
  const text = await response.text();
  if (response.status !== 201)
    throw new Error(`launch answered ${String(response.status)}: ${text}`);
  const body = JSON.parse(text) as {
    id: string;
    progress: { items: number };
    reviewers: unknown[];
  };
  note(
    `${body.progress.items.toLocaleString('en-US')} accounts snapshotted, ${String(body.reviewers.length)} reviewer(s)`,
  );
  figure('launch a campaign (snapshot + assignment), end to end', elapsed, 'ms', { max: 10_000 });

  started = performance.now();
  const page = await fetch(
    `${options.base}/api/v1/access-reviews/${body.id}/items?limit=100&privileged=true`,
    { headers: { authorization: `Bearer ${secret}` } },
  );
  await page.text();
  figure('first page of privileged accounts under review', since(started), 'ms');
}
