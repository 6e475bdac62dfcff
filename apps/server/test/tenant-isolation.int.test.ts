import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withOrg } from '../src/platform/db/pools.ts';
import { listUsers } from '../src/modules/users/users.repo.ts';
import { bearer, seedOrg, seedUser, type SeededUser } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let orgA: string;
let orgB: string;
let adminA: SeededUser;
let adminB: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  orgA = await seedOrg(t, 'Org A');
  orgB = await seedOrg(t, 'Org B');
  adminA = await seedUser(t, orgA, 'admin');
  adminB = await seedUser(t, orgB, 'admin');
});

afterAll(async () => {
  await t.close();
});

describe('tenant isolation through the API', () => {
  it('lists only the caller’s users', async () => {
    const res = await t.http.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: bearer(adminA),
    });
    const emails = res.json<{ items: { email: string }[] }>().items.map((u) => u.email);
    expect(emails).toContain(adminA.email);
    expect(emails).not.toContain(adminB.email);
  });

  it('cannot read or change a user of another org', async () => {
    const read = await t.http.inject({
      method: 'GET',
      url: `/api/v1/users/${adminB.id}`,
      headers: bearer(adminA),
    });
    expect(read.statusCode).toBe(404);
    const write = await t.http.inject({
      method: 'PATCH',
      url: `/api/v1/users/${adminB.id}`,
      headers: bearer(adminA),
      payload: { name: 'Taken over' },
    });
    expect(write.statusCode).toBe(404);
    const check = await t.http.inject({
      method: 'GET',
      url: `/api/v1/users/${adminB.id}`,
      headers: bearer(adminB),
    });
    expect(check.json<{ name: string }>().name).not.toBe('Taken over');
  });

  it('shows only the caller’s audit events', async () => {
    const res = await t.http.inject({
      method: 'GET',
      url: '/api/v1/audit-events?limit=200',
      headers: bearer(adminA),
    });
    const targets = res
      .json<{ items: { targetId: string | null }[] }>()
      .items.map((e) => e.targetId);
    expect(targets).toContain(orgA);
    expect(targets).not.toContain(orgB);
    expect(targets).not.toContain(adminB.id);
  });
});

describe('tenant isolation in the database (row-level security)', () => {
  it('runs requests as a role that is neither owner nor superuser and cannot bypass RLS', async () => {
    const { rows } = await sql<{ user: string; is_super: boolean; bypass: boolean }>`
      SELECT current_user AS user, r.rolsuper AS is_super, r.rolbypassrls AS bypass
        FROM pg_roles r WHERE r.rolname = current_user`.execute(t.pools.app);
    expect(rows[0]).toEqual({ user: 'steward_app', is_super: false, bypass: false });
    const owned = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`.execute(
      t.pools.app,
    );
    expect(owned.rows[0]?.n).toBe(0);
  });

  it('has RLS enabled on every table with an org_id column', async () => {
    const { rows } = await sql<{ table_name: string; rls: boolean }>`
      SELECT c.table_name, cl.relrowsecurity AS rls
        FROM information_schema.columns c
        JOIN pg_class cl ON cl.relname = c.table_name AND cl.relkind = 'r'
       WHERE c.table_schema = 'public' AND c.column_name = 'org_id'`.execute(t.pools.owner);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => !r.rls).map((r) => r.table_name)).toEqual([]);
  });

  it('sees no rows at all without an org context', async () => {
    const users = await t.pools.app.selectFrom('users').select('id').execute();
    expect(users).toEqual([]);
  });

  it('reads only the scoped org through the repo layer', async () => {
    const rows = await withOrg(t.pools.app, orgA, (tx) => listUsers(tx));
    expect(rows.map((r) => r.org_id)).toEqual(rows.map(() => orgA));
    expect(rows.map((r) => r.id)).not.toContain(adminB.id);
  });

  it('refuses to write rows into another org', async () => {
    await expect(
      withOrg(t.pools.app, orgA, (tx) =>
        tx
          .insertInto('users')
          .values({
            org_id: orgB,
            email: `${randomUUID()}@x.test`,
            name: 'Intruder',
            role: 'owner',
            password_hash: null,
          })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('cannot update or delete another org’s rows', async () => {
    const updated = await withOrg(t.pools.app, orgA, (tx) =>
      tx
        .updateTable('users')
        .set({ name: 'Changed' })
        .where('id', '=', adminB.id)
        .executeTakeFirst(),
    );
    expect(Number(updated.numUpdatedRows)).toBe(0);
    const row = await withOrg(t.pools.app, orgB, (tx) =>
      tx.selectFrom('users').select('name').where('id', '=', adminB.id).executeTakeFirst(),
    );
    expect(row?.name).toBe('Test admin');
  });
});

describe('the audit log is append-only in the database', () => {
  it('denies UPDATE and DELETE to the app role', async () => {
    await expect(
      withOrg(t.pools.app, orgA, (tx) => sql`UPDATE audit_events SET action = 'x'`.execute(tx)),
    ).rejects.toThrow(/permission denied/);
    await expect(
      withOrg(t.pools.app, orgA, (tx) => sql`DELETE FROM audit_events`.execute(tx)),
    ).rejects.toThrow(/permission denied/);
  });

  it('rejects UPDATE, DELETE and TRUNCATE by a trigger, even for the owner', async () => {
    await expect(sql`UPDATE audit_events SET action = 'x'`.execute(t.pools.owner)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_events`.execute(t.pools.owner)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`TRUNCATE audit_events`.execute(t.pools.owner)).rejects.toThrow(/append-only/);
  });
});
