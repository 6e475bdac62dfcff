// Systems inventory at size: a full PostgreSQL connector sync of 5,000 roles (target <= 5 s),
// run through the API of a started Steward against a database of the same PostgreSQL cluster.
// Roles are named like the SCIM-pushed people (person00001...), so matching accounts to people
// is measured too; 20 group roles with table grants give each role memberships and entitlements.
import { createToken, type createUnitOfWork, type Db } from '@steward/server';
import { sql } from 'kysely';
import pg from 'pg';
import { figure, heading, note, since } from './lib.ts';

const roleCount = 5_000;
const groupCount = 20;

async function postJson(url: string, secret: string, body?: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${secret}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${String(response.status)}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Create the roles, a system pointing at them, and time full syncs through the API. */
export async function benchPostgresConnectorSync(options: {
  base: string;
  owner: Db;
  adminUrl: string;
  pgPort: number;
  uow: ReturnType<typeof createUnitOfWork>;
  userId: string;
}): Promise<void> {
  heading(`PostgreSQL connector: full sync of ${roleCount.toLocaleString('en-US')} roles`);
  const { secret } = await createToken(
    options.uow,
    { userId: options.userId, role: 'owner' },
    { name: 'bench systems', role: 'admin', expiresInDays: 1 },
  );
  const password = `bench-${String(Date.now())}`;
  const admin = new pg.Client({ connectionString: options.adminUrl });
  await admin.connect();
  let started = performance.now();
  try {
    await admin.query('CREATE DATABASE bench_connector');
    await admin.query(`CREATE ROLE bench_reader LOGIN PASSWORD '${password}'`);
    await admin.query(`
      DO $$
      BEGIN
        FOR g IN 1..${String(groupCount)} LOOP
          EXECUTE format('CREATE ROLE %I NOLOGIN', 'team_' || g);
        END LOOP;
        EXECUTE 'GRANT team_1 TO team_2';
        EXECUTE 'ALTER ROLE team_1 CREATEROLE';
        FOR i IN 1..${String(roleCount)} LOOP
          EXECUTE format('CREATE ROLE %I LOGIN %s', 'person' || lpad(i::text, 5, '0'),
            CASE WHEN i % 50 = 0 THEN 'VALID UNTIL ''2020-01-01''' ELSE '' END);
          EXECUTE format('GRANT %I TO %I', 'team_' || (1 + i % ${String(groupCount)}),
            'person' || lpad(i::text, 5, '0'));
        END LOOP;
      END $$`);
  } finally {
    await admin.end();
  }
  const url = new URL(options.adminUrl);
  url.pathname = '/bench_connector';
  const target = new pg.Client({ connectionString: url.toString() });
  await target.connect();
  try {
    await target.query('CREATE SCHEMA app');
    for (let t = 1; t <= 50; t++) {
      await target.query(`CREATE TABLE app.t${String(t)} (id int)`);
      await target.query(
        `GRANT SELECT ON app.t${String(t)} TO team_${String(1 + (t % groupCount))}`,
      );
    }
    await target.query(
      'GRANT USAGE ON SCHEMA app TO ' +
        [...Array(groupCount).keys()].map((g) => `team_${String(g + 1)}`).join(', '),
    );
  } finally {
    await target.end();
  }
  figure('roles, memberships and grants created', since(started), 'ms');

  const system = await postJson(`${options.base}/api/v1/systems`, secret, {
    name: 'Bench PostgreSQL',
    environment: 'production',
    signInMethod: 'local',
    holdsCustomerData: true,
    connectorKind: 'postgresql',
    postgres: {
      host: '127.0.0.1',
      port: options.pgPort,
      database: 'bench_connector',
      user: 'bench_reader',
      password,
      sslmode: 'disable',
    },
  });
  const syncUrl = `${options.base}/api/v1/systems/${String(system.id)}/sync`;
  started = performance.now();
  const first = await postJson(syncUrl, secret);
  figure('first full sync (every role added)', since(started), 'ms', { max: 5_000 });
  note(`counts ${JSON.stringify(first.counts)}`);

  started = performance.now();
  const second = await postJson(syncUrl, secret);
  figure('full sync again (nothing changed)', since(started), 'ms', { max: 5_000 });
  note(`counts ${JSON.stringify(second.counts)}`);

  await sql`
    DO $$
    BEGIN
      FOR i IN 1..500 LOOP
        EXECUTE format('ALTER ROLE %I NOLOGIN', 'person' || lpad((i * 10)::text, 5, '0'));
      END LOOP;
    END $$`.execute(options.owner);
  started = performance.now();
  const third = await postJson(syncUrl, secret);
  figure('full sync with 500 roles disabled', since(started), 'ms', { max: 5_000 });
  note(`counts ${JSON.stringify(third.counts)}`);
}
