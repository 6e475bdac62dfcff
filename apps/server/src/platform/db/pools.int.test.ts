import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedOrg, seedUser, type SeededUser } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import {
  compileOnce,
  executeAhead,
  executePrepared,
  queryArraysInOrg,
  queryInOrg,
  sendPrepared,
  withOrg,
} from './pools.ts';

let t: TestApp;
let alice: SeededUser;
let bob: SeededUser;

beforeAll(async () => {
  t = await createTestApp();
  alice = await seedUser(t, await seedOrg(t, 'Alpha'), 'owner');
  bob = await seedUser(t, await seedOrg(t, 'Beta'), 'owner');
});

afterAll(async () => {
  await t.close();
});

const usersQuery = compileOnce((db, email: string) =>
  db.selectFrom('users').select(['id', 'org_id', 'email']).where('email', '<>', email),
);

describe('queryInOrg', () => {
  it("sees only the org's rows, as row-level security scopes it", async () => {
    const fromAlpha = await queryInOrg(t.pools.app, alice.orgId, usersQuery('nobody@example.test'));
    expect(fromAlpha.map((row) => row.email)).toEqual([alice.email]);
    const fromBeta = await queryInOrg(t.pools.app, bob.orgId, usersQuery('nobody@example.test'));
    expect(fromBeta.map((row) => row.email)).toEqual([bob.email]);
  });

  it('refuses a statement that writes, and leaves no transaction or org setting behind', async () => {
    const write = CompiledQuery.raw('UPDATE users SET name = $1 RETURNING id', ['Renamed']);
    await expect(queryInOrg(t.pools.app, alice.orgId, write)).rejects.toMatchObject({
      code: '25006', // read_only_sql_transaction
    });
    // Every connection of the pool (the harness opens 5) answers outside any transaction and
    // without an org.
    const probes = await Promise.all(
      Array.from({ length: 5 }, () =>
        sql<{ org: string | null; in_tx: boolean }>`
          SELECT nullif(current_setting('steward.org_id', true), '') AS org,
                 now() <> statement_timestamp() AS in_tx`.execute(t.pools.app),
      ),
    );
    for (const { rows } of probes) expect(rows[0]).toEqual({ org: null, in_tx: false });
    const names = await withOrg(t.pools.app, alice.orgId, (tx) =>
      tx.selectFrom('users').select('name').execute(),
    );
    expect(names.map((row) => row.name)).not.toContain('Renamed');
  });

  it('keeps the connection usable after a failing statement', async () => {
    const failing = CompiledQuery.raw('SELECT 1 / (0 * $1::int) AS x', [1]);
    await expect(queryInOrg(t.pools.app, alice.orgId, failing)).rejects.toMatchObject({
      code: '22012', // division_by_zero
    });
    const after = await queryInOrg(t.pools.app, alice.orgId, usersQuery(''));
    expect(after).toHaveLength(1);
  });

  it('refuses an org id that is not a uuid', async () => {
    await expect(queryInOrg(t.pools.app, "x'; RESET ROLE; --", usersQuery(''))).rejects.toThrow(
      /uuid/,
    );
  });
});

describe('queryArraysInOrg', () => {
  it("answers the org's rows as arrays in the select list's order, as prepared statements", async () => {
    for (const user of [alice, bob]) {
      const rows = await queryArraysInOrg(t.pools.app, user.orgId, usersQuery(''));
      expect(rows).toEqual([[user.id, user.orgId, user.email]]);
    }
    // The same text again on the pool's connections, and in the plain form after it.
    expect(await queryArraysInOrg(t.pools.app, alice.orgId, usersQuery(''))).toHaveLength(1);
    const objects = await queryInOrg(t.pools.app, alice.orgId, usersQuery(''));
    expect(objects).toEqual([{ id: alice.id, org_id: alice.orgId, email: alice.email }]);
  });

  it('answers arrays on a pool without pipelining too', async () => {
    const rows = await queryArraysInOrg(t.pools.owner, alice.orgId, usersQuery(''));
    expect(rows).toContainEqual([alice.id, alice.orgId, alice.email]);
  });
});

describe('withOrg', () => {
  it('sends BEGIN with the first statement, rolls back on failure and reuses the connection', async () => {
    await expect(
      withOrg(t.pools.app, alice.orgId, async (tx) => {
        await tx.updateTable('users').set({ name: 'Halfway' }).where('id', '=', alice.id).execute();
        await sql`SELECT 1 / 0`.execute(tx);
      }),
    ).rejects.toMatchObject({ code: '22012' });
    // Several transactions at once, so the failed one's connection is among those reused.
    const names = await Promise.all(
      Array.from({ length: 5 }, () =>
        withOrg(t.pools.app, alice.orgId, async (tx) => {
          const rows = await tx.selectFrom('users').select('name').execute();
          const [setting] = (
            await sql<{ org: string }>`SELECT current_setting('steward.org_id') AS org`.execute(tx)
          ).rows;
          return { names: rows.map((row) => row.name), org: setting?.org };
        }),
      ),
    );
    for (const seen of names) {
      expect(seen.org).toBe(alice.orgId);
      expect(seen.names).not.toContain('Halfway');
    }
  });
});

describe('compileOnce', () => {
  it('binds the values of each call to the query compiled the first time', async () => {
    const byEmail = compileOnce((db, email: string) =>
      db.selectFrom('users').select('email').where('email', '=', email),
    );
    const first = byEmail(alice.email);
    const second = byEmail(bob.email);
    expect(second.sql).toBe(first.sql);
    expect(first.parameters).toEqual([alice.email]);
    expect(second.parameters).toEqual([bob.email]);
    const rows = await withOrg(
      t.pools.app,
      bob.orgId,
      async (tx) => (await executePrepared(tx, second)).rows,
    );
    expect(rows).toEqual([{ email: bob.email }]);
  });

  it('refuses a builder that does not bind an argument exactly once', () => {
    const unbound = compileOnce((db, email: string) =>
      db
        .selectFrom('users')
        .select('id')
        .where('email', '=', email.length > 0 ? 'x' : 'y'),
    );
    expect(() => unbound('x')).toThrow(/bound exactly once/);
    const twice = compileOnce((db, email: string) =>
      db
        .selectFrom('users')
        .select('id')
        .where((eb) => eb.or([eb('email', '=', email), eb('name', '=', email)])),
    );
    expect(() => twice('x')).toThrow(/bound exactly once/);
  });
});

describe('executePrepared on the app pool', () => {
  it('runs a prepared lookup, and a failing one leaves the pool usable', async () => {
    const lookup = CompiledQuery.raw('SELECT auth_is_set_up() AS is_set_up') as CompiledQuery<{
      is_set_up: boolean;
    }>;
    expect((await executePrepared(t.pools.app, lookup)).rows).toEqual([{ is_set_up: true }]);
    const failing = CompiledQuery.raw('SELECT 1 / 0');
    await expect(executePrepared(t.pools.app, failing)).rejects.toMatchObject({ code: '22012' });
    expect((await executePrepared(t.pools.app, lookup)).rows).toEqual([{ is_set_up: true }]);
  });
});

describe('sendPrepared and executeAhead in a withOrg transaction', () => {
  const nameOf = compileOnce((db, id: string) =>
    db.selectFrom('users').select('name').where('id', '=', id),
  );
  const rename = compileOnce((db, name: string, id: string) =>
    db.updateTable('users').set({ name }).where('id', '=', id),
  );

  it('answers statements sent without waiting in order, each seeing the ones before it', async () => {
    const seen = await withOrg(t.pools.app, alice.orgId, async (tx) => {
      const renaming = sendPrepared(tx, rename('Sent Ahead', alice.id));
      const reading = sendPrepared(tx, nameOf(alice.id));
      // Row-level security applies: the other org's user is not there.
      const other = sendPrepared(tx, nameOf(bob.id));
      await renaming;
      return { own: (await reading).rows, other: (await other).rows };
    });
    expect(seen).toEqual({ own: [{ name: 'Sent Ahead' }], other: [] });
  });

  it('reports the first failure, rolls everything back and leaves the connection usable', async () => {
    const failing = CompiledQuery.raw('SELECT 1 / (0 * $1::int) AS x', [1]);
    await expect(
      withOrg(t.pools.app, alice.orgId, async (tx) => {
        const renaming = sendPrepared(tx, rename('Rolled Back', alice.id));
        const dividing = sendPrepared(tx, failing);
        const after = sendPrepared(tx, nameOf(alice.id));
        await renaming;
        await dividing;
        await after;
      }),
    ).rejects.toMatchObject({ code: '22012' });
    const names = await Promise.all(
      Array.from({ length: 5 }, () =>
        withOrg(
          t.pools.app,
          alice.orgId,
          async (tx) => (await sendPrepared(tx, nameOf(alice.id))).rows,
        ),
      ),
    );
    for (const rows of names) expect(rows).not.toEqual([{ name: 'Rolled Back' }]);
  });

  it('fails the COMMIT of a transaction whose statement sent ahead failed, committing nothing', async () => {
    const failing = CompiledQuery.raw('UPDATE users SET name = $1 WHERE 1 / 0 = 1', ['Never']);
    await expect(
      withOrg(t.pools.app, alice.orgId, async (tx) => {
        await sendPrepared(tx, rename('Not Committed', alice.id));
        await executeAhead(tx, failing);
      }),
    ).rejects.toMatchObject({ code: '22012' });
    const rows = await withOrg(
      t.pools.app,
      alice.orgId,
      async (tx) => (await sendPrepared(tx, nameOf(alice.id))).rows,
    );
    expect(rows).not.toEqual([{ name: 'Not Committed' }]);
    // Outside a withOrg transaction of the app pool the statement simply runs.
    const owner = await t.pools.owner
      .transaction()
      .execute(async (trx) => (await sendPrepared(trx, nameOf(alice.id))).rows);
    expect(owner).toHaveLength(1);
  });
});
